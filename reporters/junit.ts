import { join } from 'node:path'
import type { BenchmarkReport, MetricReport, RunReport, Sample } from '../src/report/types.generated.ts'
import { writeFileAtomic } from '../src/util/fs.ts'
import { benchLabel, gitText, measureLimits, measureText, metricSummary } from './format.ts'
import { intervalText, percent, pValueText, thresholdPercent, valueWithUnit } from '../src/util/format.ts'
import { outputDirOf, writing, type BenchgateReporter, type ReportContext } from './types.ts'

/** The JUnit file's name inside the output directory. */
export const JUNIT_FILE_NAME = 'junit.xml'

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Escapes text content: `&`, `<`, `>`; drops characters XML 1.0 forbids. */
export function escapeXmlText(text: string): string {
  return text.replace(INVALID_XML, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Escapes an attribute value: text escaping plus quotes, and line breaks and tabs as character references. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text).replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;')
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`).join('')
}

function sampleText(sample: Sample | undefined, unit: string): string {
  if (!sample) return 'none'
  const s = sample.summary
  return `median ${valueWithUnit(s.median, unit)} (n = ${s.n} rounds in ${sample.runs.length} run${sample.runs.length === 1 ? '' : 's'}, min ${valueWithUnit(s.min, unit)}, max ${valueWithUnit(s.max, unit)}, CV ${percent(s.cv)})`
}

function details(bench: BenchmarkReport, metric: MetricReport): string {
  const lines = [
    `verdict: ${metric.verdict}${metric.failed ? ' (fails the run)' : ''}`,
    `message: ${metric.message}`,
    `baseline: ${sampleText(metric.baseline, metric.unit)}`,
    `current: ${sampleText(metric.current, metric.unit)}`,
    `change: ${intervalText(metric.change)}${metric.change && metric.change.lower !== metric.change.upper ? ' (95 % CI)' : ''}`,
    `p (Holm-adjusted): ${pValueText(metric.pAdjusted)}`,
    `direction: ${metric.direction} is better`,
    `thresholds: warning ${thresholdPercent(metric.thresholds.warning)}, critical ${thresholdPercent(metric.thresholds.critical)}`,
  ]
  if (metric.bounds) lines.push(`bounds: ${[metric.bounds.min !== undefined ? `>= ${metric.bounds.min}` : '', metric.bounds.max !== undefined ? `<= ${metric.bounds.max}` : ''].filter(Boolean).join(' and ')}${metric.bounds.violated ? ' (violated)' : ''}`)
  if (bench.location) lines.push(`location: ${bench.location.file}:${bench.location.line}:${bench.location.column}`)
  if (bench.baselineConfigHash && bench.baselineConfigHash !== bench.configHash) lines.push(`config hash: ${bench.baselineConfigHash} -> ${bench.configHash}`)
  return `${lines.join('\n')}\n`
}

interface Case { xml: string, failure: boolean, error: boolean, skipped: boolean }

function testCase(bench: BenchmarkReport, metric: MetricReport): Case {
  const head = `    <testcase${attrs({ classname: bench.file, name: `${benchLabel(bench)} [${metric.metric}]` })}>`
  const body: string[] = []
  const c: Case = { xml: '', failure: false, error: false, skipped: false }
  if (metric.verdict === 'error') {
    c.error = true
    body.push(`      <error${attrs({ message: metric.message, type: 'error' })}>${escapeXmlText(bench.error?.stack ?? bench.error?.message ?? metric.message)}</error>`)
  }
  else if (metric.failed) {
    c.failure = true
    body.push(`      <failure${attrs({ message: metricSummary(metric), type: metric.verdict })}>${escapeXmlText(details(bench, metric))}</failure>`)
  }
  else if (metric.verdict === 'missing') {
    c.skipped = true
    body.push(`      <skipped${attrs({ message: metric.message, type: 'missing' })}/>`)
  }
  body.push(`      <system-out>${escapeXmlText(details(bench, metric))}</system-out>`)
  c.xml = [head, ...body, '    </testcase>'].join('\n')
  return c
}

function runProperties(report: RunReport, notes: string[]): string {
  const env = report.environment
  const props: [string, string][] = [
    ['benchgate.version', report.tool.version],
    ['benchgate.mode', report.mode],
    ['benchgate.measure', measureText(report)],
    ['benchgate.passed', String(report.passed)],
    ['benchgate.tags', report.options.tags.join(',')],
    ['benchgate.runs', String(report.options.runs)],
    ['benchgate.thresholds', `warning ${thresholdPercent(report.options.thresholds.warning)}, critical ${thresholdPercent(report.options.thresholds.critical)}`],
    ['benchgate.alpha', String(report.options.alpha)],
    ['benchgate.failOn', report.options.failOn],
    ['benchgate.baselineFile', report.baselineFile],
    ['environment.cpu', `${env.cpuModel} (${env.cores} cores)`],
    ['environment.os', env.os],
    ['environment.node', env.node],
    ['environment.vitest', env.vitest],
  ]
  const limits = measureLimits(report)
  if (limits) props.push(['benchgate.measureLimits', limits])
  const git = gitText(report)
  if (git) props.push(['git', git])
  report.warnings.forEach((w, i) => props.push([`warning.${i + 1}`, w]))
  props.push(...notes.map((n, i): [string, string] => [`note.${i + 1}`, n]))
  return ['    <properties>', ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`), '    </properties>'].join('\n')
}

/**
 * Renders the report as JUnit XML (the Surefire `junit-10.xsd` dialect): one `<testsuite>` per
 * bench file, one `<testcase>` per benchmark metric. A failing metric is a `<failure>` whose message
 * gives baseline, current, change and interval; an erroring scenario is an `<error>`; a metric
 * missing from this run is `<skipped>`; every case's numbers and any other verdict (warning, stale,
 * unstable, improved, new) are in its `<system-out>` and in the suite's `<properties>`.
 */
export function renderJUnit(report: RunReport): string {
  const files = [...new Set(report.benchmarks.map(b => b.file))]
  let tests = 0
  let failures = 0
  let errors = 0
  const suites: string[] = []
  for (const file of files) {
    const benches = report.benchmarks.filter(b => b.file === file)
    const cases = benches.flatMap(b => b.metrics.map(m => testCase(b, m)))
    const notes = benches.flatMap(b => b.metrics.filter(m => m.verdict !== 'ok').map(m => `${m.verdict}: ${benchLabel(b)} [${m.metric}]: ${m.message}`))
    const f = cases.filter(c => c.failure).length
    const e = cases.filter(c => c.error).length
    const s = cases.filter(c => c.skipped).length
    tests += cases.length
    failures += f
    errors += e
    suites.push([
      `  <testsuite${attrs({ name: file, tests: cases.length, failures: f, errors: e, skipped: s, timestamp: report.timestamp, file })}>`,
      runProperties(report, notes),
      ...cases.map(c => c.xml),
      '  </testsuite>',
    ].join('\n'))
  }
  const root = `<testsuites${attrs({ name: 'benchgate', tests, failures, errors })}`
  return ['<?xml version="1.0" encoding="UTF-8"?>', suites.length ? `${root}>` : `${root}/>`, ...suites, ...(suites.length ? ['</testsuites>'] : []), ''].join('\n')
}

/** Writes `junit.xml` into the output directory. */
export class JUnitReporter implements BenchgateReporter {
  /** The report as JUnit XML. */
  render(report: RunReport): string {
    return renderJUnit(report)
  }

  /** Writes `<outputDir>/junit.xml` and returns its path. */
  emit(report: RunReport, context: ReportContext): string[] {
    const path = join(outputDirOf(context), JUNIT_FILE_NAME)
    const xml = this.render(report)
    writing(path, () => writeFileAtomic(path, xml))
    return [path]
  }
}

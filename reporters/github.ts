import type { BenchmarkReport, MetricReport, RunReport } from '../src/report/types.generated.ts'
import { benchLabel, measureLimits, measureText, metricSummary, plural } from './format.ts'
import { print, type BenchgateReporter, type ReportContext } from './types.ts'

type Level = 'error' | 'warning' | 'notice'

/** Escapes a workflow command's message (`%`, CR, LF), as `@actions/core` does. */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/** Escapes a workflow command's property value: the message escapes plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/** One `::level file=…,line=…,title=…::message` workflow command. */
export function workflowCommand(level: Level, message: string, properties: Record<string, string | number | undefined> = {}): string {
  const props = Object.entries(properties).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

function levelOf(report: RunReport, metric: MetricReport): Level | undefined {
  if (metric.failed || metric.verdict === 'error') return 'error'
  if (report.mode === 'update') return undefined
  switch (metric.verdict) {
    case 'critical':
    case 'warning':
    case 'unstable':
    case 'stale': return 'warning'
    case 'improved':
    case 'new':
    case 'missing': return 'notice'
    default: return undefined
  }
}

function annotation(report: RunReport, bench: BenchmarkReport, metric: MetricReport): string | undefined {
  const level = levelOf(report, metric)
  if (!level) return undefined
  const where = bench.location
    ? { file: bench.location.file, line: bench.location.line, col: bench.location.column }
    : { file: bench.file }
  return workflowCommand(level, metricSummary(metric), { ...where, title: `benchgate ${metric.verdict}: ${benchLabel(bench)} [${metric.metric}]` })
}

/**
 * Renders the report as GitHub Actions workflow commands: `::error` for every metric that fails the
 * run, `::warning` for warnings, critical-but-passing, unstable and stale results, `::notice` for
 * improvements and new or missing benchmarks, each pointing at the bench file and line.
 * Run-level warnings (another machine) are `::warning` without a file.
 */
export function renderGithub(report: RunReport): string {
  const lines: string[] = []
  // the mode is said where a count differs in kind from a time: instruction runs only
  const limits = measureLimits(report)
  if (limits) lines.push(workflowCommand('notice', `measure: ${measureText(report)}. ${limits}`, { title: 'benchgate: instruction counts' }))
  for (const w of report.warnings) lines.push(workflowCommand('warning', w, { title: 'benchgate: environment' }))
  for (const bench of report.benchmarks) {
    for (const metric of bench.metrics) {
      const line = annotation(report, bench, metric)
      if (line) lines.push(line)
    }
  }
  if (report.mode === 'update') lines.push(workflowCommand('notice', `baseline updated for ${plural(report.benchmarks.length, 'benchmark')} (${report.baselineFile})`, { title: 'benchgate' }))
  return lines.length ? `${lines.join('\n')}\n` : ''
}

/** Prints workflow annotations to stdout, where the GitHub Actions runner picks them up. */
export class GithubReporter implements BenchgateReporter {
  /** The report as workflow commands, one per line. */
  render(report: RunReport): string {
    return renderGithub(report)
  }

  /** Prints the annotations; writes no file. */
  emit(report: RunReport, context: ReportContext): string[] {
    const text = this.render(report)
    if (text) print(context, text)
    return []
  }
}

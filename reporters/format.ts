import type { BenchmarkReport, MetricReport, RunReport, Verdict } from '../src/report/types.generated.ts'
import { reportMeasure } from '../src/measure/report.ts'
import { pValueText, signedPercent, thresholdPercent, valueWithUnit } from '../src/util/format.ts'

/** Verdicts from most to least severe: the order of "needs attention" lists. */
export const VERDICT_ORDER: readonly Verdict[] = ['error', 'critical', 'warning', 'unstable', 'stale', 'missing', 'new', 'improved', 'ok']

/** A short icon per verdict, for Markdown and HTML. */
export const VERDICT_ICON: Record<Verdict, string> = {
  error: '💥',
  critical: '🛑',
  warning: '⚠️',
  unstable: '〰️',
  stale: '🕸️',
  missing: '❔',
  new: '🆕',
  improved: '🚀',
  ok: '✅',
}

/** One metric of one benchmark, with the position it has in the report. */
export interface MetricRow {
  bench: BenchmarkReport
  metric: MetricReport
  /** Index of the benchmark in `report.benchmarks`. */
  benchIndex: number
  /** Index of the metric in `bench.metrics`. */
  metricIndex: number
}

/** Every metric of every benchmark, sorted by benchmark key (metrics in their declared order). */
export function metricRows(report: RunReport): MetricRow[] {
  return report.benchmarks
    .flatMap((bench, benchIndex) => bench.metrics.map((metric, metricIndex) => ({ bench, metric, benchIndex, metricIndex })))
    .sort((a, b) => a.bench.key.localeCompare(b.bench.key))
}

/** The rows that are not `ok`, most severe first; within a verdict the largest change first, then by name. */
export function attentionRows(report: RunReport): MetricRow[] {
  const rank = (v: Verdict) => VERDICT_ORDER.indexOf(v)
  const size = (m: MetricReport) => Math.abs(m.change?.estimate ?? 0)
  return metricRows(report)
    .filter(r => r.metric.verdict !== 'ok')
    .sort((a, b) => rank(a.metric.verdict) - rank(b.metric.verdict)
      || size(b.metric) - size(a.metric)
      || a.bench.key.localeCompare(b.bench.key)
      || a.metric.metric.localeCompare(b.metric.metric))
}

/** The benchmark's name within its file: the key without the `file > ` prefix. */
export function benchLabel(bench: Pick<BenchmarkReport, 'key' | 'file'>): string {
  const prefix = `${bench.file} > `
  return bench.key.startsWith(prefix) ? bench.key.slice(prefix.length) : bench.key
}

/** `file:line` of the benchmark's declaration, or the file alone. */
export function locationText(bench: Pick<BenchmarkReport, 'file' | 'location'>): string {
  return bench.location ? `${bench.location.file}:${bench.location.line}` : bench.file
}

/** The median of the baseline or current sample with its unit, or `–` when there is none. */
export function medianText(metric: MetricReport, which: 'baseline' | 'current', space = ' '): string {
  const sample = metric[which]
  return sample ? valueWithUnit(sample.summary.median, metric.unit, space) : '–'
}

/** `1 warning`, `2 warnings`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`
}

/**
 * A short reason for a verdict, for tables whose other columns already show the numbers; the full
 * sentence (`metric.message`) where the numbers do not tell the story (new, missing, stale, error, bounds).
 */
export function shortReason(metric: MetricReport): string {
  const t = metric.thresholds
  if (metric.bounds?.violated) return metric.message
  switch (metric.verdict) {
    case 'critical': return `worse by more than ${thresholdPercent(t.critical)}`
    case 'warning': return `worse by more than ${thresholdPercent(t.warning)}`
    case 'improved': return `better by more than ${thresholdPercent(t.warning)}; refresh the baseline to lock it in`
    case 'unstable': return 'too noisy to decide; re-run, or raise rounds/runs'
    case 'ok': return metric.change ? 'within noise' : metric.message
    default: return metric.message
  }
}

/** The commit, shortened to 7 characters, with the branch when known: `abc1234 (main)`. */
export function gitText(report: RunReport): string | undefined {
  const { commit, branch } = report.git ?? {}
  if (!commit && !branch) return undefined
  const short = commit ? commit.slice(0, 7) : ''
  return branch ? (short ? `${short} (${branch})` : branch) : short
}

/**
 * What the run measured, in words: `time (wall time per round)`, or `instructions (Ir per round,
 * valgrind-3.19.0 callgrind)`. Every reporter shows it.
 */
export function measureText(report: Pick<RunReport, 'measurement'>): string {
  if (reportMeasure(report) === 'time') return 'time (wall time per round)'
  const tool = report.measurement?.tool
  return `instructions (Ir per round, deterministic${tool ? `; ${tool}` : ''})`
}

/** What the run's measure does not see (instruction mode), as one sentence; `undefined` for time. */
export function measureLimits(report: Pick<RunReport, 'measurement'>): string | undefined {
  const limits = report.measurement?.limits
  return limits ? `${limits.charAt(0).toUpperCase()}${limits.slice(1)}.` : undefined
}

/** The report timestamp as `YYYY-MM-DD HH:MM UTC`. */
export function timeText(report: RunReport): string {
  const d = new Date(report.timestamp)
  return Number.isNaN(d.getTime()) ? report.timestamp : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * One line with the numbers behind a verdict: `critical: baseline 10 ms -> current 13 ms, change
 * +30.0 % (95 % CI +28.1 % to +31.9 %), p < 0.001: worse by more than 10 %`.
 */
export function metricSummary(metric: MetricReport): string {
  if (metric.verdict === 'error' || (!metric.baseline && !metric.current)) return `${metric.verdict}: ${metric.message}`
  const values = [
    metric.baseline ? `baseline ${medianText(metric, 'baseline')}` : '',
    metric.current ? `current ${medianText(metric, 'current')}` : '',
  ].filter(Boolean).join(' -> ')
  if (!metric.change || metric.bounds?.violated || metric.verdict === 'stale') return `${metric.verdict}: ${values}; ${metric.message}`
  const { estimate, lower, upper } = metric.change
  // deterministic metrics (instructions) carry the estimate -+ 3 noise floors, not a confidence interval
  const what = metric.noiseFloor !== undefined ? 'noise margin' : '95 % CI'
  const interval = lower === upper ? '' : ` (${what} ${signedPercent(lower)} to ${signedPercent(upper)})`
  const p = pValueText(metric.pAdjusted)
  const pPart = metric.pAdjusted === undefined ? '' : `, p ${p.startsWith('<') ? p : `= ${p}`}`
  return `${metric.verdict}: ${values}, change ${signedPercent(estimate)}${interval}${pPart}: ${shortReason(metric)}`
}

/** The overall outcome of a run, in plain words, with a level for styling. */
export interface RunVerdict {
  level: 'fail' | 'warn' | 'pass' | 'update' | 'empty'
  text: string
}

/** How a failed metric of each verdict is named in the headline, in the order they are listed. */
const FAILED_WORDS: ReadonlyArray<[Verdict, string]> = [['critical', 'critical regression'], ['error', 'scenario error'], ['warning', 'warning']]

/** What failed the run, in words: `2 critical regressions, 1 scenario error`. */
function failedText(report: RunReport): string {
  const by = report.outcome.failedBy
  const named = FAILED_WORDS.flatMap(([v, word]) => by[v] ? [plural(by[v], word)] : [])
  const others = Object.entries(by).filter(([v]) => !FAILED_WORDS.some(([w]) => w === v)).map(([v, n]) => plural(n, `${v} metric`))
  return [...named, ...others].join(', ') || plural(report.counts.failed, 'failed metric')
}

/**
 * The run's headline, rendered from `report.outcome` (decided once, honouring failOn): fail (merge
 * blocked), pass with warnings (justification required), pass, update, or nothing ran.
 */
export function runVerdict(report: RunReport): RunVerdict {
  const c = report.counts
  const t = report.options.thresholds
  const { level } = report.outcome
  switch (level) {
    case 'update': return { level, text: `Baseline updated for ${plural(report.benchmarks.length, 'benchmark')}${c.failed ? `, but ${plural(c.failed, 'metric')} failed` : ''}.` }
    case 'empty': return { level, text: 'No benchmarks ran. Check the tag filter and the bench file globs.' }
    case 'fail': return { level, text: `Fail: ${failedText(report)}. Merge blocked.` }
    case 'warn': return c.warning
      ? { level, text: `Pass with ${plural(c.warning, 'warning')} (worse by more than ${thresholdPercent(t.warning)}): justification required before merging.` }
      : { level, text: `Pass, although ${plural(c.critical, 'metric')} regressed critically (failOn: ${report.options.failOn}).` }
    case 'pass': return { level, text: `Pass: nothing is worse than the baseline by more than ${thresholdPercent(t.warning)} (${plural(c.total, 'metric')}).` }
  }
}

/** An icon per run verdict level. */
export const RUN_VERDICT_ICON: Record<RunVerdict['level'], string> = { fail: '❌', warn: '⚠️', pass: '✅', update: '📝', empty: '➖' }

/** One step of the runbook's decision tree; `text` may contain `code` in backticks. */
export interface DecisionItem {
  icon: string
  /** The decision, in bold where the format allows. */
  lead?: string
  text: string
}

/**
 * The runbook's decision tree (Handling CI Failures) applied to the run's outcome: what failed the
 * run (per failOn) blocks the merge, a critical that failOn lets pass asks for a review, a warning
 * requires a justification, otherwise the merge is allowed; plus what to do about unstable, stale,
 * new, missing and improved results. Empty in update mode and when nothing ran.
 */
export function decisionItems(report: RunReport): DecisionItem[] {
  const c = report.counts
  const t = report.options.thresholds
  const { level, failedBy } = report.outcome
  if (level === 'update' || level === 'empty') return []
  const refresh = `\`npx benchgate baseline${report.options.tags.length ? ` --tags ${report.options.tags.join(',')}` : ''}\``
  const items: DecisionItem[] = []
  const criticals = (n: number) => `${plural(n, 'critical regression')} (worse by more than ${thresholdPercent(t.critical)})`
  const warnings = (n: number) => `${plural(n, 'warning')} (worse by more than ${thresholdPercent(t.warning)})`
  if (level === 'fail') {
    const what = [
      failedBy.critical ? criticals(failedBy.critical) : '',
      failedBy.error ? plural(failedBy.error, 'scenario error') : '',
      failedBy.warning ? warnings(failedBy.warning) : '',
      ...Object.entries(failedBy).filter(([v]) => !['critical', 'error', 'warning'].includes(v)).map(([v, n]) => plural(n, `${v} metric`)),
    ].filter(Boolean)
    const text = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0] ?? plural(c.failed, 'failed metric')
    items.push({ icon: '🛑', lead: 'Block the merge', text: `${text}. Revert the change, or fix it and re-test.` })
  }
  // regressions that did not fail the run (failOn lets them pass): still to be looked at
  const passingCritical = c.critical - (failedBy.critical ?? 0)
  if (passingCritical > 0)
    items.push({ icon: '⚠️', lead: 'Review before merging', text: `${criticals(passingCritical)} that failOn: ${report.options.failOn} lets pass. Revert or fix the change, or document why the cost is acceptable.` })
  const passingWarning = c.warning - (failedBy.warning ?? 0)
  if (passingWarning > 0)
    items.push({ icon: '⚠️', lead: 'Justification required', text: `${warnings(passingWarning)}. Document the reason in the pull request; if the cost is acceptable, refresh the baseline with ${refresh}.` })
  if (level === 'pass')
    items.push({ icon: '✅', lead: 'Allow the merge', text: `nothing is worse by more than ${thresholdPercent(t.warning)}.` })
  if (c.unstable) items.push({ icon: '〰️', text: `${plural(c.unstable, 'metric was', 'metrics were')} too noisy to decide: re-run the job, or give those scenarios more rounds or runs.` })
  if (c.stale) items.push({ icon: '🕸️', text: `${plural(c.stale, 'baseline is', 'baselines are')} stale (the scenario's config changed): refresh with ${refresh}.` })
  if (c.new || c.missing) items.push({ icon: '🆕', text: `${[c.new ? `${c.new} new` : '', c.missing ? `${c.missing} missing` : ''].filter(Boolean).join(' and ')}: refresh the baseline with ${refresh} to record or drop them.` })
  if (c.improved) items.push({ icon: '🚀', text: `${plural(c.improved, 'improvement')}: refresh the baseline with ${refresh} to lock ${c.improved === 1 ? 'it' : 'them'} in.` })
  return items
}

/**
 * Plain-text views of experiments for `ab status` and `ab list`. Render only: every number comes
 * from the analysis.
 */
import { formatValue, percent } from '../util/format.ts'
import { formatTable } from '../history/table.ts'
import { formatChange } from './analyze.ts'
import type { Experiment } from './experiment-types.generated.ts'
import type { Comparison, ExperimentAnalysis, MetricAnalysis } from './results-types.generated.ts'

const p = (x: number | undefined) => (x === undefined ? '-' : x < 1e-4 ? x.toExponential(1) : x.toPrecision(2))

function overridesText(overrides: Record<string, unknown>): string {
  const entries = Object.entries(overrides)
  return entries.length === 0 ? '(project config)' : entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')
}

function comparisonLine(metric: MetricAnalysis, c: Comparison, control: string): string {
  const head = `${c.treatment} vs ${control}:`
  if (c.change === undefined || c.interval === undefined)
    return `${head} not tested yet (${metric.note ?? `${c.samples} samples; the test needs 2+ batches and 10+ samples per variant`})`
  const change = `${formatChange(c.change, metric.scale)} [${formatChange(c.interval.lower, metric.scale)}, ${formatChange(c.interval.upper, metric.scale)}]`
  const criterion = metric.role === 'info' ? '' : `, criterion ${metric.criterion} ${c.criterionMet ? 'met' : 'not met'}`
  return `${head} ${change}  always-valid p ${p(c.pAlwaysValid)} (Holm ${p(c.pAlwaysValidAdjusted)})  Welch p ${p(c.pWelch)} (Holm ${p(c.pWelchAdjusted)})  samples ${c.samples}/${c.requiredSamples}  ${c.verdict}${criterion}`
}

/** `ab status`: variants, per metric the arms and the comparisons, then the recommendation. */
export function renderStatus(experiment: Experiment, analysis: ExperimentAnalysis, location: string): string {
  const out: string[] = []
  const control = experiment.variants[0]!.name
  out.push(`Experiment ${experiment.name}: ${experiment.status}${experiment.finalizedAt ? ` at ${experiment.finalizedAt}` : ''}, created ${experiment.createdAt} (${location})`)
  out.push(`Scenarios: ${experiment.tags.length ? `tags ${experiment.tags.join(', ')}` : 'all tags'}${experiment.files.length ? `, files ${experiment.files.join(' ')}` : ''}; metrics: ${experiment.metrics.length ? experiment.metrics.join(', ') : 'all recorded'}`)
  out.push('')
  out.push(formatTable(['variant', 'role', 'batches', 'machines', 'config'], analysis.variants.map(v => [v.name, v.role, String(v.batches), String(v.machines), overridesText(v.overrides)])).trimEnd())
  for (const m of analysis.metrics) {
    out.push('')
    out.push(`${m.scenario} › ${m.metric} (${m.kind}, ${m.direction} is better${m.role === 'info' ? ', informational' : `; ${m.role}: ${m.criterion}, ${m.comparisons[0]?.requiredSamples ?? 0}+ samples`})`)
    const unit = m.unit ? ` ${m.unit}` : ''
    const rows = m.arms.map(a => [a.variant, String(a.n), String(a.batches), a.median === undefined ? '-' : `${formatValue(a.median)}${unit}`, a.mean === undefined ? '-' : formatValue(a.mean), a.cv === undefined ? '-' : percent(a.cv)])
    out.push(formatTable(['variant', 'n', 'batches', 'median', 'mean', 'cv'], rows).trimEnd().split('\n').map(l => `  ${l}`).join('\n'))
    for (const c of m.comparisons) out.push(`  ${comparisonLine(m, c, control)}`)
  }
  out.push('')
  out.push(`Recommendation: ${analysis.recommendation}`)
  for (const t of analysis.treatments) {
    out.push(`  ${t.name}: ${t.recommendation}${t.score !== undefined ? ` (score ${t.score.toFixed(2)})` : ''}`)
    for (const reason of t.reasons) out.push(`    - ${reason}`)
  }
  out.push(`Method: ${analysis.method}`)
  for (const w of analysis.warnings) out.push(`Warning: ${w}`)
  return `${out.join('\n')}\n`
}

/** One row of `ab list`. */
export interface ListRow {
  experiment: Experiment
  analysis: ExperimentAnalysis
}

/** `ab list`: one line per experiment with its batches, the fewest samples per variant and the recommendation. */
export function renderList(rows: readonly ListRow[], location: string): string {
  if (rows.length === 0) return `No experiments in ${location} (create one with benchgate ab create)\n`
  const table = rows.map(({ experiment, analysis }) => {
    const batches = analysis.variants.reduce((n, v) => n + v.batches, 0)
    const samples = analysis.metrics.flatMap(m => m.arms.map(a => a.n))
    return [experiment.name, experiment.status, String(experiment.variants.length), String(batches), String(samples.length ? Math.min(...samples) : 0), analysis.recommendation]
  })
  return `${formatTable(['name', 'status', 'variants', 'batches', 'min samples', 'recommendation'], table)}(${location})\n`
}

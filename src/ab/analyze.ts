/**
 * The analysis of an experiment: per scenario and metric, each variant's summary and each
 * treatment against the control (mSPRT always-valid p-value and confidence interval, Welch p for
 * reference, Holm across the experiment), then a recommendation per treatment that respects the
 * metric's direction and the runbook's criteria and sample sizes, and the best treatment.
 * Pure: no I/O, deterministic.
 */
import { holm } from '../stats/holm.ts'
import { sd, summarize } from '../stats/summary.ts'
import { welchTTest } from '../stats/ttest.ts'
import { armMoments, armValues, type ArmMoments } from './arm.ts'
import { CRITERIA, metricKind, type Criterion, type TestScale } from './criteria.ts'
import type { Direction, Experiment, SampleBatch } from './experiment-types.generated.ts'
import type { ArmSummary, Comparison, ExperimentAnalysis, MetricAnalysis, TreatmentDecision, VariantSummary } from './results-types.generated.ts'
import { studentizedMsprt } from './sequential.ts'
import { signedPercent } from '../util/format.ts'

/** Samples per arm before the sequential test is computed (the plug-in variance needs some). */
export const MIN_TEST_SAMPLES = 10
/** Batches (separate processes) per arm before the sequential test is computed. */
export const MIN_TEST_BATCHES = 2

/** One scenario's metric across the experiment: per variant, one array of values per batch. */
interface Series {
  scenario: string
  metric: string
  direction: Direction
  unit: string
  byVariant: Map<string, number[][]>
}

/** One comparison on its way through Holm and the decision. */
interface Tested {
  comparison: Comparison
  /** Direction-adjusted improvement on the criterion's terms (relative or absolute). */
  improvement?: number
  /** The Welch p-value, when it is defined. */
  welch?: number
  criterion: Criterion
  label: string
}

const machineOf = (b: SampleBatch) => `${b.environment.cpuModel} (${b.environment.cores} cores)`

function collectSeries(experiment: Experiment, batches: readonly SampleBatch[], warnings: string[]): Series[] {
  const tracked = new Set(experiment.metrics)
  const series = new Map<string, Series>()
  const seenMetrics = new Set<string>()
  for (const batch of batches) {
    for (const bench of batch.benchmarks) {
      for (const [metric, data] of Object.entries(bench.metrics)) {
        seenMetrics.add(metric)
        if (tracked.size > 0 && !tracked.has(metric)) continue
        const id = `${bench.key}\u0000${metric}`
        let s = series.get(id)
        if (!s) {
          s = { scenario: bench.key, metric, direction: data.direction, unit: data.unit, byVariant: new Map() }
          series.set(id, s)
        }
        else if (s.direction !== data.direction || s.unit !== data.unit) {
          warnings.push(`${bench.key} › ${metric}: direction or unit changed during the experiment (${s.direction} ${s.unit} -> ${data.direction} ${data.unit} in batch ${batch.seq}); the latest is used`)
          s.direction = data.direction
          s.unit = data.unit
        }
        const list = s.byVariant.get(batch.variant) ?? []
        list.push(data.values)
        s.byVariant.set(batch.variant, list)
      }
    }
  }
  for (const name of experiment.metrics) {
    if (batches.length > 0 && !seenMetrics.has(name)) warnings.push(`metric "${name}" (--metrics) was never recorded by the experiment's scenarios`)
  }
  return [...series.values()].sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0))
}

function armSummary(variant: string, groups: readonly number[][]): ArmSummary {
  const values = armValues(groups)
  const batches = groups.filter(g => g.length > 0).length
  if (values.length === 0) return { variant, n: 0, batches }
  const s = summarize(values)
  return { variant, n: s.n, batches, median: s.median, mean: s.mean, cv: s.cv, min: s.min, max: s.max }
}


/** The change in words: `-15.2 %` on the log scale, `+0.061` on the difference scale. */
export function formatChange(change: number, scale: TestScale): string {
  return scale === 'log' ? signedPercent(change) : `${change >= 0 ? '+' : ''}${change.toPrecision(3)}`
}

/** Welch-Satterthwaite degrees of freedom of the sum of the two arms' variances of the mean. */
export function welchDf(a: ArmMoments, b: ArmMoments): number {
  const v = a.varianceOfMean + b.varianceOfMean
  return v > 0 ? v ** 2 / (a.varianceOfMean ** 2 / a.df + b.varianceOfMean ** 2 / b.df) : Number.POSITIVE_INFINITY
}

/** One treatment against the control; `scale` undefined means the metric cannot be tested. */
function compare(series: Series, treatment: string, control: string, scale: TestScale | undefined, tau: number, alpha: number, criterion: Criterion): { comparison: Comparison, welch?: number } {
  // on the test scale, once for the moments and Welch's test
  const transform = scale === 'log' ? Math.log : (x: number) => x
  const c = (series.byVariant.get(control) ?? []).map(batch => batch.map(transform))
  const t = (series.byVariant.get(treatment) ?? []).map(batch => batch.map(transform))
  const mc = armMoments(c)
  const mt = armMoments(t)
  const samples = Math.min(mc.n, mt.n)
  const comparison: Comparison = {
    treatment,
    samples,
    requiredSamples: criterion.requiredSamples,
    samplesReached: samples >= criterion.requiredSamples,
    pAlwaysValid: 1,
    pAlwaysValidAdjusted: 1,
    verdict: 'not-tested',
    criterionMet: false,
  }
  if (!scale || mc.n < MIN_TEST_SAMPLES || mt.n < MIN_TEST_SAMPLES || mc.batches < MIN_TEST_BATCHES || mt.batches < MIN_TEST_BATCHES)
    return { comparison }
  const estimate = mt.mean - mc.mean
  const variance = mt.varianceOfMean + mc.varianceOfMean
  const { p, halfWidth: half } = studentizedMsprt(estimate, variance, welchDf(mt, mc), tau, alpha)
  comparison.estimate = estimate
  comparison.change = scale === 'log' ? Math.expm1(estimate) : estimate
  comparison.interval = scale === 'log'
    ? { lower: Math.expm1(estimate - half), upper: Math.expm1(estimate + half) }
    : { lower: estimate - half, upper: estimate + half }
  comparison.pAlwaysValid = p
  const welch = welchTTest(armValues(t), armValues(c)).p
  return Number.isFinite(welch) ? { comparison, welch } : { comparison }
}

/** Direction-adjusted change in the criterion's terms: positive is better. */
function improvementOf(comparison: Comparison, direction: Direction): number | undefined {
  if (comparison.change === undefined) return undefined
  return direction === 'lower' ? -comparison.change : comparison.change
}

function labelWithChange(t: Tested): string {
  const c = t.comparison
  return c.change === undefined ? t.label : `${t.label} ${formatChange(c.change, t.criterion.scale)}`
}

function decide(name: string, tested: readonly Tested[], alpha: number): TreatmentDecision {
  const goals = tested.filter(t => t.criterion.role === 'goal')
  const guards = tested.filter(t => t.criterion.role === 'guardrail')
  const p = (t: Tested) => `always-valid p ${t.comparison.pAlwaysValidAdjusted.toPrecision(2)} (Holm)`
  const reasons: string[] = []

  const worse = goals.filter(t => t.comparison.verdict === 'worse')
  const brokenGuards = guards.filter(t => t.comparison.samplesReached && t.comparison.verdict !== 'not-tested' && !t.comparison.criterionMet)
  if (worse.length > 0 || brokenGuards.length > 0) {
    for (const t of worse) reasons.push(`${labelWithChange(t)}: significantly worse, ${p(t)}`)
    for (const t of brokenGuards) reasons.push(`${labelWithChange(t)}: breaks the guardrail (${t.criterion.text})`)
    return { name, recommendation: 'keep-control', reasons }
  }
  if (goals.length === 0) {
    return { name, recommendation: 'continue', reasons: ['no goal metric (latency or cache hit rate) is tracked: nothing can justify a deployment'] }
  }
  const deployable = goals.filter(t => t.comparison.verdict === 'better' && t.comparison.criterionMet && t.comparison.samplesReached)
  const guardsOk = guards.every(t => t.comparison.samplesReached && t.comparison.criterionMet)
  const score = (() => {
    const parts = goals.filter(t => t.improvement !== undefined).map(t => t.improvement! / t.criterion.threshold)
    return parts.length > 0 ? parts.reduce((a, b) => a + b, 0) / parts.length : undefined
  })()

  if (deployable.length > 0 && guardsOk) {
    for (const t of deployable) reasons.push(`${labelWithChange(t)}: significantly better, ${p(t)}, meets ${t.criterion.text} with ${t.comparison.samples}/${t.comparison.requiredSamples} samples`)
    for (const t of guards) reasons.push(`${labelWithChange(t)}: within the guardrail (${t.criterion.text})`)
    if (guards.length === 0) reasons.push('no memory metric is tracked: the memory guardrail was not checked')
    const decision: TreatmentDecision = { name, recommendation: 'deploy', reasons }
    if (score !== undefined) decision.score = score
    return decision
  }

  for (const t of goals) {
    const c = t.comparison
    if (c.verdict === 'not-tested') reasons.push(`${t.label}: not tested yet (needs ${MIN_TEST_SAMPLES}+ samples and ${MIN_TEST_BATCHES}+ batches per variant; ${c.samples} samples so far)`)
    else if (c.verdict === 'no-difference') reasons.push(`${labelWithChange(t)}: no significant difference, ${p(t)}; ${c.samples}/${c.requiredSamples} samples`)
    else if (!c.criterionMet) reasons.push(`${labelWithChange(t)}: significantly better, but short of the criterion (${t.criterion.text})`)
    else if (!c.samplesReached) reasons.push(`${labelWithChange(t)}: significantly better and meets ${t.criterion.text}, but only ${c.samples} of the ${c.requiredSamples} samples the runbook requires`)
  }
  for (const t of guards) {
    const c = t.comparison
    if (!c.samplesReached) reasons.push(`${labelWithChange(t)}: guardrail needs ${c.requiredSamples} samples (${c.samples} so far)`)
    else if (!c.criterionMet) reasons.push(`${labelWithChange(t)}: breaks the guardrail (${t.criterion.text})`)
  }
  // Every goal has the runbook's samples and none qualifies: an improvement this small is not worth a change.
  const settled = deployable.length === 0 && goals.every(t => t.comparison.samplesReached && t.comparison.verdict !== 'not-tested')
  const decision: TreatmentDecision = { name, recommendation: settled ? 'keep-control' : 'continue', reasons }
  if (settled) reasons.unshift(`required samples reached without a qualifying improvement (alpha ${alpha})`)
  return decision
}

function environmentWarnings(experiment: Experiment, batches: readonly SampleBatch[]): string[] {
  const byMachine = new Map<string, Map<string, number>>()
  for (const b of batches) {
    const m = byMachine.get(machineOf(b)) ?? new Map<string, number>()
    m.set(b.variant, (m.get(b.variant) ?? 0) + 1)
    byMachine.set(machineOf(b), m)
  }
  if (byMachine.size < 2) return []
  const out: string[] = []
  for (const [machine, counts] of [...byMachine].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const missing = experiment.variants.filter(v => !counts.has(v.name)).map(v => v.name)
    if (missing.length > 0) out.push(`samples come from ${byMachine.size} machines and ${machine} has none of ${missing.join(', ')}: the machine is confounded with the variant; run every variant on each machine (ab run does)`)
  }
  return out
}

/**
 * Analyses an experiment from its stored batches. Comparisons with too few samples are
 * `not-tested` (p = 1) but stay in the Holm family, so the family is fixed by the experiment's
 * metrics and treatments, not by the data seen so far.
 */
export function analyzeExperiment(experiment: Experiment, batches: readonly SampleBatch[]): ExperimentAnalysis {
  const warnings: string[] = []
  const series = collectSeries(experiment, batches, warnings)
  const control = experiment.variants.find(v => v.role === 'control') ?? experiment.variants[0]!
  const treatments = experiment.variants.filter(v => v !== control)
  const alpha = experiment.alpha

  const metrics: MetricAnalysis[] = []
  const tested: Tested[] = []
  for (const s of series) {
    const kind = metricKind(s.metric, s)
    const criterion = CRITERIA[kind]
    const positive = [...s.byVariant.values()].every(groups => groups.every(g => g.every(x => x > 0)))
    let scale: TestScale = criterion.scale
    let tau = criterion.tau
    let note: string | undefined
    if (scale === 'log' && !positive) {
      if (kind === 'other') {
        scale = 'difference'
        const controlValues = armValues(s.byVariant.get(control.name) ?? [])
        const spread = controlValues.length >= 2 ? sd(controlValues) : 0
        tau = spread > 0 ? spread : 1
        note = 'values are not all positive: tested as a difference of means (prior sd = the control\'s sd)'
      }
      else note = 'values are not all positive: a ratio cannot be tested, so this metric is not tested'
    }
    const testable = scale === 'difference' || positive
    const label = `${s.scenario} › ${s.metric}`
    const metric: MetricAnalysis = {
      scenario: s.scenario,
      metric: s.metric,
      direction: s.direction,
      unit: s.unit,
      kind,
      role: criterion.role,
      scale,
      criterion: criterion.text,
      arms: experiment.variants.map(v => armSummary(v.name, s.byVariant.get(v.name) ?? [])),
      comparisons: [],
    }
    if (note) metric.note = note
    for (const t of treatments) {
      const result = compare(s, t.name, control.name, testable ? scale : undefined, tau, alpha, criterion)
      metric.comparisons.push(result.comparison)
      const entry: Tested = { comparison: result.comparison, criterion: { ...criterion, scale }, label }
      const improvement = improvementOf(result.comparison, s.direction)
      if (improvement !== undefined) entry.improvement = improvement
      if (result.welch !== undefined) entry.welch = result.welch
      tested.push(entry)
    }
    metrics.push(metric)
  }

  const adjusted = holm(tested.map(t => t.comparison.pAlwaysValid))
  const withWelch = tested.filter(t => t.welch !== undefined)
  const welchAdjusted = holm(withWelch.map(t => t.welch!))
  tested.forEach((t, i) => {
    const c = t.comparison
    c.pAlwaysValidAdjusted = adjusted[i]!
    if (c.estimate === undefined) return
    if (c.pAlwaysValidAdjusted <= alpha) c.verdict = (t.improvement ?? 0) > 0 ? 'better' : 'worse'
    else c.verdict = 'no-difference'
    const improvement = t.improvement ?? 0
    if (t.criterion.role === 'goal') c.criterionMet = improvement > t.criterion.threshold
    else if (t.criterion.role === 'guardrail') c.criterionMet = -improvement < t.criterion.threshold
  })
  withWelch.forEach((t, i) => {
    t.comparison.pWelch = t.welch!
    t.comparison.pWelchAdjusted = welchAdjusted[i]!
  })

  const decisions = treatments.map(t => decide(t.name, tested.filter(x => x.comparison.treatment === t.name), alpha))
  const deployable = decisions.filter(d => d.recommendation === 'deploy')
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const winner = deployable[0]?.name ?? null
  const undecided = decisions.filter(d => d.recommendation === 'continue').map(d => d.name)
  const recommendation = winner
    ? `Deploy ${winner}${deployable.length > 1 ? ` (best of ${deployable.length} deployable treatments: ${deployable.map(d => d.name).join(', ')})` : ''}`
    : undecided.length > 0
      ? `Continue: ${undecided.join(', ')} not decided yet`
      : 'Keep control: no treatment met the runbook\'s criteria'

  const machines = (variant: string) => new Set(batches.filter(b => b.variant === variant).map(machineOf)).size
  const variants: VariantSummary[] = experiment.variants.map(v => ({
    name: v.name,
    role: v.role,
    overrides: v.overrides,
    batches: batches.filter(b => b.variant === v.name).length,
    machines: machines(v.name),
  }))
  if (batches.length > 0 && series.length === 0) warnings.push('the batches recorded no tracked metric')
  warnings.push(...environmentWarnings(experiment, batches))

  return {
    alpha,
    method: `mSPRT (mixture sequential probability ratio test, normal mixing prior; tau ${CRITERIA.latency.tau} latency, ${CRITERIA.hit_rate.tau} hit rate, ${CRITERIA.memory.tau} memory, on the log-ratio or difference scale): always-valid p-values and confidence intervals, Holm across ${tested.length} comparison${tested.length === 1 ? '' : 's'}, family-wise alpha ${alpha}`,
    comparisons: tested.length,
    variants,
    metrics,
    treatments: decisions,
    winner,
    recommendation,
    warnings,
  }
}

import { holm } from '../stats/holm.ts'
import { mannWhitneyU } from '../stats/mann-whitney.ts'
import type { BaselineEntry, BaselineFile, BaselineMetric } from '../baseline/types.generated.ts'
import type { BenchmarkReport, MetricReport } from '../report/types.generated.ts'
import { runResult, type RunResult } from '../report/outcome.ts'
import type { MetricSpec } from '../scenario/types.ts'
import { describeMove, machineDrift, type MachineDrift } from '../machine/drift.ts'
import { probesOf } from '../machine/probes.ts'
import { own } from '../util/own.ts'
import { straddled } from './auto-runs.ts'
import { decideDeterministic } from './deterministic.ts'
import { isDeterministicMetric } from '../measure/mode.ts'
import { compareMetricRuns, describeRuns } from './metric.ts'
import { comparePairedRuns } from './paired.ts'
import type { MeasuredBenchmark, MeasuredMetric, ResolvedDecision, Verdict } from '../scenario/measured.ts'
import { formatValue, percent, signedPercent } from '../util/format.ts'

/** What the comparison needs to know about the run. */
export interface BaselineComparisonOptions {
  decision: ResolvedDecision
  /** `update`: the baseline is being rewritten; only errors and broken bounds fail. */
  mode: 'compare' | 'update'
  /** Files (relative, POSIX) that ran; baseline entries of these files that did not report are `missing`. */
  filesRun: ReadonlySet<string>
  /** Decides whether a baseline entry was selected by this run's filters (tags, name pattern). */
  selected?: (entry: BaselineEntry) => boolean
  /**
   * Run i of the baseline and run i of the current side were measured next to each other
   * (`compare --against`'s alternating runs): decide on the per-pair ratios (`comparePairedRuns`)
   * where both sides have the same number of runs.
   */
  paired?: boolean
  /**
   * Both sides were measured in this job, next to each other (`compare --against`): the machine
   * cannot have moved between them, so time metrics get no drift allowance.
   */
  sameSession?: boolean
}

/** The outcome of comparing one run with the baseline: its benchmarks, counts, pass flag and outcome. */
export interface BaselineComparison extends RunResult {
  benchmarks: BenchmarkReport[]
}

/** Units of metrics that scale with the machine's speed (and so drift between sessions). */
const TIME_UNITS = new Set(['ns', 'us', 'µs', 'ms', 's'])

interface Pending {
  report: MetricReport
  p?: number
  decision: ResolvedDecision
  worse?: number
  halfWidth?: number
  /** Set on a time metric when the machine moved more than `maxDrift` since the baseline. */
  moved?: string
}

/** What a benchmark's comparison knows about the machine's move since its baseline. */
interface DriftContext {
  /** The log-scale allowance time metrics add to their noise. */
  allowance: number
  /** Measured from both sides' probes; absent when not measured or not applied. */
  measured?: MachineDrift
}

/**
 * The drift allowance of one benchmark's time metrics against a baseline recorded in another
 * session: `sessionDrift` (how far a benchmark's speed moves between sessions in ways no machine
 * probe sees: its own sensitivity to caches, memory bandwidth and neighbours) combined with the
 * machine probes' move beyond their noise, when both sides have probes. None when both sides were
 * measured together (`compare --against`).
 */
function driftContext(bench: MeasuredBenchmark, entry: BaselineEntry | undefined, decision: ResolvedDecision, sameSession: boolean): DriftContext {
  if (sameSession || !entry) return { allowance: 0 }
  const session = Math.log1p(decision.sessionDrift ?? 0)
  const measured = decision.driftFrom === 'assumed' ? undefined : machineDrift(entry.probes ?? [], probesOf(bench.machine))
  if (measured) return { allowance: Math.hypot(session, measured.move), measured }
  return { allowance: session }
}

function decisionFor(bench: MeasuredBenchmark | undefined, spec: MetricSpec | BaselineMetric, base: ResolvedDecision): ResolvedDecision {
  const d = bench?.decision
  return {
    ...base,
    alpha: d?.alpha ?? base.alpha,
    failOn: d?.failOn ?? base.failOn,
    thresholds: { ...base.thresholds, ...d?.thresholds, ...spec.thresholds },
  }
}

function checkBounds(spec: MetricSpec, currentMedian: number): MetricReport['bounds'] | undefined {
  if (spec.min === undefined && spec.max === undefined) return undefined
  const violated = (spec.min !== undefined && currentMedian < spec.min) || (spec.max !== undefined && currentMedian > spec.max)
  const bounds: NonNullable<MetricReport['bounds']> = { violated }
  if (spec.min !== undefined) bounds.min = spec.min
  if (spec.max !== undefined) bounds.max = spec.max
  return bounds
}

function boundsMessage(bounds: NonNullable<MetricReport['bounds']>, value: number, unit: string): string {
  const limits = [bounds.min !== undefined ? `>= ${bounds.min}` : '', bounds.max !== undefined ? `<= ${bounds.max}` : ''].filter(Boolean).join(' and ')
  return `median ${formatValue(value)}${unit ? ` ${unit}` : ''} breaks the bound ${limits}`
}

function metricPending(bench: MeasuredBenchmark, name: string, measured: MeasuredMetric, entry: BaselineEntry | undefined, base: ResolvedDecision, seed: number, paired: boolean, drift: DriftContext): Pending {
  const spec = measured.spec
  const decision = decisionFor(bench, spec, base)
  const current = describeRuns(measured.runs)
  const report: MetricReport = {
    metric: name,
    direction: spec.direction,
    unit: spec.unit,
    verdict: 'ok',
    failed: false,
    message: '',
    current,
    thresholds: decision.thresholds,
  }
  const bounds = checkBounds(spec, current.summary.median)
  if (bounds) report.bounds = bounds

  const baselineMetric = own(entry?.metrics, name)
  if (!entry || !baselineMetric) {
    report.verdict = 'new'
    report.message = entry ? 'new metric: no baseline yet (run with -u to record one)' : 'new benchmark: no baseline yet (run with -u to record one)'
    return { report, decision }
  }
  report.baseline = describeRuns(baselineMetric.runs)
  const stale = entry.configHash !== bench.configHash
  // instruction counts: decided on their measured noise floor (src/compare/deterministic.ts)
  if (isDeterministicMetric(spec)) return decideDeterministic(report, decision, baselineMetric, measured.runs, stale)
  const pending: Pending = { report, decision }

  const baseValues = baselineMetric.runs.flat()
  const curValues = measured.runs.flat()
  const positive = baseValues.every(v => v > 0) && curValues.every(v => v > 0)
  const baseMedian = report.baseline.summary.median
  const curMedian = current.summary.median
  const timeLike = TIME_UNITS.has(spec.unit)
  if (positive) {
    const allowance = timeLike ? drift.allowance : 0
    const stats = paired && baselineMetric.runs.length === measured.runs.length && measured.runs.length >= 2
      ? comparePairedRuns(baselineMetric.runs, measured.runs, decision)
      : compareMetricRuns(baselineMetric.runs, measured.runs, decision, seed, { drift: allowance })
    report.change = stats.change
    report.pValue = stats.p
    report.pMannWhitney = stats.pMannWhitney
    report.noise = { runToRunCv: stats.runToRunCv, df: stats.df }
    if (allowance > 0) report.noise.drift = Math.expm1(allowance)
    report.detectable = stats.detectable
    pending.p = stats.p
    pending.halfWidth = (stats.change.upper - stats.change.lower) / 2
  }
  else if (baseMedian !== 0) {
    // Zeros (a hit rate of 0, say) have no log ratio: judge the linear change by the rank test alone.
    const estimate = curMedian / baseMedian - 1
    const p = baseValues.length > 1 && curValues.length > 1 ? mannWhitneyU(baseValues, curValues, { alternative: 'two-sided' }).p : 1
    report.change = { estimate, lower: estimate, upper: estimate }
    report.pValue = p
    report.pMannWhitney = p
    pending.p = p
    pending.halfWidth = 0
  }
  if (timeLike && drift.measured && drift.measured.move > Math.log1p(decision.maxDrift ?? Number.POSITIVE_INFINITY)) {
    const { kind, ratios } = drift.measured
    pending.moved = `this machine is ${describeMove(ratios[kind])} (${kind} probe) than when the baseline was recorded`
  }
  if (report.change) pending.worse = spec.direction === 'lower' ? report.change.estimate : -report.change.estimate
  if (stale) {
    report.verdict = 'stale'
    report.message = 'baseline is stale: the scenario\'s config (params, rounds or metrics) changed; run with -u to refresh it'
    delete pending.p
  }
  else if (pending.p === undefined) {
    report.message = curMedian === baseMedian ? 'unchanged (baseline median is 0)' : 'baseline median is 0: relative change undefined'
  }
  return pending
}

function judge(pending: Pending, pAdjusted: number | undefined, mode: 'compare' | 'update'): void {
  const { report, decision } = pending
  const { warning, critical } = decision.thresholds
  if (pAdjusted !== undefined && report.verdict === 'ok') {
    report.pAdjusted = pAdjusted
    const significant = pAdjusted < decision.alpha
    const worse = pending.worse ?? 0
    const change = report.change!
    const detail = `${signedPercent(change.estimate)} (95 % CI ${signedPercent(change.lower)} .. ${signedPercent(change.upper)}, p = ${pAdjusted.toPrecision(2)})`
    let verdict: Verdict = 'ok'
    let message = `${detail}: within noise`
    if (significant && worse > critical) {
      verdict = 'critical'
      message = `${detail}: worse by more than ${percent(critical, { digits: 0 })}`
    }
    else if (significant && worse > warning) {
      verdict = 'warning'
      message = `${detail}: worse by more than ${percent(warning, { digits: 0 })}`
    }
    else if (significant && -worse > warning) {
      verdict = 'improved'
      message = `${detail}: better by more than ${percent(warning, { digits: 0 })}; if the speed-up is expected, record it with -u`
    }
    else if (!significant && (pending.halfWidth ?? 0) > warning) {
      verdict = 'unstable'
      message = `${detail}: too noisy to decide (interval wider than ±${percent(warning, { digits: 0 })})${report.detectable !== undefined ? `; could detect changes of ${percent(report.detectable, { digits: 0 })} or more` : ''}`
    }
    else if (significant) {
      message = `${detail}: significant but below the ${percent(warning, { digits: 0 })} warning threshold`
    }
    if (pending.moved && verdict !== 'ok') {
      // Past maxDrift the machine, not the code, may explain any change: say so, never fail on it.
      verdict = 'unstable'
      message = `${detail}: ${pending.moved}: wall-time verdicts against this baseline are unreliable; re-measure the baseline's commit here (benchgate compare --against baseline) or refresh the baseline`
    }
    report.verdict = verdict
    report.message = message
  }
  if (report.bounds?.violated && report.current) {
    report.verdict = 'critical'
    report.message = boundsMessage(report.bounds, report.current.summary.median, report.unit)
    report.failed = true
    return
  }
  if (mode === 'update') {
    if (report.verdict === 'new') report.message = 'recorded: new entry in the baseline'
    else if (report.verdict === 'stale') report.message = 'refreshed: the scenario\'s config changed since the old entry'
    return
  }
  report.failed = decision.failOn === 'critical'
    ? report.verdict === 'critical'
    : decision.failOn === 'warning' ? report.verdict === 'critical' || report.verdict === 'warning' : false
}

/**
 * Says, on the auto-sampled metric of a `rounds: 'auto'` scenario, how many rounds the decision
 * took, or that it is undecided: runs ran out of budget and the final interval still straddles a
 * threshold. The verdict stays the gate's on the data measured.
 */
function describeAutoRounds(bench: BenchmarkReport): void {
  const auto = bench.autoRounds
  const metric = auto && bench.metrics.find(m => m.metric === auto.metric)
  if (!auto || !metric) return
  const lo = Math.min(...auto.perRun)
  const hi = Math.max(...auto.perRun)
  const rounds = lo === hi ? `${lo}` : `${lo}-${hi}`
  const runs = auto.perRun.length
  const point = straddled(metric)
  if (point !== undefined && auto.decidedRuns < runs) {
    const at = signedPercent(point, { digits: 0 })
    metric.message = `undecided: ${runs - auto.decidedRuns} of ${runs} runs used their ${(auto.budgetMs / 1000).toPrecision(2)} s budget (${rounds} rounds) and the interval still straddles ${at}${metric.message ? `; ${metric.message}` : ''}`
  }
  else {
    const suffix = `auto rounds: ${rounds} per run, ${auto.decidedRuns} of ${runs} runs decided within budget`
    metric.message = metric.message ? `${metric.message} (${suffix})` : suffix
  }
}

/**
 * Decides the tested comparisons of a benchmark again with new Holm-adjusted p-values (by metric
 * name): `benchgate merge` joins shards, and Holm's correction runs across every comparison of every
 * shard. Each comparison's change, interval and raw p-value are the shard's; only the adjusted
 * p-value, and what follows from it (verdict, message, failed), change, by the same rules as a run.
 * `decision`: the alpha and failOn the benchmark was decided with (its thresholds are each metric's).
 */
export function rejudgeBenchmark(bench: BenchmarkReport, adjusted: ReadonlyMap<string, number>, decision: Pick<ResolvedDecision, 'alpha' | 'failOn'>, mode: 'compare' | 'update'): void {
  let autoMetricJudged = false
  for (const report of bench.metrics) {
    const pAdjusted = adjusted.get(report.metric)
    if (pAdjusted === undefined || report.pValue === undefined || !report.change) continue
    if (report.metric === bench.autoRounds?.metric) autoMetricJudged = true
    report.verdict = 'ok'
    report.failed = false
    const { estimate, lower, upper } = report.change
    judge({
      report,
      p: report.pValue,
      decision: { alpha: decision.alpha, failOn: decision.failOn, thresholds: report.thresholds } as ResolvedDecision,
      worse: report.direction === 'lower' ? estimate : -estimate,
      halfWidth: (upper - lower) / 2,
    }, pAdjusted, mode)
  }
  // the auto-rounds note is part of the auto-sampled metric's message, which judge() wrote afresh
  if (autoMetricJudged) describeAutoRounds(bench)
}

function machineReport(bench: MeasuredBenchmark, entry: BaselineEntry | undefined, drift: DriftContext): BenchmarkReport['machine'] | undefined {
  const runs = bench.machine ?? []
  const current = probesOf(runs)
  const baseline = (entry?.probes ?? []).map(p => ({ ...p }))
  if (runs.length === 0 && baseline.length === 0) return undefined
  const out: NonNullable<BenchmarkReport['machine']> = {}
  if (baseline.length) out.baseline = baseline
  if (current.length) out.current = current
  if (runs.length) out.cpus = runs.map(m => m.cpu ?? null)
  if (drift.measured) {
    out.drift = { ...drift.measured.ratios }
    out.move = { kind: drift.measured.kind, beyondNoise: Math.expm1(drift.measured.move) }
  }
  return out
}

function benchmarkShell(bench: MeasuredBenchmark, entry: BaselineEntry | undefined): BenchmarkReport {
  const report: BenchmarkReport = {
    key: bench.key,
    file: bench.file,
    name: bench.name,
    kind: bench.kind,
    tags: bench.tags,
    configHash: bench.configHash,
    metrics: [],
  }
  if (bench.description) report.description = bench.description
  if (bench.location) report.location = bench.location
  if (bench.autoRounds && bench.autoRounds.runs.length > 0) {
    const { metric, budgetMs, runs } = bench.autoRounds
    report.autoRounds = { metric, perRun: runs.map(r => r.rounds), decidedRuns: runs.filter(r => r.decided).length, budgetMs }
  }
  if (entry) {
    report.baselineConfigHash = entry.configHash
    report.baselineEnvironment = entry.environment
  }
  return report
}

/**
 * Compares every measured benchmark with its baseline entry and decides a verdict per metric,
 * with Holm's correction across all comparisons of the run. Pure: no I/O.
 */
export function compareWithBaseline(measured: readonly MeasuredBenchmark[], baseline: BaselineFile | undefined, options: BaselineComparisonOptions): BaselineComparison {
  const pendings: Pending[] = []
  const benchmarks: BenchmarkReport[] = []
  const seen = new Set<string>()
  let seed = 1
  for (const bench of [...measured].sort((a, b) => a.key.localeCompare(b.key))) {
    seen.add(bench.key)
    const entry = baseline?.entries[bench.key]
    const report = benchmarkShell(bench, entry)
    const drift = driftContext(bench, entry, options.decision, options.sameSession ?? false)
    const machine = machineReport(bench, entry, drift)
    if (machine) report.machine = machine
    benchmarks.push(report)
    if (bench.error) {
      report.error = bench.error.stack ? { message: bench.error.message, stack: bench.error.stack } : { message: bench.error.message }
      const timeName = Object.keys(bench.metrics)[0] ?? 'time'
      report.metrics.push({
        metric: timeName,
        direction: 'lower',
        unit: own(bench.metrics, timeName)?.spec.unit ?? 'ms',
        verdict: 'error',
        failed: true,
        message: `scenario threw: ${bench.error.message}`,
        thresholds: options.decision.thresholds,
      })
      continue
    }
    for (const [name, metric] of Object.entries(bench.metrics)) {
      const pending = metricPending(bench, name, metric, entry, options.decision, seed++, options.paired ?? false, drift)
      pendings.push(pending)
      report.metrics.push(pending.report)
    }
    if (entry) {
      for (const [name, metric] of Object.entries(entry.metrics)) {
        if (own(bench.metrics, name)) continue
        report.metrics.push({
          metric: name,
          direction: metric.direction,
          unit: metric.unit,
          verdict: 'missing',
          failed: false,
          message: 'metric is in the baseline but was not reported by this run',
          baseline: describeRuns(metric.runs),
          thresholds: decisionFor(bench, metric, options.decision).thresholds,
        })
      }
    }
  }

  for (const entry of Object.values(baseline?.entries ?? {})) {
    if (seen.has(entry.key) || !options.filesRun.has(entry.file)) continue
    if (options.selected && !options.selected(entry)) continue
    const report: BenchmarkReport = {
      key: entry.key,
      file: entry.file,
      name: entry.name,
      kind: entry.kind,
      tags: entry.tags,
      configHash: entry.configHash,
      baselineConfigHash: entry.configHash,
      metrics: Object.entries(entry.metrics).map(([name, metric]) => ({
        metric: name,
        direction: metric.direction,
        unit: metric.unit,
        verdict: 'missing' as const,
        failed: false,
        message: 'benchmark is in the baseline but no longer exists; run with -u to drop it',
        baseline: describeRuns(metric.runs),
        thresholds: options.decision.thresholds,
      })),
    }
    benchmarks.push(report)
  }

  const tested = pendings.filter(p => p.p !== undefined)
  const adjusted = holm(tested.map(p => p.p!))
  const adjustedOf = new Map(tested.map((p, i) => [p, adjusted[i]]))
  for (const pending of pendings) judge(pending, adjustedOf.get(pending), options.mode)
  for (const bench of benchmarks) describeAutoRounds(bench)

  return { benchmarks, ...runResult(benchmarks, options.mode) }
}

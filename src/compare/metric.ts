import { bootstrapSeLogMedian } from '../stats/bootstrap.ts'
import { studentTCdf, studentTQuantile } from '../stats/distributions.ts'
import { mannWhitneyU } from '../stats/mann-whitney.ts'
import { median, summarize } from '../stats/summary.ts'
import type { Interval, Sample } from '../report/types.generated.ts'
import type { ResolvedDecision } from '../scenario/measured.ts'

/** The statistics of one baseline-vs-current comparison, before multiple-testing correction. */
export interface MetricStatistics {
  /** Relative change of the pooled median, current vs baseline, with its 95 % interval. */
  change: Interval
  /** log(median current / median baseline). */
  logRatio: number
  /** Standard error of the log ratio: within-run (bootstrap) and run-to-run parts together. */
  se: number
  /** Degrees of freedom of the run-to-run noise estimate (prior weight included). */
  df: number
  /** Moderated run-to-run CV used as the noise floor. */
  runToRunCv: number
  /** Two-sided p-value of the run-to-run t-test on the log ratio. */
  pNoise: number
  /** Two-sided Mann-Whitney U p-value on the pooled rounds. */
  pMannWhitney: number
  /** The decision p-value: both tests must reject (intersection-union), so the larger one. */
  p: number
  /**
   * The smallest relative change this comparison would find significant 4 times in 5 (two-sided
   * test at 5 %, 80 % power) given the noise it saw: what it could have detected.
   */
  detectable: number
}

/** How a comparison accounts for the machine moving between its two sides. */
export interface DriftAllowance {
  /**
   * The machine's move between the sides as a log-scale standard deviation, added to the noise of
   * the log ratio: 0 when both sides were measured together (`compare --against`), else how far
   * the machine probes moved since the baseline (or an assumed drift for baselines without probes).
   */
  drift?: number
}

/** Builds the report's sample view (summary, run medians, raw rounds) of a set of runs. */
export function describeRuns(runs: readonly (readonly number[])[]): Sample {
  const pooled = runs.flat()
  return {
    summary: summarize(pooled),
    runMedians: runs.map(run => median(run)),
    runs: runs.map(run => [...run]),
  }
}

/**
 * A run whose median is more than this factor above its side's fastest run was slowed as a whole
 * by load on the machine, not by the code, which slows every run alike. The factor lies above the
 * spread of steady runs and below the slowdown of a whole process hit by a burst (the measurements
 * behind it: docs/detection.md, "Evidence behind constants").
 */
export const BURST_FACTOR = 1.3

/**
 * Keeps one side's fast cluster: the runs within {@link BURST_FACTOR} of its fastest run, when
 * there are at least two and they are steady. Where whole processes come out either fast or much
 * slower with identical code (a per-process effect of the machine), the fast cluster is what the
 * code costs; where every run varies widely, all runs are kept.
 */
export function withoutBurstRuns(runs: readonly (readonly number[])[]): (readonly number[])[] {
  const keep = fastRunIndices(runs.map(run => median(run)))
  return runs.filter((_, i) => keep.has(i))
}

/**
 * The rule of {@link withoutBurstRuns} on run medians: the indices of the fast cluster, or of
 * every run when there is none (fewer than three runs, fewer than two fast ones, or an unsteady
 * cluster). The paired decision applies it to each side of its pairs.
 */
export function fastRunIndices(medians: readonly number[]): Set<number> {
  const all = new Set(medians.map((_, i) => i))
  if (medians.length < 3) return all
  const fastest = Math.min(...medians)
  const kept = medians.flatMap((m, i) => (m <= fastest * BURST_FACTOR ? [i] : []))
  if (kept.length === medians.length || kept.length < 2) return all
  // Only a side that is otherwise steady has bursts to drop: where every run varies widely
  // (GC- or I/O-bound work), a slow run is ordinary spread and stays.
  const values = kept.map(i => medians[i]!)
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const spread = Math.sqrt(values.reduce((acc, v) => acc + (v - mean) ** 2, 0) / Math.max(1, values.length - 1)) / mean
  return spread <= STEADY_CV ? new Set(kept) : all
}

/** The CV of run medians below which a side counts as steady (see {@link withoutBurstRuns}). */
export const STEADY_CV = 0.05

/**
 * The measurement's resolution relative to its level, for quantized values: where most values
 * repeat (a timer that steps in 10 ns measuring a 90 ns call, integer counts), medians move in
 * whole steps and stay put under changes smaller than a step, while their spread says zero. The
 * step is the smallest gap between distinct values; 0 when values hardly repeat.
 */
export function relativeResolution(values: readonly number[]): number {
  if (values.length < 4) return 0
  const distinct = [...new Set(values)].sort((a, b) => a - b)
  if (distinct.length > values.length / 2 || distinct.length < 2) return 0
  let step = Number.POSITIVE_INFINITY
  for (let i = 1; i < distinct.length; i++) step = Math.min(step, distinct[i]! - distinct[i - 1]!)
  const med = median(values)
  return med > 0 ? step / med : 0
}

/** The mean of the log run medians: the log of their geometric mean. */
function meanLogMedian(runs: readonly (readonly number[])[]): number {
  return runs.reduce((acc, run) => acc + Math.log(median(run)), 0) / runs.length
}

/** Sum of squared deviations of the log run medians and its degrees of freedom. */
function logRunSpread(runs: readonly (readonly number[])[]): { ss: number, df: number } {
  const logs = runs.map(run => Math.log(median(run)))
  if (logs.length < 2) return { ss: 0, df: 0 }
  const m = logs.reduce((a, b) => a + b, 0) / logs.length
  return { ss: logs.reduce((acc, v) => acc + (v - m) ** 2, 0), df: logs.length - 1 }
}

/**
 * Compares one metric's current runs with its baseline runs.
 *
 * Rounds inside one process are not independent replicates of the code's speed (JIT, GC and heap
 * layout differ between processes), so the run is the unit: the change is the ratio of the
 * geometric means of the run medians, and two tests must agree before it counts:
 * - a Mann-Whitney U test on the pooled rounds (is there a shift at all?), and
 * - a t-test of that log ratio against the run-to-run noise: the spread of run medians seen in
 *   baseline and current runs, moderated by a prior (`noisePrior`) so that two or three runs
 *   cannot claim a noise level of zero.
 * The estimate and the noise are of the same thing, run medians. The median of the pooled rounds
 * is not: where identical code comes out fast in some processes and slow in others, it jumps from
 * one mode to the other when one more run lands in the slow mode, a jump the run-to-run spread
 * does not account for.
 * The interval combines the bootstrap standard error of each side's median with that run-to-run
 * noise. Runs slowed as a whole by a burst of load are left out first ({@link withoutBurstRuns}).
 * Requires positive values (times, sizes, rates > 0); the caller handles zeros.
 */
export function compareMetricRuns(
  allBaselineRuns: readonly (readonly number[])[],
  allCurrentRuns: readonly (readonly number[])[],
  decision: ResolvedDecision,
  seed = 1,
  options: DriftAllowance = {},
): MetricStatistics {
  const fastCluster = decision.fastCluster ?? false
  const baselineRuns = fastCluster ? withoutBurstRuns(allBaselineRuns) : allBaselineRuns.map(r => [...r])
  const currentRuns = fastCluster ? withoutBurstRuns(allCurrentRuns) : allCurrentRuns.map(r => [...r])
  const base = baselineRuns.flat()
  const cur = currentRuns.flat()
  const logRatio = meanLogMedian(currentRuns) - meanLogMedian(baselineRuns)

  const resamples = decision.resamples
  const seWithin2 = bootstrapSeLogMedian(base, { resamples, seed }) ** 2
    + bootstrapSeLogMedian(cur, { resamples, seed: seed + 1 }) ** 2

  const spreadBase = logRunSpread(baselineRuns)
  const spreadCur = logRunSpread(currentRuns)
  const prior = decision.noisePrior
  // log(1 + cv) ~ cv for small cv: the prior is given as a CV of run medians.
  const priorVar = Math.log1p(prior.cv) ** 2
  // The prior keeps two or three quiet runs from claiming no noise; it must not talk a noisy
  // benchmark's own spread down: the runs' pooled variance wins, with its own degrees of freedom,
  // when it is the larger.
  const observedDf = spreadBase.df + spreadCur.df
  const moderated = (prior.weight * priorVar + spreadBase.ss + spreadCur.ss) / (prior.weight + observedDf)
  const observed = observedDf > 0 ? (spreadBase.ss + spreadCur.ss) / observedDf : 0
  const between2 = Math.max(moderated, observed)
  const df = observed > moderated ? observedDf : prior.weight + observedDf
  const drift2 = (options.drift ?? 0) ** 2
  // Each side's median is known to about half a step of a quantized measurement: the difference of
  // two such errors spreads like a triangle of width two steps (variance step^2 / 6).
  const step = Math.max(relativeResolution(base), relativeResolution(cur))
  const resolution2 = Math.log1p(step) ** 2 / 6
  const se = Math.sqrt(seWithin2 + between2 * (1 / baselineRuns.length + 1 / currentRuns.length) + drift2 + resolution2)

  const t = se > 0 ? logRatio / se : (logRatio === 0 ? 0 : Number.POSITIVE_INFINITY)
  const pNoise = Number.isFinite(t) ? 2 * (1 - studentTCdf(Math.abs(t), df)) : 0
  const pMannWhitney = mannWhitneyU(base, cur, { alternative: 'two-sided' }).p
  const q = studentTQuantile(0.975, df)
  const power = studentTQuantile(0.8, df)
  return {
    change: {
      estimate: Math.expm1(logRatio),
      lower: Math.expm1(logRatio - q * se),
      upper: Math.expm1(logRatio + q * se),
    },
    logRatio,
    se,
    df,
    runToRunCv: Math.expm1(Math.sqrt(between2)),
    pNoise: Math.min(1, Math.max(0, pNoise)),
    pMannWhitney,
    p: Math.min(1, Math.max(pNoise, pMannWhitney)),
    detectable: Math.expm1((q + power) * se),
  }
}

/**
 * The paired decision of `compare --against`: base and head were measured in alternating runs
 * (base 1, head 1, base 2, head 2 ...), so run i of each side shared the machine's state of the
 * moment. The change is estimated from the per-pair log ratios of run medians, and their spread is
 * the noise: a slow period that spans a pair hits both of its runs and cancels, where the unpaired
 * decision counts it as noise of both sides.
 */
import { studentTCdf, studentTQuantile } from '../stats/distributions.ts'
import { mannWhitneyU } from '../stats/mann-whitney.ts'
import { median } from '../stats/summary.ts'
import { fastRunIndices, type MetricStatistics } from './metric.ts'
import type { ResolvedDecision } from '../scenario/measured.ts'

/** Fewer pairs than this left after dropping burst pairs: keep them all. */
const MIN_PAIRS = 3

/**
 * The pairs a decision uses: a pair where either run fell out of its side's fast cluster (a whole
 * process slowed by a burst of load, which no code change explains) is left out, unless fewer
 * than three pairs would remain.
 */
export function keptPairs(baseMedians: readonly number[], headMedians: readonly number[]): number[] {
  const base = fastRunIndices(baseMedians)
  const head = fastRunIndices(headMedians)
  const both = baseMedians.flatMap((_, i) => (base.has(i) && head.has(i) ? [i] : []))
  return both.length >= MIN_PAIRS ? both : baseMedians.map((_, i) => i)
}

/**
 * Compares head runs with base runs paired by index: a t-test of the mean per-pair log ratio of run
 * medians, its variance moderated by the gate's noise prior (a run-median CV of `noisePrior.cv` on
 * each side, worth `noisePrior.weight` pairs), and, as in the unpaired decision, a Mann-Whitney U
 * test on the pooled rounds that must agree. Requires equal run counts (>= 2) and positive values.
 */
export function comparePairedRuns(baseRuns: readonly (readonly number[])[], headRuns: readonly (readonly number[])[], decision: ResolvedDecision): MetricStatistics {
  if (baseRuns.length !== headRuns.length || baseRuns.length < 2) throw new RangeError(`comparePairedRuns: expected the same number (>= 2) of runs per side, received ${baseRuns.length} and ${headRuns.length}`)
  const baseMedians = baseRuns.map(run => median(run))
  const headMedians = headRuns.map(run => median(run))
  const pairs = keptPairs(baseMedians, headMedians)
  const d = pairs.map(i => Math.log(headMedians[i]! / baseMedians[i]!))
  const n = d.length
  const mean = d.reduce((a, b) => a + b, 0) / n
  const ss = d.reduce((acc, v) => acc + (v - mean) ** 2, 0)
  const prior = decision.noisePrior
  // a pair's log ratio carries the run-to-run noise of both of its runs
  const priorVar = 2 * Math.log1p(prior.cv) ** 2
  // The prior keeps a few quiet pairs from claiming no noise; it must not talk a noisy benchmark's
  // spread down (that made the test anti-conservative: 3 % false alarms on 20 %-CV benchmarks), so
  // the pairs' own variance wins, with its own degrees of freedom, when it is the larger.
  const moderated = (prior.weight * priorVar + ss) / (prior.weight + n - 1)
  const own = n > 1 ? ss / (n - 1) : 0
  const variance = Math.max(moderated, own)
  const df = own > moderated ? n - 1 : prior.weight + n - 1
  const se = Math.sqrt(variance / n)
  const t = se > 0 ? mean / se : (mean === 0 ? 0 : Number.POSITIVE_INFINITY)
  const pNoise = Number.isFinite(t) ? 2 * (1 - studentTCdf(Math.abs(t), df)) : 0
  const pMannWhitney = mannWhitneyU(pairs.flatMap(i => baseRuns[i]!), pairs.flatMap(i => headRuns[i]!), { alternative: 'two-sided' }).p
  const q = studentTQuantile(0.975, df)
  return {
    change: { estimate: Math.expm1(mean), lower: Math.expm1(mean - q * se), upper: Math.expm1(mean + q * se) },
    logRatio: mean,
    se,
    df,
    runToRunCv: Math.expm1(Math.sqrt(variance / 2)),
    pNoise: Math.min(1, Math.max(0, pNoise)),
    pMannWhitney,
    p: Math.min(1, Math.max(pNoise, pMannWhitney)),
    detectable: Math.expm1((q + studentTQuantile(0.8, df)) * se),
  }
}

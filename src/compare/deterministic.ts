/**
 * The decision for nearly deterministic metrics (instruction counts, unit `Ir`): repeated runs of
 * unchanged code agree to a few thousandths of a percent, so neither a rank test nor a t-test
 * against wall-time noise is the right tool. A change counts when it exceeds the metric's noise
 * floor, measured from repeated runs (the baseline's, stored in it, and this run's), by a margin;
 * its severity comes from the thresholds as for any metric.
 */
import type { BaselineMetric } from '../baseline/types.generated.ts'
import type { MetricReport } from '../report/types.generated.ts'
import { median } from '../stats/summary.ts'
import { alignedChange, noiseFloor, roundProfile } from '../stats/noise-floor.ts'
import { isDeterministicMetric } from '../measure/mode.ts'
import type { ResolvedDecision, Verdict } from '../scenario/measured.ts'
import { signedPercent, thresholdPercent } from '../util/format.ts'

/**
 * A change counts only beyond this many noise floors. The floor is the largest deviation seen in
 * a handful of runs, which a later run may exceed; three times it is a margin for that while a
 * 1 % change stays far above it (noise floors of deterministic counts are in the thousandths of a
 * percent: docs/instructions.md).
 */
export const NOISE_MARGIN = 3

/** The comparison of one deterministic metric, before thresholds. */
export interface DeterministicComparison {
  /** Median of the baseline's run medians, and of this run's. */
  baseline: number
  current: number
  /**
   * The relative change: with aligned rounds (same count on both sides), the median over round
   * positions of the ratio of the two sides' per-round medians across runs; otherwise the ratio of
   * the medians of run medians. Undefined when the baseline is 0.
   */
  change?: number
  /** The noise floor used: the larger of the baseline's (stored, else computed) and this run's. */
  floor: number
  /** Whether any floor was measured (some side had two runs or more). */
  floorMeasured: boolean
}

/** Compares current runs with a baseline metric on aligned rounds (or medians of run medians) and the measured noise floor. */
export function compareDeterministic(baseline: Pick<BaselineMetric, 'runs' | 'noiseFloor'>, currentRuns: readonly (readonly number[])[]): DeterministicComparison {
  const base = median(baseline.runs.map(run => median(run)))
  const cur = median(currentRuns.map(run => median(run)))
  const baseFloor = baseline.noiseFloor ?? noiseFloor(baseline.runs)
  const out: DeterministicComparison = {
    baseline: base,
    current: cur,
    floor: Math.max(baseFloor, noiseFloor(currentRuns)),
    floorMeasured: baseline.runs.length > 1 || currentRuns.length > 1,
  }
  const baseProfile = roundProfile(baseline.runs)
  const curProfile = roundProfile(currentRuns)
  const aligned = baseProfile && curProfile && baseProfile.length === curProfile.length ? alignedChange(curProfile, baseProfile) : undefined
  if (aligned !== undefined) out.change = aligned
  else if (base > 0) out.change = cur / base - 1
  return out
}

const floorPct = (x: number) => `±${Number((x * 100).toPrecision(2))} %`

/** The verdict of a deterministic comparison under `decision`'s thresholds (lower is better unless `direction` says otherwise). */
export function deterministicVerdict(comparison: DeterministicComparison, direction: 'lower' | 'higher', thresholds: { warning: number, critical: number }): { verdict: Verdict, message: string } {
  const { change, floor } = comparison
  if (change === undefined) {
    return { verdict: 'ok', message: comparison.current === comparison.baseline ? 'unchanged (baseline median is 0)' : 'baseline median is 0: relative change undefined' }
  }
  const margin = NOISE_MARGIN * floor
  const worse = direction === 'lower' ? change : -change
  const significant = Math.abs(change) > margin
  const floorText = comparison.floorMeasured ? `noise floor ${floorPct(floor)}` : 'noise floor unknown: one run on each side'
  const detail = `${signedPercent(change, { digits: 2 })} (${floorText})`
  const w = thresholds.warning
  const c = thresholds.critical
  if (significant && worse > c) return { verdict: 'critical', message: `${detail}: worse by more than ${thresholdPercent(c)}` }
  if (significant && worse > w) return { verdict: 'warning', message: `${detail}: worse by more than ${thresholdPercent(w)}` }
  if (significant && -worse > w) return { verdict: 'improved', message: `${detail}: better by more than ${thresholdPercent(w)}; run with -u to lock it in` }
  if (!significant && margin > w) return { verdict: 'unstable', message: `${detail}: too noisy to decide (${NOISE_MARGIN} x the noise floor exceeds the ${thresholdPercent(w)} warning threshold; the benchmark is not deterministic)` }
  if (significant) return { verdict: 'ok', message: `${detail}: beyond the noise floor but below the ${thresholdPercent(w)} warning threshold` }
  return { verdict: 'ok', message: `${detail}: within ${NOISE_MARGIN} x the noise floor` }
}

/**
 * The hook of `compareWithBaseline` (src/compare/verdicts.ts) for a deterministic metric with a baseline: fills
 * `report`'s change (interval: the estimate -+ the margin), noise floor, verdict and message.
 * There is no p-value, so Holm's correction leaves it alone; bounds, update mode and `failOn` are
 * applied afterwards as for every metric. A stale baseline is compared, then marked stale.
 */
export function decideDeterministic(report: MetricReport, decision: ResolvedDecision, baseline: BaselineMetric, currentRuns: readonly (readonly number[])[], stale: boolean): { report: MetricReport, decision: ResolvedDecision } {
  const comparison = compareDeterministic(baseline, currentRuns)
  report.noiseFloor = comparison.floor
  if (comparison.change !== undefined) {
    const margin = NOISE_MARGIN * comparison.floor
    report.change = { estimate: comparison.change, lower: comparison.change - margin, upper: comparison.change + margin }
  }
  const { verdict, message } = deterministicVerdict(comparison, report.direction, decision.thresholds)
  report.verdict = stale ? 'stale' : verdict
  report.message = stale ? 'baseline is stale: the scenario\'s config (params, rounds or metrics) changed; run with -u to refresh it' : message
  return { report, decision }
}

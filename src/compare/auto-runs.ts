/**
 * Auto-sampling of runs (`compare --against --runs auto`: how many independent runs per side; the
 * rounds inside one run are auto-rounds.ts). Its stopping rule (as Tachometer's auto-sample
 * conditions): a comparison is decided once the 95 % interval of its change lies entirely on one
 * side of every threshold that could change its verdict: the improvement threshold (-warning), the
 * warning and the critical threshold, all in the metric's "worse" direction. A true change sitting right on a threshold never decides;
 * the budget ends that, and the comparison is reported as undecided.
 */
import type { MetricReport } from '../report/types.generated.ts'

/** The change as "worse by" (positive = a regression), whichever way the metric is better. */
export function worseInterval(change: NonNullable<MetricReport['change']>, direction: MetricReport['direction']): { lower: number, upper: number } {
  return direction === 'lower'
    ? { lower: change.lower, upper: change.upper }
    : { lower: -change.upper, upper: -change.lower }
}

/** The thresholds (in "worse by" terms) that the interval must not straddle: -warning, warning, critical. */
export function decisionPoints(thresholds: MetricReport['thresholds']): number[] {
  return [-thresholds.warning, thresholds.warning, thresholds.critical]
}

/**
 * The threshold the metric's interval still straddles, or `undefined` when the comparison is
 * decided. Metrics without an interval (new, stale, missing, errors, zero baselines) count as decided:
 * more runs cannot change them.
 */
export function straddled(metric: Pick<MetricReport, 'change' | 'direction' | 'thresholds' | 'verdict'>): number | undefined {
  if (!metric.change || metric.verdict === 'stale' || metric.verdict === 'new' || metric.verdict === 'missing' || metric.verdict === 'error') return undefined
  const { lower, upper } = worseInterval(metric.change, metric.direction)
  return decisionPoints(metric.thresholds).find(p => lower < p && p < upper)
}

/** Progress of auto-sampling for one metric. */
export interface AutoState {
  /** Runs per side after which the interval first cleared every threshold (undefined: not yet). */
  decidedAt?: number
  /** The threshold still straddled at the last check (undefined: decided). */
  straddles?: number
}

/**
 * Updates the per-metric progress after `runs` runs per side. Returns true when every metric is
 * decided now (each one's interval clears every threshold at this point).
 */
export function updateAuto(states: Map<string, AutoState>, metrics: ReadonlyMap<string, Pick<MetricReport, 'change' | 'direction' | 'thresholds' | 'verdict'>>, runs: number): boolean {
  let all = true
  for (const [id, metric] of metrics) {
    const state = states.get(id) ?? {}
    const point = straddled(metric)
    if (point === undefined) {
      delete state.straddles
      state.decidedAt ??= runs
    }
    else {
      state.straddles = point
      delete state.decidedAt
      all = false
    }
    states.set(id, state)
  }
  return all
}

/**
 * Auto-sampling of rounds inside one run (`rounds: 'auto'`): the run keeps adding rounds until the
 * 95 % interval of its change against the baseline lies entirely on one side of every threshold
 * that could change its verdict (-warning, warning, critical), or its time budget ends.
 *
 * Rounds can only sharpen what one process measures: the interval here is this run's median
 * against the baseline's median with the within-run uncertainty of both (order-statistic
 * intervals of the medians), not the
 * run-to-run noise, which only more runs reduce and which the gate's decision over all runs adds
 * afterwards. Without a baseline (a new scenario, or `-u`) the run stops once its median is known
 * to within a quarter of the warning threshold, the precision a later comparison needs.
 */
import { decisionPoints } from './auto-runs.ts'
import type { AutoRoundsOutcome } from '../scenario/measured.ts'

/** `autoRounds` defaults: rounds before the first check, the cap, and the per-run time budget. */
export const AUTO_ROUNDS_DEFAULTS = { minRounds: 5, maxRounds: 1000, budgetMs: 10_000 } as const

/**
 * z of the interval each check uses: 99 %, not 95 %, because a run looks many times (every ~10 %
 * more rounds) and every look is a chance to stop on a lucky interval.
 */
const Z_CHECK = 2.5758293035489004

/**
 * The distribution-free interval of a median: order statistics at the binomial ranks
 * n/2 -+ z*sqrt(n)/2 (normal approximation). Honest for small samples, where a bootstrap of
 * the median is too narrow; for n = 5 it is the whole range.
 */
export function medianInterval(values: readonly number[], z = Z_CHECK): { lower: number, median: number, upper: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  const half = (z * Math.sqrt(n)) / 2
  const lo = Math.max(0, Math.floor(n / 2 - half) - 1)
  const hi = Math.min(n - 1, Math.ceil(n / 2 + half))
  const mid = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  return { lower: sorted[lo]!, median: mid, upper: sorted[hi]! }
}

/** What the rule needs; the thresholds are the scenario's resolved ones. */
export interface AutoRoundsOptions {
  thresholds: { warning: number, critical: number }
  /** The baseline's per-round values of this metric (all runs pooled); none: precision rule. */
  reference?: readonly number[]
  minRounds?: number
  maxRounds?: number
  budgetMs?: number
}

/**
 * The stopping rule for one run. `check(values, elapsedMs)` is called after each measured round
 * with the values so far and the time spent in rounds; it returns the outcome once the run should
 * stop, else `undefined`. Checks are spaced geometrically (every ~10 % more rounds) so that
 * sorting stays cheap next to the rounds.
 */
export function autoRoundsRule(options: AutoRoundsOptions): { check: (values: readonly number[], elapsedMs: number) => AutoRoundsOutcome | undefined } {
  const minRounds = options.minRounds ?? AUTO_ROUNDS_DEFAULTS.minRounds
  const maxRounds = Math.max(minRounds, options.maxRounds ?? AUTO_ROUNDS_DEFAULTS.maxRounds)
  const budgetMs = options.budgetMs ?? AUTO_ROUNDS_DEFAULTS.budgetMs
  const reference = options.reference && options.reference.length > 0 ? medianInterval(options.reference) : undefined
  const points = decisionPoints({ ...options.thresholds })
  let nextCheck = minRounds

  const decided = (values: readonly number[]): boolean => {
    if (values.some(v => !(v > 0))) return false
    const current = medianInterval(values)
    if (!reference) return Math.log(current.upper / current.lower) / 2 <= Math.log1p(options.thresholds.warning / 4)
    // the change's interval: both medians' intervals combined at their extremes (conservative)
    const lower = current.lower / reference.upper - 1
    const upper = current.upper / reference.lower - 1
    return !points.some(p => lower < p && p < upper)
  }

  return {
    check(values, elapsedMs) {
      const n = values.length
      if (n >= nextCheck) {
        nextCheck = Math.max(n + 1, Math.ceil(n * 1.1))
        if (decided(values)) return { rounds: n, decided: true, stop: 'decided' }
      }
      if (n >= maxRounds) return { rounds: n, decided: false, stop: 'max-rounds' }
      if (elapsedMs >= budgetMs) return { rounds: n, decided: false, stop: 'budget' }
      return undefined
    },
  }
}

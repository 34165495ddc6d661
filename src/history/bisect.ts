/**
 * The verdict `benchgate bisect` gives `git bisect run` for one commit, from the verdicts of the gate
 * run at that commit: 0 good, 1 bad (a critical regression), 125 skip (nothing could be judged).
 */

import type { StoredResult } from './db.ts'
import { signedPercent } from '../util/format.ts'

/** Exit codes `git bisect run` understands. */
export const BISECT_GOOD = 0
/** A critical regression: the commit is bad. */
export const BISECT_BAD = 1
/** The commit cannot be judged (build or run failed, no baseline to compare with): git skips it. */
export const BISECT_SKIP = 125

/** The exit code for git and one line saying why. */
export interface BisectOutcome {
  code: typeof BISECT_GOOD | typeof BISECT_BAD | typeof BISECT_SKIP
  reason: string
}

/** Verdicts that compared a measurement with a baseline. */
const COMPARED = new Set(['ok', 'improved', 'warning', 'critical'])

const describe = (r: StoredResult) => `${r.key} ${r.metric}${r.change !== null ? ` ${signedPercent(r.change)}` : ''}`

/**
 * Judges one gate run. With `metric`, only that metric counts. Bad when any counted result is
 * critical; skip when a counted benchmark errored (without a critical one) or nothing counted was
 * compared with a baseline (new, stale, unstable, missing); good otherwise.
 */
export function bisectOutcome(results: readonly StoredResult[], metric?: string): BisectOutcome {
  const counted = metric === undefined ? results : results.filter(r => r.metric === metric)
  if (counted.length === 0) {
    return { code: BISECT_SKIP, reason: metric === undefined ? 'no benchmark ran' : `no benchmark measured the metric "${metric}"` }
  }
  const critical = counted.filter(r => r.verdict === 'critical')
  if (critical.length) return { code: BISECT_BAD, reason: `critical regression: ${critical.map(describe).join('; ')}` }
  const errors = counted.filter(r => r.verdict === 'error')
  if (errors.length) return { code: BISECT_SKIP, reason: `benchmark failed to run: ${errors.map(r => r.key).join('; ')}` }
  const compared = counted.filter(r => COMPARED.has(r.verdict))
  if (compared.length === 0) {
    const verdicts = [...new Set(counted.map(r => r.verdict))].join(', ')
    return { code: BISECT_SKIP, reason: `nothing compared with a baseline (verdicts: ${verdicts})` }
  }
  return { code: BISECT_GOOD, reason: `no critical regression in ${compared.length} comparison${compared.length === 1 ? '' : 's'}` }
}

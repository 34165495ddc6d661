/**
 * Holm's step-down correction for multiple comparisons.
 */

import { show } from './validate.ts'

/**
 * Holm-adjusted p-values, in input order, matching statsmodels `multipletests(p, method='holm')[1]`:
 * sort ascending, multiply the k-th smallest (0-based) by m - k, take the running maximum, cap at 1.
 * The result is monotone along the sorted order and never below the input. Ties get equal values.
 * An empty input gives []. O(m log m).
 */
export function holm(pvalues: readonly number[]): number[] {
  if (!Array.isArray(pvalues)) throw new TypeError(`holm: pvalues must be an array of numbers, received ${show(pvalues)}`)
  const m = pvalues.length
  for (let i = 0; i < m; i++) {
    const p: unknown = pvalues[i]
    if (typeof p !== 'number') throw new TypeError(`holm: pvalues[${i}] must be a number, received ${show(p)}`)
    if (!(p >= 0 && p <= 1)) throw new RangeError(`holm: pvalues[${i}] must be in [0, 1], received ${p}`)
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => pvalues[i]! - pvalues[j]!)
  const adjusted = new Array<number>(m)
  let running = 0
  for (let k = 0; k < m; k++) {
    const i = order[k]!
    running = Math.max(running, (m - k) * pvalues[i]!)
    adjusted[i] = Math.min(1, running)
  }
  return adjusted
}

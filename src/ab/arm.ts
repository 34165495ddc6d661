/**
 * One arm (variant) of a comparison: the mean of its values on the test scale and the variance of
 * that mean, allowing for batches.
 *
 * Rounds of one batch share a process (JIT state, heap layout, a busy neighbour), so they are not
 * independent: the plain s²/N understates the variance of the mean when batches differ. The
 * cluster-robust (CR1 sandwich) estimate with batches as clusters does not, but is noisy with few
 * batches; the larger of the two is used, with batches - 1 degrees of freedom either way.
 */

/** The mean of an arm on the test scale and its variance. */
export interface ArmMoments {
  /** Values. */
  n: number
  /** Batches (clusters) with at least one value. */
  batches: number
  /** Mean of the transformed values. */
  mean: number
  /** max(s²/N, cluster-robust variance) of `mean`; NaN when n < 2. */
  varianceOfMean: number
  /** Degrees of freedom of `varianceOfMean`: batches - 1 (n - 1 for a single batch). */
  df: number
}

/**
 * Moments of the transformed values of an arm whose values come in `batches` (one array per
 * batch). O(total values).
 */
export function armMoments(batches: readonly (readonly number[])[], transform: (x: number) => number = x => x): ArmMoments {
  const groups = batches.filter(b => b.length > 0).map(b => b.map(transform))
  let n = 0
  let sum = 0
  for (const g of groups) for (const y of g) {
    n++
    sum += y
  }
  const mean = n > 0 ? sum / n : Number.NaN
  if (n < 2) return { n, batches: groups.length, mean, varianceOfMean: Number.NaN, df: 0 }
  let ss = 0
  let clusterSs = 0
  for (const g of groups) {
    let residual = 0
    for (const y of g) {
      ss += (y - mean) ** 2
      residual += y - mean
    }
    clusterSs += residual ** 2
  }
  const naive = ss / (n - 1) / n
  const b = groups.length
  const cluster = b >= 2 ? (b / (b - 1)) * clusterSs / (n * n) : 0
  // However small the spread between batches looks, it is known only to batches - 1 degrees of freedom.
  return { n, batches: b, mean, varianceOfMean: Math.max(naive, cluster), df: b >= 2 ? b - 1 : n - 1 }
}

/**
 * The values of an arm's batches in one array, in batch order: what `batches.flat()` returns, at a
 * fraction of its cost (V8's generic `flat` is about 20x slower), since an analysis joins every arm
 * at every look.
 */
export function armValues(batches: readonly (readonly number[])[]): number[] {
  let n = 0
  for (const batch of batches) n += batch.length
  const values = new Array<number>(n)
  let i = 0
  for (const batch of batches) for (const value of batch) values[i++] = value
  return values
}

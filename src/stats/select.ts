/**
 * Selection on scratch typed arrays (private to src/stats). The callers own the buffer and accept
 * that its first `n` entries are reordered.
 */

/**
 * Reorders `a[0..n)` so that `a[k]` is the k-th smallest (0-based) and everything before it is `<=`;
 * returns `a[k]`. Quickselect with a median-of-three pivot (Numerical Recipes' `select`): expected
 * O(n), no allocation. Requires 0 <= k < n <= a.length and no NaN.
 */
export function selectInPlace(a: Float64Array, n: number, k: number): number {
  let l = 0
  let ir = n - 1
  for (;;) {
    if (ir <= l + 1) {
      if (ir === l + 1 && a[ir]! < a[l]!) swap(a, l, ir)
      return a[k]!
    }
    const mid = (l + ir) >>> 1
    swap(a, mid, l + 1)
    if (a[l]! > a[ir]!) swap(a, l, ir)
    if (a[l + 1]! > a[ir]!) swap(a, l + 1, ir)
    if (a[l]! > a[l + 1]!) swap(a, l, l + 1)
    let i = l + 1
    let j = ir
    const pivot = a[l + 1]!
    for (;;) {
      do i++; while (a[i]! < pivot)
      do j--; while (a[j]! > pivot)
      if (j < i) break
      swap(a, i, j)
    }
    a[l + 1] = a[j]!
    a[j] = pivot
    if (j >= k) ir = j - 1
    if (j <= k) l = i
  }
}

/** Median of `a[0..n)` (mean of the two middle values when n is even), reordering it. Expected O(n); n >= 1. */
export function medianInPlace(a: Float64Array, n: number): number {
  const half = n >>> 1
  const upper = selectInPlace(a, n, half)
  if (n % 2 === 1) return upper
  let lower = a[0]!
  for (let i = 1; i < half; i++) if (a[i]! > lower) lower = a[i]!
  return (lower + upper) / 2
}

/**
 * Type-7 quantile (numpy's default 'linear') of an ascending array: h = (n - 1) p, interpolating
 * between the neighbours of h. No checks: 0 <= p <= 1 and n >= 1 are the caller's job.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const a = sorted[lo]!
  if (lo >= n - 1) return sorted[n - 1]!
  const b = sorted[lo + 1]!
  const t = h - lo
  if (t === 0) return a
  // numpy's _lerp: the form anchored at the nearer end keeps results monotone in p.
  return t < 0.5 ? a + (b - a) * t : b - (b - a) * (1 - t)
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}

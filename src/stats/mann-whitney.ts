/**
 * The Mann-Whitney U rank test, with scipy 1.10's `scipy.stats.mannwhitneyu` semantics.
 */

import { parseAlternative, type Alternative } from './alternative.ts'
import { normalCdf } from './distributions.ts'
import { assertSample, oneOf, show } from './validate.ts'

/** How the p-value is computed: the exact null distribution, the normal approximation, or scipy's choice. */
export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic'

/** Options of {@link mannWhitneyU}; every field defaults as in scipy. */
export interface MannWhitneyOptions {
  /** 'less': x tends to be smaller than y; 'greater': larger; default 'two-sided'. */
  alternative?: Alternative
  /** Default 'auto': exact when min(n1, n2) <= 8 and there are no ties, else asymptotic. */
  method?: MannWhitneyMethod
  /** Continuity correction (0.5) of the asymptotic method; default true. */
  continuity?: boolean
}

/** Result of {@link mannWhitneyU}: U is the statistic of x (scipy's `statistic`), p the p-value. */
export interface MannWhitneyResult {
  u: number
  p: number
}

const METHODS = ['auto', 'exact', 'asymptotic'] as const

/**
 * Mann-Whitney U test of x against y, matching scipy 1.10 `mannwhitneyu(x, y, use_continuity,
 * alternative, method)`: U = R1 - n1 (n1 + 1) / 2 with average ranks; 'auto' is exact when
 * n1 <= 8 or n2 <= 8 and no value is tied (scipy 1.10 rule: asymptotic only when both exceed 8 or
 * there are ties); the asymptotic p-value uses the tie-corrected variance. A forced exact test with
 * ties truncates U to an integer, as scipy does. p is clipped to [0, 1].
 * Deviation: when every value is tied (zero variance) p is 1, where scipy gives NaN without continuity.
 * Cost O(N log N) for the ranks; the exact distribution costs O(min(n1, n2)² · max(n1, n2)).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const fn = 'mannWhitneyU'
  assertSample(fn, 'x', x)
  assertSample(fn, 'y', y)
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, received ${show(options)}`)
  const alternative = parseAlternative(fn, options.alternative)
  const method = oneOf(fn, 'method', options.method, METHODS, 'auto')
  const continuity = options.continuity ?? true
  if (typeof continuity !== 'boolean') throw new TypeError(`${fn}: continuity must be a boolean, received ${show(continuity)}`)

  const n1 = x.length
  const n2 = y.length
  const n = n1 + n2
  const { ranks, tieTerm } = averageRanks(x, y)
  let r1 = 0
  for (let i = 0; i < n1; i++) r1 += ranks[i]!
  const u1 = r1 - n1 * (n1 + 1) / 2
  const u2 = n1 * n2 - u1

  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2)
  const factor = alternative === 'two-sided' ? 2 : 1
  const resolved = method !== 'auto' ? method : (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact'

  let p: number
  if (resolved === 'exact') {
    p = exactSf(Math.trunc(u), n1, n2)
  }
  else {
    const s = Math.sqrt(n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1))))
    const numerator = u - n1 * n2 / 2 - (continuity ? 0.5 : 0)
    p = s > 0 ? normalCdf(-numerator / s) : 1
  }
  return { u: u1, p: Math.min(1, Math.max(0, factor * p)) }
}

/** Average ranks (1-based) of x followed by y, and Σ (t³ - t) over groups of t tied values. */
function averageRanks(x: readonly number[], y: readonly number[]): { ranks: Float64Array; tieTerm: number } {
  const n1 = x.length
  const n = n1 + y.length
  const values = new Float64Array(n)
  values.set(x)
  values.set(y, n1)
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!)
  const ranks = new Float64Array(n)
  let tieTerm = 0
  for (let i = 0; i < n;) {
    const v = values[order[i]!]!
    let j = i
    while (j + 1 < n && values[order[j + 1]!] === v) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank
    const t = j - i + 1
    if (t > 1) tieTerm += t * t * t - t
    i = j + 1
  }
  return { ranks, tieTerm }
}

/** P(U >= k) under H0 without ties = P(U <= m n - k), summed from the lower end as scipy does. */
function exactSf(k: number, m: number, n: number): number {
  const pmf = exactPmf(m, n)
  const last = m * n - k
  let p = 0
  for (let v = 0; v <= last; v++) p += pmf[v]!
  return p
}

/**
 * Null distribution of U for samples of sizes m and n (no ties): the Gaussian binomial coefficient
 * [m + n choose a]_q = Π_{i=1..a} (1 - q^(b+i)) / (1 - q^i), a = min(m, n), b = max(m, n), built one
 * factor at a time and rescaled to probabilities after each (every partial product is itself a
 * distribution, so nothing overflows and the low tail involves no subtraction). O(a² b) time.
 */
function exactPmf(m: number, n: number): Float64Array {
  const a = Math.min(m, n)
  const b = Math.max(m, n)
  const c = new Float64Array(a * b + 1)
  c[0] = 1
  for (let i = 1; i <= a; i++) {
    const degree = i * b
    const d = b + i
    for (let u = degree; u >= d; u--) c[u] = c[u]! - c[u - d]!
    for (let u = i; u <= degree; u++) c[u] = c[u]! + c[u - i]!
    const scale = i / (b + i)
    for (let u = 0; u <= degree; u++) c[u] = c[u]! * scale
  }
  return c
}

/**
 * Student t tests: Welch's two-sample test and the one-sample test, with scipy's semantics.
 */

import { parseAlternative, type Alternative } from './alternative.ts'
import { studentTCdf } from './distributions.ts'
import { mean, variance } from './summary.ts'
import { assertFinite, assertSample, show } from './validate.ts'

/** Options of the t tests. */
export interface TTestOptions {
  /** 'less': the mean of x is below (y's mean, or mu); 'greater': above; default 'two-sided'. */
  alternative?: Alternative
}

/** Result of a t test: the statistic, its (possibly non-integer) degrees of freedom and the p-value. */
export interface TTestResult {
  t: number
  df: number
  p: number
}

/**
 * Welch's unequal-variance t test, matching scipy `ttest_ind(x, y, equal_var=False, alternative)`:
 * t = (mean x - mean y) / sqrt(sx²/nx + sy²/ny), Welch-Satterthwaite df (1 when both variances are
 * 0, as in scipy). Each sample needs >= 2 values. With zero spread on both sides t is ±Infinity
 * (p = 0) or, for equal means, NaN (p = NaN), exactly as scipy. O(n).
 */
export function welchTTest(x: readonly number[], y: readonly number[], options: TTestOptions = {}): TTestResult {
  const fn = 'welchTTest'
  assertSample(fn, 'x', x, 2)
  assertSample(fn, 'y', y, 2)
  const alternative = parseOptions(fn, options)
  const n1 = x.length
  const n2 = y.length
  const vn1 = variance(x) / n1
  const vn2 = variance(y) / n2
  let df = (vn1 + vn2) ** 2 / (vn1 ** 2 / (n1 - 1) + vn2 ** 2 / (n2 - 1))
  if (Number.isNaN(df)) df = 1
  const t = (mean(x) - mean(y)) / Math.sqrt(vn1 + vn2)
  return { t, df, p: pValue(t, df, alternative) }
}

/**
 * One-sample t test of mean(xs) against mu, matching scipy `ttest_1samp(xs, mu, alternative)`:
 * t = (mean - mu) / (sd / sqrt(n)), df = n - 1; needs n >= 2. Zero spread gives t = ±Infinity or NaN
 * as in scipy. O(n).
 */
export function oneSampleTTest(xs: readonly number[], mu: number, options: TTestOptions = {}): TTestResult {
  const fn = 'oneSampleTTest'
  assertSample(fn, 'xs', xs, 2)
  assertFinite(fn, 'mu', mu)
  const alternative = parseOptions(fn, options)
  const n = xs.length
  const df = n - 1
  const t = (mean(xs) - mu) / Math.sqrt(variance(xs) / n)
  return { t, df, p: pValue(t, df, alternative) }
}

function parseOptions(fn: string, options: TTestOptions): Alternative {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, received ${show(options)}`)
  return parseAlternative(fn, options.alternative)
}

function pValue(t: number, df: number, alternative: Alternative): number {
  if (Number.isNaN(t)) return NaN
  if (alternative === 'less') return studentTCdf(t, df)
  if (alternative === 'greater') return studentTCdf(-t, df)
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df))
}

/**
 * Ordinary least squares of y on x, with a t-interval for the slope. Used by the trend report for
 * "change per week" over a metric's history. Pure; O(n), three passes (centred sums and
 * residuals computed directly, so large x such as epoch milliseconds lose no digits).
 */

import { studentTQuantile } from './distributions.ts'
import { assertProbability, assertSample } from './validate.ts'

/** A fitted line `y = intercept + slope * x` with the slope's confidence interval. */
export interface LinearFit {
  /** Number of points. */
  n: number
  slope: number
  intercept: number
  /** Standard error of the slope (NaN when n < 3: no residual degrees of freedom). */
  slopeSe: number
  /** Lower end of the slope's interval (NaN when n < 3). */
  lower: number
  /** Upper end of the slope's interval (NaN when n < 3). */
  upper: number
  /** Residual degrees of freedom, n - 2. */
  df: number
  /** Coefficient of determination (1 when every residual is 0; NaN when y is constant and so is the fit). */
  r2: number
}

/** Options of {@link linearRegression}. */
export interface LinearRegressionOptions {
  /**
   * Two-sided confidence level of the slope interval.
   * @default 0.95
   */
  confidence?: number
}

/**
 * Fits `y = a + b x` by least squares. The slope's interval is `b ± t(1 - (1 - confidence) / 2, n - 2) * se(b)`
 * with `se(b) = sqrt(SSE / (n - 2) / Sxx)`. Needs at least 2 points with distinct x (throws a
 * RangeError otherwise); with exactly 2 the interval is NaN.
 */
export function linearRegression(x: readonly number[], y: readonly number[], options: LinearRegressionOptions = {}): LinearFit {
  assertSample('linearRegression', 'x', x, 2)
  assertSample('linearRegression', 'y', y, 2)
  if (x.length !== y.length) throw new RangeError(`linearRegression: x and y must have the same length, received ${x.length} and ${y.length}`)
  const confidence = options.confidence ?? 0.95
  assertProbability('linearRegression', 'confidence', confidence)
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i] as number
    my += y[i] as number
  }
  mx /= n
  my /= n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx
    const dy = (y[i] as number) - my
    sxx += dx * dx
    sxy += dx * dy
    syy += dy * dy
  }
  if (!(sxx > 0)) throw new RangeError(`linearRegression: x must have at least two distinct values, received ${n} equal values`)
  const slope = sxy / sxx
  const intercept = my - slope * mx
  let sse = 0
  for (let i = 0; i < n; i++) {
    const r = (y[i] as number) - my - slope * ((x[i] as number) - mx)
    sse += r * r
  }
  const df = n - 2
  const r2 = syy > 0 ? 1 - sse / syy : NaN
  if (df < 1) return { n, slope, intercept, slopeSe: NaN, lower: NaN, upper: NaN, df, r2 }
  const slopeSe = Math.sqrt(sse / df / sxx)
  const t = studentTQuantile(1 - (1 - confidence) / 2, df)
  return { n, slope, intercept, slopeSe, lower: slope - t * slopeSe, upper: slope + t * slopeSe, df, r2 }
}

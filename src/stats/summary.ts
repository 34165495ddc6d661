/**
 * Descriptive statistics of one sample. Inputs are never mutated (work happens on typed-array
 * copies); empty input, non-numbers and non-finite values throw.
 */

import { medianInPlace, quantileSorted } from './select.ts'
import { assertNumber, assertSample } from './validate.ts'

/** A robust summary of one sample, as stored in baselines and reports. */
export interface Summary {
  /** Number of values. */
  n: number
  /** Median (mean of the two middle values when n is even). */
  median: number
  /** Arithmetic mean. */
  mean: number
  /** Median absolute deviation from the median, unscaled (no 1.4826 factor). */
  mad: number
  /** Coefficient of variation: sample sd / |mean|; 0 when n < 2 or the sd is 0. */
  cv: number
  /** Smallest value. */
  min: number
  /** Largest value. */
  max: number
}

/** Arithmetic mean; compensated (Neumaier) summation, O(n). */
export function mean(xs: readonly number[]): number {
  assertSample('mean', 'xs', xs)
  return meanOf(xs)
}

/** Median (mean of the two middle values when the length is even); O(n) expected, via quickselect on a copy. */
export function median(xs: readonly number[]): number {
  assertSample('median', 'xs', xs)
  return medianInPlace(Float64Array.from(xs), xs.length)
}

/**
 * Quantile of an ascending sample with linear interpolation (Hyndman-Fan type 7, numpy's default):
 * h = (n - 1) p, result between sortedXs[floor(h)] and sortedXs[ceil(h)]. O(n) for the sortedness check.
 */
export function quantile(sortedXs: readonly number[], p: number): number {
  assertSample('quantile', 'sortedXs', sortedXs)
  assertNumber('quantile', 'p', p)
  if (p < 0 || p > 1) throw new RangeError(`quantile: p must be in [0, 1], received ${p}`)
  for (let i = 1; i < sortedXs.length; i++) {
    if (sortedXs[i]! < sortedXs[i - 1]!) {
      throw new RangeError(`quantile: sortedXs must be sorted ascending, received sortedXs[${i - 1}] = ${sortedXs[i - 1]} > sortedXs[${i}] = ${sortedXs[i]}`)
    }
  }
  return quantileSorted(sortedXs, p)
}

/** Sample variance (denominator n - 1), two-pass with a compensation term; needs n >= 2. */
export function variance(xs: readonly number[]): number {
  assertSample('variance', 'xs', xs, 2)
  return varianceOf(xs)
}

/** Sample standard deviation, sqrt of {@link variance}; needs n >= 2. */
export function sd(xs: readonly number[]): number {
  assertSample('sd', 'xs', xs, 2)
  return Math.sqrt(varianceOf(xs))
}

/** Median absolute deviation from the median, unscaled: median(|x - median(x)|). O(n) expected. */
export function mad(xs: readonly number[]): number {
  assertSample('mad', 'xs', xs)
  return madOf(xs, medianInPlace(Float64Array.from(xs), xs.length))
}

/** Coefficient of variation: sample sd / |mean|; 0 for n < 2 or zero spread, Infinity for a zero mean with spread. */
export function cv(xs: readonly number[]): number {
  assertSample('cv', 'xs', xs)
  return cvOf(xs)
}

/** All of {@link Summary} in one pass over a sorted copy; O(n log n). */
export function summarize(xs: readonly number[]): Summary {
  assertSample('summarize', 'xs', xs)
  const n = xs.length
  const sorted = Float64Array.from(xs).sort()
  const a = sorted[(n - 1) >>> 1]!
  const b = sorted[n >>> 1]!
  const med = a === b ? a : (a + b) / 2 // same value as median(xs)
  return {
    n,
    median: med,
    mean: meanOf(xs),
    mad: madOf(xs, med),
    cv: cvOf(xs),
    min: sorted[0]!,
    max: sorted[n - 1]!,
  }
}

function meanOf(xs: ArrayLike<number>): number {
  const n = xs.length
  let sum = 0
  let comp = 0
  for (let i = 0; i < n; i++) {
    const v = xs[i]!
    const t = sum + v
    comp += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum
    sum = t
  }
  return (sum + comp) / n
}

function varianceOf(xs: ArrayLike<number>): number {
  const n = xs.length
  const m = meanOf(xs)
  let ss = 0
  let s = 0
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m
    ss += d * d
    s += d
  }
  // Corrected two-pass algorithm (Chan, Golub & LeVeque): s is ~0 up to the rounding of m.
  return Math.max(0, (ss - (s * s) / n) / (n - 1))
}

function madOf(xs: ArrayLike<number>, med: number): number {
  const n = xs.length
  const dev = new Float64Array(n)
  for (let i = 0; i < n; i++) dev[i] = Math.abs(xs[i]! - med)
  return medianInPlace(dev, n)
}

function cvOf(xs: ArrayLike<number>): number {
  if (xs.length < 2) return 0
  const s = Math.sqrt(varianceOf(xs))
  if (s === 0) return 0
  return s / Math.abs(meanOf(xs))
}

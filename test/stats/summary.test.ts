// Reference values: fixtures/scipy-reference.json, made by `/usr/bin/python3 scripts/stats-fixtures.py`
// (numpy mean / median / quantile(method='linear') / var(ddof=1) / std(ddof=1) and the unscaled MAD).
import { describe, expect, it } from 'vitest'
import { cv, mad, mean, median, quantile, sd, summarize, variance } from '../../src/stats/index.ts'
import { reference } from './reference.ts'

describe('summary statistics against numpy', () => {
  reference.summary.forEach((c, i) => {
    it(`case ${i} (n = ${c.xs.length})`, () => {
      expect(mean(c.xs)).toBeCloseTo(c.mean, 8)
      expect(median(c.xs)).toBeCloseTo(c.median, 8)
      expect(variance(c.xs)).toBeCloseTo(c.var, 8)
      expect(sd(c.xs)).toBeCloseTo(c.sd, 8)
      expect(mad(c.xs)).toBeCloseTo(c.mad, 8)
      expect(cv(c.xs)).toBeCloseTo(c.cv, 8)
      const sorted = [...c.xs].sort((a, b) => a - b)
      for (const [p, q] of c.quantiles) expect(quantile(sorted, p), `p = ${p}`).toBeCloseTo(q, 8)
      const s = summarize(c.xs)
      expect(s.n).toBe(c.xs.length)
      expect(s.median).toBeCloseTo(c.median, 8)
      expect(s.mean).toBeCloseTo(c.mean, 8)
      expect(s.mad).toBeCloseTo(c.mad, 8)
      expect(s.cv).toBeCloseTo(c.cv, 8)
      expect(s.min).toBe(c.min)
      expect(s.max).toBe(c.max)
    })
  })
})

describe('summary statistics: properties', () => {
  it('never mutates its input', () => {
    const xs = Object.freeze([5, 3, 9, 1, 7, 3])
    median(xs)
    mad(xs)
    summarize(xs)
    expect(xs).toEqual([5, 3, 9, 1, 7, 3])
  })

  it('handles a single value', () => {
    expect(summarize([4])).toEqual({ n: 1, median: 4, mean: 4, mad: 0, cv: 0, min: 4, max: 4 })
    expect(cv([4])).toBe(0)
    expect(quantile([4], 0.3)).toBe(4)
  })

  it('median of an even-length sample is the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([1, 1, 1, 5, 5, 5])).toBe(3)
  })

  it('cv is 0 without spread and Infinity for a zero mean with spread', () => {
    expect(cv([2, 2, 2])).toBe(0)
    expect(cv([-1, 1])).toBe(Infinity)
  })

  it('quantile is monotone in p and hits the extremes', () => {
    const sorted = [1, 2, 2, 5, 11, 12.5]
    let previous = -Infinity
    for (let p = 0; p <= 1; p += 0.01) {
      const q = quantile(sorted, p)
      expect(q).toBeGreaterThanOrEqual(previous)
      previous = q
    }
    expect(quantile(sorted, 0)).toBe(1)
    expect(quantile(sorted, 1)).toBe(12.5)
  })
})

describe('summary statistics: errors', () => {
  it('throws a RangeError naming the function and argument on empty input', () => {
    expect(() => mean([])).toThrow(new RangeError('mean: xs must not be empty, received []'))
    expect(() => median([])).toThrow(new RangeError('median: xs must not be empty, received []'))
    expect(() => mad([])).toThrow(new RangeError('mad: xs must not be empty, received []'))
    expect(() => cv([])).toThrow(new RangeError('cv: xs must not be empty, received []'))
    expect(() => summarize([])).toThrow(new RangeError('summarize: xs must not be empty, received []'))
    expect(() => quantile([], 0.5)).toThrow(new RangeError('quantile: sortedXs must not be empty, received []'))
  })

  it('needs two values for the sample variance', () => {
    expect(() => variance([3])).toThrow(new RangeError('variance: xs must have at least 2 values, received 1: [3]'))
    expect(() => sd([3])).toThrow(RangeError)
  })

  it('rejects non-finite values and non-numbers with their index', () => {
    expect(() => median([1, Number.NaN])).toThrow(new RangeError('median: xs[1] must be finite, received NaN'))
    expect(() => mean([1, Infinity])).toThrow(new RangeError('mean: xs[1] must be finite, received Infinity'))
    expect(() => mean([1, '2'] as unknown as number[])).toThrow(new TypeError('mean: xs[1] must be a number, received "2"'))
    expect(() => mean(undefined as unknown as number[])).toThrow(new TypeError('mean: xs must be an array of numbers, received undefined'))
  })

  it('quantile checks p and the order of its input', () => {
    expect(() => quantile([1, 2], 1.5)).toThrow(new RangeError('quantile: p must be in [0, 1], received 1.5'))
    expect(() => quantile([1, 3, 2], 0.5)).toThrow(new RangeError('quantile: sortedXs must be sorted ascending, received sortedXs[1] = 3 > sortedXs[2] = 2'))
  })
})

// Reference values: fixtures/scipy-reference.json, made by `/usr/bin/python3 scripts/stats-fixtures.py`
// (scipy 1.10 ttest_ind(equal_var=False) and ttest_1samp; Welch's df by its formula in numpy).
import { describe, expect, it } from 'vitest'
import { oneSampleTTest, welchTTest } from '../../src/stats/index.ts'
import { expectClose, reference } from './reference.ts'

describe('t tests against scipy', () => {
  it.each(reference.ttestIndWelch.map((c, i) => ({ ...c, i })))('welch case $i ($alternative)', (c) => {
    const r = welchTTest(c.x, c.y, { alternative: c.alternative })
    expect(r.t).toBeCloseTo(c.t, 8)
    expect(r.df).toBeCloseTo(c.df, 8)
    expect(r.p).toBeCloseTo(c.p, 8)
    expectClose(r.t, c.t, { rel: 1e-12 })
    expectClose(r.df, c.df, { rel: 1e-12 })
    expectClose(r.p, c.p, { rel: 1e-10 })
  })

  it.each(reference.ttest1samp.map((c, i) => ({ ...c, i })))('one-sample case $i ($alternative)', (c) => {
    const r = oneSampleTTest(c.xs, c.mu, { alternative: c.alternative })
    expect(r.df).toBe(c.df)
    expect(r.t).toBeCloseTo(c.t, 8)
    expect(r.p).toBeCloseTo(c.p, 8)
    expectClose(r.t, c.t, { rel: 1e-12 })
    expectClose(r.p, c.p, { rel: 1e-10 })
  })
})

describe('t tests: properties and scipy\'s zero-variance semantics', () => {
  it('the one-sided p-values add up to 1 and the two-sided one is twice the smaller', () => {
    const x = [10.1, 9.8, 10.4, 10.0, 10.3]
    const y = [10.6, 10.9, 10.2, 11.0]
    const less = welchTTest(x, y, { alternative: 'less' }).p
    const greater = welchTTest(x, y, { alternative: 'greater' }).p
    expectClose(less + greater, 1, { abs: 1e-15 })
    expectClose(welchTTest(x, y).p, 2 * Math.min(less, greater), { rel: 1e-14 })
  })

  it('follows scipy when both samples have no spread', () => {
    expect(welchTTest([1, 1, 1], [2, 2])).toEqual({ t: -Infinity, df: 1, p: 0 })
    const same = welchTTest([1, 1, 1], [1, 1])
    expect(same.t).toBeNaN()
    expect(same.p).toBeNaN()
    expect(oneSampleTTest([2, 2, 2], 1)).toEqual({ t: Infinity, df: 2, p: 0 })
  })
})

describe('t tests: errors', () => {
  it('needs two values per sample and a finite mu', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(new RangeError('welchTTest: x must have at least 2 values, received 1: [1]'))
    expect(() => welchTTest([1, 2], [])).toThrow(new RangeError('welchTTest: y must have at least 2 values, received 0: []'))
    expect(() => oneSampleTTest([], 0)).toThrow(new RangeError('oneSampleTTest: xs must have at least 2 values, received 0: []'))
    expect(() => oneSampleTTest([1, 2], Number.NaN)).toThrow(new RangeError('oneSampleTTest: mu must not be NaN, received NaN'))
    expect(() => welchTTest([1, 2], [3, 4], { alternative: 'up' as never })).toThrow(RangeError)
  })
})

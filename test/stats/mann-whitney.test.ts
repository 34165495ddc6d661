// Reference values: fixtures/scipy-reference.json, made by `/usr/bin/python3 scripts/stats-fixtures.py`
// (scipy 1.10 scipy.stats.mannwhitneyu; `resolvedMethod` is what scipy's 'auto' chose).
import { describe, expect, it } from 'vitest'
import { createRng, mannWhitneyU } from '../../src/stats/index.ts'
import { expectClose, reference } from './reference.ts'

describe('mannWhitneyU against scipy', () => {
  it.each(reference.mannwhitneyu)('$name', (c) => {
    const options = { alternative: c.alternative, method: c.method, continuity: c.continuity }
    const result = mannWhitneyU(c.x, c.y, options)
    expect(result.u).toBe(c.u)
    expect(result.p).toBeCloseTo(c.p, 8)
    expectClose(result.p, c.p, { rel: 1e-10 })
    if (c.resolvedMethod !== undefined) {
      // 'auto' must pick the same method as scipy did.
      expect(mannWhitneyU(c.x, c.y, { ...options, method: c.resolvedMethod })).toEqual(result)
    }
  })

  it('covers exact and asymptotic cases, ties and every alternative', () => {
    const cases = reference.mannwhitneyu
    expect(cases.length).toBeGreaterThanOrEqual(12)
    expect(cases.some(c => c.resolvedMethod === 'exact')).toBe(true)
    expect(cases.some(c => c.resolvedMethod === 'asymptotic')).toBe(true)
    for (const alt of ['two-sided', 'less', 'greater'] as const) expect(cases.some(c => c.alternative === alt)).toBe(true)
  })
})

describe('mannWhitneyU: properties', () => {
  const rng = createRng(42)
  const sample = (n: number, shift: number) => Array.from({ length: n }, () => shift + rng())

  it('U(x, y) + U(y, x) = n1 n2, and the two-sided p-value is symmetric', () => {
    const x = sample(12, 0)
    const y = sample(17, 0.2)
    const a = mannWhitneyU(x, y)
    const b = mannWhitneyU(y, x)
    expect(a.u + b.u).toBe(12 * 17)
    expectClose(a.p, b.p, { rel: 1e-14 })
    expectClose(mannWhitneyU(x, y, { alternative: 'less' }).p, mannWhitneyU(y, x, { alternative: 'greater' }).p, { rel: 1e-14 })
  })

  it('uses scipy 1.10\'s rule: exact when one sample has <= 8 values and nothing is tied', () => {
    const x = sample(8, 0)
    const y = sample(300, 0.1)
    expect(mannWhitneyU(x, y)).toEqual(mannWhitneyU(x, y, { method: 'exact' }))
    const x9 = sample(9, 0)
    const y9 = sample(9, 0.3)
    expect(mannWhitneyU(x9, y9)).toEqual(mannWhitneyU(x9, y9, { method: 'asymptotic' }))
  })

  // how fast the exact distribution is: test/timing/speed.test.ts
  it('the exact distribution agrees with the normal approximation for moderate sizes', () => {
    const x = sample(8, 0)
    const y = sample(2000, 0.05)
    const exact = mannWhitneyU(x, y, { method: 'exact' })
    const asymptotic = mannWhitneyU(x, y, { method: 'asymptotic' })
    expect(Math.abs(exact.p - asymptotic.p)).toBeLessThan(0.02)
  })

  it('the exact null distribution sums to 1 (p = 1 at U = 0 for "greater")', () => {
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6, 7], { alternative: 'greater' }).p).toBeCloseTo(1, 14)
    expect(mannWhitneyU([5, 6, 7], [1, 2, 3, 4], { alternative: 'greater' }).p).toBeCloseTo(1 / 35, 14)
  })

  it('gives p = 1 when every value is tied', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3], { method: 'asymptotic' })).toEqual({ u: 3, p: 1 })
    expect(mannWhitneyU([3, 3, 3], [3, 3], { continuity: false })).toEqual({ u: 3, p: 1 })
  })
})

describe('mannWhitneyU: errors', () => {
  it('rejects empty samples and bad options, naming them', () => {
    expect(() => mannWhitneyU([], [1, 2])).toThrow(new RangeError('mannWhitneyU: x must not be empty, received []'))
    expect(() => mannWhitneyU([1], [])).toThrow(new RangeError('mannWhitneyU: y must not be empty, received []'))
    expect(() => mannWhitneyU([1], [2], { alternative: 'bigger' as never })).toThrow(
      new RangeError('mannWhitneyU: alternative must be one of \'two-sided\', \'less\', \'greater\', received "bigger"'))
    expect(() => mannWhitneyU([1], [2], { method: 'fast' as never })).toThrow(RangeError)
    expect(() => mannWhitneyU([1], [2], { continuity: 1 as never })).toThrow(new TypeError('mannWhitneyU: continuity must be a boolean, received 1'))
    expect(() => mannWhitneyU([1, Number.NaN], [2])).toThrow(new RangeError('mannWhitneyU: x[1] must be finite, received NaN'))
  })
})

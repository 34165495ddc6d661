// Reference values: fixtures/scipy-reference.json, made by `/usr/bin/python3 scripts/stats-fixtures.py`
// (scipy.stats.norm.cdf/ppf, scipy.stats.t.cdf/ppf, scipy.special.betainc and gammaln).
import { describe, expect, it } from 'vitest'
import {
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from '../../src/stats/index.ts'
import { expectClose, reference } from './reference.ts'

describe('normal distribution against scipy', () => {
  it.each(reference.normCdf)('cdf($x)', ({ x, cdf }) => {
    expect(normalCdf(x)).toBeCloseTo(cdf, 8)
    // Denormals (x = -38) carry fewer significant bits; elsewhere the relative error is ~1e-15.
    if (cdf > 1e-300) expectClose(normalCdf(x), cdf, { rel: 1e-14 })
  })

  it.each(reference.normPpf)('ppf($p)', ({ p, ppf }) => {
    expect(normalQuantile(p)).toBeCloseTo(ppf, 8)
    expectClose(normalQuantile(p), ppf, { rel: 1e-14, abs: 1e-15 })
  })

  it('is symmetric, inverts its quantile and has the limits', () => {
    for (const x of [-7, -2.5, -0.1, 0.4, 3]) {
      expectClose(normalCdf(x) , 1 - normalCdf(-x), { abs: 1e-16 })
      expectClose(normalQuantile(normalCdf(x)), x, { rel: 1e-12 })
    }
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(-Infinity)).toBe(0)
    expect(normalCdf(Infinity)).toBe(1)
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
  })
})

describe('Student t distribution against scipy', () => {
  it.each(reference.tCdf)('cdf($t, df = $df)', ({ t, df, cdf }) => {
    expect(studentTCdf(t, df)).toBeCloseTo(cdf, 8)
    // At df = 1e6 the incomplete-beta continued fraction is ill-conditioned: ~1e-11 relative.
    expectClose(studentTCdf(t, df), cdf, { rel: df >= 1e5 ? 1e-10 : 1e-12 })
  })

  it.each(reference.tPpf)('ppf($p, df = $df)', ({ p, df, ppf, ppfMpmath }) => {
    const t = studentTQuantile(p, df)
    expect(t).toBeCloseTo(ppf, 8)
    // scipy's t.ppf (cephes stdtrit) is itself only good to a few 1e-10 relative (e.g. df = 3.7,
    // p = 0.9: 4.6e-10), so the tight check is against a 40-digit mpmath root of the same CDF.
    expectClose(t, ppf, { rel: 1e-9, abs: 1e-15 })
    if (ppfMpmath !== undefined) expectClose(t, ppfMpmath, { rel: 1e-13, abs: 1e-15 })
  })

  it('inverts its CDF across df, including non-integer and large df', () => {
    for (const df of [0.3, 1, 1.5, 2, 2.7, 5, 13.4, 60, 1e4, 1e6]) {
      for (const p of [1e-12, 1e-4, 0.01, 0.2, 0.49, 0.5001, 0.8, 0.975, 0.999999]) {
        const t = studentTQuantile(p, df)
        expectClose(studentTCdf(t, df), p, { rel: 1e-10 }, `df ${df}, p ${p}`)
      }
    }
  })

  it('approaches the normal distribution as df grows, and equals it at df = Infinity', () => {
    expectClose(studentTCdf(1.3, 1e7), normalCdf(1.3), { abs: 1e-7 })
    expect(studentTCdf(1.3, Infinity)).toBe(normalCdf(1.3))
    expect(studentTQuantile(0.9, Infinity)).toBe(normalQuantile(0.9))
  })

  it('has the limits and the centre', () => {
    expect(studentTCdf(0, 3.3)).toBe(0.5)
    expect(studentTCdf(-Infinity, 2)).toBe(0)
    expect(studentTCdf(Infinity, 2)).toBe(1)
    expect(studentTQuantile(0, 4)).toBe(-Infinity)
    expect(studentTQuantile(1, 4)).toBe(Infinity)
    expect(studentTQuantile(0.5, 4)).toBe(0)
  })
})

describe('special functions against scipy', () => {
  it.each(reference.betainc)('betainc(a = $a, b = $b, x = $x)', ({ x, a, b, value }) => {
    // At a = 5e5 scipy and we differ by 2e-10 relative; mpmath (40 digits) sides with us to 5e-12.
    expectClose(regularizedIncompleteBeta(x, a, b), value, { rel: Math.max(a, b) >= 1e5 ? 1e-9 : 1e-12, abs: 1e-300 })
  })

  it.each(reference.gammaln)('gammaln($x)', ({ x, value }) => {
    expectClose(logGamma(x), value, { rel: 1e-14, abs: 1e-14 })
  })

  it('has the edge values', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
    expect(logGamma(0)).toBe(Infinity)
    expect(logGamma(-3)).toBe(Infinity)
    expectClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), { rel: 1e-15 })
  })
})

describe('distributions: errors', () => {
  it('names the argument and the value received', () => {
    expect(() => normalQuantile(1.5)).toThrow(new RangeError('normalQuantile: p must be in [0, 1], received 1.5'))
    expect(() => normalCdf(Number.NaN)).toThrow(new RangeError('normalCdf: x must not be NaN, received NaN'))
    expect(() => studentTCdf(1, 0)).toThrow(new RangeError('studentTCdf: df must be > 0 (Infinity allowed), received 0'))
    expect(() => studentTQuantile(-0.1, 3)).toThrow(new RangeError('studentTQuantile: p must be in [0, 1], received -0.1'))
    expect(() => regularizedIncompleteBeta(0.5, -1, 2)).toThrow(new RangeError('regularizedIncompleteBeta: a must be finite and > 0, received -1'))
    expect(() => logGamma('2' as unknown as number)).toThrow(new TypeError('logGamma: x must be a number, received "2"'))
  })
})

// Reference values: fixtures/scipy-reference.json, made by `/usr/bin/python3 scripts/stats-fixtures.py`
// (Holm's step-down by the textbook algorithm in Python, which is what statsmodels
// multipletests(method='holm') computes; statsmodels itself is not installed there).
import { describe, expect, it } from 'vitest'
import { createRng, holm } from '../../src/stats/index.ts'
import { reference } from './reference.ts'

describe('holm against the reference', () => {
  it.each(reference.holm.map((c, i) => ({ ...c, i })))('vector $i', ({ p, adjusted }) => {
    const result = holm(p)
    expect(result).toHaveLength(adjusted.length)
    result.forEach((v, i) => expect(v).toBeCloseTo(adjusted[i]!, 12))
  })

  it('a worked example', () => {
    // sorted 0.01, 0.02, 0.03, 0.04 -> 4 * .01, 3 * .02, 2 * .03, 1 * .04 = .04, .06, .06, .06 after the running max
    expect(holm([0.03, 0.01, 0.04, 0.02]).map(v => Number(v.toFixed(12)))).toEqual([0.06, 0.04, 0.06, 0.06])
  })
})

describe('holm: properties', () => {
  const rng = createRng(7)
  const vectors = Array.from({ length: 50 }, () => Array.from({ length: 1 + Math.floor(rng() * 20) }, () => rng() ** 3))

  it('is monotone along the sorted p-values, never below the input and capped at 1', () => {
    for (const p of vectors) {
      const adjusted = holm(p)
      const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]!)
      for (let k = 1; k < order.length; k++) expect(adjusted[order[k]!]!).toBeGreaterThanOrEqual(adjusted[order[k - 1]!]!)
      adjusted.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(p[i]!)
        expect(v).toBeLessThanOrEqual(1)
      })
    }
  })

  it('gives tied p-values equal adjusted values, does not mutate, and maps [] to []', () => {
    const p = Object.freeze([0.02, 0.5, 0.02, 0.01])
    const adjusted = holm(p)
    expect(adjusted[0]).toBe(adjusted[2])
    expect(p).toEqual([0.02, 0.5, 0.02, 0.01])
    expect(holm([])).toEqual([])
    expect(holm([0.3])).toEqual([0.3])
  })

  it('rejects values outside [0, 1], naming the index', () => {
    expect(() => holm([0.1, 1.2])).toThrow(new RangeError('holm: pvalues[1] must be in [0, 1], received 1.2'))
    expect(() => holm([Number.NaN])).toThrow(new RangeError('holm: pvalues[0] must be in [0, 1], received NaN'))
    expect(() => holm('0.1' as never)).toThrow(new TypeError('holm: pvalues must be an array of numbers, received "0.1"'))
  })
})

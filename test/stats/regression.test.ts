import { describe, expect, it } from 'vitest'
import { linearRegression } from '../../src/stats/regression.ts'

// Reference values: scipy 1.17 stats.linregress, interval slope ± stats.t.ppf(0.975, n - 2) * stderr.
describe('linearRegression', () => {
  it('matches scipy on a noisy line', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    const y = [10.2, 11.1, 11.9, 13.4, 13.8, 15.2, 15.9, 17.3, 17.8, 19.4]
    const fit = linearRegression(x, y)
    expect(fit.slope).toBeCloseTo(1.0036363636363637, 12)
    expect(fit.intercept).toBeCloseTo(10.083636363636362, 12)
    expect(fit.slopeSe).toBeCloseTo(0.027494051447791875, 12)
    expect(fit.lower).toBeCloseTo(0.9402349673042395, 9)
    expect(fit.upper).toBeCloseTo(1.0670377599684877, 9)
    expect(fit.r2).toBeCloseTo(0.9940321879077856, 12)
    expect(fit.df).toBe(8)
  })

  it('keeps its digits with epoch-millisecond x (centred sums)', () => {
    const x = Array.from({ length: 6 }, (_, i) => 1.7e12 + i * 3.6e6 * 7)
    const fit = linearRegression(x, [5, 7, 6, 9, 8, 11])
    expect(fit.slope / 4.081632653061225e-8).toBeCloseTo(1, 10)
    expect(fit.slopeSe / 1.0411925407374074e-8).toBeCloseTo(1, 10)
  })

  it('honours the confidence level', () => {
    const fit = linearRegression([0, 1, 2, 3, 4, 5], [5, 7, 6, 9, 8, 11], { confidence: 0.9 })
    expect(fit.lower).toBeCloseTo(0.4692163596480118, 9)
    expect(fit.upper).toBeCloseTo(1.5879264974948457, 9)
  })

  it('recovers an exact line with a zero-width interval, and has no interval with two points', () => {
    const exact = linearRegression([1, 2, 3, 4], [3, 5, 7, 9])
    expect(exact.slope).toBeCloseTo(2, 14)
    expect(exact.intercept).toBeCloseTo(1, 14)
    expect(exact.upper - exact.lower).toBeCloseTo(0, 12)
    const two = linearRegression([0, 1], [1, 3])
    expect(two.slope).toBe(2)
    expect(two.lower).toBeNaN()
    expect(two.df).toBe(0)
  })

  it('names the argument and the value in its errors', () => {
    expect(() => linearRegression([1], [1])).toThrow('linearRegression: x must have at least 2 values, received 1: [1]')
    expect(() => linearRegression([1, 2, 3], [1, 2])).toThrow('linearRegression: x and y must have the same length, received 3 and 2')
    expect(() => linearRegression([2, 2, 2], [1, 2, 3])).toThrow('linearRegression: x must have at least two distinct values, received 3 equal values')
    expect(() => linearRegression([1, 2], [1, Number.NaN])).toThrow('linearRegression: y[1] must be finite, received NaN')
  })
})

import { describe, expect, it } from 'vitest'
import { wilsonInterval } from '../../src/stats/wilson.ts'

describe('wilsonInterval', () => {
  it('matches published Wilson score intervals', () => {
    // 5 of 100: 2.15 % .. 11.18 % (Newcombe 1998, Table I style values)
    const w = wilsonInterval(5, 100)
    expect(w.estimate).toBe(0.05)
    expect(w.lower).toBeCloseTo(0.02154, 4)
    expect(w.upper).toBeCloseTo(0.11175, 4)
  })

  it('is informative at 0 of n and n of n', () => {
    const zero = wilsonInterval(0, 400)
    expect(zero.lower).toBe(0)
    expect(zero.upper).toBeCloseTo(0.00951, 4)
    const all = wilsonInterval(10, 10)
    expect(all.upper).toBe(1)
    expect(all.lower).toBeCloseTo(0.7225, 3)
  })

  it('narrows with n and widens with confidence', () => {
    expect(wilsonInterval(50, 1000).upper - wilsonInterval(50, 1000).lower).toBeLessThan(wilsonInterval(5, 100).upper - wilsonInterval(5, 100).lower)
    expect(wilsonInterval(5, 100, 0.99).upper).toBeGreaterThan(wilsonInterval(5, 100).upper)
  })

  it('rejects impossible counts, naming the argument', () => {
    expect(() => wilsonInterval(3, 0)).toThrow(/n must be an integer >= 1/)
    expect(() => wilsonInterval(5, 4)).toThrow(/successes must be an integer in 0..4/)
    expect(() => wilsonInterval(1, 4, 1)).toThrow(/confidence/)
  })
})

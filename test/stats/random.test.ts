import { describe, expect, it } from 'vitest'
import { createRng } from '../../src/stats/index.ts'

describe('createRng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRng(123)
    const b = createRng(123)
    const c = createRng(124)
    const xs = Array.from({ length: 100 }, () => a())
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs)
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs)
    expect(createRng(-1)()).not.toBe(createRng(2 ** 32 - 1)())
  })

  it('is sfc32 seeded as in PractRand (a = 0, b = seed, c = 0, counter = 1, 12 rounds skipped)', () => {
    // Expected words from a 10-line Python transcription of PractRand's sfc32 (uint32 arithmetic).
    const rng = createRng(1)
    expect(Array.from({ length: 3 }, () => rng() * 2 ** 32)).toEqual([2012149540, 1872316204, 1707632675])
  })

  it('is uniform on [0, 1)', () => {
    const rng = createRng(2024)
    const n = 100_000
    const bins = new Array<number>(10).fill(0)
    let sum = 0
    let min = Infinity
    let max = -Infinity
    for (let i = 0; i < n; i++) {
      const u = rng()
      min = Math.min(min, u)
      max = Math.max(max, u)
      bins[Math.floor(u * 10)]!++
      sum += u
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005)
    // chi-square with 9 df: the 0.999 quantile is 27.9
    const chi2 = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0)
    expect(chi2).toBeLessThan(27.9)
  })

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRng(1.5)).toThrow(new RangeError('createRng: seed must be a safe integer, received 1.5'))
    expect(() => createRng(Number.NaN)).toThrow(new RangeError('createRng: seed must not be NaN, received NaN'))
  })
})

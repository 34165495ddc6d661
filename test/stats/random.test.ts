import { describe, expect, it } from 'vitest'
import { createRng, shuffled } from '../../src/stats/index.ts'

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

describe('shuffled', () => {
  it('returns a permutation of a copy, the same for the same draws, and leaves the input alone', () => {
    const items = Array.from({ length: 20 }, (_, i) => i)
    const a = shuffled(items, createRng(3))
    expect(items).toEqual(Array.from({ length: 20 }, (_, i) => i))
    expect([...a].sort((x, y) => x - y)).toEqual(items)
    expect(a).not.toEqual(items)
    expect(shuffled(items, createRng(3))).toEqual(a)
    expect(shuffled(items, createRng(4))).not.toEqual(a)
  })

  it('is Fisher-Yates: each position swaps with one at or below it, drawn from rng', () => {
    // draws 0.99, 0, 0.5 for i = 3, 2, 1: swap 3<->3, then 2<->0, then 1<->1
    const draws = [0.99, 0, 0.5]
    expect(shuffled(['a', 'b', 'c', 'd'], () => draws.shift()!)).toEqual(['c', 'b', 'a', 'd'])
  })
})

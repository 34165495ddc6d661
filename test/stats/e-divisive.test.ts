import { describe, expect, it } from 'vitest'
import { eDivisive, energySplit } from '../../src/stats/e-divisive.ts'
import { createRng } from '../../src/stats/random.ts'

/** Normal deviates from a seeded uniform generator (Box–Muller). */
function normals(seed: number) {
  const u = createRng(seed)
  return () => {
    let a = 0
    while (a === 0) a = u()
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u())
  }
}

/** A series with mean `base` then `base * (1 + step)` from `at` on, noise sd = cv * base. */
function stepSeries(seed: number, n: number, at: number, step: number, cv = 0.03, base = 100): number[] {
  const z = normals(seed)
  return Array.from({ length: n }, (_, i) => (i < at ? base : base * (1 + step)) + cv * base * z())
}

/** The statistic by its definition, O(m³): the reference for the O(m log m) pass. */
function bruteForce(xs: number[], minSize: number) {
  const m = xs.length
  let best = { index: -1, qhat: -Infinity }
  for (let t = minSize; t <= m - minSize; t++) {
    const x = xs.slice(0, t)
    const y = xs.slice(t)
    const a = x.length
    const b = y.length
    let cross = 0
    for (const xi of x) for (const yj of y) cross += Math.abs(xi - yj)
    let wx = 0
    for (let i = 0; i < a; i++) for (let k = i + 1; k < a; k++) wx += Math.abs(x[i]! - x[k]!)
    let wy = 0
    for (let i = 0; i < b; i++) for (let k = i + 1; k < b; k++) wy += Math.abs(y[i]! - y[k]!)
    const q = (a * b / m) * (2 * cross / (a * b) - 2 * wx / (a * (a - 1)) - 2 * wy / (b * (b - 1)))
    if (q > best.qhat) best = { index: t, qhat: q }
  }
  return best
}

describe('energySplit', () => {
  it('equals the energy statistic computed from its definition (random series, ties included)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const z = normals(seed)
      const n = 8 + (seed % 23)
      const xs = Array.from({ length: n }, (_, i) => (seed % 3 === 0 ? Math.round(z() * 2) : z() + (i > n / 2 ? 1 : 0)))
      for (const minSize of [2, 3]) {
        const fast = energySplit(xs, minSize)!
        const ref = bruteForce(xs, minSize)
        expect(fast.qhat).toBeCloseTo(ref.qhat, 9)
        if (fast.index !== ref.index) expect(bruteForce(xs.slice(0), minSize).qhat).toBeCloseTo(fast.qhat, 9) // a tie in q̂
      }
    }
  })

  it('is undefined for a series too short to split', () => {
    expect(energySplit([1, 2, 3, 4, 5], 3)).toBeUndefined()
  })
})

describe('eDivisive', () => {
  it('finds a 10 % step in noise with CV 3 % at the right index (±2), over 20 seeded series', () => {
    const misses: string[] = []
    let extra = 0
    for (let seed = 0; seed < 20; seed++) {
      const at = 15 + ((seed * 7) % 31)
      const found = eDivisive(stepSeries(100 + seed, 60, at, 0.1))
      const hit = found.filter(cp => Math.abs(cp.index - at) <= 2)
      if (hit.length !== 1) misses.push(`seed ${seed}: step at ${at}, found ${found.map(cp => cp.index).join(', ') || 'none'}`)
      extra += found.length - hit.length
    }
    expect(misses).toEqual([])
    expect(extra).toBeLessThanOrEqual(2)
  })

  it('reports the step, a small p-value and q̂ for a single change', () => {
    const found = eDivisive(stepSeries(7, 40, 23, 0.1))
    expect(found).toHaveLength(1)
    expect(found[0]!.index).toBeGreaterThanOrEqual(21)
    expect(found[0]!.index).toBeLessThanOrEqual(25)
    expect(found[0]!.pValue).toBe(1 / 200)
    expect(found[0]!.qhat).toBeGreaterThan(0)
  })

  it('finds several changes, sorted by index, and a decrease as well as an increase', () => {
    const z = normals(11)
    const xs = Array.from({ length: 90 }, (_, i) => (i < 30 ? 100 : i < 60 ? 115 : 95) + 3 * z())
    const found = eDivisive(xs)
    expect(found).toHaveLength(2)
    expect(Math.abs(found[0]!.index - 30)).toBeLessThanOrEqual(2)
    expect(Math.abs(found[1]!.index - 60)).toBeLessThanOrEqual(2)
    expect(found.map(cp => cp.order).sort()).toEqual([0, 1])
  })

  it('keeps the false-alarm rate on 100 flat noisy series at or below 10 % (expected about pValue = 1 %)', () => {
    let alarms = 0
    for (let seed = 0; seed < 100; seed++) {
      const z = normals(5000 + seed)
      if (eDivisive(Array.from({ length: 60 }, () => 100 + 3 * z())).length > 0) alarms++
    }
    // measured: 0 of these 100; 21 of 2000 (1.05 %) on a longer run
    expect(alarms / 100).toBeLessThanOrEqual(0.1)
  })

  it('at pValue 0.05 the false-alarm rate is still within 10 % on the same 100 series', () => {
    let alarms = 0
    for (let seed = 0; seed < 100; seed++) {
      const z = normals(5000 + seed)
      if (eDivisive(Array.from({ length: 60 }, () => 100 + 3 * z()), { pValue: 0.05 }).length > 0) alarms++
    }
    // measured: 6 of these 100; 92 of 2000 (4.6 %) on a longer run
    expect(alarms / 100).toBeLessThanOrEqual(0.1)
  })

  it('is deterministic for a seed and finds nothing in a constant or too-short series', () => {
    const xs = stepSeries(3, 50, 20, 0.05)
    expect(eDivisive(xs, { seed: 42 })).toEqual(eDivisive(xs, { seed: 42 }))
    expect(eDivisive(Array.from({ length: 30 }, () => 5))).toEqual([])
    expect(eDivisive([1, 2, 10, 11, 12])).toEqual([])
  })

  it('respects maxChangePoints and minSize', () => {
    const z = normals(11)
    const xs = Array.from({ length: 90 }, (_, i) => (i < 30 ? 100 : i < 60 ? 115 : 95) + 3 * z())
    expect(eDivisive(xs, { maxChangePoints: 1 })).toHaveLength(1)
    const late = stepSeries(9, 40, 38, 0.3)
    expect(eDivisive(late, { minSize: 3 }).every(cp => cp.index <= 37)).toBe(true)
  })

  it('names the option and the value in its errors', () => {
    expect(() => eDivisive([])).toThrow('eDivisive: xs must not be empty, received []')
    expect(() => eDivisive([1, Number.NaN, 3])).toThrow('eDivisive: xs[1] must be finite, received NaN')
    expect(() => eDivisive([1, 2, 3], { minSize: 1 })).toThrow('eDivisive: options.minSize must be an integer >= 2, received 1')
    expect(() => eDivisive([1, 2, 3], { pValue: 2 })).toThrow('eDivisive: options.pValue must be in [0, 1], received 2')
    expect(() => eDivisive([1, 2, 3], { permutations: 0 })).toThrow('eDivisive: options.permutations must be an integer >= 1, received 0')
  })
})

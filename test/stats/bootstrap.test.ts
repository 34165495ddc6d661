import { describe, expect, it } from 'vitest'
import {
  bootstrapRatioOfMedians,
  bootstrapRatioOfMediansNested,
  bootstrapSeLogMedian,
  createRng,
  median,
} from '../../src/stats/index.ts'

/** n values around `centre` with relative normal noise `spread` (Box-Muller on the seeded generator). */
function noisy(n: number, centre: number, spread: number, seed: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
    return centre * (1 + spread * z)
  })
}

describe('bootstrapRatioOfMedians', () => {
  const baseline = noisy(30, 100, 0.04, 1)

  it('identical samples: estimate 1 and an interval containing 1', () => {
    const r = bootstrapRatioOfMedians(baseline, baseline)
    expect(r.estimate).toBe(1)
    expect(r.lower).toBeLessThanOrEqual(1)
    expect(r.upper).toBeGreaterThanOrEqual(1)
    expect(r.lower).toBeLessThan(r.upper)
  })

  it('a +20 % shift gives an interval that excludes 1 and contains 1.2', () => {
    const current = noisy(30, 120, 0.04, 2)
    const r = bootstrapRatioOfMedians(baseline, current)
    expect(r.estimate).toBeCloseTo(median(current) / median(baseline), 14)
    expect(r.lower).toBeGreaterThan(1)
    expect(r.lower).toBeLessThan(1.2)
    expect(r.upper).toBeGreaterThan(1.2)
  })

  it('is deterministic for a seed and changes with it', () => {
    const current = noisy(25, 103, 0.05, 3)
    const a = bootstrapRatioOfMedians(baseline, current, { seed: 9 })
    expect(bootstrapRatioOfMedians(baseline, current, { seed: 9 })).toEqual(a)
    expect(bootstrapRatioOfMedians(baseline, current, { seed: 10 })).not.toEqual(a)
  })

  it('a higher confidence gives a wider interval', () => {
    const current = noisy(25, 103, 0.05, 3)
    const narrow = bootstrapRatioOfMedians(baseline, current, { confidence: 0.8 })
    const wide = bootstrapRatioOfMedians(baseline, current, { confidence: 0.99 })
    expect(wide.lower).toBeLessThan(narrow.lower)
    expect(wide.upper).toBeGreaterThan(narrow.upper)
  })

  it('does not mutate its inputs', () => {
    const b = Object.freeze([3, 1, 2, 5, 4])
    const c = Object.freeze([2, 6, 1, 3])
    bootstrapRatioOfMedians(b, c, { resamples: 50 })
    expect(b).toEqual([3, 1, 2, 5, 4])
    expect(c).toEqual([2, 6, 1, 3])
  })

  // how fast 2000 resamples are: test/timing/speed.test.ts
})

describe('bootstrapRatioOfMediansNested', () => {
  it('with one run per side it is the flat bootstrap, number for number', () => {
    const b = noisy(40, 100, 0.05, 6)
    const c = noisy(35, 104, 0.05, 7)
    for (const seed of [1, 2, 3]) {
      expect(bootstrapRatioOfMediansNested([b], [c], { seed })).toEqual(bootstrapRatioOfMedians(b, c, { seed }))
    }
  })

  it('estimates the ratio of pooled medians and widens the interval when runs differ', () => {
    // Five runs per side whose levels differ by a few percent: run-to-run noise the flat bootstrap ignores.
    const offsets = [0.97, 1.03, 1.0, 0.96, 1.04]
    const bRuns = offsets.map((o, i) => noisy(20, 100 * o, 0.01, 10 + i))
    const cRuns = offsets.map((o, i) => noisy(20, 100 * o, 0.01, 20 + i))
    const nested = bootstrapRatioOfMediansNested(bRuns, cRuns)
    const flat = bootstrapRatioOfMedians(bRuns.flat(), cRuns.flat())
    expect(nested.estimate).toBe(median(cRuns.flat()) / median(bRuns.flat()))
    expect(nested.estimate).toBe(flat.estimate)
    expect(nested.upper - nested.lower).toBeGreaterThan(1.5 * (flat.upper - flat.lower))
    expect(nested.lower).toBeLessThanOrEqual(1)
    expect(nested.upper).toBeGreaterThanOrEqual(1)
  })

  it('accepts runs of different lengths and is deterministic', () => {
    const bRuns = [noisy(5, 100, 0.02, 30), noisy(12, 100, 0.02, 31)]
    const cRuns = [noisy(9, 110, 0.02, 32), noisy(3, 110, 0.02, 33), noisy(7, 110, 0.02, 34)]
    const r = bootstrapRatioOfMediansNested(bRuns, cRuns, { seed: 5 })
    expect(bootstrapRatioOfMediansNested(bRuns, cRuns, { seed: 5 })).toEqual(r)
    expect(r.lower).toBeLessThanOrEqual(r.estimate)
    expect(r.upper).toBeGreaterThanOrEqual(r.estimate)
  })
})

describe('bootstrapSeLogMedian', () => {
  it('matches the large-sample standard error of a normal median, sqrt(pi / 2) sigma / sqrt(n), on the log scale', () => {
    const n = 400
    const xs = noisy(n, 100, 0.05, 40)
    const se = bootstrapSeLogMedian(xs, { resamples: 4000 })
    const expected = Math.sqrt(Math.PI / 2) * 0.05 / Math.sqrt(n)
    expect(se).toBeGreaterThan(0.7 * expected)
    expect(se).toBeLessThan(1.3 * expected)
    expect(bootstrapSeLogMedian(xs, { resamples: 4000 })).toBe(se)
    expect(bootstrapSeLogMedian(xs, { resamples: 4000, seed: 2 })).not.toBe(se)
  })

  it('is 0 without spread', () => {
    expect(bootstrapSeLogMedian([5, 5, 5, 5])).toBe(0)
  })
})

describe('bootstrap: errors', () => {
  it('rejects empty samples with the argument named', () => {
    expect(() => bootstrapRatioOfMedians([], [1])).toThrow(new RangeError('bootstrapRatioOfMedians: baseline must not be empty, received []'))
    expect(() => bootstrapRatioOfMedians([1], [])).toThrow(new RangeError('bootstrapRatioOfMedians: current must not be empty, received []'))
    expect(() => bootstrapRatioOfMediansNested([], [[1]])).toThrow(new RangeError('bootstrapRatioOfMediansNested: baselineRuns must not be empty, received []'))
    expect(() => bootstrapRatioOfMediansNested([[1]], [[1], []])).toThrow(new RangeError('bootstrapRatioOfMediansNested: currentRuns[1] must not be empty, received []'))
    expect(() => bootstrapSeLogMedian([])).toThrow(new RangeError('bootstrapSeLogMedian: xs must not be empty, received []'))
  })

  it('needs a positive baseline, a non-negative current and sane options', () => {
    expect(() => bootstrapRatioOfMedians([1, 0], [1])).toThrow(new RangeError('bootstrapRatioOfMedians: baseline[1] must be > 0, received 0'))
    expect(() => bootstrapRatioOfMedians([1], [-1])).toThrow(new RangeError('bootstrapRatioOfMedians: current[0] must be >= 0, received -1'))
    expect(bootstrapRatioOfMedians([1, 2], [0, 0]).estimate).toBe(0)
    expect(() => bootstrapRatioOfMedians([1], [1], { confidence: 1 })).toThrow(new RangeError('bootstrapRatioOfMedians: confidence must be in (0, 1), received 1'))
    expect(() => bootstrapRatioOfMedians([1], [1], { resamples: 0 })).toThrow(new RangeError('bootstrapRatioOfMedians: resamples must be an integer >= 1, received 0'))
    expect(() => bootstrapRatioOfMedians([1], [1], { seed: 0.5 })).toThrow(new RangeError('bootstrapRatioOfMedians: seed must be a safe integer, received 0.5'))
    expect(() => bootstrapSeLogMedian([1, 2], { resamples: 1 })).toThrow(new RangeError('bootstrapSeLogMedian: resamples must be an integer >= 2, received 1'))
  })
})

describe('bootstrap: coverage sanity', () => {
  it('the 95 % interval of a no-change comparison contains 1 in most of 60 independent trials', () => {
    let covered = 0
    for (let trial = 0; trial < 60; trial++) {
      const b = noisy(30, 100, 0.05, 100 + trial)
      const c = noisy(30, 100, 0.05, 200 + trial)
      const r = bootstrapRatioOfMedians(b, c, { resamples: 500, seed: trial + 1 })
      if (r.lower <= 1 && r.upper >= 1) covered++
    }
    // Expected ~57 of 60; the percentile interval of a median under-covers a little at n = 30.
    expect(covered).toBeGreaterThanOrEqual(50)
  })
})

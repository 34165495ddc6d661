import { describe, expect, it } from 'vitest'
import { gateDefaults } from '../../src/config/gate.ts'
import { comparePairedRuns, keptPairs } from '../../src/compare/paired.ts'
import { compareMetricRuns } from '../../src/compare/metric.ts'
import type { ResolvedDecision } from '../../src/scenario/measured.ts'
import { createRng } from '../../src/stats/random.ts'

const decision: ResolvedDecision = {
  thresholds: { ...gateDefaults.thresholds },
  alpha: 0.05,
  failOn: 'critical',
  noisePrior: { ...gateDefaults.noisePrior },
  resamples: 500,
}

/** A run of 10 rounds around `level` with 0.5 % within-run noise. */
function run(level: number, rng: () => number): number[] {
  return Array.from({ length: 10 }, () => level * (1 + 0.005 * (2 * rng() - 1)))
}

describe('comparePairedRuns', () => {
  it('cancels a slow drift of the machine that the unpaired decision counts as noise', () => {
    const rng = createRng(3)
    // the machine slows by 30 % over the comparison; head is 8 % slower than base throughout
    const drift = [1, 1.08, 1.15, 1.22, 1.3]
    const base = drift.map(d => run(10 * d, rng))
    const head = drift.map(d => run(10.8 * d, rng))
    const paired = comparePairedRuns(base, head, decision)
    expect(paired.change.estimate).toBeCloseTo(0.08, 2)
    expect(paired.change.lower).toBeGreaterThan(0.05)
    expect(paired.change.upper).toBeLessThan(0.11)
    const unpaired = compareMetricRuns(base, head, decision)
    expect(unpaired.change.upper - unpaired.change.lower).toBeGreaterThan(3 * (paired.change.upper - paired.change.lower))
  })

  it('finds no change in identical pairs, its interval no narrower than the noise prior allows', () => {
    const rng = createRng(4)
    const base = [1, 1.02, 0.99, 1.01, 1].map(d => run(10 * d, rng))
    const head = [1, 1.02, 0.99, 1.01, 1].map(d => run(10 * d, rng))
    const stats = comparePairedRuns(base, head, decision)
    expect(Math.abs(stats.change.estimate)).toBeLessThan(0.005)
    expect(stats.p).toBeGreaterThan(0.05)
    // prior: 2 % run CV on each side, worth 3 pairs
    expect(stats.change.upper - stats.change.lower).toBeGreaterThan(0.02)
  })

  it('leaves out a pair with a run slowed as a whole by a burst, when three pairs remain', () => {
    expect(keptPairs([10, 10.1, 16, 10, 10.2], [11, 11, 11.1, 17.5, 11])).toEqual([0, 1, 4])
    // too few left: keep every pair
    expect(keptPairs([10, 16, 16.2, 10], [11, 11, 17, 17])).toEqual([0, 1, 2, 3])
    const rng = createRng(5)
    const base = [10, 10.1, 16, 10, 10.2].map(l => run(l, rng))
    const head = [11, 11, 11.1, 17.5, 11].map(l => run(l, rng))
    expect(comparePairedRuns(base, head, decision).change.estimate).toBeCloseTo(0.09, 1)
  })

  it('needs the same number of runs per side', () => {
    expect(() => comparePairedRuns([[1], [1]], [[1]], decision)).toThrow(/same number/)
  })
})

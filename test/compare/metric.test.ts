import { describe, expect, it } from 'vitest'
import { gateDefaults } from '../../src/config/gate.ts'
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

/** A run of 20 rounds around `level` with 1 % within-run noise. */
function run(level: number, rng: () => number): number[] {
  return Array.from({ length: 20 }, () => level * (1 + 0.01 * (2 * rng() - 1)))
}

const geometricMean = (values: readonly number[]): number => Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length)

describe('compareMetricRuns', () => {
  it('estimates the change from the runs, so a process-level mode that lands on more current runs is noise, not a change', () => {
    // identical code whose processes come out either fast or 1.87x slow: one slow run of five in
    // the baseline, three in the current side. The pooled rounds' median jumps from the fast mode
    // to the slow one (+87 %), which the run-to-run spread (the test's noise) cannot explain.
    const rng = createRng(7)
    const baseLevels = [1, 1, 1, 1, 1.87]
    const curLevels = [1, 1.87, 1, 1.87, 1.87]
    const stats = compareMetricRuns(baseLevels.map(l => run(l, rng)), curLevels.map(l => run(l, rng)), decision)
    expect(stats.change.estimate).toBeCloseTo(geometricMean(curLevels) / geometricMean(baseLevels) - 1, 2)
    expect(stats.pNoise).toBeGreaterThan(0.05)
    expect(stats.p).toBeGreaterThan(0.05)
    expect(stats.change.lower).toBeLessThan(0)
  })

  it('still finds a uniform slowdown of steady runs, estimated at its size', () => {
    const rng = createRng(8)
    const baseLevels = [1, 1.01, 0.99, 1.005, 0.995]
    const stats = compareMetricRuns(baseLevels.map(l => run(l, rng)), baseLevels.map(l => run(1.2 * l, rng)), decision)
    expect(stats.change.estimate).toBeCloseTo(0.2, 2)
    expect(stats.p).toBeLessThan(0.001)
    expect(stats.change.lower).toBeGreaterThan(0.1)
  })

  it('estimates a single run per side by its median', () => {
    const rng = createRng(9)
    const base = [run(1, rng)]
    const cur = [run(1.5, rng)]
    const median = (v: readonly number[]): number => [...v].sort((a, b) => a - b).slice(9, 11).reduce((a, b) => a + b) / 2
    expect(compareMetricRuns(base, cur, decision).change.estimate).toBeCloseTo(median(cur[0]!) / median(base[0]!) - 1, 6)
  })
})

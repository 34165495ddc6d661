import { describe, expect, it } from 'vitest'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { compareDeterministic, deterministicVerdict, NOISE_MARGIN } from '../../src/compare/deterministic.ts'
import { noiseFloor, roundProfile } from '../../src/stats/noise-floor.ts'
import { withMetricThresholds } from '../../src/compare/metric-thresholds.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import type { MeasuredBenchmark, ResolvedDecision } from '../../src/scenario/measured.ts'
import { INSTRUCTIONS_SPEC, isDeterministicMetric } from '../../src/measure/mode.ts'

const decision: ResolvedDecision = {
  thresholds: { warning: 0.05, critical: 0.10 },
  alpha: 0.05,
  failOn: 'critical',
  noisePrior: { cv: 0.02, weight: 3 },
  resamples: 200,
}
const environment = { cpuModel: 'test cpu', cores: 2, os: 'linux-x64', node: 'v20.0.0', vitest: '4.1.12', benchgate: '0.1.0' }
const files = new Set(['a.bench.ts'])

/**
 * Instruction counts the way Callgrind reports them: each run repeats the same per-round pattern
 * (a JIT warm-up round, a GC round) up to a few hundred instructions, `jitter` (relative) apart.
 */
function counts(center: number, { runCount = 3, jitter = 2e-5, seed = 1 } = {}): number[][] {
  const pattern = [1.4, 1, 1, 1.02, 1, 1, 0.99, 1, 1, 1]
  return Array.from({ length: runCount }, (_, r) =>
    pattern.map((f, i) => Math.round(center * f * (1 + jitter * Math.sin(seed * 7 + r * 13 + i * 3)))))
}

function bench(key: string, runs: number[][], extra: Partial<MeasuredBenchmark> = {}): MeasuredBenchmark {
  return {
    key,
    file: 'a.bench.ts',
    name: key.split(' > ').at(-1)!,
    kind: 'scenario',
    tags: [],
    configHash: '0123456789abcdef',
    rounds: runs[0]!.length,
    metrics: { instructions: { spec: { ...INSTRUCTIONS_SPEC }, runs } },
    ...extra,
  }
}

const baselineOf = (benches: MeasuredBenchmark[]): BaselineFile => mergeBaseline(undefined, benches, { environment, now: '2026-01-01T00:00:00.000Z' })
const metricOf = (result: ReturnType<typeof compareWithBaseline>, key = 'a.bench.ts > x') => result.benchmarks.find(b => b.key === key)!.metrics.find(m => m.metric === 'instructions')!

describe('noiseFloor', () => {
  it('is how far the farthest run strays from the others (its median ratio to the per-round medians)', () => {
    expect(noiseFloor([[100, 100], [101, 101], [99, 99]])).toBeCloseTo(0.01, 12)
    expect(noiseFloor([[1000, 1000, 5000], [1002, 1002, 9000], [1000, 1000, 1]])).toBeCloseTo(0.002, 12)
  })

  it('is 0 for one run, identical runs and a median of 0', () => {
    expect(noiseFloor([[5, 6, 7]])).toBe(0)
    expect(noiseFloor([[5, 6, 7], [5, 6, 7]])).toBe(0)
    expect(noiseFloor([[0, 0], [0, 0], [3, 3]])).toBe(0)
  })
})

describe('the baseline stores the noise floor of deterministic metrics only', () => {
  it('writes noiseFloor for Ir with two runs or more, not for times or one run', () => {
    const base = baselineOf([
      bench('a.bench.ts > x', [[100, 100], [101, 101], [99, 99]]),
      bench('a.bench.ts > one', [[100, 100]]),
      { ...bench('a.bench.ts > t', [[1, 1], [2, 2]]), metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: [[1, 1], [2, 2]] } } },
    ])
    expect(base.entries['a.bench.ts > x']!.metrics.instructions!.noiseFloor).toBeCloseTo(0.01, 12)
    expect(base.entries['a.bench.ts > one']!.metrics.instructions!.noiseFloor).toBeUndefined()
    expect(base.entries['a.bench.ts > t']!.metrics.time!.noiseFloor).toBeUndefined()
  })
})

describe('deterministicVerdict', () => {
  const t = { warning: 0.05, critical: 0.10 }
  const at = (change: number, floor: number) => deterministicVerdict({ baseline: 100, current: 100 * (1 + change), change, floor, floorMeasured: true }, 'lower', t)

  it('grades a change beyond the margin by the thresholds', () => {
    expect(at(0.12, 1e-5).verdict).toBe('critical')
    expect(at(0.07, 1e-5).verdict).toBe('warning')
    expect(at(-0.07, 1e-5).verdict).toBe('improved')
    expect(at(0.03, 1e-5).verdict).toBe('ok')
    expect(at(0.03, 1e-5).message).toMatch(/beyond the noise floor but below the 5 % warning threshold/)
  })

  it('calls a change within the margin noise, and a floor too wide for the thresholds unstable', () => {
    expect(at(0.001, 0.001).verdict).toBe('ok')
    expect(at(0.001, 0.001).message).toMatch(/within 3 x the noise floor/)
    // 3 x 2 % = 6 % margin: a 4 % change cannot be told from noise at a 5 % threshold
    expect(at(0.04, 0.02).verdict).toBe('unstable')
    expect(at(0.12, 0.02).verdict).toBe('critical')
  })

  it('judges "higher is better" metrics the other way round', () => {
    const v = deterministicVerdict({ baseline: 100, current: 88, change: -0.12, floor: 0, floorMeasured: true }, 'higher', t)
    expect(v.verdict).toBe('critical')
  })
})

describe('compareWithBaseline on instruction counts', () => {
  const base = baselineOf([bench('a.bench.ts > x', counts(5e7))])

  it('passes unchanged reruns as ok, within the measured floor, with no p-value', () => {
    for (let seed = 2; seed < 12; seed++) {
      const m = metricOf(compareWithBaseline([bench('a.bench.ts > x', counts(5e7, { seed }))], base, { decision, mode: 'compare', filesRun: files }))
      expect(m.verdict).toBe('ok')
      expect(Math.abs(m.change!.estimate)).toBeLessThan(1e-4)
      expect(m.noiseFloor).toBeGreaterThan(0)
      expect(m.noiseFloor).toBeLessThan(1e-4)
      expect(m.pValue).toBeUndefined()
      expect(m.change!.lower).toBeCloseTo(m.change!.estimate - NOISE_MARGIN * m.noiseFloor!, 12)
    }
  })

  it('is critical for twice the work, and the run fails', () => {
    const r = compareWithBaseline([bench('a.bench.ts > x', counts(1e8))], base, { decision, mode: 'compare', filesRun: files })
    const m = metricOf(r)
    expect(m.verdict).toBe('critical')
    expect(m.change!.estimate).toBeCloseTo(1, 3)
    expect(m.failed).toBe(true)
    expect(r.passed).toBe(false)
  })

  it('flags +1 % at a 0.5 % per-metric threshold (metricThresholds) and leaves it ok at the default 5 %', () => {
    const plus1 = [bench('a.bench.ts > x', counts(5.05e7, { seed: 3 }))]
    expect(metricOf(compareWithBaseline(plus1, base, { decision, mode: 'compare', filesRun: files })).verdict).toBe('ok')
    const gated = withMetricThresholds(plus1, { instructions: { warning: 0.0025, critical: 0.005 } })
    const m = metricOf(compareWithBaseline(gated, base, { decision, mode: 'compare', filesRun: files }))
    expect(m.verdict).toBe('critical')
    expect(m.thresholds).toEqual({ warning: 0.0025, critical: 0.005 })
  })

  it('uses the floor stored in the baseline, not an assumed one', () => {
    const noisy = baselineOf([bench('a.bench.ts > x', counts(5e7, { jitter: 0 }))])
    noisy.entries['a.bench.ts > x']!.metrics.instructions!.noiseFloor = 0.02
    const m = metricOf(compareWithBaseline([bench('a.bench.ts > x', counts(5.2e7, { jitter: 0 }))], noisy, { decision, mode: 'compare', filesRun: files }))
    // +4 % is within 3 x 2 %: not decidable at a 5 % warning threshold
    expect(m.noiseFloor).toBe(0.02)
    expect(m.verdict).toBe('unstable')
  })

  it('says when no floor could be measured (one run on each side)', () => {
    const one = baselineOf([bench('a.bench.ts > x', counts(5e7, { runCount: 1 }))])
    const m = metricOf(compareWithBaseline([bench('a.bench.ts > x', counts(5.6e7, { runCount: 1 }))], one, { decision, mode: 'compare', filesRun: files }))
    expect(m.verdict).toBe('critical')
    expect(m.message).toMatch(/noise floor unknown: one run on each side/)
  })

  it('marks a changed config stale, and leaves time metrics to the statistical decision', () => {
    const stale = compareWithBaseline([bench('a.bench.ts > x', counts(1e8), { configHash: 'ffffffffffffffff' })], base, { decision, mode: 'compare', filesRun: files })
    expect(metricOf(stale).verdict).toBe('stale')
    expect(isDeterministicMetric({ unit: 'Ir' })).toBe(true)
    expect(isDeterministicMetric({ unit: 'ms' })).toBe(false)
  })

  it('compares round i with round i: a round disturbed in one run moves neither the estimate nor the floor', () => {
    const current = counts(5e7, { runCount: 2 })
    // the event loop ran a timer of the test runner inside one async round: +4 % in that round only
    current[0]![2] = Math.round(current[0]![2]! * 1.04)
    const c = compareDeterministic({ runs: counts(5e7) }, current)
    expect(Math.abs(c.change!)).toBeLessThan(1e-4)
    expect(c.floor).toBeLessThan(1e-4)
    // a real change moves every round
    const slower = counts(5.25e7, { runCount: 2 })
    expect(compareDeterministic({ runs: counts(5e7) }, slower).change).toBeCloseTo(0.05, 4)
  })

  it('falls back to medians of run medians when the rounds do not line up (another rounds override)', () => {
    const short = counts(5e7, { jitter: 0 }).map(run => run.slice(0, 7))
    expect(roundProfile(short)).toHaveLength(7)
    expect(roundProfile([[1, 2, 3], [1, 2]])).toBeUndefined()
    const c = compareDeterministic({ runs: counts(5e7, { jitter: 0 }) }, short.map(run => run.map(v => v * 1.02)))
    expect(c.change).toBeCloseTo(0.02, 10)
    expect(noiseFloor([[100, 100, 100], [102, 102]])).toBeCloseTo(1 / 101, 10)
  })
})

import { describe, expect, it } from 'vitest'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import { withoutBurstRuns } from '../../src/compare/metric.ts'
import type { MeasuredBenchmark, ResolvedDecision } from '../../src/scenario/measured.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { createRng } from '../../src/stats/random.ts'

const decision: ResolvedDecision = {
  thresholds: { warning: 0.05, critical: 0.10 },
  alpha: 0.05,
  failOn: 'critical',
  noisePrior: { cv: 0.02, weight: 3 },
  resamples: 500,
}
const environment = { cpuModel: 'test cpu', cores: 2, os: 'linux-x64', node: 'v20.0.0', vitest: '4.1.12', benchgate: '0.1.0' }

/** Runs of log-normal noise around `center`: each run gets its own offset (run-to-run drift). */
function runs(center: number, { seed, runCount = 3, rounds = 15, within = 0.01, between = 0.005 }: { seed: number, runCount?: number, rounds?: number, within?: number, between?: number }): number[][] {
  const rng = createRng(seed)
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  return Array.from({ length: runCount }, () => {
    const offset = between * normal()
    return Array.from({ length: rounds }, () => center * Math.exp(offset + within * normal()))
  })
}

function measured(key: string, time: number[][], extra: Partial<MeasuredBenchmark> = {}): MeasuredBenchmark {
  return {
    key,
    file: 'a.bench.ts',
    name: key.split(' > ').at(-1)!,
    kind: 'scenario',
    tags: [],
    configHash: '0123456789abcdef',
    rounds: time[0]!.length,
    metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: time } },
    ...extra,
  }
}

function baselineOf(benches: MeasuredBenchmark[]): BaselineFile {
  return mergeBaseline(undefined, benches, { environment, now: '2026-01-01T00:00:00.000Z' })
}

const files = new Set(['a.bench.ts'])
const verdictOf = (result: ReturnType<typeof compareWithBaseline>, key: string, metric = 'time') =>
  result.benchmarks.find(b => b.key === key)!.metrics.find(m => m.metric === metric)!

describe('compareWithBaseline', () => {
  const base = baselineOf([measured('a.bench.ts > x', runs(10, { seed: 1, runCount: 5 }))])

  it('passes unchanged code as ok', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(10, { seed: 2 }))], base, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > x')
    expect(m.verdict).toBe('ok')
    expect(m.change!.lower).toBeLessThan(0.0)
    expect(m.change!.upper).toBeGreaterThan(0.0)
    expect(r.passed).toBe(true)
  })

  it('flags a 30 % slowdown as critical and fails', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(13, { seed: 3 }))], base, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > x')
    expect(m.verdict).toBe('critical')
    expect(m.failed).toBe(true)
    expect(m.change!.estimate).toBeCloseTo(0.3, 1)
    expect(m.message).toMatch(/worse by more than 10 %/)
    expect(r.passed).toBe(false)
    expect(r.counts).toMatchObject({ total: 1, failed: 1, critical: 1 })
  })

  it('calls a 7 % slowdown a warning that passes', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(10.7, { seed: 4 }))], base, { decision, mode: 'compare', filesRun: files })
    expect(verdictOf(r, 'a.bench.ts > x').verdict).toBe('warning')
    expect(r.passed).toBe(true)
    const strict = compareWithBaseline([measured('a.bench.ts > x', runs(10.7, { seed: 4 }))], base, { decision: { ...decision, failOn: 'warning' }, mode: 'compare', filesRun: files })
    expect(strict.passed).toBe(false)
  })

  it('never fails a speed-up: 30 % faster is improved', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(7, { seed: 5 }))], base, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > x')
    expect(m.verdict).toBe('improved')
    expect(m.failed).toBe(false)
    expect(m.message).toMatch(/record it with -u/)
  })

  it('respects direction: a hit rate that drops 30 % is critical, one that rises is improved', () => {
    const hit = (center: number, seed: number) => measured('a.bench.ts > x', runs(10, { seed }), {
      metrics: {
        time: { spec: { direction: 'lower', unit: 'ms' }, runs: runs(10, { seed: seed + 100 }) },
        hit_rate: { spec: { direction: 'higher', unit: 'ratio' }, runs: runs(center, { seed }) },
      },
    })
    const b = baselineOf([hit(0.8, 10)])
    expect(verdictOf(compareWithBaseline([hit(0.56, 11)], b, { decision, mode: 'compare', filesRun: files }), 'a.bench.ts > x', 'hit_rate').verdict).toBe('critical')
    expect(verdictOf(compareWithBaseline([hit(0.95, 12)], b, { decision, mode: 'compare', filesRun: files }), 'a.bench.ts > x', 'hit_rate').verdict).toBe('improved')
  })

  it('fails a broken absolute bound even without a baseline', () => {
    const bench = measured('a.bench.ts > y', runs(10, { seed: 6 }), {
      metrics: { hit_rate: { spec: { direction: 'higher', unit: 'ratio', min: 0.6 }, runs: [[0.4, 0.41, 0.39]] } },
    })
    const r = compareWithBaseline([bench], undefined, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > y', 'hit_rate')
    expect(m.verdict).toBe('critical')
    expect(m.bounds).toEqual({ min: 0.6, violated: true })
    expect(m.message).toBe('median 0.4 ratio breaks the bound >= 0.6')
  })

  it('marks new, stale and missing benchmarks without failing', () => {
    const b = baselineOf([measured('a.bench.ts > x', runs(10, { seed: 1 })), measured('a.bench.ts > gone', runs(10, { seed: 1 }))])
    const r = compareWithBaseline([
      measured('a.bench.ts > x', runs(20, { seed: 7 }), { configHash: 'fedcba9876543210' }),
      measured('a.bench.ts > fresh', runs(10, { seed: 8 })),
    ], b, { decision, mode: 'compare', filesRun: files })
    expect(verdictOf(r, 'a.bench.ts > x').verdict).toBe('stale')
    expect(verdictOf(r, 'a.bench.ts > fresh').verdict).toBe('new')
    expect(verdictOf(r, 'a.bench.ts > gone').verdict).toBe('missing')
    expect(r.passed).toBe(true)
    // an entry of a file that did not run is not missing
    const other = compareWithBaseline([], b, { decision, mode: 'compare', filesRun: new Set(['b.bench.ts']) })
    expect(other.benchmarks).toHaveLength(0)
  })

  it('reports a very noisy comparison as unstable instead of failing it', () => {
    // run medians 9, 10, 11 (10 % run-to-run spread) vs the same shifted by +3 %
    const spread = (center: number) => [0.9, 1, 1.1].map((f, i) => Array.from({ length: 15 }, (_, j) => center * f * (1 + 0.002 * ((i * 7 + j) % 5))))
    const noisyBase = baselineOf([measured('a.bench.ts > x', spread(10))])
    const r = compareWithBaseline([measured('a.bench.ts > x', spread(10.3))], noisyBase, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > x')
    expect(m.verdict).toBe('unstable')
    expect(m.failed).toBe(false)
    expect(m.message).toMatch(/too noisy to decide/)
  })

  it('reports a scenario error as a failing error row', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(10, { seed: 2 }), { error: { message: 'boom' } })], base, { decision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, 'a.bench.ts > x')
    expect(m.verdict).toBe('error')
    expect(m.message).toBe('scenario threw: boom')
    expect(r.passed).toBe(false)
  })

  it('does not fail relative changes in update mode', () => {
    const r = compareWithBaseline([measured('a.bench.ts > x', runs(13, { seed: 3 }))], base, { decision, mode: 'update', filesRun: files })
    expect(verdictOf(r, 'a.bench.ts > x').verdict).toBe('critical')
    expect(r.passed).toBe(true)
  })

  it('applies Holm across comparisons: adjusted p is never below the raw p', () => {
    const benches = Array.from({ length: 5 }, (_, i) => measured(`a.bench.ts > b${i}`, runs(10, { seed: 30 + i, runCount: 5 })))
    const b = baselineOf(benches)
    const r = compareWithBaseline(benches.map((x, i) => measured(x.key, runs(10 * (1 + 0.02 * i), { seed: 40 + i }))), b, { decision, mode: 'compare', filesRun: files })
    for (const bench of r.benchmarks) {
      const m = bench.metrics[0]!
      expect(m.pAdjusted!).toBeGreaterThanOrEqual(m.pValue!)
    }
  })
})

describe('withoutBurstRuns', () => {
  it('drops a minority of runs slowed as a whole when the rest are steady, and nothing otherwise', () => {
    const steady = [[2.1, 2.2], [2.15, 2.2], [3.5, 3.6], [2.12, 2.18], [2.14, 2.16]]
    expect(withoutBurstRuns(steady)).toEqual([[2.1, 2.2], [2.15, 2.2], [2.12, 2.18], [2.14, 2.16]])
    // every run varies widely (GC- or I/O-bound): a slow run is ordinary spread
    const wide = [[2.0], [2.4], [2.9], [2.2], [2.7]]
    expect(withoutBurstRuns(wide)).toEqual(wide)
    // the fast cluster counts even when it is the minority (processes are fast or slow at random)
    const mostly = [[2.0], [3.0], [3.1], [3.05], [2.02]]
    expect(withoutBurstRuns(mostly)).toEqual([[2.0], [2.02]])
    // a single fast run cannot show that it is steady: keep everything
    const lone = [[2.0], [3.0], [3.1], [3.05], [3.02]]
    expect(withoutBurstRuns(lone)).toEqual(lone)
  })
})

describe('compareWithBaseline and the machine\'s move since the baseline', () => {
  const probes = (compute: number, memory: number, alloc: number, n = 5) => Array.from({ length: n }, () => ({ probe: { compute, memory, alloc } }))
  const driftDecision: ResolvedDecision = { ...decision, sessionDrift: 0.04, maxDrift: 0.25 }
  const key = 'a.bench.ts > x'
  const base = baselineOf([measured(key, runs(10, { seed: 1, runCount: 5 }), { machine: probes(1, 2, 1) })])

  it('stores the probes of every run in the baseline entry', () => {
    expect(base.entries[key]!.probes).toEqual(probes(1, 2, 1).map(m => m.probe))
  })

  it('on a machine that has not moved, fails a 30 % slowdown with sessionDrift as the only drift allowance', () => {
    const r = compareWithBaseline([measured(key, runs(13, { seed: 3, runCount: 5 }), { machine: probes(1, 2, 1) })], base, { decision: driftDecision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, key)
    expect(m.verdict).toBe('critical')
    expect(m.noise!.drift).toBeCloseTo(0.04, 10)
    expect(r.benchmarks[0]!.machine!.drift).toEqual({ compute: 1, memory: 1, alloc: 1 })
    expect(r.benchmarks[0]!.machine!.move!.beyondNoise).toBe(0)
  })

  it('widens a time metric\'s interval by the largest move of any kind of work beyond the probes\' noise', () => {
    const still = compareWithBaseline([measured(key, runs(10, { seed: 4, runCount: 5 }), { machine: probes(1, 2, 1) })], base, { decision: driftDecision, mode: 'compare', filesRun: files })
    const moved = compareWithBaseline([measured(key, runs(10, { seed: 4, runCount: 5 }), { machine: probes(1, 2.2, 1) })], base, { decision: driftDecision, mode: 'compare', filesRun: files })
    const [a, b] = [verdictOf(still, key), verdictOf(moved, key)]
    const move = moved.benchmarks[0]!.machine!.move!
    expect(move.kind).toBe('memory')
    // a 10 % move of identical probes, less twice the prior's standard error, on top of sessionDrift
    expect(b.noise!.drift).toBeCloseTo(Math.expm1(Math.hypot(Math.log1p(0.04), Math.log1p(move.beyondNoise))), 10)
    expect(move.beyondNoise).toBeGreaterThan(0.06)
    expect(move.beyondNoise).toBeLessThan(0.1)
    expect(b.change!.upper - b.change!.lower).toBeGreaterThan(a.change!.upper - a.change!.lower + 0.05)
    expect(b.detectable!).toBeGreaterThan(a.detectable!)
  })

  it('never fails a time metric when the machine moved past maxDrift, and names the move', () => {
    // the code is 3x slower, but so is the machine's memory: nothing can be told apart
    const r = compareWithBaseline([measured(key, runs(30, { seed: 5, runCount: 5 }), { machine: probes(1, 6, 1) })], base, { decision: driftDecision, mode: 'compare', filesRun: files })
    const m = verdictOf(r, key)
    expect(m.verdict).toBe('unstable')
    expect(m.failed).toBe(false)
    expect(m.message).toMatch(/this machine is 3\.0x slower \(memory probe\) than when the baseline was recorded: wall-time verdicts against this baseline are unreliable/)
    expect(r.passed).toBe(true)
  })

  it('still fails a broken bound when the machine moved', () => {
    const boundBase = baselineOf([measured(key, runs(10, { seed: 1, runCount: 5 }), { machine: probes(1, 2, 1) })])
    const cur = measured(key, runs(30, { seed: 5, runCount: 5 }), { machine: probes(1, 6, 1) })
    cur.metrics.time!.spec = { direction: 'lower', unit: 'ms', max: 20 }
    const m = verdictOf(compareWithBaseline([cur], boundBase, { decision: driftDecision, mode: 'compare', filesRun: files }), key)
    expect(m.verdict).toBe('critical')
  })

  it('assumes sessionDrift for a baseline without probes, and nothing when both sides were measured together', () => {
    const legacy = baselineOf([measured(key, runs(10, { seed: 1, runCount: 5 }))])
    const cur = measured(key, runs(10, { seed: 6, runCount: 5 }), { machine: probes(1, 2, 1) })
    expect(verdictOf(compareWithBaseline([cur], legacy, { decision: driftDecision, mode: 'compare', filesRun: files }), key).noise!.drift).toBeCloseTo(0.04, 10)
    const together = verdictOf(compareWithBaseline([cur], base, { decision: driftDecision, mode: 'compare', filesRun: files, sameSession: true }), key)
    expect(together.noise!.drift).toBeUndefined()
    expect(together.detectable!).toBeGreaterThan(0)
  })

  it('runs without probes (probes: false) store none, assume sessionDrift against a baseline with probes, and still report their CPUs', () => {
    const unprobed = [{ cpu: 1 }, {}, { cpu: 0 }, { cpu: 1 }, {}]
    expect(baselineOf([measured(key, runs(10, { seed: 1, runCount: 5 }), { machine: unprobed })]).entries[key]!.probes).toBeUndefined()
    const r = compareWithBaseline([measured(key, runs(10, { seed: 6, runCount: 5 }), { machine: unprobed })], base, { decision: driftDecision, mode: 'compare', filesRun: files })
    expect(verdictOf(r, key).noise!.drift).toBeCloseTo(0.04, 10)
    const machine = r.benchmarks.find(b => b.key === key)!.machine!
    expect(machine.current).toBeUndefined()
    expect(machine.cpus).toEqual([1, null, 0, 1, null])
    expect(machine.drift).toBeUndefined()
  })

  it('says what an unstable comparison could have detected', () => {
    const noisy = baselineOf([measured(key, runs(10, { seed: 1, runCount: 5, between: 0.2 }), { machine: probes(1, 2, 1) })])
    const m = verdictOf(compareWithBaseline([measured(key, runs(10, { seed: 7, runCount: 5, between: 0.2 }), { machine: probes(1, 2, 1) })], noisy, { decision: driftDecision, mode: 'compare', filesRun: files }), key)
    expect(m.verdict).toBe('unstable')
    expect(m.message).toContain(`could detect changes of ${(m.detectable! * 100).toFixed(0)} % or more`)
  })
})

describe('relativeResolution', () => {
  it('finds the step of quantized values relative to their median, and nothing in continuous ones', async () => {
    const { relativeResolution } = await import('../../src/compare/metric.ts')
    const quantized = [80, 90, 90, 90, 90, 90, 100, 90, 90, 80].map(v => v / 1e6)
    expect(relativeResolution(quantized)).toBeCloseTo(10 / 90, 10)
    expect(relativeResolution([1.01, 1.02, 1.035, 0.99, 1.003, 1.017])).toBe(0)
    expect(relativeResolution([5, 5, 5, 5])).toBe(0)
  })

  it('keeps a change smaller than one step of a quantized timer from looking precise', () => {
    // every run's median sits on the same 90 ns step: the spread says 0, the timer says +-10 ns
    const step = (center: number, seed: number) => runs(center, { seed, runCount: 5, rounds: 200, within: 0.03, between: 0 }).map(r => r.map(v => Math.round(v / 10) * 10 / 1e6))
    const base = baselineOf([measured('a.bench.ts > tiny', step(90, 1), { kind: 'bench' })])
    const m = verdictOf(compareWithBaseline([measured('a.bench.ts > tiny', step(93, 2), { kind: 'bench' })], base, { decision, mode: 'compare', filesRun: files }), 'a.bench.ts > tiny')
    expect(m.change!.estimate).toBe(0)
    expect(m.verdict).toBe('unstable')
    expect(m.detectable!).toBeGreaterThan(0.1)
  })
})

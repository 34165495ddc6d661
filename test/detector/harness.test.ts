import { describe, expect, it } from 'vitest'
import type { MeasuredBenchmark, ResolvedDecision } from '../../src/scenario/measured.ts'
import { createRng } from '../../src/stats/random.ts'
import { evaluate } from '../../scripts/detector/evaluate.ts'
import { tryMethod } from '../../scripts/detector/main.ts'
import { autoMethod, benchgateMethod, meanRuleMethod, vitestCompareMethod } from '../../scripts/detector/methods.ts'
import { interleave, truncateRounds, type PoolRun } from '../../scripts/detector/pool.ts'
import { rate, shortName } from '../../scripts/detector/table.ts'
import { drawTrials, reuseOf, sample } from '../../scripts/detector/trials.ts'

const decision: ResolvedDecision = { thresholds: { warning: 0.05, critical: 0.1 }, alpha: 0.05, failOn: 'critical', noisePrior: { cv: 0.02, weight: 3 }, resamples: 200 }

/** A benchmark measured in `runs` runs of 10 rounds around `level` (1 % noise, seeded). */
function measured(level: number, runs: number, seed: number): MeasuredBenchmark[] {
  const rng = createRng(seed)
  return [{
    key: 'a.bench.ts > spin', file: 'a.bench.ts', name: 'spin', kind: 'scenario', tags: [], configHash: 'h', rounds: 10,
    metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: Array.from({ length: runs }, () => Array.from({ length: 10 }, () => level * (1 + 0.01 * (rng() - 0.5)))) } },
  }]
}

function poolRun(variant: string, seq: number, level: number): PoolRun {
  const bench = measured(level, 1, seq + 1)[0]!
  return { variant, seq, wallMs: 1000, load: 0.5, benchmarks: [{ key: bench.key, file: bench.file, name: bench.name, kind: 'scenario', tags: [], configHash: 'h', metrics: { time: { spec: bench.metrics.time!.spec, values: bench.metrics.time!.runs[0]! } } }] }
}

describe('detector harness', () => {
  it('interleaves variants evenly in proportion to their counts', () => {
    const order = interleave({ A: 4, B: 2, C: 2 })
    expect(order).toHaveLength(8)
    expect(order.filter(v => v === 'A')).toHaveLength(4)
    // every prefix holds each variant's share of the runs, give or take one run
    const counts = { A: 50, B: 20, C: 20, D: 10 }
    const long = interleave(counts)
    for (let k = 1; k <= long.length; k++) {
      for (const [v, n] of Object.entries(counts)) expect(Math.abs(long.slice(0, k).filter(x => x === v).length - (k * n) / 100)).toBeLessThan(1.5)
    }
    expect(interleave({ A: 3, B: 0 })).toEqual(['A', 'A', 'A'])
  })

  it('draws distinct runs within a trial, seeded, and says how much trials reuse runs', () => {
    const rng = createRng(3)
    const s = sample(rng, [0, 1, 2, 3, 4, 5], 6)
    expect([...s].sort()).toEqual([0, 1, 2, 3, 4, 5])
    expect(() => sample(rng, [0, 1], 3)).toThrow(/cannot draw 3 distinct runs from 2/)
    const options = { control: 'A', sizes: { 'A': 20, '+5 %': 6 }, aaTrials: 50, abTrials: 30, baselineRuns: 5, runs: 3, seed: 7 }
    const trials = drawTrials(options)
    expect(trials.filter(t => t.kind === 'A/A')).toHaveLength(50)
    expect(trials.filter(t => t.kind === '+5 %')).toHaveLength(30)
    for (const t of trials) {
      expect(t.baseline).toHaveLength(5)
      expect(t.current).toHaveLength(3)
      if (t.kind === 'A/A') expect(new Set([...t.baseline, ...t.current]).size).toBe(8)
    }
    expect(drawTrials(options)).toEqual(trials)
    expect(reuseOf(trials, 'A', 20, 'A')).toBeCloseTo((50 * 8 + 30 * 5) / 20)
    expect(reuseOf(trials, '+5 %', 6, 'A')).toBeCloseTo(30 * 3 / 6)
    const split = drawTrials({ ...options, mode: 'split' })
    for (const t of split.filter(t => t.kind === 'A/A')) {
      expect(Math.max(...t.baseline)).toBeLessThan(10)
      expect(Math.min(...t.current)).toBeGreaterThanOrEqual(10)
    }
    expect(() => drawTrials({ ...options, sizes: { A: 7 } })).toThrow(/variant A: 7 runs, but an A\/A trial needs 8/)
  })

  it('benchgate flags a 30 % slowdown and passes identical code; the mean rule is a bare ratio', () => {
    const gate = benchgateMethod('gate', decision, 5, 3)
    const slow = gate.decide(measured(1, 5, 1), measured(1.3, 3, 2)).get('a.bench.ts > spin')
    expect(slow).toEqual({ critical: true, flagged: true, significant: true })
    expect(gate.decide(measured(1, 5, 1), measured(1, 3, 2)).get('a.bench.ts > spin')).toMatchObject({ critical: false, flagged: false })
    const mean = meanRuleMethod('mean', 0.10)
    expect(mean.decide(measured(1, 1, 1), measured(1.12, 1, 2)).get('a.bench.ts > spin')).toEqual({ critical: true, flagged: true })
    expect(mean.decide(measured(1, 1, 1), measured(1.08, 1, 2)).get('a.bench.ts > spin')).toEqual({ critical: false, flagged: false })
    expect(vitestCompareMethod().decide(measured(1, 1, 1), measured(5, 1, 2)).get('a.bench.ts > spin')).toEqual({ critical: false, flagged: false })
  })

  it('tallies every method on every trial, per benchmark and per gate run', () => {
    const runs = new Map<string, PoolRun[]>([
      ['A', Array.from({ length: 10 }, (_, i) => poolRun('A', i, 1))],
      ['+20 %', Array.from({ length: 4 }, (_, i) => poolRun('+20 %', 10 + i, 1.2))],
    ])
    const trials = drawTrials({ control: 'A', sizes: { 'A': 10, '+20 %': 4 }, aaTrials: 6, abTrials: 4, baselineRuns: 5, runs: 3, seed: 1 })
    const tallies = evaluate({ control: 'A', runs, trials, methods: [benchgateMethod('gate', decision, 5, 3), meanRuleMethod('mean', 0.1)] })
    expect(tallies.gate!['A/A']!['a.bench.ts > spin']).toEqual({ n: 6, critical: 0, flagged: 0, significant: 0 })
    expect(tallies.gate!['+20 %']!['*']).toEqual({ n: 4, critical: 4, flagged: 4, significant: 4 })
    expect(tallies.mean!['+20 %']!['a.bench.ts > spin']!.critical).toBe(4)
  })

  it('formats rates with their Wilson interval and names benchmarks without their file', () => {
    expect(rate(0, 400)).toBe('0/400 0.0 % [0.0, 1.0]')
    expect(rate(1, 0)).toBe('-')
    expect(shortName('bench/cpu.bench.ts > cpu: spin')).toBe('cpu: spin')
    expect(shortName('*')).toBe('any benchmark (the gate run)')
  })

  it('keeps the first rounds of scenario runs only', () => {
    const run = poolRun('A', 0, 1)
    expect(truncateRounds(run, 4).benchmarks[0]!.metrics.time!.values).toHaveLength(4)
  })

  it('parses --try settings and names a bad key', () => {
    const m = tryMethod('runs=5,baselineRuns=8,cv=0.01,weight=6,alpha=0.01', { decision, runs: 3, baselineRuns: 5 })
    expect(m.runs).toBe(5)
    expect(m.baselineRuns).toBe(8)
    expect(() => tryMethod('rounds=3', { decision, runs: 3, baselineRuns: 5 })).toThrow(/--try rounds=3: unknown key "rounds"/)
    expect(() => tryMethod('cv=x', { decision, runs: 3, baselineRuns: 5 })).toThrow(/cv needs a number > 0/)
  })
})

describe('detector harness: auto-sampling and paired trials', () => {
  it('auto-sampling stops at the first run count where the interval clears every threshold', () => {
    const method = autoMethod('auto', decision, 3, 8)
    // quiet and unchanged: decided at once
    expect(method.decide(measured(10, 8, 1), measured(10, 8, 2)).get('a.bench.ts > spin')).toMatchObject({ critical: false, flagged: false })
    // 2x slower: decided at once, critical
    expect(method.decide(measured(10, 8, 3), measured(20, 8, 4)).get('a.bench.ts > spin')).toMatchObject({ critical: true })
    expect(method.describe!()).toBe('runs per side: mean 3.0, median 3, 0 of 2 trials reached the cap of 8')
    // +10 % sits on the critical threshold: never decided, runs to the cap
    method.decide(measured(10, 8, 5), measured(11, 8, 6))
    expect(method.describe!()).toMatch(/1 of 3 trials reached the cap of 8$/)
  })

  it('pairs each current run with the unchanged run nearest in time, none used twice', () => {
    const seqs = { 'A': [0, 2, 4, 6, 8, 10, 12, 14], '+5 %': [1, 5, 9, 13] }
    const trials = drawTrials({ control: 'A', sizes: { 'A': 8, '+5 %': 4 }, aaTrials: 20, abTrials: 20, baselineRuns: 3, runs: 3, seed: 2, mode: 'paired', seqs })
    for (const t of trials) {
      // no run twice in a trial
      expect(new Set([...t.baseline, ...(t.kind === 'A/A' ? t.current : [])]).size).toBe(t.kind === 'A/A' ? 6 : 3)
      // each +5 % run (odd positions) has an unchanged neighbour one step away, and gets one
      if (t.kind === '+5 %') t.baseline.forEach((b, i) => expect(Math.abs(seqs.A[b]! - seqs['+5 %'][t.current[i]!]!)).toBe(1))
    }
    const ab = trials.find(t => t.kind === '+5 %' && t.current[0] === 0)!
    expect(seqs.A[ab.baseline[0]!]).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import type { MetricReport, RunReport } from '../../src/report/types.generated.ts'
import { validateShardReport, type ShardReport } from '../../src/shard/io.ts'
import { mergedBaseline, mergeShardReports, type ShardInput } from '../../src/shard/merge.ts'
import { baselineChanges, decisionsOf } from '../../src/shard/write.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import { decision, environment, measured, runs } from '../reporters/fixture.ts'

/** A run report around `benchmarks`, as finishRun builds one. */
function runReport(result: ReturnType<typeof compareWithBaseline>, mode: 'compare' | 'update' = 'compare'): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: '0.1.0' },
    timestamp: '2025-03-01T10:00:00.000Z',
    mode,
    environment,
    baselineFile: 'baselines/current_baselines.json',
    options: { tags: [], runs: 3, thresholds: decision.thresholds, alpha: decision.alpha, failOn: decision.failOn },
    warnings: [],
    benchmarks: result.benchmarks,
    counts: result.counts,
    passed: result.passed,
    outcome: result.outcome,
  }
}

const shardOf = (index: number, count: number, report: RunReport, extra: Partial<ShardReport> = {}): ShardInput => ({
  source: `shard-${index}-of-${count}.json`,
  shard: { schemaVersion: 1, shard: { index, count }, reference: { kind: 'baseline', file: 'baselines/current_baselines.json', sha256: 'abc' }, filesRun: [...new Set(report.benchmarks.map(b => b.file))], decisions: {}, report, ...extra },
})

describe('mergeShardReports', () => {
  // eight benchmarks, two clearly slower (+30 %), measured against a baseline, split over 4 shards
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(n => `bench/${n}.bench.ts > ${n}`)
  const base = keys.map((k, i) => measured(k, runs(10, { seed: i + 1 })))
  const head = keys.map((k, i) => measured(k, runs(k.endsWith('b') || k.endsWith('g') ? 13 : 10, { seed: 100 + i })))
  const baseline = mergeBaseline(undefined, base, { environment, now: '2025-03-01T00:00:00.000Z' })
  const options = { decision, mode: 'compare' as const, filesRun: new Set(keys.map(k => k.split(' > ')[0]!)) }
  const part = (i: number) => head.filter((_, j) => j % 4 === i)
  const shards = [0, 1, 2, 3].map(i => shardOf(i + 1, 4, runReport(compareWithBaseline(part(i), baseline, { ...options, filesRun: new Set(part(i).map(b => b.file)) }))))

  it('joins every shard into the verdicts of the unsharded comparison, Holm across all of them', () => {
    const merged = mergeShardReports(shards)
    const whole = compareWithBaseline(head, baseline, options)
    const verdicts = (benchmarks: RunReport['benchmarks']) => benchmarks.map(b => `${b.key} ${b.metrics.map(m => `${m.verdict}${m.failed ? '!' : ''}`).join(',')}`)
    expect(verdicts(merged.report.benchmarks)).toEqual(verdicts(whole.benchmarks))
    expect(merged.report.counts).toEqual(whole.counts)
    expect(merged.report.passed).toBe(false)
    expect(validateShardReport({ ...shards[0]!.shard, report: merged.report })).toBe(true)
    // the shards' own reports are not changed by the merge
    expect(shards[0]!.shard.report.benchmarks[0]!.metrics[0]!.pAdjusted).toBeLessThanOrEqual(merged.report.benchmarks[0]!.metrics[0]!.pAdjusted!)
  })

  it('decides a comparison again when Holm over every shard takes its significance: a shard\'s critical becomes ok', () => {
    const metric = (key: string, p: number, estimate: number): RunReport['benchmarks'][number] => ({
      key, file: key.split(' > ')[0]!, name: key, kind: 'bench', tags: [], configHash: 'h',
      metrics: [{ metric: 'time', direction: 'lower', unit: 'ms', verdict: 'ok', failed: false, message: '', thresholds: { warning: 0.05, critical: 0.1 }, change: { estimate, lower: estimate - 0.04, upper: estimate + 0.04 }, pValue: p } as MetricReport],
    })
    const judged = (benchmarks: RunReport['benchmarks']) => {
      // as a shard decides: Holm over its own comparisons (here each shard's p-values are already final)
      for (const b of benchmarks) for (const m of b.metrics) m.pAdjusted = Math.min(1, m.pValue! * benchmarks.length)
      return benchmarks
    }
    const one = judged([metric('x.bench.ts > slow', 0.02, 0.2)])
    one[0]!.metrics[0]!.verdict = 'critical'
    one[0]!.metrics[0]!.failed = true
    const others = judged(['p', 'q', 'r', 's'].map(n => metric(`y.bench.ts > ${n}`, 0.9, 0)))
    const report = (benchmarks: RunReport['benchmarks']): RunReport => ({ ...runReport(compareWithBaseline([], undefined, options)), benchmarks, counts: { total: 0, passed: 0, failed: 0, ok: 0, improved: 0, warning: 0, critical: 0, new: 0, missing: 0, stale: 0, unstable: 0, error: 0 }, passed: false })
    const merged = mergeShardReports([shardOf(1, 2, report(one)), shardOf(2, 2, report(others))])
    const slow = merged.report.benchmarks.find(b => b.key === 'x.bench.ts > slow')!.metrics[0]!
    // 5 comparisons: 0.02 x 5 = 0.1 >= alpha; the interval (+16 .. +24 %) is no wider than +-5 %: ok
    expect(slow.pAdjusted).toBeCloseTo(0.1, 10)
    expect(slow.verdict).toBe('ok')
    expect(slow.failed).toBe(false)
    expect(slow.message).toMatch(/p = 0\.10\): within noise/)
    expect(merged.report.passed).toBe(true)

    // a scenario's own alpha (0.2) travels with its shard's report: still significant, still critical
    const strict = mergeShardReports([shardOf(1, 2, report(judged([metric('x.bench.ts > slow', 0.02, 0.2)])), { decisions: { 'x.bench.ts > slow': { alpha: 0.2 } } }), shardOf(2, 2, report(others))])
    expect(strict.report.benchmarks.find(b => b.key === 'x.bench.ts > slow')!.metrics[0]!.verdict).toBe('critical')
  })

  it('refuses a missing shard, a shard given twice, shards of another run and a benchmark from two shards', () => {
    expect(() => mergeShardReports(shards.slice(0, 3))).toThrow('merge: shard 4/4 did not report (have 1, 2, 3 of 4); a merge without it would pass with fewer benchmarks: rerun that shard')
    expect(() => mergeShardReports([...shards, { ...shards[1]!, source: 'again.json' }])).toThrow('merge: shard 2/4 is given twice (shard-2-of-4.json and again.json)')
    expect(() => mergeShardReports([])).toThrow(/expected the shard reports of one run/)
    const other = { ...shards[3]!, shard: { ...shards[3]!.shard, reference: { kind: 'baseline' as const, file: 'baselines/current_baselines.json', sha256: 'def' } } }
    expect(() => mergeShardReports([...shards.slice(0, 3), other])).toThrow(/differ in reference/)
    const overlap = { ...shards[3]!, shard: { ...shards[3]!.shard, report: { ...shards[3]!.shard.report, benchmarks: [...shards[3]!.shard.report.benchmarks, shards[0]!.shard.report.benchmarks[0]!] } } }
    expect(() => mergeShardReports([...shards.slice(0, 3), overlap])).toThrow(/benchmark "bench\/a\.bench\.ts > a" is in shard-1-of-4\.json \(shard 1\/4\) and in shard-4-of-4\.json/)
  })

  it('refuses shards that measured different things (time and instructions), and stamps a merged instruction baseline with its mode', () => {
    const counted = (input: ShardInput): ShardInput => ({ ...input, shard: { ...input.shard, report: { ...input.shard.report, measurement: { measure: 'instructions' } } } })
    expect(() => mergeShardReports([...shards.slice(0, 3), counted(shards[3]!)])).toThrow(/differ in measure \(time or instructions\): "time" vs "instructions"/)
    const update = { entries: { 'bench/b.bench.ts > b': baseline.entries['bench/b.bench.ts > b']! }, remove: ['bench/a.bench.ts > a'] }
    const previous = { schemaVersion: 1 as const, measure: 'instructions' as const, entries: { 'bench/a.bench.ts > a': baseline.entries['bench/a.bench.ts > a']!, 'bench/c.bench.ts > c': baseline.entries['bench/c.bench.ts > c']! } }
    const next = mergedBaseline(previous, update, { measurement: { measure: 'instructions' } })
    expect(next.measure).toBe('instructions')
    expect(Object.keys(next.entries).sort()).toEqual(['bench/b.bench.ts > b', 'bench/c.bench.ts > c'])
    // a time baseline stays as time files are: no field
    expect('measure' in mergedBaseline(undefined, update, {})).toBe(false)
  })
})

describe('shard reports', () => {
  it('carry a scenario\'s own alpha and failOn, and -u changes as new entries and removed keys', () => {
    const plain = measured('bench/a.bench.ts > a', [[1, 2]])
    const own: MeasuredBenchmark = { ...measured('bench/b.bench.ts > b', [[1, 2]]), decision: { alpha: 0.01, failOn: 'never' } }
    expect(decisionsOf([plain, own])).toEqual({ 'bench/b.bench.ts > b': { alpha: 0.01, failOn: 'never' } })
    const context = { environment, now: '2025-03-01T00:00:00.000Z' }
    const before = mergeBaseline(undefined, [plain, own], context)
    const after = mergeBaseline(before, [measured('bench/c.bench.ts > c', [[3]])], { ...context, now: '2025-03-02T00:00:00.000Z' }, new Set(['bench/a.bench.ts > a']))
    const changes = baselineChanges(before, after)
    expect(Object.keys(changes.entries)).toEqual(['bench/c.bench.ts > c'])
    expect(changes.remove).toEqual(['bench/a.bench.ts > a'])
  })
})

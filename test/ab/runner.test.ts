import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { batchBenchmarks, childEnv, type BatchRequest, type BatchResult } from '../../src/ab/child.ts'
import { JsonExperimentStore } from '../../src/ab/json-store.ts'
import { variantEnv } from '../../src/ab/overrides.ts'
import { cycleOrder, runExperiment } from '../../src/ab/runner.ts'
import { openSqliteStore } from '../../src/ab/sqlite-store.ts'
import type { ExperimentStore } from '../../src/ab/experiment-store.ts'
import { workloadTarget as target } from '../../src/gif/workload-target.ts'
import { ENV, experiment } from './simulate.ts'

let dir: string
let store: ExperimentStore
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-ab-run-'))
  store = new JsonExperimentStore(join(dir, 'experiments'))
})
afterEach(() => {
  store.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A batch runner that records the requests and returns `rounds` values echoing the variant's limit. */
function fakeRunner(rounds = 5, onCall?: (request: BatchRequest, call: number) => void) {
  const requests: BatchRequest[] = []
  const run = async (request: BatchRequest): Promise<BatchResult> => {
    requests.push(request)
    onCall?.(request, requests.length)
    const limit = Number(request.overrides['FRAME_CACHE.memory_limit_mb'])
    return {
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:00:01.000Z',
      environment: ENV,
      benchmarks: [{ key: 'a.bench.ts > s', metrics: { time: { direction: 'lower', unit: 'ms', values: Array(rounds).fill(limit / 100) }, other: { direction: 'higher', unit: '', values: Array(rounds).fill(1) } } }],
    }
  }
  return { run, requests }
}

describe('ab run', () => {
  it('interleaves the variants, rotating which goes first, each batch with its own variant\'s config', async () => {
    store.create(experiment('mix', ['treatment-1', 'treatment-2']))
    const fake = fakeRunner()
    const result = await runExperiment(store, 'mix', { root: dir, target, samples: 15, runBatch: fake.run })
    expect(result.stopReason).toBe('samples')
    expect(result.cycles).toBe(3)
    expect(result.newSamples).toEqual({ 'control': 15, 'treatment-1': 15, 'treatment-2': 15 })
    expect(fake.requests.map(r => r.variant)).toEqual([
      'control', 'treatment-1', 'treatment-2',
      'treatment-1', 'treatment-2', 'control',
      'treatment-2', 'control', 'treatment-1',
    ])
    for (const r of fake.requests) {
      expect(r.overrides).toEqual(experiment('mix', ['treatment-1', 'treatment-2']).variants.find(v => v.name === r.variant)!.overrides)
      // the workload target turns the config key into its variable, which no batch inherits
      expect(r.env).toEqual({ BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: String(r.overrides['FRAME_CACHE.memory_limit_mb']) })
      expect(r.clearEnv).toEqual(['BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB'])
    }
    const stored = store.load('mix')!.batches
    expect(stored.map(b => [b.seq, b.variant])).toEqual(fake.requests.map((r, i) => [i + 1, r.variant]))
    expect(stored.every(b => b.runId === result.runId)).toBe(true)
    expect(cycleOrder(['a', 'b', 'c'], 4)).toEqual(['b', 'c', 'a'])
  })

  it('keeps only the experiment\'s metrics', async () => {
    store.create({ ...experiment('only'), metrics: ['time'] })
    await runExperiment(store, 'only', { root: dir, target, runBatch: fakeRunner().run })
    expect(store.load('only')!.batches.map(b => Object.keys(b.benchmarks[0]!.metrics))).toEqual([['time'], ['time']])
  })

  it('stops before a cycle that would overrun the budget (the first always runs), or after one cycle with neither limit', async () => {
    store.create(experiment('budget'))
    let now = 0
    const fake = fakeRunner(5, () => { now += 1000 })
    const result = await runExperiment(store, 'budget', { root: dir, target, budgetMs: 5000, runBatch: fake.run, clock: () => now })
    expect([result.stopReason, result.cycles, result.batches.length]).toEqual(['budget', 2, 4])
    const tight = await runExperiment(store, 'budget', { root: dir, target, budgetMs: 1, runBatch: fake.run, clock: () => now })
    expect([tight.stopReason, tight.cycles]).toEqual(['budget', 1])
    const once = await runExperiment(store, 'budget', { root: dir, target, runBatch: fake.run })
    expect([once.stopReason, once.cycles]).toEqual(['one-cycle', 1])
    expect(store.load('budget')!.batches).toHaveLength(8)
  })

  it.each([['json'], ['sqlite']])('a crash mid-run loses only the batch in flight (%s store)', async (kind) => {
    const s = kind === 'json' ? store : await openSqliteStore(join(dir, 'history.db'))
    try {
      s.create(experiment('crash'))
      const fake = fakeRunner(5, (_r, call) => {
        if (call === 3) throw new Error('worker killed')
      })
      await expect(runExperiment(s, 'crash', { root: dir, target, samples: 100, runBatch: fake.run })).rejects.toThrow('worker killed')
      expect(s.load('crash')!.batches.map(b => b.variant)).toEqual(['control', 'treatment-1'])
    }
    finally {
      if (s !== store) s.close()
    }
  })

  it('refuses a finalized experiment, an unknown one, a bad --samples and a batch without samples', async () => {
    store.create(experiment('done'))
    store.finalize('done', '2025-02-01T00:00:00.000Z')
    const fake = fakeRunner()
    await expect(runExperiment(store, 'done', { root: dir, target, runBatch: fake.run })).rejects.toThrow('experiment "done" was finalized at 2025-02-01T00:00:00.000Z: it takes no more samples')
    await expect(runExperiment(store, 'nope', { root: dir, target, runBatch: fake.run })).rejects.toThrow('experiment "nope" not found in the json store')
    store.create({ ...experiment('empty'), tags: ['gif'], metrics: ['frame_cache_hit_rate'] })
    await expect(runExperiment(store, 'empty', { root: dir, target, samples: 0, runBatch: fake.run })).rejects.toThrow('--samples: expected an integer >= 1, received 0')
    await expect(runExperiment(store, 'empty', { root: dir, target, runBatch: fake.run })).rejects.toThrow(`variant control: the batch recorded no samples of the experiment's tags gif, metrics frame_cache_hit_rate under ${dir}; check the experiment's scenarios`)
    expect(fake.requests).toHaveLength(1)
  })
})

describe('the child process of a batch', () => {
  it('gets the variant\'s config and nothing inherited: other overrides and Vitest\'s worker variables are removed', () => {
    const parent = {
      PATH: '/bin',
      BENCHGATE_CONFIG_FRAME_CACHE__ENABLED: 'false',
      BENCHGATE_CONFIG_METRICS__WINDOW: 'gaussian',
      BENCHGATE_ROUNDS: '99',
      BENCHGATE_TAGS: 'ci',
      VITEST: 'true',
      VITEST_POOL_ID: '1',
    }
    const env = childEnv(parent, { root: dir, variant: 'treatment-1', overrides: { 'FRAME_CACHE.memory_limit_mb': 1000 }, env: variantEnv({ 'FRAME_CACHE.memory_limit_mb': 1000 }, target), files: [], tags: ['gif'] }, '/tmp/out')
    expect(env).toEqual({
      PATH: '/bin',
      BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: '1000',
      BENCHGATE_RUNS: '1',
      BENCHGATE_REPORTERS: 'json',
      BENCHGATE_OUTPUT_DIR: '/tmp/out',
      BENCHGATE_BASELINE_DIR: '/tmp/out/baselines',
      BENCHGATE_HISTORY: 'off',
      BENCHGATE_TAGS: 'gif',
      BENCHGATE_ALLOW_NO_TAG_MATCH: '1',
      BENCHGATE_DIE_WITH_PARENT: '1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    })
    expect(childEnv(parent, { root: dir, variant: 'c', overrides: {}, env: {}, files: [], tags: [], rounds: 7 }, '/o').BENCHGATE_ROUNDS).toBe('7')
  })

  it('takes the raw per-round values of every metric, and fails the batch on a benchmark that threw', () => {
    const bench = (key: string, metrics: Record<string, number[]>, error?: { message: string }) => ({
      key, file: 'a', name: key, kind: 'scenario' as const, tags: [], configHash: 'h',
      metrics: Object.fromEntries(Object.entries(metrics).map(([k, values]) => [k, { spec: { direction: 'lower' as const, unit: 'ms' }, values }])),
      ...(error ? { error } : {}),
    })
    expect(batchBenchmarks([bench('a > x', { time: [1, 2, 3] }), bench('a > y', {})], 'control')).toEqual([{ key: 'a > x', metrics: { time: { direction: 'lower', unit: 'ms', values: [1, 2, 3] } } }])
    expect(() => batchBenchmarks([bench('a > z', {}, { message: 'boom\nstack' })], 'treatment-1')).toThrow('variant treatment-1: a > z failed: boom')
  })
})

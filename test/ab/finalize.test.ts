import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { finalizeExperiment, validateResults } from '../../src/ab/finalize.ts'
import { JsonExperimentStore } from '../../src/ab/json-store.ts'
import type { ExperimentStore } from '../../src/ab/experiment-store.ts'
import { resolveWorkloadConfig } from '../../src/config/workload.ts'
import { deployOverrides, workloadTarget as target } from '../../src/gif/workload-target.ts'
import { batchSource, experiment, type Effect } from './simulate.ts'

let root: string
let store: ExperimentStore
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'benchgate-ab-final-'))
  store = new JsonExperimentStore(join(root, '.benchgate', 'experiments'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

function fill(name: string, treatments: string[], effects: Record<string, Effect>, cycles = 44): void {
  store.create(experiment(name, treatments))
  const next = batchSource(21, effects)
  for (let c = 0; c < cycles; c++) {
    for (const v of ['control', ...treatments]) {
      const { seq: _seq, ...batch } = next(v)
      store.appendBatch(name, batch)
    }
  }
}

describe('ab finalize', () => {
  it('freezes the experiment and writes a schema-valid, deterministic results file', () => {
    fill('cache_size_test', ['treatment-1'], { 'treatment-1': { time: 0.85 } })
    const first = finalizeExperiment(store, 'cache_size_test', { root, now: new Date('2025-03-01T00:00:00Z') })
    expect(first.resultsPath).toBe(join(root, 'benchmark_results', 'ab_cache_size_test_results.json'))
    const text = readFileSync(first.resultsPath, 'utf8')
    const results = validateResults.assert(JSON.parse(text), first.resultsPath)
    expect(results.experiment.status).toBe('finalized')
    expect(results.experiment.finalizedAt).toBe('2025-03-01T00:00:00.000Z')
    expect(results.analysis.winner).toBe('treatment-1')
    // the experiment inside is checked by experiment.schema.json's definitions, referred to by $id
    const parsed = JSON.parse(text)
    expect(validateResults({ ...parsed, experiment: { ...parsed.experiment, status: 'paused' } })).toBe(false)
    expect(validateResults({ ...parsed, experiment: { ...parsed.experiment, variants: [{ name: 'control', role: 'boss', overrides: {} }, parsed.experiment.variants[1]] } })).toBe(false)
    expect(results.environments).toEqual([{ environment: expect.objectContaining({ cpuModel: 'Synthetic CPU' }), batches: { 'control': 44, 'treatment-1': 44 } }])
    expect(store.load('cache_size_test')!.experiment.status).toBe('finalized')
    expect(() => store.appendBatch('cache_size_test', { ...store.load('cache_size_test')!.batches[0]! })).toThrow('it takes no more samples')

    // finalizing again changes nothing: same freeze time, same bytes
    finalizeExperiment(store, 'cache_size_test', { root, now: new Date('2025-04-01T00:00:00Z') })
    expect(readFileSync(first.resultsPath, 'utf8')).toBe(text)
    expect(existsSync(join(root, 'benchgate.config.json'))).toBe(false)
  })

  it('--deploy-winner writes the best treatment\'s overrides (not the first\'s) into benchgate.config.json, keeping the profile and other overrides', () => {
    writeFileSync(join(root, 'benchgate.config.json'), JSON.stringify({ profile: 'low_memory', overrides: { METRICS: { window: 'gaussian' }, 'FRAME_CACHE.memory_limit_mb': 50 } }))
    const before = resolveWorkloadConfig({ cwd: root, env: {} })
    fill('pick', ['treatment-1', 'treatment-2'], { 'treatment-1': { time: 0.88 }, 'treatment-2': { time: 0.8 } })
    const result = finalizeExperiment(store, 'pick', { root, deployWinner: true, target })
    expect(result.analysis.treatments.map(t => t.recommendation)).toEqual(['deploy', 'deploy'])
    expect(result.analysis.winner).toBe('treatment-2')
    const path = join(root, 'benchgate.config.json')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ profile: 'low_memory', overrides: { 'METRICS.window': 'gaussian', 'FRAME_CACHE.memory_limit_mb': 2000 } })
    expect(result.deployed!.summary).toEqual([`Wrote ${path}: the overrides of treatment-2`, '  FRAME_CACHE.memory_limit_mb: 50 -> 2000'])
    const after = resolveWorkloadConfig({ cwd: root, env: {} })
    expect(after.FRAME_CACHE.memory_limit_mb).toBe(2000)
    expect({ ...after, FRAME_CACHE: before.FRAME_CACHE }).toEqual(before)
  })

  it('deploys nothing when no variant met the criteria', () => {
    fill('aa', ['treatment-1'], {})
    const result = finalizeExperiment(store, 'aa', { root, deployWinner: true, target })
    expect(result.analysis.winner).toBeNull()
    expect(result.deployed).toBeUndefined()
    expect(existsSync(join(root, 'benchgate.config.json'))).toBe(false)
  })

  it('refuses to deploy over an invalid config file, naming it', () => {
    writeFileSync(join(root, 'benchgate.config.json'), '{"profile": "turbo"}')
    expect(() => deployOverrides(root, 't', { 'FRAME_CACHE.enabled': false })).toThrow(/turbo/)
    expect(readFileSync(join(root, 'benchgate.config.json'), 'utf8')).toBe('{"profile": "turbo"}')
  })
})

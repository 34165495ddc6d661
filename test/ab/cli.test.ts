import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/capture.ts'
import { JsonExperimentStore } from '../../src/ab/json-store.ts'
import { batchSource } from './simulate.ts'

let root: string
beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'benchgate-ab-cli-')) })
afterEach(() => rmSync(root, { recursive: true, force: true }))

/** Runs `benchgate ab <args> --root <root>` in this process and captures what it prints. */
const cli = (...args: string[]) => runCli(['ab', ...args, '--root', root])

const create = ['create', '--name', 'cache_size_test', '--control-config', '{"FRAME_CACHE.memory_limit_mb": 500}', '--treatment-config', '{"FRAME_CACHE.memory_limit_mb": 1000}']

describe('benchgate ab (CLI)', () => {
  it('create refuses bad configs with one line and exit 2', async () => {
    const unknown = await cli('create', '--name', 'x', '--control-config', '{"FRAME_CACHE.size": 1}', '--treatment-config', '{}')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe('benchgate: --control-config: override "FRAME_CACHE.size": unknown config key "FRAME_CACHE.size"; valid keys of FRAME_CACHE: enabled, memory_limit_mb, disk_enabled, disk_path, disk_limit_mb, ttl_seconds\n')
    const type = await cli('create', '--name', 'x', '--control-config', '{}', '--treatment-config', '{"FRAME_CACHE.memory_limit_mb": "lots"}')
    expect(type.code).toBe(2)
    expect(type.stderr).toBe('benchgate: --treatment-config treatment-1: Invalid workload config: override "FRAME_CACHE.memory_limit_mb" at /FRAME_CACHE/memory_limit_mb: expected number, received "lots"\n')
    const flag = await cli('status', '--name', 'x', '--samples', '5')
    expect(flag.code).toBe(2)
    expect(flag.stderr).toBe('benchgate: ab status: --samples is not an option of status (it takes --name, --format, --root, --state-dir, --history-db, --store)\n')
    const action = await cli('launch')
    expect(action.stderr).toBe('benchgate: ab: unknown action "launch" (expected create, run, status, list, finalize)\n')
  })

  it('create, status, list and finalize on the SQLite store (the default), surviving between invocations', async () => {
    const made = await cli(...create, '--tags', 'gif', '--treatment-config', 'big_cache={"FRAME_CACHE.memory_limit_mb": 2000}')
    expect(made.stderr).toBe('')
    expect(made.code).toBe(0)
    expect(made.stdout).toContain(`Created experiment cache_size_test in the sqlite store ${join(root, '.benchgate', 'history.db')}`)
    expect(made.stdout).toContain('  big_cache: {"FRAME_CACHE.memory_limit_mb":2000}')
    const again = await cli(...create)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^benchgate: --name: experiment "cache_size_test" already exists in the sqlite store/)

    const status = await cli('status', '--name', 'cache_size_test')
    expect(status.code).toBe(0)
    expect(status.stdout).toContain('Experiment cache_size_test: active')
    expect(status.stdout).toContain('big_cache    treatment  0        0         FRAME_CACHE.memory_limit_mb=2000')
    expect(status.stdout).toContain('Recommendation: Continue: treatment-1, big_cache not decided yet')

    const list = await cli('list', '--format', 'json')
    expect(JSON.parse(list.stdout).map((e: { name: string, status: string }) => [e.name, e.status])).toEqual([['cache_size_test', 'active']])

    const final = await cli('finalize', '--name', 'cache_size_test', '--deploy-winner')
    expect(final.code).toBe(0)
    expect(final.stdout).toContain('No variant met the deployment criteria; benchgate.config.json is unchanged.')
    expect(final.stdout).toContain(`Wrote ${join(root, 'benchmark_results', 'ab_cache_size_test_results.json')}`)
    const run = await cli('run', '--name', 'cache_size_test')
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^benchgate: experiment "cache_size_test" was finalized at .*: it takes no more samples/)
    const missing = await cli('status', '--name', 'other')
    expect(missing.stderr).toBe(`benchgate: experiment "other" not found in the sqlite store ${join(root, '.benchgate', 'history.db')} (benchgate ab list shows the experiments)\n`)
  })

  it('status shows per-metric summaries, the difference with its interval, p-values, samples against the runbook and the winner; finalize deploys it', async () => {
    expect((await cli(...create, '--store', 'json')).code).toBe(0)
    const store = new JsonExperimentStore(join(root, '.benchgate', 'experiments'))
    const next = batchSource(5, { 'treatment-1': { time: 0.85 } })
    for (let c = 0; c < 40; c++) {
      for (const v of ['control', 'treatment-1']) {
        const { seq: _seq, ...batch } = next(v)
        store.appendBatch('cache_size_test', batch)
      }
    }
    const sqlite = await cli('status', '--name', 'cache_size_test')
    expect(sqlite.stderr).toContain('is not in')
    expect(sqlite.stderr).toContain('add --store json')

    const status = await cli('status', '--name', 'cache_size_test', '--store', 'json')
    expect(status.code).toBe(0)
    const text = status.stdout.replaceAll(/\d+\.\d+(e[-+]\d+)?/g, 'N')
    expect(text).toContain('bench/sim.bench.ts > validation › time (latency, lower is better; goal: > 10 % reduction, 1000+ samples)')
    expect(text).toMatch(/treatment-1 vs control: -N % \[-N %, -N %\] {2}always-valid p N \(Holm N\) {2}Welch p N \(Holm N\) {2}samples 1000\/1000 {2}better, criterion > 10 % reduction met/)
    expect(status.stdout).toContain('Recommendation: Deploy treatment-1')
    expect(status.stdout).toContain('Method: mSPRT')

    const json = JSON.parse((await cli('status', '--name', 'cache_size_test', '--store', 'json', '--format', 'json')).stdout)
    expect(json.analysis.winner).toBe('treatment-1')

    const final = await cli('finalize', '--name', 'cache_size_test', '--deploy-winner', '--store', 'json')
    expect(final.code).toBe(0)
    expect(final.stdout).toContain(`Wrote ${join(root, 'benchgate.config.json')}: the overrides of treatment-1\n  FRAME_CACHE.memory_limit_mb: 500 -> 1000\n`)
    expect(JSON.parse(readFileSync(join(root, 'benchgate.config.json'), 'utf8'))).toEqual({ overrides: { 'FRAME_CACHE.memory_limit_mb': 1000 } })
  })
})

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  childEnv,
  defineExperiment,
  deployVariant,
  envOnlyTarget,
  finalizeExperiment,
  openStore,
  runExperiment,
  variantEnv,
  variantEnvNames,
  type BatchRequest,
  type ConfigTarget,
  type ExperimentStore,
} from '../../src/ab/index.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { runCli } from '../helpers/capture.ts'
import { repoRoot } from '../helpers/run.ts'

// A variant is a plain set of overrides any project can use: here, environment variables of a
// project that has no benchgate config at all, through the engine's public API (src/ab/index.ts)
// with its default target.

const define = (control: string, ...treatments: string[]) => defineExperiment({ name: 'threads', control, treatments, now: new Date('2025-01-02T03:04:05Z') })

describe('variants of environment variables (the default target)', () => {
  it('are checked for form only and stored as given', () => {
    const e = define('{}', '{"UV_THREADPOOL_SIZE": "8", "NODE_ENV": "production"}', 'many={"UV_THREADPOOL_SIZE": 16, "TRACE": true, "DEBUG": null}')
    expect(e.variants).toEqual([
      { name: 'control', role: 'control', overrides: {} },
      { name: 'treatment-1', role: 'treatment', overrides: { UV_THREADPOOL_SIZE: '8', NODE_ENV: 'production' } },
      { name: 'many', role: 'treatment', overrides: { UV_THREADPOOL_SIZE: 16, TRACE: true, DEBUG: null } },
    ])
  })

  it('refuse config keys, benchgate\'s own variables, bad names and non-scalar values, naming the flag and the key', () => {
    expect(() => define('{"cache.size_mb": 5}', '{}')).toThrow(
      '--control-config: override "cache.size_mb": a dotted config key, but this experiment\'s overrides are environment variables only; name a variable, e.g. {"UV_THREADPOOL_SIZE": "8"}',
    )
    expect(() => define('{}', '{"BENCHGATE_ROUNDS": 3}')).toThrow('--treatment-config treatment-1: override "BENCHGATE_ROUNDS": benchgate\'s own variables are set by each batch, not by a variant')
    expect(() => define('{}', 'x={"MY-VAR": "1"}')).toThrow('--treatment-config x: override "MY-VAR": expected an environment variable name (letters, digits and "_") or a dotted config key')
    expect(() => define('{"A": [1]}', '{}')).toThrow('--control-config: override "A": expected a string, number, boolean or null (unset) for the environment variable, received [1]')
    expect(() => define('[1]', '{}')).toThrow('--control-config: expected a JSON object of environment variable names, e.g. {"UV_THREADPOOL_SIZE": "8"}, received [1]')
    expect(() => define('{}')).toThrow('--treatment-config: at least one treatment is required, e.g. --treatment-config \'{"UV_THREADPOOL_SIZE": "8"}\'')
  })

  it('become the child\'s environment; every variable any variant sets is withheld from every batch', () => {
    const e = define('{"A": "1"}', '{"B": 2, "C": false, "D": null}')
    expect(variantEnv(e.variants[1]!.overrides)).toEqual({ B: '2', C: 'false' })
    const clearEnv = variantEnvNames(e.variants)
    expect(clearEnv).toEqual(['A', 'B', 'C', 'D'])
    const parent = { PATH: '/bin', A: 'shell', D: 'shell', KEEP: 'yes' }
    const request: BatchRequest = { root: '/p', variant: 'treatment-1', overrides: e.variants[1]!.overrides, env: variantEnv(e.variants[1]!.overrides), clearEnv, files: [], tags: [] }
    const env = childEnv(parent, request, '/o')
    expect(env).toMatchObject({ PATH: '/bin', KEEP: 'yes', B: '2', C: 'false' })
    expect(env).not.toHaveProperty('A')
    expect(env).not.toHaveProperty('D')
  })

  it('take a project\'s own config keys through the target it hands in; the variables those set are withheld too', () => {
    const seen: string[] = []
    const app: ConfigTarget = {
      name: 'app config',
      example: '{"app.threads": 4}',
      keys: 'app keys',
      check: (config) => {
        for (const [key, value] of Object.entries(config)) if (key !== 'app.threads' || !Number.isInteger(value)) throw new BenchgateError(`override "${key}": expected app.threads, an integer`)
      },
      env: config => ({ APP_THREADS: String(config['app.threads']) }),
      deploy: (_root, variant, config) => {
        seen.push(`${variant} ${JSON.stringify(config)}`)
        return { path: null, summary: [`app.threads of ${variant}: ${config['app.threads']}`] }
      },
    }
    const e = defineExperiment({ name: 'app', control: '{}', treatments: ['{"app.threads": 8, "NODE_ENV": "production"}'], target: app })
    expect(() => defineExperiment({ name: 'app', control: '{"app.size": 1}', treatments: ['{}'], target: app })).toThrow('--control-config: override "app.size": expected app.threads, an integer')
    expect(variantEnv(e.variants[1]!.overrides, app)).toEqual({ APP_THREADS: '8', NODE_ENV: 'production' })
    expect(variantEnvNames(e.variants, app)).toEqual(['APP_THREADS', 'NODE_ENV'])
    expect(deployVariant('/nowhere', 'treatment-1', e.variants[1]!.overrides, app).summary).toEqual([
      'app.threads of treatment-1: 8',
      'Set the environment of treatment-1 where the project runs (benchgate writes no file for environment variables):',
      '  NODE_ENV=production',
    ])
    expect(seen).toEqual(['treatment-1 {"app.threads":8}'])
  })

  it('deploy by printing: a file is written for none of them', () => {
    const root = mkdtempSync(join(tmpdir(), 'benchgate-ab-env-deploy-'))
    try {
      expect(deployVariant(root, 'many', { UV_THREADPOOL_SIZE: 16, DEBUG: null })).toEqual({
        path: null,
        summary: ['Set the environment of many where the project runs (benchgate writes no file for environment variables):', '  unset DEBUG', '  UV_THREADPOOL_SIZE=16'],
      })
      expect(deployVariant(root, 'control', {}).summary).toEqual(['control has no overrides (the project\'s own settings won): nothing to deploy'])
      expect(() => deployVariant(root, 'x', { 'cache.size_mb': 5 })).toThrow('override "cache.size_mb": a dotted config key')
      expect(readdirSync(root)).toEqual([])
    }
    finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe('an experiment of environment variables on a project without any benchgate config (real vitest children)', () => {
  const fixture = join(repoRoot, 'test/fixtures/ab-env')
  let state: string
  let store: ExperimentStore
  beforeAll(() => {
    // set in the parent: it must reach no variant, not even the one that does not set it
    process.env.PROBE_SIZE = '999'
  })
  afterAll(() => {
    delete process.env.PROBE_SIZE
  })
  beforeEach(async () => {
    state = mkdtempSync(join(tmpdir(), 'benchgate-ab-env-'))
    store = await openStore({ kind: 'json', dbPath: join(state, 'unused.db'), stateDir: state })
  })
  afterEach(() => {
    store.close()
    rmSync(state, { recursive: true, force: true })
  })

  it('validates the variants and runs each batch with its own environment only', async () => {
    expect(existsSync(join(fixture, 'benchgate.config.json'))).toBe(false)
    store.create(defineExperiment({ name: 'probe', tags: ['ab'], control: '{"PROBE_SIZE": 2}', treatments: ['fast={"PROBE_SIZE": "3", "PROBE_MODE": "fast"}', 'unset={"PROBE_SIZE": null}'] }))
    // a stored config key has nowhere to go without a config target: refused before any batch runs
    let called = 0
    await expect(runExperiment(store, 'probe', { root: fixture, target: { ...envOnlyTarget, isConfigKey: key => key === 'PROBE_MODE' }, runBatch: async () => { called++; throw new Error('not reached') } }))
      .rejects.toThrow('override "PROBE_MODE": a dotted config key')
    expect(called).toBe(0)

    const result = await runExperiment(store, 'probe', { root: fixture, rounds: 2 })
    expect(result.stopReason).toBe('one-cycle')
    const { batches } = store.load('probe')!
    expect(batches.map(b => b.variant)).toEqual(['control', 'fast', 'unset'])
    const pids = new Set<number>()
    for (const b of batches) {
      expect(b.benchmarks.map(x => x.key)).toEqual(['bench/env.bench.ts > env probe'])
      const m = b.benchmarks[0]!.metrics
      expect([b.variant, m.seen_size!.values, m.seen_fast_mode!.values]).toEqual({
        control: ['control', [2, 2], [0, 0]],
        fast: ['fast', [3, 3], [1, 1]],
        // unset: the parent's PROBE_SIZE=999 is withheld, so the project's default applies
        unset: ['unset', [1, 1], [0, 0]],
      }[b.variant])
      pids.add(m.seen_pid!.values[0]!)
    }
    expect(pids.size).toBe(3)
    expect(pids.has(process.pid)).toBe(false)

    const final = finalizeExperiment(store, 'probe', { root: fixture, deployWinner: true, outputDir: join(state, 'results') })
    expect(final.analysis.winner).toBeNull()
    expect(final.deployed).toBeUndefined()
    expect(existsSync(join(fixture, 'benchgate.config.json'))).toBe(false)
  }, 240_000)
})

describe('benchgate ab on environment variables (CLI)', () => {
  let root: string
  beforeEach(() => { root = mkdtempSync(join(tmpdir(), 'benchgate-ab-env-cli-')) })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const cli = (...args: string[]) => runCli(['ab', ...args, '--root', root, '--store', 'json'])

  it('creates and finalizes an experiment without the workload config, and writes no config file', async () => {
    const made = await cli('create', '--name', 'threads', '--control-config', '{}', '--treatment-config', '{"UV_THREADPOOL_SIZE": 8}')
    expect(made.stderr).toBe('')
    expect(made.stdout).toContain('  treatment-1: {"UV_THREADPOOL_SIZE":8}')
    const bad = await cli('create', '--name', 'other', '--control-config', '{"BENCHGATE_CONFIG_FRAME_CACHE__ENABLED": "false"}', '--treatment-config', '{}')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe('benchgate: --control-config: override "BENCHGATE_CONFIG_FRAME_CACHE__ENABLED": benchgate\'s own variables are set by each batch, not by a variant\n')
    const final = await cli('finalize', '--name', 'threads', '--deploy-winner')
    expect(final.code).toBe(0)
    expect(final.stdout).toContain('No variant met the deployment criteria; nothing to deploy.\n')
    expect(readdirSync(root).sort()).toEqual(['.benchgate', 'benchmark_results'])
  })
})

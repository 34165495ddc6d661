import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JsonExperimentStore } from '../../src/ab/json-store.ts'
import { AB_SCHEMA_VERSION, openSqliteStore } from '../../src/ab/sqlite-store.ts'
import type { ExperimentStore, NewBatch } from '../../src/ab/experiment-store.ts'
import { openStore } from '../../src/ab/store.ts'
import { SQLITE_MISSING } from '../../src/history/sqlite.ts'
import { repoRoot } from '../helpers/run.ts'
import { batchSource, experiment } from './simulate.ts'

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-ab-store-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const backends: Array<[string, () => Promise<ExperimentStore>]> = [
  ['sqlite', () => openSqliteStore(join(dir, 'history.db'))],
  ['json', async () => new JsonExperimentStore(join(dir, 'experiments'))],
]

/** Batches as a runner would hand them over (no seq yet), metrics deliberately out of order. */
function newBatches(count: number): NewBatch[] {
  const next = batchSource(42, { 'treatment-1': { time: 0.9 } }, { rounds: 5, allMetrics: true })
  return Array.from({ length: count }, (_, i) => {
    const { seq: _seq, ...batch } = next(i % 2 ? 'treatment-1' : 'control')
    const [bench] = batch.benchmarks
    const reversed = Object.fromEntries(Object.entries(bench!.metrics).reverse())
    return { ...batch, benchmarks: [{ key: 'z.bench.ts > last', metrics: { time: { direction: 'lower', unit: 'ms', values: [1.5, 2.25] } } }, { key: bench!.key, metrics: reversed }] }
  })
}

/** Reads the stored sample count in a separate Node process: the data is on disk, not in memory. */
function samplesOnDisk(kind: string): number {
  const script = kind === 'sqlite'
    ? `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(join(dir, 'history.db'))}, { readonly: true }); console.log(db.prepare('SELECT COUNT(*) AS n FROM ab_samples').get().n)`
    : `const f = JSON.parse(require('fs').readFileSync(${JSON.stringify(join(dir, 'experiments', 'restart.json'))}, 'utf8')); console.log(f.batches.flatMap(b => b.benchmarks.flatMap(x => Object.values(x.metrics).flatMap(m => m.values))).length)`
  const r = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  return Number(r.stdout.trim())
}

describe.each(backends)('%s store', (kind, open) => {
  it('survives a restart: create, add samples, close, reopen (and another process sees them)', async () => {
    const store = await open()
    store.create(experiment('restart'))
    const added = newBatches(4).map(b => store.appendBatch('restart', b))
    expect(added.map(b => b.seq)).toEqual([1, 2, 3, 4])
    // canonical order: benchmarks by key, metrics by name
    expect(added[0]!.benchmarks.map(b => b.key)).toEqual(['bench/sim.bench.ts > validation', 'z.bench.ts > last'])
    expect(Object.keys(added[0]!.benchmarks[0]!.metrics)).toEqual(['frame_cache_hit_rate', 'memory_peak_mb', 'time'])
    store.close()

    expect(samplesOnDisk(kind)).toBe(4 * (3 * 5 + 2))
    const reopened = await open()
    const loaded = reopened.load('restart')!
    expect(loaded.experiment).toEqual(experiment('restart'))
    expect(loaded.batches).toEqual(added)
    expect(reopened.list().map(e => e.name)).toEqual(['restart'])
    const fifth = reopened.appendBatch('restart', newBatches(5)[4]!)
    expect(fifth.seq).toBe(5)
    reopened.close()
  })

  it('refuses a second experiment of the same name and samples for a finalized one', async () => {
    const store = await open()
    try {
      store.create(experiment('dup'))
      expect(() => store.create(experiment('dup'))).toThrow(`--name: experiment "dup" already exists in the ${kind} store ${store.location} (created 2025-01-01T00:00:00.000Z); choose another name`)
      store.appendBatch('dup', newBatches(1)[0]!)
      const frozen = store.finalize('dup', '2025-02-01T00:00:00.000Z')
      expect(frozen.status).toBe('finalized')
      expect(store.finalize('dup', '2025-03-01T00:00:00.000Z').finalizedAt).toBe('2025-02-01T00:00:00.000Z')
      expect(() => store.appendBatch('dup', newBatches(1)[0]!)).toThrow('experiment "dup" was finalized at 2025-02-01T00:00:00.000Z: it takes no more samples (create a new experiment to collect more)')
      expect(store.load('dup')!.batches).toHaveLength(1)
      expect(() => store.appendBatch('nope', newBatches(1)[0]!)).toThrow(`experiment "nope" not found in the ${kind} store ${store.location} (benchgate ab list shows the experiments)`)
      expect(store.load('nope')).toBeUndefined()
    }
    finally {
      store.close()
    }
  })

  it('validates what it writes', async () => {
    const store = await open()
    try {
      expect(() => store.create({ ...experiment('bad'), status: 'paused' as 'active' })).toThrow('experiment "bad": invalid at /status: must be one of "active", "finalized"')
      store.create(experiment('ok'))
      const batch = { ...newBatches(1)[0]!, benchmarks: [{ key: 'k', metrics: { time: { direction: 'lower' as const, unit: 'ms', values: [] } } }] }
      expect(() => store.appendBatch('ok', batch)).toThrow('batch 1 of experiment "ok": invalid at /benchmarks/0/metrics/time/values: must NOT have fewer than 1 items')
      expect(store.load('ok')!.batches).toEqual([])
    }
    finally {
      store.close()
    }
  })
})

describe('JSON store', () => {
  it('validates on read: a damaged file is one line naming it and the JSON path', () => {
    const store = new JsonExperimentStore(join(dir, 'experiments'))
    store.create(experiment('damaged'))
    const path = join(dir, 'experiments', 'damaged.json')
    writeFileSync(path, readFileSync(path, 'utf8').replace('"active"', '"paused"'))
    expect(() => store.load('damaged')).toThrow(`${path}: invalid at /experiment/status: must be one of "active", "finalized"`)
    writeFileSync(path, '{"schemaVersion": 1,')
    expect(() => store.list()).toThrow(new RegExp(`^${path.replaceAll('/', '\\/').replaceAll('.', '\\.')}: malformed JSON`))
  })

  it('takes over a stale lock left by a crashed process, and leaves no lock behind', () => {
    const store = new JsonExperimentStore(join(dir, 'experiments'))
    store.create(experiment('locked'))
    const lock = join(dir, 'experiments', 'locked.json.lock')
    writeFileSync(lock, '999999')
    const old = new Date(Date.now() - 3_600_000)
    utimesSync(lock, old, old)
    expect(store.appendBatch('locked', newBatches(1)[0]!).seq).toBe(1)
    expect(existsSync(lock)).toBe(false)
  })
})

describe('SQLite store', () => {
  it('shares the history database: both schemas, each migration applied once', async () => {
    const path = join(dir, 'history.db')
    ;(await openSqliteStore(path)).close()
    ;(await openSqliteStore(path)).close()
    const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(path)}, { readonly: true });
      console.log(JSON.stringify({ ab: db.prepare('SELECT version FROM ab_schema_migrations').all(), tables: db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map(r => r.name) }))`
    const r = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8' })
    const out = JSON.parse(r.stdout) as { ab: unknown[], tables: string[] }
    expect(out.ab).toEqual([{ version: AB_SCHEMA_VERSION }])
    expect(out.tables).toEqual(expect.arrayContaining(['ab_batches', 'ab_experiments', 'ab_samples', 'ab_schema_migrations', 'ab_variants', 'runs', 'schema_migrations']))
  })

  it('refuses a database whose A/B schema is newer than this benchgate', async () => {
    const path = join(dir, 'history.db')
    const store = await openSqliteStore(path)
    ;(store as unknown as { db: { exec: (sql: string) => void } }).db.exec(`INSERT INTO ab_schema_migrations VALUES (99, 'future', '2099-01-01')`)
    store.close()
    await expect(openSqliteStore(path)).rejects.toThrow(`${path}: A/B schema version 99 is newer than this benchgate supports (${AB_SCHEMA_VERSION}); upgrade benchgate`)
  })
})

describe('openStore', () => {
  const missing = async () => {
    throw Object.assign(new Error('Cannot find package \'better-sqlite3\''), { code: 'ERR_MODULE_NOT_FOUND' })
  }

  it('auto: the history database when better-sqlite3 is installed, JSON files when it is not', async () => {
    const sqlite = await openStore({ dbPath: join(dir, 'h.db'), stateDir: dir })
    expect([sqlite.kind, sqlite.location]).toEqual(['sqlite', join(dir, 'h.db')])
    sqlite.close()
    const json = await openStore({ dbPath: join(dir, 'h.db'), stateDir: dir, importer: missing })
    expect([json.kind, json.location]).toEqual(['json', join(dir, 'experiments')])
  })

  it('sqlite without better-sqlite3, or an unknown kind, is a clear error', async () => {
    await expect(openStore({ kind: 'sqlite', dbPath: join(dir, 'h.db'), stateDir: dir, importer: missing })).rejects.toThrow(SQLITE_MISSING)
    await expect(openStore({ kind: 'yaml' as 'json', dbPath: join(dir, 'h.db'), stateDir: dir })).rejects.toThrow('--store: expected auto, sqlite or json, received "yaml"')
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fromSqlTime, metricAlias, openHistory, toSqlTime, type HistoryDb } from '../../src/history/db.ts'
import { importReports } from '../../src/history/import.ts'
import { SCHEMA_VERSION } from '../../src/history/schema.ts'
import { writeReportJson } from '../../src/report/io.ts'
import { loadSqlite, SQLITE_MISSING } from '../../src/history/sqlite.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { makeReport } from './make-report.ts'

// The two queries of the runbook's "Useful Queries", verbatim.
const HIT_RATE_BY_DAY = `-- SQLite queries for performance database
-- Get average cache hit rate by day
SELECT 
  DATE(timestamp) as day,
  AVG(value) as avg_hit_rate
FROM metrics
WHERE name = 'frame_cache.hit_rate'
GROUP BY DATE(timestamp)
ORDER BY day DESC;`

const OUTLIERS = `-- Find performance outliers
SELECT *
FROM metrics
WHERE name = 'total_validation_time_ms'
  AND value > (SELECT AVG(value) + 2 * STDEV(value) FROM metrics WHERE name = 'total_validation_time_ms')
ORDER BY timestamp DESC;`

let dir: string
let history: HistoryDb
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-db-'))
  history = await openHistory(join(dir, 'sub', 'history.db'))
})
afterEach(() => {
  history.close()
  rmSync(dir, { recursive: true, force: true })
})

const validation = (timestamp: string, time: number, hitRate: number, commit = 'c0ffee') => makeReport({
  timestamp,
  commit,
  branch: 'main',
  benchmarks: [{ name: 'small_gif_validation', metrics: [{ metric: 'total_validation_time_ms', value: time }, { metric: 'frame_cache_hit_rate', value: hitRate }] }],
})

describe('history database', () => {
  it('creates the file with its directory, in WAL mode, at the current schema version, and migrates once', async () => {
    expect(history.version).toBe(SCHEMA_VERSION)
    expect(history.db.pragma('journal_mode', { simple: true })).toBe('wal')
    const migrations = history.query('SELECT version, name FROM schema_migrations').rows
    expect(migrations.map(r => r[0])).toEqual([1])
    history.close()
    history = await openHistory(join(dir, 'sub', 'history.db'))
    expect(history.query('SELECT COUNT(*) FROM schema_migrations').rows[0]![0]).toBe(1)
  })

  it('stores one run, one row per metric median, and lists hit rates under a dotted alias too', () => {
    const { added, runId } = history.appendReport(validation('2025-01-10T08:00:00.000Z', 120, 0.75))
    expect(added).toBe(true)
    const run = history.query('SELECT timestamp, commit_sha, branch, passed, cpu_model, json_extract(counts, \'$.total\') FROM runs WHERE id = ?', [runId]).rows[0]
    expect(run).toEqual(['2025-01-10 08:00:00.000', 'c0ffee', 'main', 1, 'Test CPU @ 2.0GHz', 2])
    const metrics = history.query('SELECT name, metric, value, scenario, unit, direction FROM metrics ORDER BY name').rows
    expect(metrics).toEqual([
      ['frame_cache.hit_rate', 'frame_cache_hit_rate', 0.75, 'small_gif_validation', 'ratio', 'higher'],
      ['frame_cache_hit_rate', 'frame_cache_hit_rate', 0.75, 'small_gif_validation', 'ratio', 'higher'],
      ['total_validation_time_ms', 'total_validation_time_ms', 120, 'small_gif_validation', 'ms', 'lower'],
    ])
    expect(history.query('SELECT COUNT(*) FROM results').rows[0]![0]).toBe(2)
  })

  it('is idempotent: the same report twice adds one run', () => {
    const report = validation('2025-01-10T08:00:00.000Z', 120, 0.75)
    const first = history.appendReport(report)
    const again = history.appendReport(structuredClone(report))
    expect(again).toEqual({ added: false, runId: first.runId })
    expect(history.runCount()).toBe(1)
    expect(history.query('SELECT COUNT(*) FROM measurements').rows[0]![0]).toBe(2)
  })

  it('knows a live-recorded run again in the JSON reporter\'s files (ci_report_<time>.json and ci_report_latest.json)', () => {
    const report = validation('2025-01-10T08:00:00.123456Z', 120.123456789, 0.7512345678)
    history.appendReport(report)
    writeReportJson(join(dir, 'reports'), report)
    expect(importReports(history, join(dir, 'reports'))).toEqual({ files: 2, added: 0, skipped: 2, errors: [] })
    expect(history.runCount()).toBe(1)
  })

  it('appends a run in one transaction: a failing row leaves nothing behind', () => {
    const report = validation('2025-01-10T08:00:00.000Z', 120, 0.75)
    ;(report.benchmarks[0]!.metrics[1] as { verdict: unknown }).verdict = null
    expect(() => history.appendReport(report)).toThrow(/NOT NULL/)
    expect(history.runCount()).toBe(0)
    expect(history.query('SELECT COUNT(*) FROM measurements').rows[0]![0]).toBe(0)
  })

  it('runs the runbook\'s "Useful Queries" unchanged', () => {
    const days = ['2025-01-10', '2025-01-11', '2025-01-12']
    const rates = [[0.6, 0.7], [0.5, 0.9], [0.8, 0.8]]
    const times = [100, 102, 98, 101, 99, 100, 103, 97, 100, 160]
    let t = 0
    days.forEach((day, d) => {
      rates[d]!.forEach((rate, i) => {
        history.appendReport(validation(`${day}T${String(8 + i).padStart(2, '0')}:00:00.000Z`, times[t++]!, rate))
      })
    })
    for (; t < times.length; t++) history.appendReport(validation(`2025-01-13T${String(t).padStart(2, '0')}:00:00.000Z`, times[t]!, 0.7))

    const byDay = history.query(HIT_RATE_BY_DAY)
    expect(byDay.columns).toEqual(['day', 'avg_hit_rate'])
    expect(byDay.rows.map(r => r[0])).toEqual(['2025-01-13', '2025-01-12', '2025-01-11', '2025-01-10'])
    expect(byDay.rows[1]![1]).toBeCloseTo(0.8, 12)
    expect(byDay.rows[2]![1]).toBeCloseTo(0.7, 12)
    expect(byDay.rows[3]![1]).toBeCloseTo(0.65, 12)

    const outliers = history.query(OUTLIERS)
    expect(outliers.columns.slice(0, 3)).toEqual(['timestamp', 'name', 'value'])
    // mean 106, sample sd 18.98; only 160 is above mean + 2 sd = 143.96
    expect(outliers.rows.map(r => r[2])).toEqual([160])
  })

  it('registers STDEV as the sample standard deviation, skipping NULLs, and MEDIAN', () => {
    const q = (sql: string) => history.query(sql).rows[0]![0]
    // reference: numpy.std([2, 4, 4, 4, 5, 5, 7, 9], ddof=1)
    expect(q('SELECT STDEV(x) FROM (SELECT 2 AS x UNION ALL SELECT 4 UNION ALL SELECT 4 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 5 UNION ALL SELECT 7 UNION ALL SELECT 9 UNION ALL SELECT NULL)')).toBeCloseTo(2.138089935299395, 12)
    expect(q('SELECT STDEV(x) FROM (SELECT 5 AS x)')).toBeNull()
    expect(q('SELECT MEDIAN(x) FROM (SELECT 3 AS x UNION ALL SELECT 1 UNION ALL SELECT 10 UNION ALL SELECT 4)')).toBe(3.5)
  })

  it('refuses statements that write, naming the SQL, and reports SQL errors in one line', () => {
    history.appendReport(validation('2025-01-10T08:00:00.000Z', 120, 0.75))
    for (const sql of ['DELETE FROM runs', 'INSERT INTO runs (id) VALUES (99)', 'CREATE TABLE x (a)', 'PRAGMA user_version = 7', 'UPDATE series SET unit = \'s\'']) {
      expect(() => history.query(sql)).toThrow(new BenchgateError(`history query: only read-only statements that return rows are allowed (SELECT, WITH, read-only PRAGMA), received: ${sql}`))
    }
    expect(() => history.query('SELECT * FROM nope')).toThrow('history query: no such table: nope in SQL: SELECT * FROM nope')
    expect(() => history.query('SELECT 1; DELETE FROM runs')).toThrow(/^history query: The supplied SQL string contains more than one statement/)
    expect(history.runCount()).toBe(1)
    // query_only is lifted again afterwards: appends still work
    history.appendReport(validation('2025-01-11T08:00:00.000Z', 121, 0.74))
    expect(history.runCount()).toBe(2)
  })

  it('refuses a database written by a newer benchgate, and a file that is not a database', async () => {
    history.db.prepare('INSERT INTO schema_migrations VALUES (99, \'future\', \'2030-01-01\')').run()
    history.close()
    const path = join(dir, 'sub', 'history.db')
    await expect(openHistory(path)).rejects.toThrow(`${path}: history schema version 99 is newer than this benchgate supports (${SCHEMA_VERSION}); upgrade benchgate`)
    const junk = join(dir, 'junk.db')
    writeFileSync(junk, 'this is not sqlite, just text that is long enough to have a header. '.repeat(20))
    await expect(openHistory(junk)).rejects.toThrow(`${junk}: cannot open the history database (file is not a database)`)
    await expect(openHistory(join(dir, 'missing.db'), { mustExist: true })).rejects.toThrow(`${join(dir, 'missing.db')}: no run history yet (record a gated run, or run benchgate history import <dir>)`)
    history = await openHistory(':memory:')
  })

  it('says how to install better-sqlite3 when it is absent', async () => {
    const absent = () => Promise.reject(Object.assign(new Error('Cannot find package \'better-sqlite3\''), { code: 'ERR_MODULE_NOT_FOUND' }))
    await expect(loadSqlite(absent)).rejects.toThrow(new BenchgateError(SQLITE_MISSING))
    expect(SQLITE_MISSING).toBe('better-sqlite3 is not installed: npm install better-sqlite3@12 to keep a run history')
    const broken = () => Promise.reject(new Error('The module was compiled against a different Node.js version\nmore'))
    await expect(loadSqlite(broken)).rejects.toThrow('better-sqlite3 cannot be loaded (The module was compiled against a different Node.js version): try npm rebuild better-sqlite3')
  })

  it('loads series per benchmark metric in time order within a window and branch', () => {
    history.appendReport(validation('2025-01-12T08:00:00.000Z', 130, 0.7, 'c3'))
    history.appendReport(validation('2025-01-10T08:00:00.000Z', 110, 0.7, 'c1'))
    history.appendReport(validation('2025-01-11T08:00:00.000Z', 120, 0.7, 'c2'))
    history.appendReport({ ...validation('2025-01-11T09:00:00.000Z', 999, 0.7, 'pr'), git: { commit: 'pr', branch: 'feature' } })
    const { series, runs } = history.loadSeries({ from: new Date('2025-01-10T12:00:00Z'), branch: 'main' })
    const time = series.find(s => s.metric === 'total_validation_time_ms')!
    expect(time.values).toEqual([120, 130])
    expect(time.runIds.map(id => runs.get(id)!.commit)).toEqual(['c2', 'c3'])
    expect(time.times).toEqual([Date.parse('2025-01-11T08:00:00Z'), Date.parse('2025-01-12T08:00:00Z')])
    expect(time).toMatchObject({ scenario: 'small_gif_validation', unit: 'ms', direction: 'lower', key: 'bench/x.bench.ts > small_gif_validation' })
  })
})

describe('helpers', () => {
  it('converts times to and from SQLite\'s text format', () => {
    expect(toSqlTime(new Date('2025-03-04T05:06:07.089Z'))).toBe('2025-03-04 05:06:07.089')
    expect(fromSqlTime('2025-03-04 05:06:07.089')).toBe(Date.parse('2025-03-04T05:06:07.089Z'))
  })

  it('aliases hit rates only', () => {
    expect(metricAlias('frame_cache_hit_rate')).toBe('frame_cache.hit_rate')
    expect(metricAlias('validation_cache_hit_rate')).toBe('validation_cache.hit_rate')
    expect(metricAlias('hit_rate')).toBeNull()
    expect(metricAlias('time')).toBeNull()
  })
})

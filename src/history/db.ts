/**
 * The run history: a SQLite database (better-sqlite3, loaded lazily) with one row per run, one per
 * benchmark metric per run, and the `results` and `metrics` views the runbook queries. WAL mode; every
 * append is one transaction. See docs/history.md for the schema.
 */

import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { RunReport } from '../report/types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import { reportHash } from './hash.ts'
import { migrate, schemaVersion } from './schema.ts'
import { loadSqlite, type SqliteDatabase, type SqliteImporter } from './sqlite.ts'

/** Options of {@link openHistory}. */
export interface OpenHistoryOptions {
  /** Refuse to create the file: a missing database is an error naming the path. */
  mustExist?: boolean
  /** Replaces `import('better-sqlite3')` (tests). */
  importer?: SqliteImporter
}

/** What appending one report did. */
export interface AppendResult {
  /** False when a report with the same content hash was already stored (nothing was written). */
  added: boolean
  runId: number
}

/** One series: a benchmark's metric over time, oldest first. */
export interface SeriesData {
  id: number
  key: string
  scenario: string
  metric: string
  unit: string
  direction: 'lower' | 'higher'
  /** Epoch milliseconds of each point. */
  times: number[]
  /** The run's median of the metric. */
  values: number[]
  runIds: number[]
}

/** A stored run, as trend and alert output cite it. */
export interface RunInfo {
  id: number
  /** ISO 8601 (UTC). */
  timestamp: string
  commit?: string
  branch?: string
}

/** Which runs {@link HistoryDb.loadSeries} reads. */
export interface SeriesFilter {
  /** Inclusive lower bound. */
  from?: Date
  /** Inclusive upper bound. */
  to?: Date
  branch?: string
}

/** One verdict of a stored run. */
export interface StoredResult {
  key: string
  scenario: string
  metric: string
  verdict: string
  change: number | null
}

/** Rows of a read-only query. */
export interface QueryResult {
  columns: string[]
  rows: unknown[][]
}

/** A Date as SQLite's UTC text (`YYYY-MM-DD HH:MM:SS.SSS`), the format the `timestamp` columns hold. */
export function toSqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** SQLite's UTC text back to epoch milliseconds. */
export function fromSqlTime(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`)
}

/** The dotted name a metric is also listed under in the `metrics` view: `frame_cache_hit_rate` -> `frame_cache.hit_rate`. */
export function metricAlias(metric: string): string | null {
  const suffix = '_hit_rate'
  return metric.endsWith(suffix) && metric.length > suffix.length ? `${metric.slice(0, -suffix.length)}.hit_rate` : null
}

/**
 * `STDEV(x)`: sample standard deviation (n - 1) by Welford's update; `MEDIAN(x)`. NULLs are skipped;
 * STDEV is NULL for fewer than 2 values, MEDIAN for none. Self-contained (no imports, no closure):
 * the read-only query process (src/history/query.ts) runs its source text too.
 */
export function registerFunctions(db: SqliteDatabase): void {
  db.aggregate('STDEV', {
    start: () => [0, 0, 0] as [number, number, number],
    step: (state: [number, number, number], value: unknown) => {
      if (value === null || value === undefined) return state
      const x = Number(value)
      const n = state[0] + 1
      const delta = x - state[1]
      const mean = state[1] + delta / n
      return [n, mean, state[2] + delta * (x - mean)] as [number, number, number]
    },
    result: (state: [number, number, number]) => (state[0] < 2 ? null : Math.sqrt(state[2] / (state[0] - 1))),
  })
  db.aggregate('MEDIAN', {
    start: () => [] as number[],
    step: (values: number[], value: unknown) => {
      if (value !== null && value !== undefined) values.push(Number(value))
      return values
    },
    result: (values: number[]) => {
      if (values.length === 0) return null
      const sorted = values.sort((a, b) => a - b)
      const mid = sorted.length >> 1
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
    },
  })
}

/**
 * Opens (creating when needed) the history database at `path` (`:memory:` for a throwaway one),
 * applies the migrations and registers the `STDEV` and `MEDIAN` aggregates. Errors are one line naming
 * the file: better-sqlite3 absent, a file that is not a database, a schema from a newer benchgate.
 */
export async function openHistory(path: string, options: OpenHistoryOptions = {}): Promise<HistoryDb> {
  const Database = await loadSqlite(options.importer)
  const memory = path === ':memory:'
  if (!memory && !existsSync(path)) {
    if (options.mustExist) throw new BenchgateError(`${path}: no run history yet (record a gated run, or run benchgate history import <dir>)`)
    mkdirSync(dirname(path), { recursive: true })
  }
  let db: SqliteDatabase | undefined
  try {
    db = new Database(path)
    db.pragma('busy_timeout = 10000')
    if (!memory) db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // the metrics view looks runs up by id for every row: keep them in memory (grows only as read)
    db.pragma('cache_size = -65536')
    db.pragma('foreign_keys = ON')
    migrate(db, path)
  }
  catch (error) {
    db?.close()
    if (error instanceof BenchgateError) throw error
    throw new BenchgateError(`${path}: cannot open the history database (${(error as Error).message})`, 2, { cause: error })
  }
  registerFunctions(db)
  return new HistoryDb(db, path)
}

interface SeriesRow { id: number, scenario: string, file: string, unit: string, direction: string }

/** An open history database. Close it when done. */
export class HistoryDb {
  private readonly seriesCache = new Map<string, SeriesRow>()
  private statements?: ReturnType<HistoryDb['prepareAppend']>

  constructor(readonly db: SqliteDatabase, readonly path: string) {}

  /** The schema version of the open database. */
  get version(): number {
    return schemaVersion(this.db)
  }

  private prepareAppend() {
    return {
      run: this.db.prepare(`INSERT INTO runs (timestamp, commit_sha, branch, mode, passed, cpu_model, environment, counts, tags, tool_version, report_hash, source, recorded_at)
        VALUES (@timestamp, @commit, @branch, @mode, @passed, @cpuModel, @environment, @counts, @tags, @toolVersion, @hash, @source, @recordedAt)
        ON CONFLICT (report_hash) DO NOTHING RETURNING id`).pluck(),
      existing: this.db.prepare('SELECT id FROM runs WHERE report_hash = ?').pluck(),
      series: this.db.prepare(`INSERT INTO series (key, metric, scenario, file, unit, direction) VALUES (@key, @metric, @scenario, @file, @unit, @direction)
        ON CONFLICT (key, metric) DO UPDATE SET scenario = excluded.scenario, file = excluded.file, unit = excluded.unit, direction = excluded.direction
        RETURNING id`).pluck(),
      name: this.db.prepare('INSERT OR IGNORE INTO metric_names (name, series_id) VALUES (?, ?)'),
      measurement: this.db.prepare(`INSERT OR REPLACE INTO measurements (run_id, series_id, verdict, failed, value, baseline_value, change, change_lower, change_upper, p_value, p_adjusted, n, cv)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    }
  }

  private seriesId(key: string, metric: string, scenario: string, file: string, unit: string, direction: string): number {
    const cacheKey = `${key}\u0000${metric}`
    const known = this.seriesCache.get(cacheKey)
    if (known && known.scenario === scenario && known.file === file && known.unit === unit && known.direction === direction) return known.id
    const id = this.statements!.series.get({ key, metric, scenario, file, unit, direction }) as number
    this.statements!.name.run(metric, id)
    const alias = metricAlias(metric)
    if (alias) this.statements!.name.run(alias, id)
    this.seriesCache.set(cacheKey, { id, scenario, file, unit, direction })
    return id
  }

  private appendOne(report: RunReport, source: string | null): AppendResult {
    this.statements ??= this.prepareAppend()
    const s = this.statements
    const hash = reportHash(report)
    const runId = s.run.get({
      timestamp: toSqlTime(new Date(report.timestamp)),
      commit: report.git?.commit ?? null,
      branch: report.git?.branch ?? null,
      mode: report.mode,
      passed: report.passed ? 1 : 0,
      cpuModel: report.environment.cpuModel,
      environment: JSON.stringify(report.environment),
      counts: JSON.stringify(report.counts),
      tags: JSON.stringify(report.options.tags),
      toolVersion: report.tool.version,
      hash,
      source,
      recordedAt: toSqlTime(new Date()),
    }) as number | undefined
    if (runId === undefined) return { added: false, runId: s.existing.get(hash) as number }
    for (const bench of report.benchmarks) {
      for (const m of bench.metrics) {
        const seriesId = this.seriesId(bench.key, m.metric, bench.name, bench.file, m.unit, m.direction)
        s.measurement.run(
          runId, seriesId, m.verdict, m.failed ? 1 : 0,
          m.current?.summary.median ?? null, m.baseline?.summary.median ?? null,
          m.change?.estimate ?? null, m.change?.lower ?? null, m.change?.upper ?? null,
          m.pValue ?? null, m.pAdjusted ?? null, m.current?.summary.n ?? null, m.current?.summary.cv ?? null,
        )
      }
    }
    return { added: true, runId }
  }

  /** Appends one run report in one transaction; a report already stored (same content hash) adds nothing. */
  appendReport(report: RunReport, source?: string): AppendResult {
    return this.db.transaction(() => this.appendOne(report, source ?? null)).immediate()
  }

  /** Appends several reports in one transaction (all or none). */
  appendReports(items: ReadonlyArray<{ report: RunReport, source?: string }>): AppendResult[] {
    return this.db.transaction(() => items.map(item => this.appendOne(item.report, item.source ?? null))).immediate()
  }

  /** Number of stored runs. */
  runCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM runs').pluck().get() as number
  }

  /**
   * Runs one read-only SQL statement (SELECT, WITH, read-only PRAGMA) and returns its rows. Anything
   * that would write is refused before it runs; SQL errors are one line quoting the statement.
   */
  query(sql: string, params: unknown[] = []): QueryResult {
    let statement
    try {
      statement = this.db.prepare(sql)
    }
    catch (error) {
      throw new BenchgateError(`history query: ${(error as Error).message} in SQL: ${oneLine(sql)}`)
    }
    if (!statement.readonly || !statement.reader)
      throw new BenchgateError(`history query: only read-only statements that return rows are allowed (SELECT, WITH, read-only PRAGMA), received: ${oneLine(sql)}`)
    this.db.pragma('query_only = ON')
    try {
      const columns = statement.columns().map(c => c.name)
      const rows = statement.raw(true).all(...params) as unknown[][]
      return { columns, rows }
    }
    catch (error) {
      throw new BenchgateError(`history query: ${(error as Error).message} in SQL: ${oneLine(sql)}`)
    }
    finally {
      this.db.pragma('query_only = OFF')
    }
  }

  /**
   * Every series with its points in the window, oldest first, plus the runs they came from. One
   * query; timestamps are parsed once per run.
   */
  loadSeries(filter: SeriesFilter = {}): { series: SeriesData[], runs: Map<number, RunInfo> } {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.from) { where.push('r.timestamp >= ?'); params.push(toSqlTime(filter.from)) }
    if (filter.to) { where.push('r.timestamp <= ?'); params.push(toSqlTime(filter.to)) }
    if (filter.branch) { where.push('r.branch = ?'); params.push(filter.branch) }
    const condition = where.length ? `WHERE ${where.join(' AND ')}` : ''
    // Two queries: the runs (text columns, once per run), then only numbers per measurement.
    const runRows = this.db.prepare(`SELECT r.id, r.timestamp, r.commit_sha, r.branch FROM runs r ${condition}`).raw(true).all(...params) as Array<[number, string, string | null, string | null]>
    const runs = new Map<number, RunInfo>()
    const timeOf = new Map<number, number>()
    for (const [id, timestamp, commit, branch] of runRows) {
      const time = fromSqlTime(timestamp)
      const info: RunInfo = { id, timestamp: new Date(time).toISOString() }
      if (commit) info.commit = commit
      if (branch) info.branch = branch
      runs.set(id, info)
      timeOf.set(id, time)
    }
    const rows = this.db.prepare(`SELECT m.run_id, m.series_id, m.value FROM runs r JOIN measurements m ON m.run_id = r.id
      ${condition ? `${condition} AND` : 'WHERE'} m.value IS NOT NULL ORDER BY r.timestamp, r.id`).raw(true).iterate(...params) as IterableIterator<[number, number, number]>
    const bySeries = new Map<number, SeriesData>()
    const used = new Set<number>()
    let lastRun = -1
    let lastTime = 0
    for (const [runId, seriesId, value] of rows) {
      if (runId !== lastRun) {
        lastRun = runId
        lastTime = timeOf.get(runId) as number
        used.add(runId)
      }
      let s = bySeries.get(seriesId)
      if (!s) {
        s = { id: seriesId, key: '', scenario: '', metric: '', unit: '', direction: 'lower', times: [], values: [], runIds: [] }
        bySeries.set(seriesId, s)
      }
      s.times.push(lastTime)
      s.values.push(value)
      s.runIds.push(runId)
    }
    if (bySeries.size) {
      const meta = this.db.prepare('SELECT id, key, scenario, metric, unit, direction FROM series').all() as Array<{ id: number, key: string, scenario: string, metric: string, unit: string | null, direction: string | null }>
      for (const row of meta) {
        const s = bySeries.get(row.id)
        if (!s) continue
        s.key = row.key
        s.scenario = row.scenario
        s.metric = row.metric
        s.unit = row.unit ?? ''
        s.direction = row.direction === 'higher' ? 'higher' : 'lower'
      }
    }
    for (const id of runs.keys()) if (!used.has(id)) runs.delete(id)
    const series = [...bySeries.values()].sort((a, b) => a.key.localeCompare(b.key) || a.metric.localeCompare(b.metric))
    return { series, runs }
  }

  /** The id of the most recently stored run, if any. */
  lastRunId(): number | undefined {
    return (this.db.prepare('SELECT MAX(id) FROM runs').pluck().get() as number | null) ?? undefined
  }

  /** The verdicts of one stored run. */
  runResults(runId: number): StoredResult[] {
    return this.db.prepare(`SELECT s.key, s.scenario, s.metric, m.verdict, m.change FROM measurements m JOIN series s ON s.id = m.series_id
      WHERE m.run_id = ? ORDER BY s.key, s.metric`).all(runId) as StoredResult[]
  }

  /** Closes the connection. */
  close(): void {
    this.db.close()
  }
}

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim()
}


/**
 * The history database schema, as numbered migrations. A migration is applied once, inside the same
 * immediate transaction that records it in `schema_migrations`, so concurrent openers (parallel CI
 * jobs, shards) never apply one twice. Never edit a released migration: add the next one.
 */

import type { SqliteDatabase } from './sqlite.ts'
import { BenchgateError } from '../util/errors.ts'

/** One schema step. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/**
 * Timestamps are UTC text in SQLite's own format (`YYYY-MM-DD HH:MM:SS.SSS`), so `DATE(timestamp)` and
 * comparisons with `datetime('now', '-7 days')` work. `commit_sha` is not called `commit`: COMMIT is an
 * SQL keyword and would need quoting in every query.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, series, measurements; results and metrics views',
    sql: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  timestamp TEXT NOT NULL,
  commit_sha TEXT,
  branch TEXT,
  mode TEXT NOT NULL,
  passed INTEGER NOT NULL,
  cpu_model TEXT,
  environment TEXT NOT NULL,
  counts TEXT NOT NULL,
  tags TEXT NOT NULL,
  tool_version TEXT,
  report_hash TEXT NOT NULL UNIQUE,
  source TEXT,
  recorded_at TEXT NOT NULL
);
CREATE INDEX runs_timestamp ON runs (timestamp);

CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  metric TEXT NOT NULL,
  scenario TEXT NOT NULL,
  file TEXT,
  unit TEXT,
  direction TEXT,
  UNIQUE (key, metric)
);

-- The names a series is listed under in the metrics view: its metric, and a dotted alias for hit rates.
CREATE TABLE metric_names (
  name TEXT NOT NULL,
  series_id INTEGER NOT NULL REFERENCES series (id),
  PRIMARY KEY (name, series_id)
) WITHOUT ROWID;

CREATE TABLE measurements (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  series_id INTEGER NOT NULL REFERENCES series (id),
  verdict TEXT NOT NULL,
  failed INTEGER NOT NULL,
  value REAL,
  baseline_value REAL,
  change REAL,
  change_lower REAL,
  change_upper REAL,
  p_value REAL,
  p_adjusted REAL,
  n INTEGER,
  cv REAL,
  PRIMARY KEY (run_id, series_id)
) WITHOUT ROWID;
CREATE INDEX measurements_series ON measurements (series_id, value);

-- LEFT JOINs on primary keys: SQLite drops a join whose columns a query does not use, so
-- SELECT AVG(value) FROM metrics WHERE name = ? reads only metric_names and the covering index.
CREATE VIEW results AS
SELECT m.run_id, r.timestamp, s.key, s.scenario, s.metric, s.unit, s.direction, m.verdict, m.failed,
       m.baseline_value AS baseline_median, m.value AS current_median, m.change, m.change_lower, m.change_upper,
       m.p_value, m.p_adjusted, m.n, m.cv, r.commit_sha, r.branch, r.cpu_model
FROM measurements m LEFT JOIN runs r ON r.id = m.run_id LEFT JOIN series s ON s.id = m.series_id;

CREATE VIEW metrics AS
SELECT r.timestamp, n.name, m.value, s.scenario, s.metric, s.key, s.unit, s.direction,
       r.commit_sha, r.branch, r.cpu_model, m.run_id
FROM metric_names n
JOIN measurements m ON m.series_id = n.series_id
LEFT JOIN series s ON s.id = n.series_id
LEFT JOIN runs r ON r.id = m.run_id
WHERE m.value IS NOT NULL;
`,
  },
]

/** The newest schema version this benchgate knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** The schema version recorded in the database (0 when it has none). */
export function schemaVersion(db: SqliteDatabase): number {
  const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get()
  if (!table) return 0
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }
  return row.v ?? 0
}

/** A numbered schema with its own bookkeeping table (the history's, or the A/B tables'). */
export interface MigrationSet {
  /** Table recording the applied versions. */
  table: string
  /** Names the schema in errors, e.g. `history`. */
  what: string
  migrations: readonly Migration[]
}

/**
 * Brings a database to the newest version of `set`, in one immediate transaction that also records
 * each step, so concurrent openers never apply one twice. A database written by a newer benchgate
 * is refused (one line naming the file) rather than guessed at. Returns the versions applied.
 */
export function applyMigrations(db: SqliteDatabase, path: string, set: MigrationSet): number[] {
  const latest = set.migrations[set.migrations.length - 1]!.version
  const applied: number[] = []
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${set.table} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
    const row = db.prepare(`SELECT MAX(version) AS v FROM ${set.table}`).get() as { v: number | null }
    const current = row.v ?? 0
    if (current > latest)
      throw new BenchgateError(`${path}: ${set.what} schema version ${current} is newer than this benchgate supports (${latest}); upgrade benchgate`)
    const record = db.prepare(`INSERT INTO ${set.table} (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%d %H:%M:%f', 'now'))`)
    for (const migration of set.migrations) {
      if (migration.version <= current) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name)
      applied.push(migration.version)
    }
  })
  run.immediate()
  return applied
}

/** Brings the history tables to {@link SCHEMA_VERSION}; returns the versions applied. */
export function migrate(db: SqliteDatabase, path: string): number[] {
  return applyMigrations(db, path, { table: 'schema_migrations', what: 'history', migrations: MIGRATIONS })
}

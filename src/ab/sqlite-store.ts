/**
 * The SQLite experiment store: tables `ab_experiments`, `ab_variants`, `ab_batches` and `ab_samples`
 * in the history database. The connection comes from the history module (`openHistory`: WAL,
 * busy timeout, its own migrations); the A/B tables have their own numbered migrations, recorded in
 * `ab_schema_migrations` so they never collide with the history's version numbers. Each write is one
 * immediate transaction, with `synchronous = FULL` so a committed batch survives a crash.
 */
import { openHistory, type HistoryDb } from '../history/db.ts'
import { applyMigrations, type Migration } from '../history/schema.ts'
import type { SqliteImporter } from '../history/sqlite.ts'
import { BenchgateError } from '../util/errors.ts'
import type { BatchBenchmark, Direction, Experiment, SampleBatch, Variant } from './experiment-types.generated.ts'
import { canonicalBatch, exists, frozen, notFound, validateBatch, validateExperiment, type ExperimentStore, type NewBatch, type StoredExperiment } from './experiment-store.ts'

/** The A/B schema, step by step. Never edit a released migration: add the next one. */
export const AB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ab_experiments, ab_variants, ab_batches, ab_samples',
    sql: `
CREATE TABLE ab_experiments (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'finalized')),
  finalized_at TEXT,
  alpha REAL NOT NULL,
  tags TEXT NOT NULL,
  metrics TEXT NOT NULL,
  files TEXT NOT NULL
);
CREATE TABLE ab_variants (
  experiment TEXT NOT NULL REFERENCES ab_experiments (name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('control', 'treatment')),
  overrides TEXT NOT NULL,
  PRIMARY KEY (experiment, name)
);
CREATE TABLE ab_batches (
  id INTEGER PRIMARY KEY,
  experiment TEXT NOT NULL,
  seq INTEGER NOT NULL,
  variant TEXT NOT NULL,
  run_id TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  environment TEXT NOT NULL,
  UNIQUE (experiment, seq),
  FOREIGN KEY (experiment, variant) REFERENCES ab_variants (experiment, name) ON DELETE CASCADE
);
CREATE TABLE ab_samples (
  batch_id INTEGER NOT NULL REFERENCES ab_batches (id) ON DELETE CASCADE,
  scenario TEXT NOT NULL,
  metric TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('lower', 'higher')),
  unit TEXT NOT NULL,
  round INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (batch_id, scenario, metric, round)
) WITHOUT ROWID;
`,
  },
]

/** The newest A/B schema version this benchgate knows. */
export const AB_SCHEMA_VERSION = AB_MIGRATIONS[AB_MIGRATIONS.length - 1]!.version

type Db = HistoryDb['db']

/** Brings the A/B tables to {@link AB_SCHEMA_VERSION} (their own bookkeeping table, `ab_schema_migrations`); returns the versions applied. */
export function migrateAb(db: Db, path: string): number[] {
  return applyMigrations(db, path, { table: 'ab_schema_migrations', what: 'A/B', migrations: AB_MIGRATIONS })
}

interface ExperimentRow { name: string, created_at: string, status: 'active' | 'finalized', finalized_at: string | null, alpha: number, tags: string, metrics: string, files: string }
interface BatchRow { id: number, seq: number, variant: string, run_id: string, started_at: string, finished_at: string, environment: string }
type SampleRow = [batchId: number, scenario: string, metric: string, direction: Direction, unit: string, value: number]

/**
 * Opens the history database at `path` (creating it and applying both schemas when needed).
 * @throws {BenchgateError} better-sqlite3 missing or broken, a file that is not a database, a newer schema
 */
export async function openSqliteStore(path: string, options: { importer?: SqliteImporter } = {}): Promise<SqliteExperimentStore> {
  const history = await openHistory(path, options.importer ? { importer: options.importer } : {})
  try {
    history.db.pragma('synchronous = FULL')
    migrateAb(history.db, path)
  }
  catch (error) {
    history.close()
    if (error instanceof BenchgateError) throw error
    throw new BenchgateError(`${path}: cannot prepare the A/B tables (${(error as Error).message})`, 2, { cause: error })
  }
  return new SqliteExperimentStore(history)
}

/** Experiments in the history database. */
export class SqliteExperimentStore implements ExperimentStore {
  readonly kind = 'sqlite' as const
  readonly location: string
  private readonly db: Db

  constructor(private readonly history: HistoryDb) {
    this.db = history.db
    this.location = history.path
  }

  private experimentRow(name: string): ExperimentRow | undefined {
    return this.db.prepare('SELECT * FROM ab_experiments WHERE name = ?').get(name) as ExperimentRow | undefined
  }

  private toExperiment(row: ExperimentRow): Experiment {
    const variants = (this.db.prepare('SELECT name, role, overrides FROM ab_variants WHERE experiment = ? ORDER BY position').all(row.name) as Array<{ name: string, role: Variant['role'], overrides: string }>)
      .map(v => ({ name: v.name, role: v.role, overrides: JSON.parse(v.overrides) as Variant['overrides'] }))
    const experiment: Experiment = {
      name: row.name,
      createdAt: row.created_at,
      status: row.status,
      alpha: row.alpha,
      tags: JSON.parse(row.tags) as string[],
      metrics: JSON.parse(row.metrics) as string[],
      files: JSON.parse(row.files) as string[],
      variants,
    }
    if (row.finalized_at) experiment.finalizedAt = row.finalized_at
    return experiment
  }

  /** Inserts the experiment and its variants in one transaction. */
  create(experiment: Experiment): void {
    validateExperiment.assert(experiment, `experiment "${experiment.name}"`)
    this.db.transaction(() => {
      const row = this.experimentRow(experiment.name)
      if (row) throw exists(this.toExperiment(row), this)
      this.db.prepare('INSERT INTO ab_experiments (name, created_at, status, finalized_at, alpha, tags, metrics, files) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(experiment.name, experiment.createdAt, experiment.status, experiment.finalizedAt ?? null, experiment.alpha, JSON.stringify(experiment.tags), JSON.stringify(experiment.metrics), JSON.stringify(experiment.files))
      const variant = this.db.prepare('INSERT INTO ab_variants (experiment, name, position, role, overrides) VALUES (?, ?, ?, ?, ?)')
      experiment.variants.forEach((v, i) => variant.run(experiment.name, v.name, i, v.role, JSON.stringify(v.overrides)))
    }).immediate()
  }

  /** The experiment with its batches, samples in round order. */
  load(name: string): StoredExperiment | undefined {
    const row = this.experimentRow(name)
    if (!row) return undefined
    const experiment = this.toExperiment(row)
    const rows = this.db.prepare('SELECT id, seq, variant, run_id, started_at, finished_at, environment FROM ab_batches WHERE experiment = ? ORDER BY seq').all(name) as BatchRow[]
    const byId = new Map<number, SampleBatch>()
    const batches = rows.map((r) => {
      const batch: SampleBatch = { seq: r.seq, variant: r.variant, runId: r.run_id, startedAt: r.started_at, finishedAt: r.finished_at, environment: JSON.parse(r.environment) as SampleBatch['environment'], benchmarks: [] }
      byId.set(r.id, batch)
      return batch
    })
    const samples = this.db.prepare(`SELECT s.batch_id, s.scenario, s.metric, s.direction, s.unit, s.value FROM ab_samples s JOIN ab_batches b ON b.id = s.batch_id
      WHERE b.experiment = ? ORDER BY s.batch_id, s.scenario, s.metric, s.round`).raw(true).iterate(name) as IterableIterator<SampleRow>
    let current: BatchBenchmark | undefined
    let currentBatch = -1
    for (const [batchId, scenario, metric, direction, unit, value] of samples) {
      if (batchId !== currentBatch || current?.key !== scenario) {
        currentBatch = batchId
        current = { key: scenario, metrics: {} }
        byId.get(batchId)!.benchmarks.push(current)
      }
      const m = current.metrics[metric] ??= { direction, unit, values: [] }
      m.values.push(value)
    }
    return { experiment, batches }
  }

  /** Every experiment, sorted by name. */
  list(): Experiment[] {
    return (this.db.prepare('SELECT * FROM ab_experiments ORDER BY name').all() as ExperimentRow[]).map(r => this.toExperiment(r))
  }

  /** Numbers and inserts the batch and its samples in one immediate transaction. */
  appendBatch(name: string, batch: NewBatch): SampleBatch {
    return this.db.transaction(() => {
      const row = this.experimentRow(name)
      if (!row) throw notFound(name, this)
      const experiment = this.toExperiment(row)
      if (experiment.status === 'finalized') throw frozen(experiment)
      if (!experiment.variants.some(v => v.name === batch.variant)) throw new Error(`appendBatch: experiment "${name}" has no variant "${batch.variant}"`)
      const seq = ((this.db.prepare('SELECT MAX(seq) FROM ab_batches WHERE experiment = ?').pluck().get(name) as number | null) ?? 0) + 1
      const numbered = canonicalBatch({ ...batch, seq })
      validateBatch.assert(numbered, `batch ${seq} of experiment "${name}"`)
      const id = this.db.prepare('INSERT INTO ab_batches (experiment, seq, variant, run_id, started_at, finished_at, environment) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id').pluck()
        .get(name, seq, numbered.variant, numbered.runId, numbered.startedAt, numbered.finishedAt, JSON.stringify(numbered.environment)) as number
      const sample = this.db.prepare('INSERT INTO ab_samples (batch_id, scenario, metric, direction, unit, round, value) VALUES (?, ?, ?, ?, ?, ?, ?)')
      for (const bench of numbered.benchmarks) {
        for (const [metric, m] of Object.entries(bench.metrics)) m.values.forEach((value, round) => sample.run(id, bench.key, metric, m.direction, m.unit, round, value))
      }
      return numbered
    }).immediate()
  }

  /** Sets the status to finalized (keeping an earlier finalization time). */
  finalize(name: string, at: string): Experiment {
    return this.db.transaction(() => {
      if (!this.experimentRow(name)) throw notFound(name, this)
      this.db.prepare(`UPDATE ab_experiments SET status = 'finalized', finalized_at = ? WHERE name = ? AND status = 'active'`).run(at, name)
      return this.toExperiment(this.experimentRow(name)!)
    }).immediate()
  }

  /** Closes the connection. */
  close(): void {
    this.history.close()
  }
}

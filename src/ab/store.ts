/**
 * Where experiments live. Two backends behind one interface: the history database (SQLite, when
 * better-sqlite3 is installed) and schema-validated JSON files. Every write is atomic (one
 * transaction, or a temp file renamed over the old one), so a crash loses at most the batch that
 * was being measured.
 */
import { join } from 'node:path'
import { BenchgateError } from '../util/errors.ts'
import type { ExperimentStore } from './experiment-store.ts'

/** Which backend to use: `auto` picks SQLite when better-sqlite3 loads, else JSON. */
export type StoreKind = 'auto' | 'sqlite' | 'json'

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** @default 'auto' */
  kind?: StoreKind
  /** The history database file (SQLite backend). */
  dbPath: string
  /** The state directory; JSON files go to `<stateDir>/experiments/`. */
  stateDir: string
  /** Replaces `import('better-sqlite3')` (tests). */
  importer?: () => Promise<unknown>
}

/**
 * Opens the experiment store. `auto` uses the history database when better-sqlite3 is installed
 * and the JSON files when it is not; `sqlite` without better-sqlite3 is an error saying how to
 * install it.
 */
export async function openStore(options: OpenStoreOptions): Promise<ExperimentStore> {
  const kind = options.kind ?? 'auto'
  if (!['auto', 'sqlite', 'json'].includes(kind))
    throw new BenchgateError(`--store: expected auto, sqlite or json, received ${JSON.stringify(kind)}`)
  if (kind === 'json') {
    const { JsonExperimentStore } = await import('./json-store.ts')
    return new JsonExperimentStore(join(options.stateDir, 'experiments'))
  }
  const { loadSqlite, SQLITE_MISSING } = await import('../history/sqlite.ts')
  try {
    await loadSqlite(options.importer)
  }
  catch (error) {
    // Absent: fall back to JSON. Installed but broken: say so rather than hide the experiments.
    if (kind === 'sqlite' || !(error instanceof BenchgateError) || error.message !== SQLITE_MISSING) throw error
    const { JsonExperimentStore } = await import('./json-store.ts')
    return new JsonExperimentStore(join(options.stateDir, 'experiments'))
  }
  const { openSqliteStore } = await import('./sqlite-store.ts')
  return openSqliteStore(options.dbPath, options.importer ? { importer: options.importer } : {})
}

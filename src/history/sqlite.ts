/**
 * Loads better-sqlite3 on demand. It is an optional peer dependency: nothing imports it statically,
 * so `import 'benchgate'`, the plugin and unrelated commands work without it.
 */

import type BetterSqlite3 from 'better-sqlite3'
import { BenchgateError } from '../util/errors.ts'

/** The better-sqlite3 constructor. */
export type SqliteConstructor = typeof BetterSqlite3
/** An open better-sqlite3 connection. */
export type SqliteDatabase = BetterSqlite3.Database

/** The message when better-sqlite3 is absent. */
export const SQLITE_MISSING = 'better-sqlite3 is not installed: npm install better-sqlite3@12 to keep a run history'

/** Imports the module; replaceable in tests to simulate an absent or broken install. */
export type SqliteImporter = () => Promise<unknown>

let cached: SqliteConstructor | undefined

/**
 * Returns the better-sqlite3 constructor, importing it the first time. Absent: a one-line
 * {@link BenchgateError} saying how to install it; present but unloadable (e.g. built for another
 * Node): one line with the cause and `npm rebuild better-sqlite3`.
 */
export async function loadSqlite(importer?: SqliteImporter): Promise<SqliteConstructor> {
  if (cached && !importer) return cached
  let mod: unknown
  try {
    mod = await (importer ?? (() => import('better-sqlite3')))()
  }
  catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new BenchgateError(SQLITE_MISSING, 2, { cause: error })
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    throw new BenchgateError(`better-sqlite3 cannot be loaded (${message}): try npm rebuild better-sqlite3`, 2, { cause: error })
  }
  const ctor = ((mod as { default?: unknown }).default ?? mod) as SqliteConstructor
  if (!importer) cached = ctor
  return ctor
}

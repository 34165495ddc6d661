/**
 * `benchgate history query`: one read-only SQL statement against a history database, or any SQLite
 * file, without changing it. The database is opened read-only (`readonly: true`: no migrations, no
 * WAL switch, no journal), in a child process that holds at most `maxRows` rows and is killed after
 * `timeoutMs`: an unbounded recursive query ends with one line, not with this process.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { BenchgateError } from '../util/errors.ts'
import { registerFunctions, type QueryResult } from './db.ts'
import { loadSqlite } from './sqlite.ts'

/** Caps of one query. */
export interface QueryLimits {
  /**
   * Rows kept; the query stops reading there and the result says it was cut.
   * @default 10_000
   */
  maxRows?: number
  /**
   * Wall time before the query is stopped.
   * @default 30_000
   */
  timeoutMs?: number
}

/** The default caps. */
export const QUERY_LIMITS = { maxRows: 10_000, timeoutMs: 30_000 } as const

/** Rows of a read-only query, and whether `maxRows` cut them. */
export interface ReadOnlyQueryResult extends QueryResult {
  truncated: boolean
}

// The child: plain CommonJS run with `node -e`. Values travel as JSON: BigInt as { $bigint },
// blobs as { $blob: hex }.
const CHILD = `
const [{ sqlite, path, sql, maxRows }] = process.argv.slice(1).map(a => JSON.parse(a))
const out = value => process.stdout.write(JSON.stringify(value, (_k, v) => typeof v === 'bigint' ? { $bigint: v.toString() } : v && v.type === 'Buffer' && Array.isArray(v.data) ? { $blob: Buffer.from(v.data).toString('hex') } : v))
let db
try {
  const Database = require(sqlite)
  db = new Database(path, { readonly: true, fileMustExist: true })
  db.pragma('query_only = ON')
  const register = (REGISTER)
  register(db)
  const statement = db.prepare(sql)
  if (!statement.readonly || !statement.reader) out({ refused: true })
  else {
    const columns = statement.columns().map(c => c.name)
    const rows = []
    let truncated = false
    for (const row of statement.raw(true).iterate()) {
      if (rows.length >= maxRows) { truncated = true; break }
      rows.push(row)
    }
    out({ columns, rows, truncated })
  }
}
catch (error) {
  out({ error: String(error && error.message || error) })
}
finally {
  if (db) db.close()
}
`

function oneLine(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim()
}

function revive(value: unknown): unknown {
  if (value !== null && typeof value === 'object') {
    const v = value as { $bigint?: string, $blob?: string }
    if (typeof v.$bigint === 'string') return BigInt(v.$bigint)
    if (typeof v.$blob === 'string') return Buffer.from(v.$blob, 'hex')
  }
  return value
}

/**
 * Runs one read-only statement (SELECT, WITH, read-only PRAGMA) on the SQLite file at `path`, opened
 * read-only in a child process, within `limits`. Errors are one line: a missing file, better-sqlite3
 * absent, a statement that would write, an SQL error, the time cap.
 */
export async function queryReadOnly(path: string, sql: string, limits: QueryLimits = {}): Promise<ReadOnlyQueryResult> {
  const maxRows = limits.maxRows ?? QUERY_LIMITS.maxRows
  const timeoutMs = limits.timeoutMs ?? QUERY_LIMITS.timeoutMs
  if (!existsSync(path)) throw new BenchgateError(`${path}: no run history yet (record a gated run, or run benchgate history import <dir>)`)
  await loadSqlite() // one line when better-sqlite3 is absent or broken
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3')
  const code = CHILD.replace('REGISTER', registerFunctions.toString())
  const child = spawn(process.execPath, ['--max-old-space-size=1024', '-e', code, JSON.stringify({ sqlite, path, sql, maxRows })], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk })
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk).slice(-2000) })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGKILL')
  }, timeoutMs)
  const { status, signal } = await new Promise<{ status: number | null, signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, sig) => resolve({ status: code, signal: sig }))
  }).finally(() => clearTimeout(timer))
  if (timedOut) throw new BenchgateError(`history query: stopped after ${timeoutMs / 1000} s (--timeout); narrow the query or add a LIMIT: ${oneLine(sql)}`)
  let result: { columns?: string[], rows?: unknown[][], truncated?: boolean, error?: string, refused?: boolean }
  try {
    result = JSON.parse(stdout) as typeof result
  }
  catch {
    const why = signal ? `signal ${signal}` : `exit ${status}`
    const detail = stderr.trim().split('\n').filter(Boolean).at(-1)
    throw new BenchgateError(`history query: the query process ended (${why}${detail ? `: ${detail}` : ''}); narrow the query or add a LIMIT: ${oneLine(sql)}`)
  }
  if (result.refused) throw new BenchgateError(`history query: only read-only statements that return rows are allowed (SELECT, WITH, read-only PRAGMA), received: ${oneLine(sql)}`)
  if (result.error !== undefined) {
    const message = result.error.includes('file is not a database') || result.error.includes('unable to open') ? `${path}: ${result.error}` : `history query: ${result.error} in SQL: ${oneLine(sql)}`
    throw new BenchgateError(message)
  }
  return { columns: result.columns ?? [], rows: (result.rows ?? []).map(row => row.map(revive)), truncated: result.truncated ?? false }
}

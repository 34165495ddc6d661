import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/capture.ts'

// `benchgate history query` on a SQLite file that is not benchgate's (issue 13, item 10): opened
// read-only, nothing about the file changes; runaway queries are capped by rows and by time.
let dir: string
let db: string
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const query = (...args: string[]) => runCli(['history', 'query', ...args, '--history-db', db])
const FOREVER = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)'

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-query-'))
  db = join(dir, 'foreign.db')
  const foreign = new Database(db)
  foreign.pragma('journal_mode = DELETE')
  foreign.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, big INTEGER, data BLOB)')
  foreign.prepare('INSERT INTO t (name, big, data) VALUES (?, ?, ?)').run('one', 2n ** 62n, Buffer.from([1, 2, 3]))
  foreign.close()
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('history query on a foreign SQLite file', () => {
  it('reads it without changing it: no migration, no WAL switch, no new files', async () => {
    const before = digest(db)
    const r = await query('SELECT name, big, length(data) AS bytes FROM t', '--json')
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([{ name: 'one', big: 4611686018427387904, bytes: 3 }])
    const table = await query('SELECT name, data FROM t')
    expect(table.stdout).toContain('one   <3 bytes>')
    expect(digest(db)).toBe(before)
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`) || existsSync(`${db}-journal`)).toBe(false)
    const check = new Database(db, { readonly: true })
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete')
    expect(check.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'`).pluck().get()).toBe(0)
    check.close()
  })

  it('refuses a write, and a write disguised as a pragma leaves the file as it was', async () => {
    const before = digest(db)
    const write = await query('DELETE FROM t')
    expect(write.code).toBe(2)
    expect(write.stderr).toBe('benchgate: history query: only read-only statements that return rows are allowed (SELECT, WITH, read-only PRAGMA), received: DELETE FROM t\n')
    const pragma = await query('PRAGMA journal_mode = WAL')
    expect(pragma.code).toBe(2)
    expect(pragma.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(digest(db)).toBe(before)
  })

  it('an unbounded recursive query stops at --max-rows (default 10000), with one line saying so', async () => {
    const capped = await query(`${FOREVER} SELECT x FROM c`, '--max-rows', '5')
    expect(capped.code, capped.stderr).toBe(0)
    expect(capped.stdout).toMatch(/^x\n-\n1\n2\n3\n4\n5\n\(5 rows, cut at --max-rows\)\n$/)
    expect(capped.stderr).toBe('benchgate: history query: only the first 5 rows are shown (--max-rows 5)\n')
    const byDefault = await query(`${FOREVER} SELECT x FROM c`)
    expect(byDefault.code).toBe(0)
    expect(byDefault.stdout).toContain('(10000 rows, cut at --max-rows)')
  })

  it('a query that never returns a row is stopped by --timeout, in one line', async () => {
    const r = await query(`${FOREVER} SELECT COUNT(*) FROM c`, '--timeout', '1')
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`benchgate: history query: stopped after 1 s (--timeout); narrow the query or add a LIMIT: ${FOREVER} SELECT COUNT(*) FROM c\n`)
    expect((await query('SELECT 1', '--max-rows', '0')).stderr).toBe('benchgate: --max-rows: expected an integer > 0 but received 0\n')
  })
})

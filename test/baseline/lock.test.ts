import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBaseline, updateBaselineFile } from '../../src/baseline/io.ts'
import { lockPath, withFileLock } from '../../src/util/lock.ts'
import { repoRoot } from '../helpers/run.ts'

// The baseline's read-modify-write under its lock (issue 13, item 3): real processes writing one
// file at once, and a holder killed with -9.
const writer = join(repoRoot, 'test/fixtures/lock/writer.mjs')
let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-lock-'))
  file = join(dir, 'baselines', 'current_baselines.json')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise(resolve => child.on('close', code => resolve(code)))
}

describe('the baseline lock', () => {
  it('four concurrent writers of 25 entries each: all 100 entries survive', async () => {
    const startAt = Date.now() + 4000
    const writers = [1, 2, 3, 4].map(id => spawn(process.execPath, [writer, 'write', file, `w${id}`, '25', String(startAt)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] }))
    let stderr = ''
    for (const w of writers) w.stderr!.on('data', (chunk: Buffer) => { stderr += chunk })
    const codes = await Promise.all(writers.map(exited))
    expect(codes, stderr).toEqual([0, 0, 0, 0])
    expect(Object.keys(readBaseline(file)!.entries)).toHaveLength(100)
    expect(existsSync(lockPath(file))).toBe(false)
  }, 60_000)

  it('a holder killed with -9 does not block the next writer', async () => {
    const holder = spawn(process.execPath, [writer, 'hold', file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => { if (String(chunk).includes('locked')) resolve() })
      holder.on('close', code => reject(new Error(`the holder exited (${code}) before taking the lock`)))
    })
    expect(existsSync(lockPath(file))).toBe(true)
    holder.kill('SIGKILL')
    await exited(holder)
    // waitMs 2 s: a lock that is not recognised as stale makes this throw instead of waiting forever
    const update = updateBaselineFile(file, previous => ({ file: { schemaVersion: 1, entries: { ...previous?.entries } }, detail: 'written' }), { waitMs: 2000 })
    expect(update.detail).toBe('written')
    expect(existsSync(lockPath(file))).toBe(false)
  }, 60_000)

  it('a live holder is waited for, then named in one line with the lock file', () => {
    writeFileSync(lockPath(dir), `${JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-01-01T00:00:00.000Z', nonce: 'n' })}\n`)
    expect(() => withFileLock(dir, () => 'never', { waitMs: 200, what: 'the thing' }))
      .toThrow(`the thing is locked by pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00.000Z (${lockPath(dir)}); waited 0 s. If no benchgate is running there, delete the lock file`)
    // a lock from another host is stale only when old
    writeFileSync(lockPath(dir), `${JSON.stringify({ pid: 1, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z', nonce: 'n' })}\n`)
    expect(() => withFileLock(dir, () => 'never', { waitMs: 100 })).toThrow(/locked by pid 1 on elsewhere/)
    expect(withFileLock(dir, () => 'taken', { waitMs: 100, staleMs: 0 })).toBe('taken')
    expect(existsSync(lockPath(dir))).toBe(false)
  })

  it('releases the lock when the update throws, and writes nothing', () => {
    expect(() => updateBaselineFile(file, () => { throw new Error('merge failed') })).toThrow('merge failed')
    expect(existsSync(lockPath(file))).toBe(false)
    expect(existsSync(file)).toBe(false)
  })
})


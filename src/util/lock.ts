/**
 * An inter-process lock on a file: `<file>.lock`, created with O_EXCL (`wx`), holding the holder's
 * pid, host, start time and a random nonce. Waiting polls with a synchronous sleep, so the lock
 * works around synchronous critical sections (a baseline's read-merge-write, a worktree's `npm ci`).
 *
 * A lock whose holder is gone is stale and is broken: on the same host, when its pid no longer
 * exists (a holder killed with -9 never blocks anyone); from another host (a shared file system),
 * when it is older than `staleMs`. A live holder is waited for up to `waitMs`, then the error names
 * it and the lock file.
 */
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { BenchgateError } from './errors.ts'

/** What the lock file holds. */
export interface LockInfo {
  pid: number
  host: string
  /** ISO time the lock was taken. */
  started: string
  nonce: string
}

/** Options of {@link withFileLock}. */
export interface LockOptions {
  /**
   * How long to wait for a live holder before giving up.
   * @default 120_000
   */
  waitMs?: number
  /**
   * Age after which a lock from another host (whose pid cannot be checked) is stale.
   * @default 600_000
   */
  staleMs?: number
  /**
   * Polling interval while waiting (jittered by up to half of it).
   * @default 25
   */
  retryMs?: number
  /** What the lock protects, for messages (default: the file). */
  what?: string
}

/** The lock file of `target`. */
export function lockPath(target: string): string {
  return `${target}.lock`
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4))
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms)
}

/** True when a process with this pid exists on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  }
  catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The lock as it is now; `undefined` when there is none (released meanwhile). */
function readLock(path: string): { info?: LockInfo, mtimeMs: number } | undefined {
  let text: string
  let mtimeMs: number
  try {
    mtimeMs = statSync(path).mtimeMs
    text = readFileSync(path, 'utf8')
  }
  catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    throw new BenchgateError(`${path}: cannot read the lock file (${code ?? (error as Error).message}); remove it if no benchgate is running`, 2, { cause: error })
  }
  try {
    const info = JSON.parse(text) as LockInfo
    if (typeof info.pid === 'number' && typeof info.host === 'string' && typeof info.nonce === 'string') return { info, mtimeMs }
  }
  catch {}
  // empty or torn: a holder between creating the file and writing it, or one that died there
  return { mtimeMs }
}

function isStale(lock: { info?: LockInfo, mtimeMs: number }, staleMs: number): boolean {
  const age = Date.now() - lock.mtimeMs
  if (!lock.info) return age > 5_000
  if (lock.info.host === hostname()) return !pidAlive(lock.info.pid)
  return age > staleMs
}

/**
 * Removes a stale lock without removing a fresh one that replaced it meanwhile: the lock is moved
 * aside first (atomic), and put back when what was moved is not the stale holder's.
 */
function breakLock(path: string, stale: { info?: LockInfo }, nonce: string): void {
  const aside = `${path}.stale-${nonce}`
  try {
    renameSync(path, aside)
  }
  catch {
    return // someone else broke it first
  }
  let moved: ReturnType<typeof readLock>
  try {
    moved = readLock(aside)
  }
  catch {
    moved = undefined
  }
  if (stale.info && moved?.info && moved.info.nonce !== stale.info.nonce) {
    try {
      linkSync(aside, path)
    }
    catch {}
  }
  try {
    unlinkSync(aside)
  }
  catch {}
}

function describeHolder(info: LockInfo | undefined): string {
  return info ? `pid ${info.pid} on ${info.host} since ${info.started}` : 'a process that is still writing the lock'
}

/**
 * Runs `fn` while holding the lock of `target` (creating the directory when needed) and releases it
 * afterwards, also when `fn` throws. Errors are one-line {@link BenchgateError}s naming the file.
 */
export function withFileLock<T>(target: string, fn: () => T, options: LockOptions = {}): T {
  const path = lockPath(target)
  const waitMs = options.waitMs ?? 120_000
  const staleMs = options.staleMs ?? 600_000
  const retryMs = options.retryMs ?? 25
  const what = options.what ?? target
  const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString(), nonce: randomBytes(8).toString('hex') }
  const dir = dirname(path)
  try {
    mkdirSync(dir, { recursive: true })
  }
  catch (error) {
    throw new BenchgateError(`${dir}: cannot create the directory for ${what} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 2, { cause: error })
  }
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      writeFileSync(path, `${JSON.stringify(info)}\n`, { flag: 'wx' })
      break
    }
    catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') throw new BenchgateError(`${path}: cannot lock ${what} (${code ?? (error as Error).message})`, 2, { cause: error })
    }
    const holder = readLock(path)
    if (!holder) continue
    if (isStale(holder, staleMs)) {
      breakLock(path, holder, info.nonce)
      continue
    }
    if (Date.now() >= deadline) {
      throw new BenchgateError(`${what} is locked by ${describeHolder(holder.info)} (${path}); waited ${Math.round(waitMs / 1000)} s. If no benchgate is running there, delete the lock file`, 1)
    }
    sleepSync(retryMs + Math.random() * retryMs / 2)
  }
  try {
    return fn()
  }
  finally {
    let current: ReturnType<typeof readLock>
    try {
      current = readLock(path)
    }
    catch {
      current = undefined
    }
    if (current?.info?.nonce === info.nonce) {
      try {
        unlinkSync(path)
      }
      catch {}
    }
  }
}

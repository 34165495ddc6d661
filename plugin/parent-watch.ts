/**
 * Worker setup file: a worker process dies with the Vitest process that started it. Vitest's
 * `forks` workers are child processes; when their parent is killed with -9 (a cancelled CI job, an
 * OOM kill) nothing tells them, and a worker busy in a benchmark keeps running, and measuring, for
 * as long as its benchmarks last. A watchdog thread (it runs whatever the worker's main thread is
 * doing, a synchronous benchmark loop included) checks every 200 ms whether the process has a new
 * parent (the old one is gone: the orphan was re-parented) and then kills its own process.
 *
 * Thread workers (`threads`, `vmThreads`) live in the Vitest process itself and need none. Workers
 * under Callgrind (`--measure instructions`) get no thread either: the kernel kills them with
 * their parent (plugin/instructions/parent.ts says why).
 */
import { isMainThread, Worker } from 'node:worker_threads'
import { dieWithParentUnderCallgrind } from './instructions/parent.ts'

const STARTED = Symbol.for('benchgate.parentWatch')
const state = globalThis as { [STARTED]?: true }

/** How often the watchdog looks at the parent, in ms. */
export const PARENT_WATCH_INTERVAL_MS = 200

// Plain JavaScript, evaluated in the thread: the worker's own module loader is not involved.
const WATCHDOG = `
const { workerData } = require('node:worker_threads')
setInterval(() => {
  if (process.ppid !== workerData.ppid) {
    try { process.kill(workerData.pid, 'SIGKILL') } catch {}
  }
}, workerData.intervalMs)
`

/**
 * Starts a watchdog thread that kills this process once its parent `ppid` is gone (the process
 * was re-parented), once per process. Used by workers (below) and by a Vitest process that
 * benchgate started itself (`compare --against`'s runs: `DIE_WITH_PARENT_ENV`).
 */
export function dieWithParent(ppid: number = process.ppid): void {
  if (state[STARTED] || !isMainThread) return
  state[STARTED] = true
  // under Callgrind (--measure instructions) the kernel ends the worker: no thread wakes in a counted round
  if (dieWithParentUnderCallgrind()) return
  const watchdog = new Worker(WATCHDOG, { eval: true, workerData: { ppid, pid: process.pid, intervalMs: PARENT_WATCH_INTERVAL_MS } })
  // never keeps the process alive, never fails it
  watchdog.unref()
  watchdog.on('error', () => {})
}

/** Set by benchgate in the environment of a Vitest process it starts: that process dies with its parent. */
export const DIE_WITH_PARENT_ENV = 'BENCHGATE_DIE_WITH_PARENT'

/** Starts the watchdog once per worker process (a setup file runs once per test file). */
export function watchParent(): void {
  if (typeof process.send !== 'function') return
  dieWithParent()
}

watchParent()

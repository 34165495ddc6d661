import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ensureValgrindAddon } from '../../src/measure/addon.ts'
import { MEASURE_ENV } from '../../src/measure/mode.ts'
import { findValgrind, type Valgrind } from '../../src/measure/valgrind.ts'
import type { InstructionsWorkerOptions } from './counter.ts'
import { CALLGRIND_ADDON_ENV } from './parent.ts'
import { callgrindPool, type ForksWorkerClass } from './pool.ts'

/** What an instruction-mode run set up before its workers start. */
export interface InstructionsRun {
  valgrind: Valgrind
  worker: InstructionsWorkerOptions
}

/**
 * Variables of every instruction-mode worker: the mode (so that the workload sets its native
 * thread pools to one thread: src/measure/mode.ts `deterministicThreads`) and one libuv thread
 * (work handed to the pool runs in one order).
 */
export const WORKER_ENV: Readonly<Record<string, string>> = { [MEASURE_ENV]: 'instructions', UV_THREADPOOL_SIZE: '1' }

/**
 * Prepares `--measure instructions` in the main process, before anything is measured: finds
 * Valgrind, builds the client-request addon when the project has none yet, and makes a dump
 * directory (removed when the process exits). Throws a one-line `BenchgateError` (exit 2) when
 * Valgrind or the toolchain is missing.
 */
export function prepareInstructions(root: string, log: (line: string) => void = line => process.stderr.write(`${line}\n`)): InstructionsRun {
  const valgrind = findValgrind()
  const addon = ensureValgrindAddon(root, log)
  const outDir = mkdtempSync(join(tmpdir(), 'benchgate-callgrind-'))
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }))
  return { valgrind, worker: { mode: 'instructions', addon, outDir } }
}

/** The part of a project's resolved config the instruction mode sets (vitest 4 and 5). */
interface PoolConfig {
  pool: string
  poolRunner?: unknown
  testTimeout: number
  hookTimeout: number
}

/**
 * Gives every benchmark project of `vitest` (those `isBench` accepts) the Callgrind pool, and turns
 * their test and hook timeouts off. Throws when this Vitest exports no forks worker to build on.
 */
export async function useCallgrindPool<P>(vitest: { distPath: string, projects: readonly P[] }, run: InstructionsRun, isBench: (project: P) => boolean): Promise<void> {
  const nodeApi = await import(pathToFileURL(join(vitest.distPath, 'node.js')).href) as { ForksPoolWorker?: ForksWorkerClass }
  if (typeof nodeApi.ForksPoolWorker !== 'function') throw new Error(`benchgate --measure instructions: this Vitest (${vitest.distPath}) exports no ForksPoolWorker from vitest/node`)
  // the addon's path: plugin/parent-watch.ts ends the worker with its parent through it
  const pool = callgrindPool(nodeApi.ForksPoolWorker, { valgrind: run.valgrind.command, outDir: run.worker.outDir, env: { ...WORKER_ENV, [CALLGRIND_ADDON_ENV]: run.worker.addon } })
  for (const project of vitest.projects) {
    if (!isBench(project)) continue
    const config = (project as { config: PoolConfig }).config
    config.pool = pool.name
    config.poolRunner = pool
    // Under Callgrind a body runs 50-100x slower than natively: vitest 5's bench timeouts (a
    // benchmark is a test there, 60 s) would cut scenarios off. 0 = no timeout.
    config.testTimeout = 0
    config.hookTimeout = 0
  }
}

/**
 * Valgrind for `--measure instructions`: finding it, and the command line a benchmark worker runs
 * under. The measurements behind each flag are in docs/instructions.md.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { BenchgateError } from '../util/errors.ts'

/** Overrides the Valgrind binary (default: `valgrind` on the PATH). */
export const VALGRIND_ENV = 'BENCHGATE_VALGRIND'

/** The Valgrind a run uses. */
export interface Valgrind {
  /** The command (a path, or a name found on the PATH). */
  command: string
  /** `valgrind-3.19.0`. */
  version: string
}

/** How to get Valgrind, for the one-line error. */
export const VALGRIND_INSTALL = 'install it (Debian/Ubuntu: sudo apt-get install valgrind; Fedora: sudo dnf install valgrind valgrind-devel; Linux only)'

/**
 * Finds Valgrind (`BENCHGATE_VALGRIND`, else `valgrind` on the PATH) and its version. Throws a
 * one-line {@link BenchgateError} (exit 2) saying how to install it when there is none.
 */
export function findValgrind(env: NodeJS.ProcessEnv = process.env): Valgrind {
  const command = env[VALGRIND_ENV] || 'valgrind'
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8', env: { ...env } })
  const version = probe.stdout?.trim() ?? ''
  if (probe.error || probe.status !== 0 || !version.startsWith('valgrind')) {
    const why = probe.error && (probe.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${command} was not found` : `\`${command} --version\` failed`
    throw new BenchgateError(`--measure instructions counts instructions with Valgrind, but ${why}: ${VALGRIND_INSTALL}`)
  }
  return { command, version }
}

/**
 * V8 flags that make a Node process execute the same instructions every time: no concurrent
 * compiler or GC threads, a GC schedule that depends only on allocation (`--predictable`), fixed
 * hash and `Math.random` seeds. Measured: without them three runs of one loop counted 879 M,
 * 1,222 M and 1,667 M instructions; with them, within 6 k of 780 M. `--no-flush-bytecode`: V8
 * drops the bytecode of functions that did not run for a few collections, and how many collections
 * the test runner's own allocations add depends on timing, so which functions get recompiled could
 * differ between processes (one process of a plain bench once switched to 2 % fewer instructions
 * per call mid-run; this removes one timing-dependent trigger of such a switch). `--expose-gc`: the
 * counter collects the heap before each round (plugin/instructions/counter.ts).
 */
export const DETERMINISTIC_NODE_FLAGS: readonly string[] = ['--predictable', '--hash-seed=1', '--random-seed=1', '--no-baseline-batch-compilation', '--no-flush-bytecode', '--expose-gc']

/**
 * Valgrind's arguments for a benchmark worker, before the Node binary: Callgrind with
 * instrumentation off until a benchmark's first round turns it on (the worker's start-up, Vitest
 * and setup run uninstrumented), every thread collecting while it is on (the JavaScript thread
 * toggles itself: plugin/instructions/counter.ts), one dump file per round in `outDir`
 * (`callgrind.<pid>.<n>`), quiet.
 */
export function callgrindArgs(outDir: string): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--collect-atstart=yes',
    `--callgrind-out-file=${join(outDir, 'callgrind.%p')}`,
    '-q',
  ]
}

import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dumpFiles, readCallgrindTotals } from '../../src/measure/callgrind-out.ts'

/** The addon's client requests (src/measure/native/benchgate_valgrind.c). */
interface ValgrindAddon {
  startInstrumentation(): void
  stopInstrumentation(): void
  toggleCollect(): void
  zeroStats(): void
  dumpStats(label?: string): void
  runningOnValgrind(): number
}

/** What an instruction-mode worker is told (`WorkerOptions.measure`). */
export interface InstructionsWorkerOptions {
  mode: 'instructions'
  /** The built addon (`.node`). */
  addon: string
  /** Callgrind's dump directory. */
  outDir: string
}

/** Counts the instructions a body executes. */
export interface InstructionCounter {
  /**
   * Runs `body` (awaiting it when it returns a promise) and resolves to the instructions executed
   * meanwhile on every thread, less the switch's own cost ({@link InstructionCounter.overhead};
   * never below 0). Turns Callgrind's instrumentation on when it is off. Rethrows what `body`
   * threw, after switching off.
   */
  count(body: () => unknown): Promise<number>
  /** Turns instrumentation off after a benchmark's last round: Vitest and the next setup run uninstrumented. */
  end(): void
  /** Instructions an empty body counts (the client requests' own path), measured once and subtracted. */
  readonly overhead: number
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'

let shared: InstructionCounter | undefined

/**
 * The worker's counter (one per process). Loads the addon on first use; throws when the worker is
 * not running under Valgrind (the plugin's pool starts it so), since nothing could be counted.
 *
 * How a round is counted (docs/instructions.md has the measurements behind each step):
 * - Callgrind's instrumentation is on from a benchmark's first counted round to its last
 *   ({@link InstructionCounter.end}): switching it per round flushes Valgrind's translations, and
 *   re-translating Vitest between rounds made runs 2.6x costlier;
 * - every thread but the JavaScript one collects all along (`--collect-atstart=yes`); the JavaScript
 *   thread collects only inside the body (`CALLGRIND_TOGGLE_COLLECT`), and the counters of all
 *   threads are zeroed just before it, so a round counts the body and the work it hands to other
 *   threads (libuv's pool, libvips, onnxruntime), not what ran between rounds;
 * - a full garbage collection first, uncounted: the round starts from the same heap every time and
 *   pays for the collections its own allocations trigger, not for garbage Vitest or earlier rounds
 *   left at timer-dependent moments.
 */
export async function instructionCounter(options: InstructionsWorkerOptions): Promise<InstructionCounter> {
  if (shared) return shared
  const addon = createRequire(import.meta.url)(options.addon) as ValgrindAddon
  if (!addon.runningOnValgrind()) {
    throw new Error('benchgate --measure instructions: this worker is not running under Valgrind (the benchgate plugin starts benchmark workers under Callgrind; a custom pool or a non-benchmark run cannot count instructions)')
  }
  const { outDir } = options
  // the plugin starts workers with --expose-gc (src/measure/valgrind.ts)
  const gc = (globalThis as { gc?: () => void }).gc
  if (typeof gc !== 'function') throw new Error('benchgate --measure instructions: this worker was started without --expose-gc (the benchgate plugin\'s Callgrind pool passes it)')
  let overhead = 0
  let instrumented = false
  // the JavaScript thread's collection state (--collect-atstart=yes until it toggles)
  let collecting = true

  /** The newest dump of this process: its total; every dump file of the process is removed. */
  const take = (): number => {
    const files = dumpFiles(outDir, process.pid)
    const last = files.at(-1)
    if (!last) throw new Error(`benchgate --measure instructions: Callgrind wrote no dump into ${outDir}`)
    const total = readCallgrindTotals(last)
    for (const file of files) rmSync(file, { force: true })
    return total
  }

  const raw = async (body: () => unknown): Promise<number> => {
    if (!instrumented) {
      addon.startInstrumentation()
      instrumented = true
      // switching instrumentation resets every thread's collection state to --collect-atstart
      collecting = true
    }
    if (collecting) {
      addon.toggleCollect()
      collecting = false
    }
    gc()
    let failed = false
    let error: unknown
    addon.zeroStats()
    addon.toggleCollect()
    try {
      const result = body()
      if (isThenable(result)) await result
    }
    catch (e) {
      failed = true
      error = e
    }
    addon.toggleCollect()
    addon.dumpStats()
    const total = take()
    if (failed) throw error
    return total
  }

  // The switch itself (returning from the toggle request, calling the body, entering the next one)
  // costs the same few thousand instructions every time: measured on an empty body once warm, and
  // subtracted.
  const empty = () => {}
  for (let i = 0; i < 3; i++) overhead = await raw(empty)

  shared = {
    overhead,
    async count(body) {
      return Math.max(0, (await raw(body)) - overhead)
    },
    end() {
      if (!instrumented) return
      addon.stopInstrumentation()
      instrumented = false
    },
  }
  return shared
}

import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dumpFiles, readCallgrindTotals } from '../../src/measure/callgrind-out.ts'

/** The addon's client requests (src/measure/native/benchgate_valgrind.c). */
interface ValgrindAddon {
  startInstrumentation(): void
  stopInstrumentation(): void
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
   * Runs `body` (awaiting it when it returns a promise) with Callgrind's instrumentation on, and
   * resolves to the instructions it executed on every thread, less the switch's own cost
   * ({@link InstructionCounter.overhead}; never below 0). Rethrows what `body` threw, after
   * switching off.
   */
  count(body: () => unknown): Promise<number>
  /** Instructions an empty body counts (the client requests' own path), measured once and subtracted. */
  readonly overhead: number
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function'

let shared: InstructionCounter | undefined

/**
 * The worker's counter (one per process). Loads the addon on first use; throws when the worker is
 * not running under Valgrind (the plugin's pool starts it so), since nothing could be counted.
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
    let failed = false
    let error: unknown
    // Instrumentation, not collection, is switched: Callgrind's collection state is per thread,
    // instrumentation covers every thread (thread-pool work included).
    // A full collection first (uncounted): the round starts from the same heap every time, so it
    // pays for the collections its own allocations trigger, not for the garbage Vitest or earlier
    // rounds left at timer-dependent moments (measured: noise floor of an allocating body 0.2 % ->
    // 0.08 %, of an async one 0.3 % -> 0.004 %).
    gc()
    addon.startInstrumentation()
    try {
      const result = body()
      if (isThenable(result)) await result
    }
    catch (e) {
      failed = true
      error = e
    }
    addon.dumpStats()
    addon.stopInstrumentation()
    const total = take()
    if (failed) throw error
    return total
  }

  // The switch itself (returning from the start request, calling the body, entering the dump
  // request) costs the same few thousand instructions every time: measured on an empty body once
  // warm, and subtracted.
  const empty = () => {}
  for (let i = 0; i < 3; i++) overhead = await raw(empty)

  shared = {
    overhead,
    async count(body) {
      return Math.max(0, (await raw(body)) - overhead)
    },
  }
  return shared
}

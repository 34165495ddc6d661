import type { BenchMeta } from '../protocol.ts'
import { instructionCounter, type InstructionsWorkerOptions } from './counter.ts'

/** A plain bench's round counts a batch of calls worth at least this many instructions (a few ms under Callgrind). */
export const BATCH_TARGET_IR = 1_000_000
/** The largest batch: a body this cheap is dominated by the call itself. */
export const MAX_BATCH = 4096

/**
 * The calls per round for a body that executed `once` instructions in one call: the smallest power
 * of two reaching {@link BATCH_TARGET_IR}, so that a small change of the body rarely changes it.
 */
export function batchSize(once: number): number {
  if (!(once > 0)) return MAX_BATCH
  const calls = Math.ceil(BATCH_TARGET_IR / once)
  return Math.min(MAX_BATCH, 2 ** Math.ceil(Math.log2(Math.max(1, calls))))
}

/** tinybench options that make it call a body exactly once, without warm-up (vitest 4's and 5's spellings). */
export const ONE_CALL = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0, warmup: false } as const

/**
 * The body a plain `bench(name, fn)` runs in instruction mode, called once by tinybench: a fixed
 * number of calls instead of tinybench's timed loop (how many calls a time budget allows is not
 * deterministic, and neither is the JIT state it leaves). One warming call, one counted call that
 * sizes the batch ({@link batchSize}), `warmupRounds` uncounted batches, then `rounds` counted
 * batches; each round's value is instructions per call. The values land on `meta.instructions`.
 */
export function plainInstructionsBody(fn: () => unknown, meta: BenchMeta, measure: InstructionsWorkerOptions, plan: { rounds: number, warmupRounds: number }): () => Promise<void> {
  return async () => {
    const counter = await instructionCounter(measure)
    const first = fn()
    const isAsync = first !== null && typeof first === 'object' && typeof (first as { then?: unknown }).then === 'function'
    if (isAsync) await first
    const once = await counter.count(fn)
    const batch = batchSize(once)
    const loop = isAsync
      ? async () => {
        for (let i = 0; i < batch; i++) await fn()
      }
      : () => {
        for (let i = 0; i < batch; i++) fn()
      }
    for (let i = 0; i < plan.warmupRounds; i++) await loop()
    const values: number[] = []
    for (let i = 0; i < plan.rounds; i++) values.push((await counter.count(loop)) / batch)
    meta.instructions = { values, batch }
  }
}

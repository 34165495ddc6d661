import type { BenchMeta } from '../protocol.ts'
import { instructionCounter, type InstructionsWorkerOptions } from './counter.ts'

/** A plain bench's round counts a batch of calls worth at least this many instructions (a few ms under Callgrind). */
export const BATCH_TARGET_IR = 1_000_000
/** Warm-up calls before the batch is sized: worth at least this many instructions of a cold call. */
export const WARMUP_TARGET_IR = 20_000_000
/** The most calls of a batch or a warm-up: a body this cheap is dominated by the call itself. */
export const MAX_CALLS = 4096

/**
 * The calls needed for `target` instructions of a body that executed `once` in one call: a power of
 * two (at most {@link MAX_CALLS}), so that a small change of the body rarely changes it.
 */
export function callsFor(target: number, once: number): number {
  if (!(once > 0)) return MAX_CALLS
  const calls = Math.ceil(target / once)
  return Math.min(MAX_CALLS, 2 ** Math.ceil(Math.log2(Math.max(1, calls))))
}

/** tinybench options that make it call a body exactly once, without warm-up (vitest 4's and 5's spellings). */
export const ONE_CALL = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0, warmup: false } as const

/**
 * The body a plain `bench(name, fn)` runs in instruction mode, called once by tinybench: a fixed
 * number of calls instead of tinybench's timed loop (how many calls a time budget allows is not
 * deterministic, and neither is the JIT state it leaves). One call, one counted (cold) call that
 * sizes a warm-up ({@link WARMUP_TARGET_IR}), the warm-up, one counted (warm) call that sizes the
 * batch ({@link BATCH_TARGET_IR}), `warmupRounds` uncounted batches, then `rounds` counted batches;
 * each round's value is instructions per call. The values land on `meta.instructions`.
 */
export function plainInstructionsBody(fn: () => unknown, meta: BenchMeta, measure: InstructionsWorkerOptions, plan: { rounds: number, warmupRounds: number }): () => Promise<void> {
  return async () => {
    const counter = await instructionCounter(measure)
    const first = fn()
    const isAsync = first !== null && typeof first === 'object' && typeof (first as { then?: unknown }).then === 'function'
    if (isAsync) await first
    const repeat = (calls: number) => isAsync
      ? async () => {
        for (let i = 0; i < calls; i++) await fn()
      }
      : () => {
        for (let i = 0; i < calls; i++) fn()
      }
    try {
      await repeat(callsFor(WARMUP_TARGET_IR, await counter.count(fn)))()
      const batch = callsFor(BATCH_TARGET_IR, await counter.count(fn))
      const loop = repeat(batch)
      for (let i = 0; i < plan.warmupRounds; i++) await loop()
      const values: number[] = []
      for (let i = 0; i < plan.rounds; i++) values.push((await counter.count(loop)) / batch)
      meta.instructions = { values, batch }
    }
    finally {
      counter.end()
    }
  }
}

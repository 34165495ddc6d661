/**
 * Seeded pseudo-random numbers for reproducible resampling. Math.random is never used in src/stats.
 */

import { assertNumber } from './validate.ts'

/**
 * A seeded uniform generator on [0, 1): Chris Doty-Humphrey's sfc32 (PractRand), seeded as PractRand
 * does (a = 0, b = low 32 bits, c = high 32 bits, counter = 1, 12 discarded rounds). Same seed, same
 * sequence on every platform and run; 32 bits of resolution per draw; O(1) per call.
 * `seed` is any safe integer (negative ones included).
 */
export function createRng(seed: number): () => number {
  assertNumber('createRng', 'seed', seed)
  if (!Number.isSafeInteger(seed)) throw new RangeError(`createRng: seed must be a safe integer, received ${seed}`)
  let a = 0
  let b = seed >>> 0
  let c = Math.floor(seed / 0x1_0000_0000) >>> 0
  let counter = 1
  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0
    counter = (counter + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 0x1_0000_0000
  }
  for (let i = 0; i < 12; i++) next()
  return next
}

/** A Fisher-Yates shuffle of a copy of `items`, drawing from `rng` (e.g. {@link createRng}): same draws, same order. */
export function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

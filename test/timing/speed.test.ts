import { describe, expect, it } from 'vitest'
import { bootstrapRatioOfMedians, createRng, mannWhitneyU } from '../../src/stats/index.ts'

// Timing tier: the clock decides. The statistics the gate runs on every comparison stay cheap
// enough to run per metric (moved from test/stats/: a test file running beside others, or a busy
// machine, slows them down without anything being wrong).

/** n values around `centre` with relative normal noise `spread` (Box-Muller on the seeded generator). */
function noisy(n: number, centre: number, spread: number, seed: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
    return centre * (1 + spread * z)
  })
}

describe('the statistics stay fast', () => {
  it('bootstrapRatioOfMedians takes well under 50 ms for 2000 resamples of two 200-value samples', () => {
    const b = noisy(200, 100, 0.05, 4)
    const c = noisy(200, 101, 0.05, 5)
    let best = Infinity
    for (let i = 0; i < 5; i++) {
      const started = performance.now()
      bootstrapRatioOfMedians(b, c, { resamples: 2000 })
      best = Math.min(best, performance.now() - started)
    }
    expect(best).toBeLessThan(50)
  })

  it('mannWhitneyU\'s exact distribution for 8 against 2000 values takes under 500 ms', () => {
    const rng = createRng(7)
    const x = Array.from({ length: 8 }, () => rng())
    const y = Array.from({ length: 2000 }, () => 0.05 + rng())
    const started = performance.now()
    mannWhitneyU(x, y, { method: 'exact' })
    expect(performance.now() - started).toBeLessThan(500)
  })
})

// The counting resampler behind the bootstraps (private module src/stats/resample.ts) against the
// obvious implementation: copy the drawn values out and take their median.
import { describe, expect, it } from 'vitest'
import { createRng, median } from '../../src/stats/index.ts'
import { MedianResampler } from '../../src/stats/resample.ts'

/** The same draws as MedianResampler.draw, done naively. */
function naiveDraw(runs: number[][], rng: () => number): number {
  const pooled: number[] = []
  for (let j = 0; j < runs.length; j++) {
    const run = runs.length === 1 ? runs[0]! : runs[Math.floor(rng() * runs.length)]!
    for (let i = 0; i < run.length; i++) pooled.push(run[Math.floor(rng() * run.length)]!)
  }
  return median(pooled)
}

describe('MedianResampler', () => {
  const source = createRng(99)
  const run = (n: number) => Array.from({ length: n }, () => Math.round(source() * 50) / 10) // many ties

  it.each([
    ['one odd run', [run(7)]],
    ['one even run', [run(10)]],
    ['a single value', [[4.5]]],
    ['runs of different lengths', [run(3), run(8), run(5), run(1)]],
    ['equal runs', [run(6), run(6), run(6)]],
  ])('draws exactly what the naive resample draws: %s', (_, runs) => {
    const sampler = new MedianResampler(runs)
    expect(sampler.median()).toBe(median(runs.flat()))
    const a = createRng(5)
    const b = createRng(5)
    for (let r = 0; r < 300; r++) expect(sampler.draw(a)).toBe(naiveDraw(runs, b))
  })
})

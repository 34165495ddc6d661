/**
 * Bootstrap medians by counting (private to src/stats). The values of one side are sorted once; a
 * resample draws positions into that order and counts them, and its median is read off the running
 * counts. Per resample that is O(values) with no copying, sorting or selecting of data, which keeps
 * 2000 resamples of 2 × 200 values at a few milliseconds.
 */

/** One side of a comparison (one or more runs of values), ready for repeated median resampling. */
export class MedianResampler {
  /** All values of all runs, ascending. */
  private readonly sorted: Float64Array
  /** Per run, the position in `sorted` of each of its values (in input order). */
  private readonly positions: Uint32Array[]
  /** Scratch: how often each sorted position was drawn in the current resample. */
  private readonly counts: Uint32Array

  /** Sorts the pooled values once: O(N log N) for N values in all. Runs must be non-empty. */
  constructor(runs: readonly (readonly number[])[]) {
    let total = 0
    for (const run of runs) total += run.length
    const values = new Float64Array(total)
    let w = 0
    for (const run of runs) for (const v of run) values[w++] = v
    const order = new Uint32Array(total)
    for (let i = 0; i < total; i++) order[i] = i
    order.sort((i, j) => values[i]! - values[j]! || i - j)
    this.sorted = new Float64Array(total)
    const positionOf = new Uint32Array(total)
    for (let k = 0; k < total; k++) {
      this.sorted[k] = values[order[k]!]!
      positionOf[order[k]!] = k
    }
    this.positions = []
    let offset = 0
    for (const run of runs) {
      this.positions.push(positionOf.subarray(offset, offset + run.length))
      offset += run.length
    }
    this.counts = new Uint32Array(total)
  }

  /** Median of all values pooled (mean of the two middle ones for an even count). */
  median(): number {
    const n = this.sorted.length
    return mid(this.sorted[(n - 1) >>> 1]!, this.sorted[n >>> 1]!)
  }

  /**
   * Median of one resample: with k runs, k runs drawn with replacement (no draw when k = 1), then
   * each drawn run's values drawn with replacement, pooled. Consumes `rng` in that fixed order.
   */
  draw(rng: () => number): number {
    const { counts, positions, sorted } = this
    counts.fill(0)
    const k = positions.length
    let drawn = 0
    for (let j = 0; j < k; j++) {
      const pos = k === 1 ? positions[0]! : positions[Math.floor(rng() * k)]!
      const n = pos.length
      for (let i = 0; i < n; i++) counts[pos[Math.floor(rng() * n)]!]!++
      drawn += n
    }
    // The order statistics (drawn - 1) >> 1 and drawn >> 1 (0-based) of the resample.
    const lo = (drawn - 1) >>> 1
    const hi = drawn >>> 1
    let below = 0
    let p = 0
    while (below + counts[p]! <= lo) below += counts[p++]!
    const a = sorted[p]!
    while (below + counts[p]! <= hi) below += counts[p++]!
    return mid(a, sorted[p]!)
  }
}

function mid(a: number, b: number): number {
  return a === b ? a : (a + b) / 2
}

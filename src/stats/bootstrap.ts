/**
 * Bootstrap confidence intervals for the ratio of medians, flat and hierarchical (runs of rounds),
 * and the bootstrap standard error of log(median). Deterministic for a given seed. Each side is
 * sorted once; a resample's median is then selected by counting drawn positions (resample.ts),
 * so no resample is copied, sorted or quickselected.
 */

import { createRng } from './random.ts'
import { MedianResampler } from './resample.ts'
import { quantileSorted } from './select.ts'
import { assertInteger, assertNumber, assertPositive, assertSample, show } from './validate.ts'

/** Options of the ratio-of-medians bootstraps. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples; integer >= 1, default 2000. */
  resamples?: number
  /** Two-sided confidence level in (0, 1); default 0.95. */
  confidence?: number
  /** Seed of the generator ({@link createRng}); safe integer, default 1. */
  seed?: number
}

/** Options of {@link bootstrapSeLogMedian}. */
export interface BootstrapSeOptions {
  /** Number of bootstrap resamples; integer >= 2, default 2000. */
  resamples?: number
  /** Seed of the generator; safe integer, default 1. */
  seed?: number
}

/** A point estimate of median(current) / median(baseline) with its percentile bootstrap interval. */
export interface RatioInterval {
  estimate: number
  lower: number
  upper: number
}

/**
 * Ratio of medians median(current) / median(baseline) with a percentile bootstrap interval: each
 * sample is resampled independently with replacement (baseline first, then current, in each
 * resample), and the interval is the type-7 quantiles at (1 - confidence) / 2 and
 * (1 + confidence) / 2 of the resampled ratios.
 * Baseline values must be > 0 and current values >= 0 (a ratio needs a positive scale).
 * Cost O(resamples · (nb + nc)); 2000 resamples of 2 × 200 values take a few milliseconds.
 */
export function bootstrapRatioOfMedians(baseline: readonly number[], current: readonly number[], options: BootstrapOptions = {}): RatioInterval {
  const fn = 'bootstrapRatioOfMedians'
  checkSides(fn, [baseline], [current], false)
  return ratioBootstrap([baseline], [current], parseOptions(fn, options))
}

/**
 * Hierarchical bootstrap of the ratio of pooled medians for samples made of runs (e.g. one run per
 * process, each with its rounds): per side and resample, draw as many runs as there are with
 * replacement, then each drawn run's values with replacement, pool them and take the median. The
 * estimate is the ratio of the medians of all values pooled. With a single run on both sides it
 * draws exactly the same numbers as {@link bootstrapRatioOfMedians} and returns the same result.
 * Same value constraints as the flat version; cost O(resamples · total values).
 */
export function bootstrapRatioOfMediansNested(
  baselineRuns: readonly (readonly number[])[],
  currentRuns: readonly (readonly number[])[],
  options: BootstrapOptions = {},
): RatioInterval {
  const fn = 'bootstrapRatioOfMediansNested'
  for (const [name, runs] of [['baselineRuns', baselineRuns], ['currentRuns', currentRuns]] as const) {
    if (!Array.isArray(runs)) throw new TypeError(`${fn}: ${name} must be an array of runs (arrays of numbers), received ${show(runs)}`)
    if (runs.length === 0) throw new RangeError(`${fn}: ${name} must not be empty, received []`)
  }
  checkSides(fn, baselineRuns, currentRuns, true)
  return ratioBootstrap(baselineRuns, currentRuns, parseOptions(fn, options))
}

/**
 * Bootstrap standard error of log(median(xs)): the sample standard deviation (n - 1) of
 * log(median) over the resamples. Values must be > 0. Cost O(resamples · n).
 */
export function bootstrapSeLogMedian(xs: readonly number[], options: BootstrapSeOptions = {}): number {
  const fn = 'bootstrapSeLogMedian'
  assertSample(fn, 'xs', xs)
  assertPositive(fn, 'xs', xs)
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, received ${show(options)}`)
  const resamples = options.resamples ?? 2000
  assertInteger(fn, 'resamples', resamples, 2)
  const seed = options.seed ?? 1
  const rng = createRng(seed)
  const sampler = new MedianResampler([xs])
  const logs = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) logs[r] = Math.log(sampler.draw(rng))
  // Two passes on values shifted by the first one: exact 0 for a constant sample, no cancellation.
  const shift = logs[0]!
  let mean = 0
  for (let r = 0; r < resamples; r++) mean += logs[r]! - shift
  mean /= resamples
  let ss = 0
  for (let r = 0; r < resamples; r++) ss += (logs[r]! - shift - mean) ** 2
  return Math.sqrt(ss / (resamples - 1))
}

interface ParsedOptions {
  resamples: number
  confidence: number
  seed: number
}

function parseOptions(fn: string, options: BootstrapOptions): ParsedOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${fn}: options must be an object, received ${show(options)}`)
  const resamples = options.resamples ?? 2000
  assertInteger(fn, 'resamples', resamples, 1)
  const confidence = options.confidence ?? 0.95
  assertNumber(fn, 'confidence', confidence)
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`${fn}: confidence must be in (0, 1), received ${confidence}`)
  const seed = options.seed ?? 1
  assertNumber(fn, 'seed', seed)
  if (!Number.isSafeInteger(seed)) throw new RangeError(`${fn}: seed must be a safe integer, received ${seed}`)
  return { resamples, confidence, seed }
}

function checkSides(fn: string, baseline: readonly (readonly number[])[], current: readonly (readonly number[])[], nested: boolean): void {
  baseline.forEach((run, i) => {
    const name = nested ? `baselineRuns[${i}]` : 'baseline'
    assertSample(fn, name, run)
    assertPositive(fn, name, run)
  })
  current.forEach((run, i) => {
    const name = nested ? `currentRuns[${i}]` : 'current'
    assertSample(fn, name, run)
    assertPositive(fn, name, run, true)
  })
}

/** The shared engine: one run per side is the flat bootstrap (no run draw is made then). */
function ratioBootstrap(baseline: readonly (readonly number[])[], current: readonly (readonly number[])[], options: ParsedOptions): RatioInterval {
  const { resamples, confidence, seed } = options
  const b = new MedianResampler(baseline)
  const c = new MedianResampler(current)
  const estimate = c.median() / b.median()
  const rng = createRng(seed)
  const ratios = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    const mb = b.draw(rng)
    ratios[r] = c.draw(rng) / mb
  }
  ratios.sort()
  const alpha = (1 - confidence) / 2
  return { estimate, lower: quantileSorted(ratios, alpha), upper: quantileSorted(ratios, 1 - alpha) }
}

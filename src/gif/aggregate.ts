/**
 * Frame-by-frame comparison of an original GIF with its compressed version: size normalisation,
 * frame alignment, per-frame metrics and per-metric summaries.
 *
 * A metric is any `(a: Image, b: Image) => number | Promise<number>`; `'ssim'` and `'msSsim'` are
 * built in, and other metrics (the perceptual one) plug in as {@link MetricDefinition}s.
 */
import type { Direction } from '../scenario/types.ts'
import { dropAlpha, mse, resizeArea, toGray, type GifFrames, type Image } from './image.ts'
import { msSsim } from './ms-ssim.ts'
import { ssim, type SsimWindow } from './ssim.ts'

/** A metric: compares two images of the same size (and channels) and returns one number. */
export type MetricFn = (a: Image, b: Image) => number | Promise<number>

/** The built-in metrics. Both are similarities in [0, 1] (SSIM can dip below 0), higher is better. */
export type BuiltinMetric = 'ssim' | 'msSsim'

/** A named metric with its direction and the input it wants. */
export interface MetricDefinition {
  /** Key in `perFrame[i].values` and `summary`. */
  name: string
  /** The metric itself. */
  compute: MetricFn
  /**
   * `higher` for similarities (SSIM), `lower` for distances (LPIPS-like perceptual distance).
   * @default 'higher'
   */
  direction?: Direction
  /**
   * What the metric is handed: RGB (alpha dropped) or 8-bit luma (BT.601, as `toGray`).
   * @default 'rgb'
   */
  input?: 'rgb' | 'gray'
}

/** A metric as `compareGifs` accepts it: a built-in name, a definition, or a bare function (higher is better, RGB input, named after the function). */
export type MetricSpec = BuiltinMetric | MetricDefinition | MetricFn

/** How frames of the two GIFs are paired. */
export type FrameAlignment = 'index' | 'nearest-mse'

/** Options of {@link compareGifs}. */
export interface CompareGifsOptions {
  /** @default ['ssim'] */
  metrics?: readonly MetricSpec[]
  /**
   * `index`: frame i with frame i; when the counts differ, every frame of the shorter GIF is paired
   * with the frame at the proportional index round(k · (nLong - 1) / (nShort - 1)) of the longer.
   * `nearest-mse`: the original GifLab's greedy matcher: every frame of the shorter GIF, in order,
   * takes the still unused frame of the longer GIF with the smallest MSE (ties: the one nearest the
   * proportional index).
   * @default 'index'
   */
  align?: FrameAlignment
  /** SSIM window of the built-in `ssim` (MS-SSIM always uses the Gaussian). @default 'uniform7' */
  window?: SsimWindow
  /**
   * Input of the built-in metrics: `gray` (BT.601 luma, what the original GifLab measured) or
   * `rgb` (mean over R, G, B).
   * @default 'gray'
   */
  color?: 'gray' | 'rgb'
}

/** One aligned pair of frames and its metric values. */
export interface FramePairResult {
  /** Index in `original.frames`. */
  original: number
  /** Index in `compressed.frames`. */
  compressed: number
  /** Metric name -> value. */
  values: Record<string, number>
}

/** Summary of one metric over all pairs. */
export interface MetricSummary {
  /** Which way is better. */
  direction: Direction
  mean: number
  min: number
  max: number
  /**
   * The worst-5 % bound, so that it reads the same way for every metric: for a similarity
   * (`higher` is better, SSIM) it is the 5th percentile of the values (95 % of frames score at
   * least this); for a distance (`lower` is better) it is the 95th percentile (95 % of frames
   * score at most this). Linear interpolation between order statistics (numpy's default).
   */
  p95: number
}

/** What {@link compareGifs} returns. */
export interface CompareGifsResult {
  /** Number of aligned pairs (the smaller frame count). */
  frames: number
  /** The common size every frame was compared at (the minimum width and height of the two GIFs). */
  width: number
  height: number
  perFrame: FramePairResult[]
  summary: Record<string, MetricSummary>
}

interface ResolvedMetric {
  name: string
  compute: MetricFn
  direction: Direction
  input: 'rgb' | 'gray'
}

function resolveMetrics(specs: readonly MetricSpec[], options: CompareGifsOptions): ResolvedMetric[] {
  if (!Array.isArray(specs) || specs.length === 0) {
    throw new RangeError(`Expected metrics to be a non-empty array but received ${JSON.stringify(specs)}`)
  }
  const color = options.color ?? 'gray'
  if (color !== 'gray' && color !== 'rgb') {
    throw new RangeError(`Expected color to be 'gray' or 'rgb' but received ${String(color)}`)
  }
  const window = options.window ?? 'uniform7'
  const out = specs.map((spec, i): ResolvedMetric => {
    if (spec === 'ssim') return { name: 'ssim', compute: (a, b) => ssim(a, b, { window }), direction: 'higher', input: color }
    if (spec === 'msSsim') return { name: 'msSsim', compute: (a, b) => msSsim(a, b), direction: 'higher', input: color }
    if (typeof spec === 'function') {
      return { name: spec.name || `metric${i}`, compute: spec, direction: 'higher', input: 'rgb' }
    }
    if (typeof spec === 'object' && spec !== null && typeof spec.compute === 'function' && typeof spec.name === 'string' && spec.name !== '') {
      const direction = spec.direction ?? 'higher'
      if (direction !== 'higher' && direction !== 'lower') {
        throw new RangeError(`Expected metrics[${i}].direction to be 'higher' or 'lower' but received ${String(direction)}`)
      }
      const input = spec.input ?? 'rgb'
      if (input !== 'rgb' && input !== 'gray') {
        throw new RangeError(`Expected metrics[${i}].input to be 'rgb' or 'gray' but received ${String(input)}`)
      }
      return { name: spec.name, compute: spec.compute, direction, input }
    }
    throw new RangeError(
      `Expected metrics[${i}] to be 'ssim', 'msSsim', a function or { name, compute } but received ${typeof spec === 'string' ? `'${spec}'` : typeof spec}`,
    )
  })
  const seen = new Set<string>()
  for (const m of out) {
    if (seen.has(m.name)) throw new RangeError(`Expected unique metric names but received '${m.name}' twice`)
    seen.add(m.name)
  }
  return out
}

/**
 * Pairs frame indices of two sequences of lengths `nOriginal` and `nCompressed` by proportional
 * index: every frame of the shorter sequence with the frame round(k · (nLong - 1) / (nShort - 1)).
 */
export function proportionalPairs(nOriginal: number, nCompressed: number): Array<[number, number]> {
  const n = Math.min(nOriginal, nCompressed)
  const long = Math.max(nOriginal, nCompressed)
  const pairs: Array<[number, number]> = []
  for (let k = 0; k < n; k++) {
    const j = n === 1 ? 0 : Math.round(k * (long - 1) / (n - 1))
    pairs.push(nOriginal <= nCompressed ? [k, j] : [j, k])
  }
  return pairs
}

/**
 * The greedy nearest-MSE matcher: every frame of the shorter sequence, in order, takes the unused
 * frame of the longer one with the smallest MSE (ties: nearest the proportional index).
 * Cost: O(nOriginal · nCompressed) MSE evaluations.
 */
export function nearestMsePairs(original: readonly Image[], compressed: readonly Image[]): Array<[number, number]> {
  const shortIsOriginal = original.length <= compressed.length
  const short = shortIsOriginal ? original : compressed
  const long = shortIsOriginal ? compressed : original
  const used = new Uint8Array(long.length)
  const pairs: Array<[number, number]> = []
  for (let k = 0; k < short.length; k++) {
    const target = short.length === 1 ? 0 : k * (long.length - 1) / (short.length - 1)
    let best = -1
    let bestErr = Infinity
    for (let j = 0; j < long.length; j++) {
      if (used[j] === 1) continue
      const err = mse(short[k]!, long[j]!)
      if (err < bestErr || (err === bestErr && Math.abs(j - target) < Math.abs(best - target))) {
        best = j
        bestErr = err
      }
    }
    used[best] = 1
    pairs.push(shortIsOriginal ? [k, best] : [best, k])
  }
  return pairs
}

/** Linear-interpolation quantile (numpy's default, "type 7") of already sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Summarises one metric's values; see {@link MetricSummary.p95} for the direction-aware p95. */
export function summarize(values: readonly number[], direction: Direction): MetricSummary {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  return {
    direction,
    mean,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    p95: quantileSorted(sorted, direction === 'higher' ? 0.05 : 0.95),
  }
}

function assertFrames(name: string, g: GifFrames): void {
  if (g === null || typeof g !== 'object' || !Array.isArray(g.frames) || g.frames.length === 0) {
    throw new RangeError(`Expected ${name} to hold at least one frame but received ${Array.isArray(g?.frames) ? 0 : typeof g}`)
  }
}

/**
 * Compares an original GIF with a compressed one, frame by frame.
 *
 * 1. Both are brought to the common minimum width and height by area averaging (`resizeArea`).
 * 2. Frames are aligned (`align`); with equal counts and `index`, frame i meets frame i.
 * 3. Every metric runs on every pair (sequentially; async metrics are awaited).
 * 4. Each metric is summarised: mean, min, max and the direction-aware `p95` (worst 5 %).
 * @throws {RangeError} on an empty GIF or an invalid metric / option
 */
export async function compareGifs(original: GifFrames, compressed: GifFrames, options: CompareGifsOptions = {}): Promise<CompareGifsResult> {
  assertFrames('original', original)
  assertFrames('compressed', compressed)
  const metrics = resolveMetrics(options.metrics ?? ['ssim'], options)
  const align = options.align ?? 'index'
  if (align !== 'index' && align !== 'nearest-mse') {
    throw new RangeError(`Expected align to be 'index' or 'nearest-mse' but received ${String(align)}`)
  }
  const width = Math.min(original.frames[0]!.width, compressed.frames[0]!.width)
  const height = Math.min(original.frames[0]!.height, compressed.frames[0]!.height)
  const prepare = (frames: readonly Image[]): Image[] => frames.map(f => dropAlpha(resizeArea(f, width, height)))
  const origRgb = prepare(original.frames)
  const compRgb = prepare(compressed.frames)
  const wantsGray = metrics.some(m => m.input === 'gray') || align === 'nearest-mse'
  const origGray = wantsGray ? origRgb.map(f => toGray(f)) : []
  const compGray = wantsGray ? compRgb.map(f => toGray(f)) : []

  const pairs = align === 'index'
    ? proportionalPairs(origRgb.length, compRgb.length)
    : nearestMsePairs(origGray, compGray)

  const perFrame: FramePairResult[] = []
  for (const [i, j] of pairs) {
    const values: Record<string, number> = {}
    for (const m of metrics) {
      const a = m.input === 'gray' ? origGray[i]! : origRgb[i]!
      const b = m.input === 'gray' ? compGray[j]! : compRgb[j]!
      values[m.name] = await m.compute(a, b)
    }
    perFrame.push({ original: i, compressed: j, values })
  }
  const summary: Record<string, MetricSummary> = {}
  for (const m of metrics) summary[m.name] = summarize(perFrame.map(p => p.values[m.name]!), m.direction)
  return { frames: perFrame.length, width, height, perFrame, summary }
}

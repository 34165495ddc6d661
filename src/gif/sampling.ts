/**
 * Frame sampling: which frames of a GIF the quality metrics look at.
 *
 * Strategies (all deterministic; no randomness):
 * - `full`: every frame.
 * - `uniform`: n = max(2, floor(N * rate)) evenly spaced frames, first and last included.
 * - `adaptive`: walks the frames and picks one whenever the mean absolute difference of its gray
 *   thumbnail from the last picked frame's exceeds `changeThreshold`; the threshold is then
 *   adjusted (bisection) so the count stays within [rate, maxRate] of N. More frames where the
 *   content changes, few where it stands still.
 * - `scene-aware`: a cut where the luma-histogram difference of consecutive frames exceeds
 *   `sceneThreshold`; keeps each scene's first frame, `sceneWindow` frames on each side of every
 *   cut, and at least `minFramesPerScene` evenly spaced frames per scene.
 *
 * GIFs with fewer than `minFramesForSampling` frames are not sampled. Speed-up is measured by
 * {@link measureSamplingSpeedup} as wall time (full / sampled), never as a frame-count ratio.
 */
import type { FrameSamplingConfig } from '../config/workload-types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import { resizeArea, toGray, type Image } from './image.ts'

/** The sampling strategies. */
export type SamplingStrategy = 'full' | 'uniform' | 'adaptive' | 'scene-aware'

/** The strategies, for validation and help texts. */
export const SAMPLING_STRATEGIES: readonly SamplingStrategy[] = Object.freeze(['full', 'uniform', 'adaptive', 'scene-aware'])

/** Options of {@link selectFrames}; defaults match the `FRAME_SAMPLING` config defaults. */
export interface SamplingOptions {
  strategy: SamplingStrategy
  /** uniform: fraction kept; adaptive: minimum fraction kept. @default 0.3 */
  rate?: number
  /** Fewer frames than this: no sampling. @default 30 */
  minFramesForSampling?: number
  /** adaptive: mean absolute gray difference (0-1) since the last picked frame that picks a frame. @default 0.02 */
  changeThreshold?: number
  /** adaptive: maximum fraction kept. @default 0.8 */
  maxRate?: number
  /** scene-aware: histogram difference (0-1) that marks a cut. @default 0.3 */
  sceneThreshold?: number
  /** scene-aware: frames kept on each side of a cut. @default 1 */
  sceneWindow?: number
  /** scene-aware: minimum frames per scene. @default 3 */
  minFramesPerScene?: number
}

/** What {@link selectFrames} chose. */
export interface FrameSelection {
  /** Selected frame indices, ascending, without duplicates. */
  indices: number[]
  /** The strategy that produced `indices` (`full` when the GIF was too short to sample). */
  strategy: SamplingStrategy
  /** The strategy that was asked for. */
  requested: SamplingStrategy
  /** False when every frame is kept because of `full` or `minFramesForSampling`. */
  sampled: boolean
  /** scene-aware: index of the first frame of every scene after the first. */
  sceneCuts?: number[]
  /** adaptive: the change threshold finally used (after fitting the rate bounds). */
  threshold?: number
}

/** Maps a `FRAME_SAMPLING` config section to {@link SamplingOptions} (`enabled: false` = `full`). */
export function samplingOptionsFromConfig(section: FrameSamplingConfig): SamplingOptions {
  return {
    strategy: section.enabled ? section.strategy : 'full',
    rate: section.rate,
    minFramesForSampling: section.min_frames_for_sampling,
    changeThreshold: section.change_threshold,
    maxRate: section.max_rate,
    sceneThreshold: section.scene_threshold,
    sceneWindow: section.scene_window,
    minFramesPerScene: section.min_frames_per_scene,
  }
}

function check(name: string, value: number, ok: boolean, expected: string): number {
  if (!ok || !Number.isFinite(value)) throw new BenchgateError(`Sampling option ${name}: expected ${expected}, received ${JSON.stringify(value)}`)
  return value
}

const fraction = (name: string, v: number) => check(name, v, v > 0 && v <= 1, 'a number in (0, 1]')
const unit = (name: string, v: number) => check(name, v, v >= 0 && v <= 1, 'a number in [0, 1]')
const int = (name: string, v: number, min: number) => check(name, v, Number.isInteger(v) && v >= min, `an integer >= ${min}`)

/**
 * `count` evenly spaced indices in [0, n), first and last included (`round(i * (n-1) / (count-1))`).
 * `count` is clamped to [min(n, 1), n].
 */
export function uniformIndices(n: number, count: number): number[] {
  if (n <= 0) return []
  const k = Math.max(1, Math.min(n, Math.floor(count)))
  if (k === 1) return [0]
  const out = new Set<number>()
  for (let i = 0; i < k; i++) out.add(Math.round((i * (n - 1)) / (k - 1)))
  return [...out].sort((a, b) => a - b)
}

/** Side of the gray thumbnails used by adaptive and scene-aware sampling. */
export const THUMBNAIL_SIZE = 32

/** A gray thumbnail (at most 32x32, area-averaged) with values in [0, 1]. */
export function grayThumbnail(img: Image, size = THUMBNAIL_SIZE): Float64Array {
  const gray = toGray(img)
  const small = resizeArea(gray, Math.min(size, img.width), Math.min(size, img.height))
  const out = new Float64Array(small.data.length)
  for (let i = 0; i < out.length; i++) out[i] = small.data[i]! / 255
  return out
}

/** Mean absolute difference of two same-length thumbnails (0 = identical, 1 = black vs white). */
export function meanAbsDiff(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`Thumbnails differ in size: ${a.length} vs ${b.length} values`)
  let acc = 0
  for (let i = 0; i < a.length; i++) acc += Math.abs(a[i]! - b[i]!)
  return a.length === 0 ? 0 : acc / a.length
}

/** Normalised luma histogram (bins sum to 1) of a frame, computed on its gray values. */
export function lumaHistogram(img: Image, bins = 32): Float64Array {
  const gray = toGray(img).data
  const hist = new Float64Array(bins)
  for (let i = 0; i < gray.length; i++) hist[Math.min(bins - 1, Math.floor((gray[i]! * bins) / 256))]! += 1
  for (let i = 0; i < bins; i++) hist[i]! /= gray.length || 1
  return hist
}

/** Half the L1 distance of two normalised histograms: 0 = same distribution, 1 = disjoint (= 1 - intersection). */
export function histogramDifference(a: Float64Array, b: Float64Array): number {
  let acc = 0
  for (let i = 0; i < a.length; i++) acc += Math.abs(a[i]! - (b[i] ?? 0))
  return acc / 2
}

/** Indices i (>= 1) where the luma-histogram difference between frames i-1 and i exceeds `threshold`. */
export function detectSceneCuts(frames: readonly Image[], threshold = 0.3): number[] {
  const hists = frames.map(f => lumaHistogram(f))
  const cuts: number[] = []
  for (let i = 1; i < hists.length; i++) if (histogramDifference(hists[i - 1]!, hists[i]!) > threshold) cuts.push(i)
  return cuts
}

function adaptive(frames: readonly Image[], threshold0: number, minRate: number, maxRate: number): { indices: number[], threshold: number } {
  const n = frames.length
  const thumbs = frames.map(f => grayThumbnail(f))
  const minCount = Math.min(n, Math.max(2, Math.ceil(n * minRate)))
  const maxCount = Math.min(n, Math.max(minCount, Math.floor(n * maxRate)))

  const pick = (t: number): number[] => {
    const out = [0]
    let last = 0
    for (let i = 1; i < n; i++) {
      if (meanAbsDiff(thumbs[i]!, thumbs[last]!) > t) {
        out.push(i)
        last = i
      }
    }
    if (out[out.length - 1] !== n - 1) out.push(n - 1)
    return out
  }

  let threshold = threshold0
  let chosen = pick(threshold)
  if (chosen.length > maxCount) {
    // Raise the threshold: smallest t in (threshold0, 1] with count <= maxCount.
    let lo = threshold0
    let hi = 1
    for (let iter = 0; iter < 40; iter++) {
      const mid = (lo + hi) / 2
      if (pick(mid).length > maxCount) lo = mid
      else hi = mid
    }
    threshold = hi
    chosen = pick(hi)
  }
  else if (chosen.length < minCount) {
    // Lower the threshold: largest t in [0, threshold0) with count >= minCount.
    let lo = 0
    let hi = threshold0
    if (pick(0).length >= minCount) {
      for (let iter = 0; iter < 40; iter++) {
        const mid = (lo + hi) / 2
        if (pick(mid).length >= minCount) lo = mid
        else hi = mid
      }
    }
    threshold = lo
    chosen = pick(lo)
  }

  if (chosen.length > maxCount) {
    // Counts are not strictly monotone in t: keep the endpoints and the biggest changes.
    const scored = chosen.slice(1, -1).map((idx, k) => ({ idx, score: meanAbsDiff(thumbs[idx]!, thumbs[chosen[k]!]!) }))
    scored.sort((a, b) => b.score - a.score || a.idx - b.idx)
    chosen = [0, ...scored.slice(0, maxCount - 2).map(s => s.idx), n - 1].sort((a, b) => a - b)
  }
  // Too few (e.g. a still GIF): fill the largest gaps with their midpoints.
  const set = new Set(chosen)
  while (set.size < minCount) {
    const sorted = [...set].sort((a, b) => a - b)
    let best = 0
    let bestGap = -1
    for (let k = 1; k < sorted.length; k++) {
      const gap = sorted[k]! - sorted[k - 1]!
      if (gap > bestGap) {
        bestGap = gap
        best = k
      }
    }
    if (bestGap < 2) break
    set.add(sorted[best - 1]! + Math.floor(bestGap / 2))
  }
  return { indices: [...set].sort((a, b) => a - b), threshold }
}

function sceneAware(frames: readonly Image[], threshold: number, window: number, perScene: number): { indices: number[], cuts: number[] } {
  const n = frames.length
  const cuts = detectSceneCuts(frames, threshold)
  const bounds = [0, ...cuts, n]
  const set = new Set<number>()
  for (let s = 0; s + 1 < bounds.length; s++) {
    const start = bounds[s]!
    const len = bounds[s + 1]! - start
    set.add(start)
    for (const i of uniformIndices(len, Math.min(len, perScene))) set.add(start + i)
  }
  for (const c of cuts) {
    for (let i = c - window; i < c + window; i++) if (i >= 0 && i < n) set.add(i)
  }
  return { indices: [...set].sort((a, b) => a - b), cuts }
}

/**
 * Chooses the frames to evaluate. See the module comment for the strategies.
 * @throws {BenchgateError} for an unknown strategy or an out-of-range option, naming it
 */
export function selectFrames(frames: readonly Image[], options: SamplingOptions): FrameSelection {
  const requested = options.strategy
  if (!SAMPLING_STRATEGIES.includes(requested)) {
    throw new BenchgateError(`Sampling option strategy: expected one of ${SAMPLING_STRATEGIES.join(', ')}, received ${JSON.stringify(requested)}`)
  }
  const rate = fraction('rate', options.rate ?? 0.3)
  const minFrames = int('minFramesForSampling', options.minFramesForSampling ?? 30, 2)
  const n = frames.length
  const all = (): number[] => Array.from({ length: n }, (_, i) => i)
  if (requested === 'full' || n < minFrames) {
    return { indices: all(), strategy: 'full', requested, sampled: false }
  }
  if (requested === 'uniform') {
    return { indices: uniformIndices(n, Math.max(2, Math.floor(n * rate))), strategy: 'uniform', requested, sampled: true }
  }
  if (requested === 'adaptive') {
    const maxRate = fraction('maxRate', options.maxRate ?? 0.8)
    if (maxRate < rate) throw new BenchgateError(`Sampling option maxRate: expected >= rate (${rate}), received ${maxRate}`)
    const { indices, threshold } = adaptive(frames, unit('changeThreshold', options.changeThreshold ?? 0.02), rate, maxRate)
    return { indices, strategy: 'adaptive', requested, sampled: true, threshold }
  }
  const { indices, cuts } = sceneAware(
    frames,
    unit('sceneThreshold', options.sceneThreshold ?? 0.3),
    int('sceneWindow', options.sceneWindow ?? 1, 0),
    int('minFramesPerScene', options.minFramesPerScene ?? 3, 1),
  )
  return { indices, strategy: 'scene-aware', requested, sampled: true, sceneCuts: cuts }
}

/** What {@link measureSamplingSpeedup} measured. */
export interface SamplingSpeedup {
  /** fullMs / sampledMs: measured wall time, not a frame-count ratio. */
  speedup: number
  fullMs: number
  sampledMs: number
  fullValue: number
  sampledValue: number
  /** |sampledValue - fullValue|: the price of sampling. */
  absError: number
}

/**
 * Times a full and a sampled evaluation of the same metric and reports the speed-up together with
 * the error sampling introduced. With `repeats` > 1 the two alternate and the median times are used.
 * `sampledMs` is floored at 1 µs so the ratio stays finite.
 */
export async function measureSamplingSpeedup(
  fullFn: () => number | Promise<number>,
  sampledFn: () => number | Promise<number>,
  options: { repeats?: number, now?: () => number } = {},
): Promise<SamplingSpeedup> {
  const repeats = int('repeats', options.repeats ?? 1, 1)
  const now = options.now ?? (() => performance.now())
  const fullTimes: number[] = []
  const sampledTimes: number[] = []
  let fullValue = Number.NaN
  let sampledValue = Number.NaN
  for (let r = 0; r < repeats; r++) {
    let t0 = now()
    fullValue = await fullFn()
    fullTimes.push(now() - t0)
    t0 = now()
    sampledValue = await sampledFn()
    sampledTimes.push(now() - t0)
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b)
    const m = s.length >> 1
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
  }
  const fullMs = median(fullTimes)
  const sampledMs = median(sampledTimes)
  return {
    speedup: fullMs / Math.max(sampledMs, 0.001),
    fullMs,
    sampledMs,
    fullValue,
    sampledValue,
    absError: Math.abs(sampledValue - fullValue),
  }
}

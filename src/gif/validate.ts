/**
 * The GifLab validation pipeline: what the showcase scenarios measure.
 *
 * Validating a compressed GIF against its original: decode both through the frame cache, choose
 * the frames to compare (frame sampling, capped at `METRICS.max_frames`), align them, and compute
 * every requested metric per frame pair through the validation cache (keyed by frame-content
 * hashes, so repeated frames and repeated validations are not recomputed). Every metric step
 * requests the decoded frames from the frame cache, as the original's metric functions did.
 */
import type { WorkloadConfig } from '../config/workload.ts'
import { summarize, type MetricSummary } from './aggregate.ts'
import type { CacheStats } from './cache.ts'
import { FrameCache, frameCacheOptionsFromConfig } from './frame-cache.ts'
import { dropAlpha, resizeArea, toGray, type GifFrames, type Image } from './image.ts'
import { decodeGif } from './io.ts'
import { msSsim } from './ms-ssim.ts'
import { createPerceptualMetric, perceptualOptionsFromConfig, type PerceptualMetric } from './perceptual.ts'
import { samplingOptionsFromConfig, selectFrames, uniformIndices, type SamplingStrategy } from './sampling.ts'
import { ssim } from './ssim.ts'
import { hashFrame, ValidationCache, validationCacheOptionsFromConfig } from './validation-cache.ts'

/** The quality metrics the pipeline computes. */
export type QualityMetric = 'ssim' | 'msSsim' | 'perceptual'

/** Options of one validation. */
export interface ValidateOptions {
  metrics: readonly QualityMetric[]
  /** Override the config's `FRAME_SAMPLING.enabled`. */
  sampling?: boolean
  /** Override the config's `FRAME_SAMPLING.strategy` (and `rate`). */
  strategy?: SamplingStrategy
  rate?: number
  /**
   * Cap on compared frames when not sampling; `null` compares every frame.
   * @default the config's `METRICS.max_frames`
   */
  maxFrames?: number | null
}

/** The result of one validation. */
export interface ValidationResult {
  /** Frames in the original GIF. */
  totalFrames: number
  /** Original frame indices compared. */
  frames: number[]
  /** Whether sampling chose `frames` (false: every frame up to `max_frames`). */
  sampled: boolean
  summary: Partial<Record<QualityMetric, MetricSummary>>
}

const DIRECTION: Record<QualityMetric, 'higher' | 'lower'> = { ssim: 'higher', msSsim: 'higher', perceptual: 'lower' }

/** Perceptual inputs larger than this on the long side are downscaled first, as the original did for LPIPS. */
export const PERCEPTUAL_MAX_SIDE = 512

/**
 * A long-lived validator: one frame cache, one validation cache and one perceptual model, built
 * from the workload config.
 */
export class GifValidator {
  readonly frameCache: FrameCache
  readonly validationCache: ValidationCache
  private perceptualModel: Promise<PerceptualMetric> | undefined
  private readonly hashes = new WeakMap<Image, string>()
  private readonly grays = new WeakMap<Image, Image>()

  /**
   * @param options.perceptual a loaded perceptual metric to share (a long-lived service loads its
   * model once); by default the validator loads one on first use and `close()` releases it.
   */
  constructor(readonly config: WorkloadConfig, options: { cwd?: string, perceptual?: Promise<PerceptualMetric> } = {}) {
    const cwd = options.cwd ?? process.cwd()
    this.frameCache = new FrameCache(frameCacheOptionsFromConfig(config.FRAME_CACHE, cwd))
    this.validationCache = new ValidationCache(validationCacheOptionsFromConfig(config.VALIDATION_CACHE, cwd))
    this.perceptualModel = options.perceptual
    this.ownsModel = !options.perceptual
  }

  private readonly ownsModel: boolean

  /** Decoded frames of a GIF, through the frame cache. */
  frames(buffer: Uint8Array): Promise<GifFrames> {
    return this.frameCache.getOrDecode(buffer, {}, (b, o) => decodeGif(b, o))
  }

  /** Cache counters so far (callers diff two snapshots for one round). */
  stats(): { frame: CacheStats, validation: CacheStats } {
    return { frame: this.frameCache.snapshot(), validation: this.validationCache.snapshot() }
  }

  private hash(img: Image): string {
    let h = this.hashes.get(img)
    if (!h) {
      h = hashFrame(img)
      this.hashes.set(img, h)
    }
    return h
  }

  private gray(img: Image): Image {
    let g = this.grays.get(img)
    if (!g) {
      g = img.channels === 1 ? img : toGray(img)
      this.grays.set(img, g)
    }
    return g
  }

  private perceptual(): Promise<PerceptualMetric> {
    this.perceptualModel ??= createPerceptualMetric(perceptualOptionsFromConfig(this.config.PERCEPTUAL))
    return this.perceptualModel
  }

  private async compute(metric: QualityMetric, a: Image, b: Image): Promise<number> {
    if (metric === 'ssim') return ssim(this.gray(a), this.gray(b), { window: this.config.METRICS.window })
    if (metric === 'msSsim') return msSsim(this.gray(a), this.gray(b))
    const model = await this.perceptual()
    let x = dropAlpha(a)
    let y = dropAlpha(b)
    const side = Math.max(x.width, x.height)
    if (side > PERCEPTUAL_MAX_SIDE) {
      const w = Math.max(1, Math.round(x.width * PERCEPTUAL_MAX_SIDE / side))
      const h = Math.max(1, Math.round(x.height * PERCEPTUAL_MAX_SIDE / side))
      x = resizeArea(x, w, h)
      y = resizeArea(y, w, h)
    }
    return model.distance(x, y)
  }

  /**
   * The original frame indices to compare: the sampling strategy's choice when sampling is on;
   * otherwise every frame, evenly thinned to `maxFrames` (the config's `METRICS.max_frames`).
   */
  selectFrames(original: GifFrames, options: Pick<ValidateOptions, 'sampling' | 'strategy' | 'rate' | 'maxFrames'>): { indices: number[], sampled: boolean } {
    const n = original.frames.length
    if (options.sampling ?? this.config.FRAME_SAMPLING.enabled) {
      const sampling = samplingOptionsFromConfig(this.config.FRAME_SAMPLING)
      if (options.strategy) sampling.strategy = options.strategy
      if (options.rate !== undefined) sampling.rate = options.rate
      const selection = selectFrames(original.frames, sampling)
      return { indices: selection.indices, sampled: selection.sampled }
    }
    const cap = options.maxFrames === undefined ? this.config.METRICS.max_frames : options.maxFrames
    const indices = cap && n > cap ? uniformIndices(n, cap) : Array.from({ length: n }, (_, i) => i)
    return { indices, sampled: false }
  }

  /** Validates `compressed` against `original` (GIF files) with the requested metrics. */
  async validate(original: Uint8Array, compressed: Uint8Array, options: ValidateOptions): Promise<ValidationResult> {
    const first = await this.frames(original)
    const { indices, sampled } = this.selectFrames(first, options)
    const summary: ValidationResult['summary'] = {}
    for (const metric of options.metrics) {
      // each metric step asks the frame cache for both GIFs, as the original's metric functions did
      const a = await this.frames(original)
      const b = await this.frames(compressed)
      const values: number[] = []
      for (const i of indices) {
        let fa = a.frames[i]!
        let fb = b.frames[alignedIndex(i, a.frames.length, b.frames.length)]!
        if (fa.width !== fb.width || fa.height !== fb.height) {
          const w = Math.min(fa.width, fb.width)
          const h = Math.min(fa.height, fb.height)
          fa = resizeArea(fa, w, h)
          fb = resizeArea(fb, w, h)
        }
        const config = metric === 'ssim' ? { window: this.config.METRICS.window } : metric === 'perceptual' ? { model: this.config.PERCEPTUAL.model_path } : null
        values.push(await this.validationCache.getOrCompute(this.hash(fa), this.hash(fb), metric, config, () => this.compute(metric, fa, fb)))
      }
      summary[metric] = summarize(values, DIRECTION[metric])
    }
    return { totalFrames: first.frames.length, frames: indices, sampled, summary }
  }

  /**
   * Releases the perceptual model (when the validator loaded it) and empties the in-memory cache
   * tiers, so that a closed validator's decoded frames can be collected at once; the disk tiers
   * stay (they outlive the process by design). Counters are kept: `stats()` still works.
   */
  async close(): Promise<void> {
    this.frameCache.clear()
    this.validationCache.clear()
    if (this.perceptualModel && this.ownsModel) await (await this.perceptualModel).close()
  }
}

/** The compressed frame compared with original frame `i`: the same index, or the proportional one when the counts differ. */
export function alignedIndex(i: number, nOriginal: number, nCompressed: number): number {
  if (nOriginal === nCompressed) return i
  return Math.min(nCompressed - 1, Math.round(i * (nCompressed - 1) / Math.max(1, nOriginal - 1)))
}

/** Hit rate of the accesses between two snapshots (NaN when there were none). */
export function roundHitRate(before: CacheStats, after: CacheStats): number {
  const hits = after.hits - before.hits
  const misses = after.misses - before.misses
  return hits + misses === 0 ? Number.NaN : hits / (hits + misses)
}

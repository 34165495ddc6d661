/**
 * The validation cache: metric results keyed by both frames' content hashes, the metric name and
 * its configuration (stable JSON). Frames are hashed in full (sha256 over size, channels and every
 * byte); the original's hash of at most 10k sampled bytes could give two different frames the
 * same key.
 */
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { stableStringify } from '../util/json.ts'
import type { ValidationCacheConfig, WorkloadConfig } from '../config/workload-types.generated.ts'
import { MIB, TieredCache, type CacheStats } from './cache.ts'
import type { Image } from './image.ts'

/** A cached metric result: a number or a small JSON-serialisable record. */
export type ValidationValue = number | { readonly [field: string]: unknown }

/** A frame, or its precomputed {@link hashFrame}. */
export type FrameRef = Image | string

/** sha256 (hex) of a frame's size, channel count and pixel bytes. */
export function hashFrame(image: Image): string {
  return createHash('sha256')
    .update(`${image.width}x${image.height}x${image.channels}\0`)
    .update(image.data)
    .digest('hex')
}

const refHash = (ref: FrameRef): string => (typeof ref === 'string' ? ref : hashFrame(ref))

/**
 * The cache key: sha256 over hash(a), hash(b), the metric name and the metric config as stable
 * JSON. Order matters (a metric need not be symmetric).
 */
export function validationCacheKey(a: FrameRef, b: FrameRef, metric: string, metricConfig: unknown = null): string {
  return createHash('sha256')
    .update(refHash(a)).update('\0')
    .update(refHash(b)).update('\0')
    .update(metric).update('\0')
    .update(stableStringify(metricConfig ?? null, { digits: 17 }))
    .digest('hex')
}

/** Bytes of a result: its JSON length plus the key and bookkeeping (about 100 bytes). */
export function validationValueBytes(value: ValidationValue): number {
  return Buffer.byteLength(JSON.stringify(value)) + 100
}

/** Options of {@link ValidationCache}. */
export interface ValidationCacheOptions {
  /** @default true */
  enabled?: boolean
  /** @default 100 */
  memoryLimitMb?: number
  /** Directory of the disk tier; omitted = memory only. */
  diskPath?: string
  /** @default 1024 */
  diskLimitMb?: number
  /** @default 172800 */
  ttlSeconds?: number
  /** Clock for TTLs (ms since the epoch). @default Date.now */
  now?: () => number
}

/** Default directory of the validation cache's disk tier, relative to the current directory. */
export const DEFAULT_VALIDATION_CACHE_DIR = '.benchgate/cache/validation'

/** Maps a `VALIDATION_CACHE` config section to {@link ValidationCacheOptions}. */
export function validationCacheOptionsFromConfig(section: ValidationCacheConfig, cwd = process.cwd()): ValidationCacheOptions {
  return {
    enabled: section.enabled,
    memoryLimitMb: section.memory_limit_mb,
    ...(section.disk_enabled ? { diskPath: resolve(cwd, section.disk_path ?? DEFAULT_VALIDATION_CACHE_DIR) } : {}),
    diskLimitMb: section.disk_limit_mb,
    ttlSeconds: section.ttl_seconds,
  }
}

/** A byte-bounded cache of metric results. */
export class ValidationCache {
  /** The underlying cache (stats, clear, disk tier). */
  readonly cache: TieredCache<ValidationValue>

  constructor(options: ValidationCacheOptions = {}) {
    const ttlSeconds = options.ttlSeconds ?? 172_800
    this.cache = new TieredCache<ValidationValue>({
      name: 'validation',
      enabled: options.enabled ?? true,
      maxBytes: (options.memoryLimitMb ?? 100) * MIB,
      sizeOf: validationValueBytes,
      ttlMs: ttlSeconds * 1000,
      ...(options.diskPath ? { disk: { dir: options.diskPath, maxBytes: (options.diskLimitMb ?? 1024) * MIB } } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
  }

  /**
   * Returns the cached result of `metric` (with `metricConfig`) on frames `a`, `b`, or computes it
   * (once, even when called concurrently with the same key). Pass precomputed {@link hashFrame}
   * strings to avoid rehashing a frame used in many pairs.
   */
  async getOrCompute<T extends ValidationValue>(
    a: FrameRef,
    b: FrameRef,
    metric: string,
    metricConfig: unknown,
    compute: () => T | Promise<T>,
  ): Promise<T> {
    const key = this.cache.enabled ? validationCacheKey(a, b, metric, metricConfig) : ''
    return this.cache.getOrCompute(key, compute) as Promise<T>
  }

  /** Stats as a plain object. */
  snapshot(): CacheStats {
    return this.cache.snapshot()
  }

  /** Same as {@link snapshot}. */
  stats(): CacheStats {
    return this.cache.snapshot()
  }

  /** Zeroes the counters. */
  resetStats(): void {
    this.cache.resetStats()
  }

  /** Empties memory and, with `disk: true`, the disk tier. */
  clear(options: { disk?: boolean } = {}): ReturnType<TieredCache<ValidationValue>['clear']> {
    return this.cache.clear(options)
  }
}

let shared: { id: string, cache: ValidationCache } | undefined

/**
 * The process-wide validation cache for a config (the whole workload config or its
 * `VALIDATION_CACHE` section). A different section or `cwd` replaces the shared instance.
 */
export function getValidationCache(config: WorkloadConfig | ValidationCacheConfig, cwd = process.cwd()): ValidationCache {
  const section = 'VALIDATION_CACHE' in config ? config.VALIDATION_CACHE : config
  const options = validationCacheOptionsFromConfig(section, cwd)
  const id = stableStringify(options)
  if (!shared || shared.id !== id) shared = { id, cache: new ValidationCache(options) }
  return shared.cache
}

/** Forgets the shared validation cache. */
export function resetSharedValidationCache(): void {
  shared = undefined
}

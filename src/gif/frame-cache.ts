/**
 * The frame cache: decoded GIF frames keyed by the GIF's content (sha256 of its bytes) and the
 * decode options, so a renamed, copied or touched file still hits and an edited one never serves
 * stale frames (the original keyed on path + mtime). The decoder is a parameter: this module does
 * not load sharp or omggif.
 */
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { stableStringify } from '../util/json.ts'
import type { FrameCacheConfig, WorkloadConfig } from '../config/workload-types.generated.ts'
import { MIB, TieredCache, type CacheStats } from './cache.ts'
import type { Image } from './image.ts'

/** Decode options that are part of the key. Extra fields (e.g. `decoder: 'sharp'`) are keyed too. */
export interface FrameDecodeOptions {
  /** At most this many frames. */
  maxFrames?: number
  /** Only these source frame indices (io.ts's `decodeGif` option of the same name). */
  frames?: readonly number[]
  [option: string]: unknown
}

/** What a decoder returns: a frame array, or an object with `frames` (e.g. io.ts's `GifFrames`). */
export type DecodedFrames = readonly Image[] | { readonly frames: readonly Image[] }

/** A decoder: GIF bytes + options -> frames. */
export type FrameDecoder<T extends DecodedFrames = DecodedFrames> = (buffer: Uint8Array, options: FrameDecodeOptions) => T | Promise<T>

/** sha256 (hex) of a byte buffer. */
export function hashContent(buffer: Uint8Array): string {
  return createHash('sha256').update(buffer).digest('hex')
}

/** The cache key: sha256 over the content hash and the decode options as stable JSON. */
export function frameCacheKey(buffer: Uint8Array, options: FrameDecodeOptions = {}): string {
  return createHash('sha256').update(hashContent(buffer)).update('\0').update(stableStringify(options, { digits: 17 })).digest('hex')
}

/** Bytes held by decoded frames: the sum of the frames' pixel bytes (plus a small per-frame overhead). */
export function decodedFramesBytes(value: DecodedFrames): number {
  const frames = Array.isArray(value) ? (value as readonly Image[]) : (value as { frames: readonly Image[] }).frames
  let bytes = 0
  for (const f of frames) bytes += f.data.byteLength + 64
  return bytes
}

/** Options of {@link FrameCache}. */
export interface FrameCacheOptions {
  /** @default true */
  enabled?: boolean
  /** @default 500 */
  memoryLimitMb?: number
  /** Directory of the disk tier; omitted = memory only. */
  diskPath?: string
  /** @default 2048 */
  diskLimitMb?: number
  /** @default 86400 */
  ttlSeconds?: number
  /** Clock for TTLs (ms since the epoch). @default Date.now */
  now?: () => number
}

/** Default directory of the frame cache's disk tier, relative to the current directory. */
export const DEFAULT_FRAME_CACHE_DIR = '.benchgate/cache/frame'

/** Maps a `FRAME_CACHE` config section to {@link FrameCacheOptions}; `disk_path` null = `.benchgate/cache/frame` under `cwd`. */
export function frameCacheOptionsFromConfig(section: FrameCacheConfig, cwd = process.cwd()): FrameCacheOptions {
  return {
    enabled: section.enabled,
    memoryLimitMb: section.memory_limit_mb,
    ...(section.disk_enabled ? { diskPath: resolve(cwd, section.disk_path ?? DEFAULT_FRAME_CACHE_DIR) } : {}),
    diskLimitMb: section.disk_limit_mb,
    ttlSeconds: section.ttl_seconds,
  }
}

/** A byte-bounded cache of decoded frames. */
export class FrameCache {
  /** The underlying cache (stats, clear, disk tier). */
  readonly cache: TieredCache<DecodedFrames>

  constructor(options: FrameCacheOptions = {}) {
    const ttlSeconds = options.ttlSeconds ?? 86_400
    this.cache = new TieredCache<DecodedFrames>({
      name: 'frame',
      enabled: options.enabled ?? true,
      maxBytes: (options.memoryLimitMb ?? 500) * MIB,
      sizeOf: decodedFramesBytes,
      ttlMs: ttlSeconds * 1000,
      ...(options.diskPath ? { disk: { dir: options.diskPath, maxBytes: (options.diskLimitMb ?? 2048) * MIB } } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
  }

  /**
   * Returns the frames of `buffer` decoded with `options`, from the cache or by calling `decode`
   * (once, even when called concurrently for the same GIF and options).
   */
  async getOrDecode<T extends DecodedFrames>(buffer: Uint8Array, options: FrameDecodeOptions, decode: FrameDecoder<T>): Promise<T> {
    const key = this.cache.enabled ? frameCacheKey(buffer, options) : ''
    return this.cache.getOrCompute(key, () => decode(buffer, options)) as Promise<T>
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
  clear(options: { disk?: boolean } = {}): ReturnType<TieredCache<DecodedFrames>['clear']> {
    return this.cache.clear(options)
  }
}

let shared: { id: string, cache: FrameCache } | undefined

/**
 * The process-wide frame cache for a config (the whole workload config or its `FRAME_CACHE`
 * section). A different section or `cwd` replaces the shared instance (its entries and stats are
 * dropped).
 */
export function getFrameCache(config: WorkloadConfig | FrameCacheConfig, cwd = process.cwd()): FrameCache {
  const section = 'FRAME_CACHE' in config ? config.FRAME_CACHE : config
  const options = frameCacheOptionsFromConfig(section, cwd)
  const id = stableStringify(options)
  if (!shared || shared.id !== id) shared = { id, cache: new FrameCache(options) }
  return shared.cache
}

/** Forgets the shared frame cache (tests, or to free its memory). */
export function resetSharedFrameCache(): void {
  shared = undefined
}

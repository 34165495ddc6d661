/**
 * `benchgate cache status | clear | warm | export-stats`, as plain async functions returning
 * JSON-serialisable objects (the CLI prints them). They act on the process-wide caches
 * ({@link getFrameCache}, {@link getValidationCache}) and on the disk tiers' directories, which is
 * what persists between CLI invocations.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { WorkloadConfig } from '../config/workload-types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import { MIB, type CacheStats } from './cache.ts'
import { DiskCache } from './disk-cache.ts'
import { DEFAULT_FRAME_CACHE_DIR, getFrameCache, type DecodedFrames, type FrameDecodeOptions, type FrameDecoder } from './frame-cache.ts'
import { DEFAULT_VALIDATION_CACHE_DIR, getValidationCache } from './validation-cache.ts'

/** The two caches. */
export type CacheType = 'frame' | 'validation'

/** Options shared by the commands. */
export interface CacheCommandOptions {
  /** Base for relative / default disk paths. @default process.cwd() */
  cwd?: string
}

/** One cache in {@link cacheStatus}. */
export interface CacheStatusEntry {
  enabled: boolean
  memoryLimitMb: number
  ttlSeconds: number
  /** In-process stats (a fresh CLI process starts at zero). */
  stats: CacheStats
  /** The disk directory, scanned now (also when the disk tier is disabled, to show leftovers). */
  disk: { enabled: boolean, path: string, limitMb: number, entries: number, bytes: number }
}

function sectionOf(config: WorkloadConfig, type: CacheType) {
  return type === 'frame' ? config.FRAME_CACHE : config.VALIDATION_CACHE
}

function diskDir(config: WorkloadConfig, type: CacheType, cwd: string): string {
  const section = sectionOf(config, type)
  return resolve(cwd, section.disk_path ?? (type === 'frame' ? DEFAULT_FRAME_CACHE_DIR : DEFAULT_VALIDATION_CACHE_DIR))
}

function diskUsage(config: WorkloadConfig, type: CacheType, cwd: string): { entries: number, bytes: number } {
  const section = sectionOf(config, type)
  const usage = new DiskCache({ dir: diskDir(config, type, cwd), maxBytes: section.disk_limit_mb * MIB }).usage()
  return { entries: usage.entries, bytes: usage.bytes }
}

function statsOf(config: WorkloadConfig, type: CacheType, cwd: string): CacheStats {
  return type === 'frame' ? getFrameCache(config, cwd).snapshot() : getValidationCache(config, cwd).snapshot()
}

function statusEntry(config: WorkloadConfig, type: CacheType, cwd: string): CacheStatusEntry {
  const section = sectionOf(config, type)
  return {
    enabled: section.enabled,
    memoryLimitMb: section.memory_limit_mb,
    ttlSeconds: section.ttl_seconds,
    stats: statsOf(config, type, cwd),
    disk: {
      enabled: section.disk_enabled,
      path: diskDir(config, type, cwd),
      limitMb: section.disk_limit_mb,
      ...diskUsage(config, type, cwd),
    },
  }
}

/** `benchgate cache status`: configuration, in-process stats and disk usage of both caches. */
export async function cacheStatus(config: WorkloadConfig, options: CacheCommandOptions = {}): Promise<{ frame: CacheStatusEntry, validation: CacheStatusEntry }> {
  const cwd = options.cwd ?? process.cwd()
  return { frame: statusEntry(config, 'frame', cwd), validation: statusEntry(config, 'validation', cwd) }
}

/** What {@link cacheClear} removed, per cache. */
export interface CacheClearEntry {
  type: CacheType
  memoryEntries: number
  memoryBytes: number
  diskPath: string
  diskFiles: number
  diskBytes: number
}

/**
 * `benchgate cache clear --type frame|validation|all`: empties the in-process cache and removes
 * the disk tier's entry files (whether or not the disk tier is enabled now).
 * @throws {BenchgateError} for another type, listing the valid ones
 */
export async function cacheClear(config: WorkloadConfig, type: CacheType | 'all', options: CacheCommandOptions = {}): Promise<{ cleared: CacheClearEntry[] }> {
  if (type !== 'frame' && type !== 'validation' && type !== 'all') {
    throw new BenchgateError(`cache clear --type: expected frame, validation or all, received ${JSON.stringify(type)}`)
  }
  const cwd = options.cwd ?? process.cwd()
  const types: CacheType[] = type === 'all' ? ['frame', 'validation'] : [type]
  const cleared: CacheClearEntry[] = []
  for (const t of types) {
    const memory = t === 'frame' ? getFrameCache(config, cwd).clear() : getValidationCache(config, cwd).clear()
    const dir = diskDir(config, t, cwd)
    const disk = new DiskCache({ dir, maxBytes: sectionOf(config, t).disk_limit_mb * MIB }).clear()
    cleared.push({ type: t, memoryEntries: memory.entries, memoryBytes: memory.bytes, diskPath: dir, diskFiles: disk.files, diskBytes: disk.bytes })
  }
  return { cleared }
}

/** One GIF in {@link cacheWarm}. */
export interface CacheWarmEntry {
  path: string
  frames: number
  /** True when the frames were already cached (memory or disk). */
  cached: boolean
}

/**
 * `benchgate cache warm <gif...>`: decodes each GIF through the frame cache (with `decodeOptions`,
 * default `{}`), so later runs hit. Only useful across processes with `FRAME_CACHE.disk_enabled`;
 * the result says so in `persistent`.
 * @throws {BenchgateError} naming a GIF that cannot be read
 */
export async function cacheWarm<T extends DecodedFrames>(
  config: WorkloadConfig,
  gifPaths: readonly string[],
  decode: FrameDecoder<T>,
  options: CacheCommandOptions & { decodeOptions?: FrameDecodeOptions } = {},
): Promise<{ files: CacheWarmEntry[], persistent: boolean, stats: CacheStats }> {
  const cwd = options.cwd ?? process.cwd()
  const cache = getFrameCache(config, cwd)
  const files: CacheWarmEntry[] = []
  for (const p of gifPaths) {
    const path = resolve(cwd, p)
    let buffer: Buffer
    try {
      buffer = await readFile(path)
    }
    catch (error) {
      throw new BenchgateError(`cache warm: cannot read GIF ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    const before = cache.snapshot()
    const value = await cache.getOrDecode(buffer, options.decodeOptions ?? {}, decode)
    const after = cache.snapshot()
    const frames = Array.isArray(value) ? value.length : (value as { frames: readonly unknown[] }).frames.length
    files.push({ path, frames, cached: after.hits > before.hits })
  }
  return { files, persistent: config.FRAME_CACHE.enabled && config.FRAME_CACHE.disk_enabled, stats: cache.snapshot() }
}

/** `benchgate cache export-stats`: both caches' stats and disk usage, with a timestamp. */
export async function cacheExportStats(config: WorkloadConfig, options: CacheCommandOptions & { now?: () => Date } = {}): Promise<{
  timestamp: string
  frame: CacheStats & { diskEntries: number, diskBytes: number }
  validation: CacheStats & { diskEntries: number, diskBytes: number }
}> {
  const cwd = options.cwd ?? process.cwd()
  const entry = (type: CacheType) => {
    const usage = diskUsage(config, type, cwd)
    return { ...statsOf(config, type, cwd), diskEntries: usage.entries, diskBytes: usage.bytes }
  }
  return { timestamp: (options.now ?? (() => new Date()))().toISOString(), frame: entry('frame'), validation: entry('validation') }
}

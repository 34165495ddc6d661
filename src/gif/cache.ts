/**
 * The cache core shared by the frame and validation caches: an in-memory LRU bounded in bytes
 * (lru-cache `maxSize` + `sizeCalculation`), an optional disk tier ({@link DiskCache}), TTL,
 * de-duplication of concurrent computations of the same key, and hit / miss / eviction counters.
 *
 * Values are shared, not copied: treat what a cache returns as read-only.
 */
import { LRUCache } from 'lru-cache'
import { BenchgateError } from '../util/errors.ts'
import { DiskCache, type DiskCacheCounters, type DiskCacheOptions } from './disk-cache.ts'

/** Bytes in a MiB (the `*_mb` config keys are MiB). */
export const MIB = 1024 * 1024

// ---------------------------------------------------------------------------------------------
// Value codec (for the disk tier): JSON with typed arrays moved to a binary section.
// ---------------------------------------------------------------------------------------------

/** Turns values into bytes and back, for the disk tier. */
export interface ValueCodec<V> {
  encode(value: V): Uint8Array
  decode(bytes: Uint8Array): V
}

const TYPED = {
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const
type TypedName = keyof typeof TYPED
type Typed = InstanceType<(typeof TYPED)[TypedName]>

function typedName(value: unknown): TypedName | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return undefined
  if (value instanceof Uint8ClampedArray) return 'Uint8ClampedArray'
  if (value instanceof Uint8Array) return 'Uint8Array' // includes Buffer
  for (const name of Object.keys(TYPED) as TypedName[]) if (value instanceof TYPED[name]) return name
  return undefined
}

const CODEC_MAGIC = 0x31564742 // "BGV1" little-endian

/**
 * Encodes a JSON-like value in which typed arrays (e.g. `Image.data`) may appear anywhere:
 * 4 bytes magic, 4 bytes JSON length, the JSON (each typed array replaced by
 * `{"$typed": name, "$offset": n, "$bytes": n}`), then the arrays' bytes. Objects with their own
 * `$typed` key are not supported.
 */
export function encodeValue(value: unknown): Uint8Array {
  const blobs: Typed[] = []
  let blobBytes = 0
  const json = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // Read the holder's raw value: Buffer has a toJSON that has already run on `v`.
    const raw = this[key]
    const name = typedName(raw)
    if (!name) return v
    const typed = raw as Typed
    blobs.push(typed)
    const marker = { $typed: name, $offset: blobBytes, $bytes: typed.byteLength }
    blobBytes += typed.byteLength
    return marker
  })
  const jsonBytes = Buffer.from(json ?? 'null', 'utf8')
  const out = new Uint8Array(8 + jsonBytes.length + blobBytes)
  const view = new DataView(out.buffer)
  view.setUint32(0, CODEC_MAGIC, true)
  view.setUint32(4, jsonBytes.length, true)
  out.set(jsonBytes, 8)
  let offset = 8 + jsonBytes.length
  for (const b of blobs) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), offset)
    offset += b.byteLength
  }
  return out
}

/**
 * Inverse of {@link encodeValue}: typed arrays come back as fresh, aligned arrays of their type.
 * @throws {Error} on malformed input
 */
export function decodeValue(bytes: Uint8Array): unknown {
  if (bytes.length < 8) throw new Error('encoded value too short')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== CODEC_MAGIC) throw new Error('bad magic')
  const jsonLength = view.getUint32(4, true)
  const base = 8 + jsonLength
  if (base > bytes.length) throw new Error('truncated JSON')
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, jsonLength).toString('utf8')
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v
    const o = v as Record<string, unknown>
    if (typeof o.$typed !== 'string' || typeof o.$offset !== 'number' || typeof o.$bytes !== 'number') return v
    if (!(o.$typed in TYPED)) throw new Error(`unknown typed array ${o.$typed}`)
    const Ctor = TYPED[o.$typed as TypedName]
    const start = base + o.$offset
    const n = o.$bytes
    if (start + n > bytes.length || n % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error('truncated blob')
    const copy = new Uint8Array(n)
    copy.set(bytes.subarray(start, start + n))
    return new Ctor(copy.buffer, 0, n / Ctor.BYTES_PER_ELEMENT)
  }) as unknown
}

/** The default codec: {@link encodeValue} / {@link decodeValue}. */
export function binaryJsonCodec<V>(): ValueCodec<V> {
  return { encode: v => encodeValue(v), decode: b => decodeValue(b) as V }
}

// ---------------------------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------------------------

/** A cache's counters and occupancy: a plain, JSON-serialisable object. */
export interface CacheStats {
  name: string
  enabled: boolean
  /** Lookups served without computing: memory hits + disk hits + joins of an in-flight computation. */
  hits: number
  /** Lookups that computed the value (with the cache disabled: every lookup). */
  misses: number
  /** hits / (hits + misses); 0 when there were no lookups. */
  hitRate: number
  memoryHits: number
  diskHits: number
  /** Concurrent lookups that waited for the same key's in-flight computation instead of computing. */
  deduplicated: number
  /** Entries dropped from memory to respect the byte bound. */
  evictions: number
  /** Entries dropped from memory because their TTL passed. */
  expirations: number
  /** Values larger than the whole memory bound (returned, not stored in memory). */
  rejected: number
  /** Bytes held in memory (sum of the entries' sizes). */
  bytes: number
  entries: number
  maxBytes: number
  /** Disk-tier counters, or null without a disk tier. */
  disk: (DiskCacheCounters & { dir: string }) | null
}

/**
 * Per-round delta of two snapshots of the same cache: counters subtracted, `hitRate` recomputed on
 * the delta, occupancy (`bytes`, `entries`) taken from `after`.
 */
export function diffCacheStats(before: CacheStats, after: CacheStats): CacheStats {
  const d = (k: 'hits' | 'misses' | 'memoryHits' | 'diskHits' | 'deduplicated' | 'evictions' | 'expirations' | 'rejected') => after[k] - before[k]
  const hits = d('hits')
  const misses = d('misses')
  let disk: CacheStats['disk'] = after.disk
  if (after.disk && before.disk) {
    const a = after.disk
    const b = before.disk
    disk = {
      dir: a.dir,
      hits: a.hits - b.hits,
      misses: a.misses - b.misses,
      writes: a.writes - b.writes,
      evictions: a.evictions - b.evictions,
      expired: a.expired - b.expired,
      corrupt: a.corrupt - b.corrupt,
      writeErrors: a.writeErrors - b.writeErrors,
    }
  }
  return {
    ...after,
    hits,
    misses,
    hitRate: hits + misses === 0 ? 0 : hits / (hits + misses),
    memoryHits: d('memoryHits'),
    diskHits: d('diskHits'),
    deduplicated: d('deduplicated'),
    evictions: d('evictions'),
    expirations: d('expirations'),
    rejected: d('rejected'),
    disk,
  }
}

// ---------------------------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------------------------

/** Options of {@link TieredCache}. */
export interface TieredCacheOptions<V> {
  /** Shown in stats and errors (`frame`, `validation`). */
  name: string
  /** false: a pass-through that computes every time and counts misses only. @default true */
  enabled?: boolean
  /** Memory bound in bytes. */
  maxBytes: number
  /** Size of a value in bytes (rounded up; at least 1). */
  sizeOf: (value: V) => number
  /** Entries older than this are dropped (memory and disk). @default no TTL */
  ttlMs?: number
  /** Disk tier; omitted = memory only. */
  disk?: Omit<DiskCacheOptions, 'ttlMs' | 'now'> & { codec?: ValueCodec<V> }
  /** Clock in ms since the epoch, for TTLs (tests inject one). @default Date.now */
  now?: () => number
}

interface Counters {
  hits: number
  misses: number
  memoryHits: number
  diskHits: number
  deduplicated: number
  evictions: number
  expirations: number
  rejected: number
}

const zero = (): Counters => ({ hits: 0, misses: 0, memoryHits: 0, diskHits: 0, deduplicated: 0, evictions: 0, expirations: 0, rejected: 0 })

/** An LRU cache bounded in bytes, with an optional disk tier and in-flight de-duplication. */
export class TieredCache<V extends NonNullable<unknown>> {
  /** Name shown in stats. */
  readonly name: string
  /** false: pass-through. */
  readonly enabled: boolean
  /** Memory bound in bytes. */
  readonly maxBytes: number
  /** The disk tier, if any. */
  readonly disk: DiskCache | undefined
  private readonly memory: LRUCache<string, V>
  private readonly codec: ValueCodec<V>
  private readonly inflight = new Map<string, Promise<V>>()
  private readonly sizeOf: (value: V) => number
  private counters: Counters = zero()

  constructor(options: TieredCacheOptions<V>) {
    if (!(options.maxBytes > 0) || !Number.isFinite(options.maxBytes)) {
      throw new BenchgateError(`Cache ${options.name}: expected a memory limit > 0 bytes, received ${String(options.maxBytes)}`)
    }
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new BenchgateError(`Cache ${options.name}: expected a TTL > 0 ms, received ${String(options.ttlMs)}`)
    }
    this.name = options.name
    this.enabled = options.enabled ?? true
    this.maxBytes = Math.floor(options.maxBytes)
    const now = options.now ?? Date.now
    this.sizeOf = v => Math.max(1, Math.ceil(options.sizeOf(v)))
    this.memory = new LRUCache<string, V>({
      maxSize: this.maxBytes,
      sizeCalculation: this.sizeOf,
      ...(options.ttlMs !== undefined ? { ttl: options.ttlMs, ttlResolution: 0, perf: { now } } : {}),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.counters.evictions++
        else if (reason === 'expire') this.counters.expirations++
      },
    })
    this.codec = options.disk?.codec ?? binaryJsonCodec<V>()
    this.disk = options.disk && this.enabled
      ? new DiskCache({ ...options.disk, now, ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}) })
      : undefined
  }

  /**
   * Returns the cached value for `key`, or computes, stores and returns it. Lookup order: memory,
   * an in-flight computation of the same key (joined, so concurrent callers compute once), disk,
   * then `compute`. A failed computation is not cached; every waiting caller gets its error.
   */
  async getOrCompute(key: string, compute: () => V | Promise<V>): Promise<V> {
    if (!this.enabled) {
      this.counters.misses++
      return compute()
    }
    const cached = this.memory.get(key)
    if (cached !== undefined) {
      this.counters.hits++
      this.counters.memoryHits++
      return cached
    }
    const pending = this.inflight.get(key)
    if (pending) {
      this.counters.hits++
      this.counters.deduplicated++
      return pending
    }
    const work = this.load(key, compute)
    this.inflight.set(key, work)
    try {
      return await work
    }
    finally {
      this.inflight.delete(key)
    }
  }

  private async load(key: string, compute: () => V | Promise<V>): Promise<V> {
    if (this.disk) {
      const bytes = await this.disk.get(key)
      if (bytes) {
        let value: V | undefined
        try {
          value = this.codec.decode(bytes)
        }
        catch {
          this.disk.delete(key) // readable gzip, unreadable payload: same as a corrupt file
        }
        if (value !== undefined) {
          this.counters.hits++
          this.counters.diskHits++
          this.storeInMemory(key, value)
          return value
        }
      }
    }
    this.counters.misses++
    const value = await compute()
    this.storeInMemory(key, value)
    if (this.disk) await this.disk.set(key, this.codec.encode(value))
    return value
  }

  private storeInMemory(key: string, value: V): void {
    if (this.sizeOf(value) > this.maxBytes) {
      this.counters.rejected++
      this.memory.delete(key)
      return
    }
    this.memory.set(key, value)
  }

  /** Memory lookup only; does not count as a hit or miss. */
  peek(key: string): V | undefined {
    return this.enabled ? this.memory.peek(key) : undefined
  }

  /** Stores a value (memory, and disk when enabled). */
  async set(key: string, value: V): Promise<void> {
    if (!this.enabled) return
    this.storeInMemory(key, value)
    if (this.disk) await this.disk.set(key, this.codec.encode(value))
  }

  /** Removes a key from memory and disk. */
  delete(key: string): void {
    this.memory.delete(key)
    this.disk?.delete(key)
  }

  /** Empties memory (not counted as evictions) and, with `disk: true`, the disk tier. */
  clear(options: { disk?: boolean } = {}): { entries: number, bytes: number, diskFiles: number, diskBytes: number } {
    const entries = this.memory.size
    const bytes = this.memory.calculatedSize
    this.memory.clear()
    const disk = options.disk && this.disk ? this.disk.clear() : { files: 0, bytes: 0 }
    return { entries, bytes, diskFiles: disk.files, diskBytes: disk.bytes }
  }

  /** Current stats as a plain object (use two snapshots and {@link diffCacheStats} for a round). */
  snapshot(): CacheStats {
    const c = this.counters
    const lookups = c.hits + c.misses
    return {
      name: this.name,
      enabled: this.enabled,
      ...c,
      hitRate: lookups === 0 ? 0 : c.hits / lookups,
      bytes: this.memory.calculatedSize,
      entries: this.memory.size,
      maxBytes: this.maxBytes,
      disk: this.disk ? { dir: this.disk.dir, ...this.disk.counts() } : null,
    }
  }

  /** Same as {@link snapshot}. */
  stats(): CacheStats {
    return this.snapshot()
  }

  /** Zeroes the counters (memory and disk); occupancy is unchanged. */
  resetStats(): void {
    this.counters = zero()
    this.disk?.resetCounts()
  }
}

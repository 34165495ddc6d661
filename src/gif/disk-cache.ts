/**
 * The disk tier of the caches: one gzip file per key in a directory, so a cache outlives the
 * process. Files are written atomically (temp file + rename), the directory is bounded in bytes
 * (least recently used files are removed first; a read marks a file used by setting its mtime),
 * entries expire after a TTL counted from when they were written, and a file that cannot be read
 * back (bad gzip, bad header) is treated as a miss and removed. Plain files only: no SQLite.
 *
 * File layout (before gzip): 8 bytes magic `BGCACHE1`, 8 bytes float64 LE creation time (ms since
 * the epoch), then the payload.
 */
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'

const gzip = promisify(gzipCb)
const gunzip = promisify(gunzipCb)

const MAGIC = Buffer.from('BGCACHE1', 'ascii')
const HEADER_BYTES = 16
/** File name suffix of cache entries. */
export const DISK_ENTRY_SUFFIX = '.bin.gz'
const KEY_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

/** Options of {@link DiskCache}. */
export interface DiskCacheOptions {
  /** Directory holding the files (created on first write). */
  dir: string
  /** Bound on the total size of the files in bytes. */
  maxBytes: number
  /** Entries older than this (ms since they were written) are misses and removed. Infinity = never. */
  ttlMs?: number
  /** gzip level 0-9. @default 1 (fast: frames are large and compress well even at level 1) */
  gzipLevel?: number
  /** Clock in ms since the epoch (tests inject one). @default Date.now */
  now?: () => number
}

/** Counters of a disk tier since creation or the last reset. */
export interface DiskCacheCounters {
  hits: number
  misses: number
  writes: number
  /** Files removed to respect `maxBytes`. */
  evictions: number
  /** Files past their TTL, removed on read. */
  expired: number
  /** Unreadable files, treated as misses and removed. */
  corrupt: number
  /** Failed writes (the computed value is still returned; the cache just does not keep it). */
  writeErrors: number
}

/** What is on disk right now. */
export interface DiskCacheUsage {
  dir: string
  entries: number
  bytes: number
  maxBytes: number
}

function zeroCounters(): DiskCacheCounters {
  return { hits: 0, misses: 0, writes: 0, evictions: 0, expired: 0, corrupt: 0, writeErrors: 0 }
}

interface FileInfo {
  name: string
  size: number
  mtimeMs: number
}

/** A size-bounded directory of gzip files, one per key. */
export class DiskCache {
  /** The directory. */
  readonly dir: string
  /** The byte bound. */
  readonly maxBytes: number
  private readonly ttlMs: number
  private readonly level: number
  private readonly now: () => number
  private counters: DiskCacheCounters = zeroCounters()
  /** Running estimate of the directory size; undefined until the first scan. */
  private knownBytes: number | undefined

  constructor(options: DiskCacheOptions) {
    if (!(options.maxBytes > 0)) throw new BenchgateError(`Disk cache ${options.dir}: expected maxBytes > 0, received ${String(options.maxBytes)}`)
    const level = options.gzipLevel ?? 1
    if (!Number.isInteger(level) || level < 0 || level > 9) throw new BenchgateError(`Disk cache ${options.dir}: expected gzipLevel 0-9, received ${String(level)}`)
    this.dir = options.dir
    this.maxBytes = options.maxBytes
    this.ttlMs = options.ttlMs ?? Number.POSITIVE_INFINITY
    this.level = level
    this.now = options.now ?? Date.now
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new BenchgateError(`Disk cache key must match ${String(KEY_PATTERN)}, received ${JSON.stringify(key)}`)
    return join(this.dir, `${key}${DISK_ENTRY_SUFFIX}`)
  }

  private remove(path: string): void {
    rmSync(path, { force: true })
    this.knownBytes = undefined
  }

  /**
   * Reads an entry's payload; a missing, expired or corrupt file is a miss (expired and corrupt
   * files are removed). A hit marks the file as recently used.
   */
  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.pathOf(key)
    let compressed: Buffer
    try {
      compressed = await readFile(path)
    }
    catch {
      this.counters.misses++
      return undefined
    }
    let raw: Buffer
    try {
      raw = await gunzip(compressed)
      if (raw.length < HEADER_BYTES || !raw.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('bad header')
    }
    catch {
      this.counters.corrupt++
      this.counters.misses++
      this.remove(path)
      return undefined
    }
    const created = raw.readDoubleLE(MAGIC.length)
    const now = this.now()
    if (!Number.isFinite(created) || now - created > this.ttlMs) {
      this.counters.expired++
      this.counters.misses++
      this.remove(path)
      return undefined
    }
    try {
      const seconds = now / 1000
      utimesSync(path, seconds, seconds)
    }
    catch {
      // removed by another process meanwhile: the payload we read is still valid
    }
    this.counters.hits++
    return raw.subarray(HEADER_BYTES)
  }

  /** Writes an entry atomically, then evicts least recently used files beyond `maxBytes`. */
  async set(key: string, payload: Uint8Array): Promise<void> {
    const path = this.pathOf(key)
    try {
      const header = Buffer.alloc(HEADER_BYTES)
      MAGIC.copy(header, 0)
      const now = this.now()
      header.writeDoubleLE(now, MAGIC.length)
      const compressed = await gzip(Buffer.concat([header, payload]), { level: this.level })
      mkdirSync(this.dir, { recursive: true })
      writeFileAtomic(path, compressed)
      utimesSync(path, now / 1000, now / 1000)
      this.counters.writes++
      if (this.knownBytes === undefined) this.knownBytes = this.scan().reduce((s, f) => s + f.size, 0)
      else this.knownBytes += compressed.length
      if (this.knownBytes > this.maxBytes) this.evict()
    }
    catch (error) {
      if (error instanceof BenchgateError) throw error
      this.counters.writeErrors++
    }
  }

  /** Removes one entry; true when a file was removed. */
  delete(key: string): boolean {
    const path = this.pathOf(key)
    try {
      statSync(path)
    }
    catch {
      return false
    }
    this.remove(path)
    return true
  }

  private scan(): FileInfo[] {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    }
    catch {
      return []
    }
    const out: FileInfo[] = []
    for (const name of names) {
      if (!name.endsWith(DISK_ENTRY_SUFFIX)) continue
      try {
        const st = statSync(join(this.dir, name))
        if (st.isFile()) out.push({ name, size: st.size, mtimeMs: st.mtimeMs })
      }
      catch {
        // vanished meanwhile
      }
    }
    return out
  }

  /** Removes least recently used files (oldest mtime first, then name) until under `maxBytes`. */
  private evict(): void {
    const files = this.scan().sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    let total = files.reduce((s, f) => s + f.size, 0)
    for (const file of files) {
      if (total <= this.maxBytes) break
      rmSync(join(this.dir, file.name), { force: true })
      total -= file.size
      this.counters.evictions++
    }
    this.knownBytes = total
  }

  /** Entries and bytes on disk now (scans the directory). */
  usage(): DiskCacheUsage {
    const files = this.scan()
    return { dir: this.dir, entries: files.length, bytes: files.reduce((s, f) => s + f.size, 0), maxBytes: this.maxBytes }
  }

  /** Removes every entry file (other files in the directory are left alone). */
  clear(): { files: number, bytes: number } {
    const files = this.scan()
    for (const f of files) rmSync(join(this.dir, f.name), { force: true })
    this.knownBytes = 0
    return { files: files.length, bytes: files.reduce((s, f) => s + f.size, 0) }
  }

  /** The counters, as a plain object. */
  counts(): DiskCacheCounters {
    return { ...this.counters }
  }

  /** Zeroes the counters. */
  resetCounts(): void {
    this.counters = zeroCounters()
  }
}

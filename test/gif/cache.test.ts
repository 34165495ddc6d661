import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_WORKLOAD_CONFIG } from '../../src/config/profiles.ts'
import type { WorkloadConfig } from '../../src/config/workload-types.generated.ts'
import { cacheClear, cacheExportStats, cacheStatus, cacheWarm } from '../../src/gif/cache-commands.ts'
import { decodeValue, diffCacheStats, encodeValue, MIB, TieredCache } from '../../src/gif/cache.ts'
import { DISK_ENTRY_SUFFIX, DiskCache } from '../../src/gif/disk-cache.ts'
import { FrameCache, frameCacheKey, getFrameCache, resetSharedFrameCache, type FrameDecodeOptions } from '../../src/gif/frame-cache.ts'
import type { Image } from '../../src/gif/image.ts'
import { getValidationCache, hashFrame, resetSharedValidationCache, ValidationCache, validationCacheKey } from '../../src/gif/validation-cache.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-cache-'))
  resetSharedFrameCache()
  resetSharedValidationCache()
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function frame(width: number, height: number, fill: number): Image {
  return { width, height, channels: 4, data: new Uint8Array(width * height * 4).fill(fill) }
}

/** A fake decoder: one frame per GIF byte (fill = that byte), counting its calls. */
function countingDecoder(size = 8) {
  const calls: FrameDecodeOptions[] = []
  const decode = (buffer: Uint8Array, options: FrameDecodeOptions): Image[] => {
    calls.push(options)
    const frames = Array.from(buffer, b => frame(size, size, b))
    return options.maxFrames ? frames.slice(0, options.maxFrames) : frames
  }
  return { decode, calls }
}

/** A value whose size we control (sizeOf reads `bytes`). */
const sized = (bytes: number, id = 0) => ({ bytes, id })

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('TieredCache (memory)', () => {
  it('counts hits, misses and the hit rate', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 1000, sizeOf: v => v.bytes })
    let computed = 0
    const compute = () => sized(10, ++computed)
    expect(await cache.getOrCompute('a', compute)).toEqual({ bytes: 10, id: 1 })
    expect(await cache.getOrCompute('a', compute)).toEqual({ bytes: 10, id: 1 })
    await cache.getOrCompute('b', compute)
    await cache.getOrCompute('a', compute)
    const s = cache.snapshot()
    expect(computed).toBe(2)
    expect(s).toMatchObject({ hits: 2, misses: 2, memoryHits: 2, diskHits: 0, hitRate: 0.5, entries: 2, bytes: 20, evictions: 0, disk: null })
    expect(JSON.parse(JSON.stringify(s))).toEqual(s)
  })

  it('respects the byte bound, evicting least recently used entries', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 1000, sizeOf: v => v.bytes })
    for (const k of ['a', 'b', 'c']) await cache.getOrCompute(k, () => sized(300))
    await cache.getOrCompute('a', () => sized(300)) // a is now most recent
    await cache.getOrCompute('d', () => sized(300)) // evicts b
    await cache.getOrCompute('e', () => sized(300)) // evicts c
    const s = cache.snapshot()
    expect(s.evictions).toBe(2)
    expect(s.entries).toBe(3)
    expect(s.bytes).toBe(900)
    expect(s.bytes).toBeLessThanOrEqual(s.maxBytes)
    expect(cache.peek('a')).toBeDefined()
    expect(cache.peek('b')).toBeUndefined()
    expect(cache.peek('c')).toBeUndefined()
  })

  it('does not store a value larger than the whole bound, and says so', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 100, sizeOf: v => v.bytes })
    await cache.getOrCompute('a', () => sized(50))
    expect((await cache.getOrCompute('big', () => sized(500, 7))).id).toBe(7)
    const s = cache.snapshot()
    expect(s).toMatchObject({ rejected: 1, entries: 1, bytes: 50, evictions: 0 })
  })

  it('drops entries after the TTL (injected clock)', async () => {
    let now = 1_000_000
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 1000, sizeOf: v => v.bytes, ttlMs: 1000, now: () => now })
    await cache.getOrCompute('a', () => sized(10, 1))
    now += 500
    expect((await cache.getOrCompute('a', () => sized(10, 2))).id).toBe(1)
    now += 1000
    expect((await cache.getOrCompute('a', () => sized(10, 3))).id).toBe(3)
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 2, expirations: 1 })
  })

  it('computes once for concurrent lookups of the same key', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 10_000, sizeOf: v => v.bytes })
    const gate = deferred<void>()
    let computed = 0
    const compute = async () => {
      computed++
      await gate.promise
      return sized(10, computed)
    }
    const lookups = Array.from({ length: 20 }, (_, i) => cache.getOrCompute(i % 2 === 0 ? 'x' : 'y', compute))
    gate.resolve()
    const values = await Promise.all(lookups)
    expect(computed).toBe(2)
    expect(new Set(values.filter((_, i) => i % 2 === 0)).size).toBe(1)
    expect(cache.snapshot()).toMatchObject({ misses: 2, hits: 18, deduplicated: 18, entries: 2 })
    // Later lookups are memory hits.
    await cache.getOrCompute('x', compute)
    expect(computed).toBe(2)
  })

  it('a failed computation reaches every waiter and is not cached', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 10_000, sizeOf: v => v.bytes })
    const gate = deferred<void>()
    let calls = 0
    const failing = async () => {
      calls++
      await gate.promise
      throw new Error('decode failed')
    }
    const a = cache.getOrCompute('k', failing)
    const b = cache.getOrCompute('k', failing)
    gate.resolve()
    await expect(a).rejects.toThrow('decode failed')
    await expect(b).rejects.toThrow('decode failed')
    expect(calls).toBe(1)
    expect((await cache.getOrCompute('k', () => sized(1, 9))).id).toBe(9)
  })

  it('disabled: a pass-through that counts misses only', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', enabled: false, maxBytes: 1000, sizeOf: v => v.bytes, disk: { dir, maxBytes: MIB } })
    let computed = 0
    for (let i = 0; i < 3; i++) await cache.getOrCompute('a', () => sized(10, ++computed))
    expect(computed).toBe(3)
    expect(cache.snapshot()).toMatchObject({ enabled: false, hits: 0, misses: 3, hitRate: 0, entries: 0, bytes: 0, disk: null })
    expect(readdirSync(dir)).toEqual([])
  })

  it('resetStats zeroes counters; diffCacheStats gives per-round deltas', async () => {
    const cache = new TieredCache<{ bytes: number, id: number }>({ name: 't', maxBytes: 1000, sizeOf: v => v.bytes })
    await cache.getOrCompute('a', () => sized(10))
    const before = cache.snapshot()
    await cache.getOrCompute('a', () => sized(10))
    await cache.getOrCompute('a', () => sized(10))
    await cache.getOrCompute('b', () => sized(10))
    const delta = diffCacheStats(before, cache.snapshot())
    expect(delta).toMatchObject({ hits: 2, misses: 1, entries: 2, bytes: 20 })
    expect(delta.hitRate).toBeCloseTo(2 / 3, 12)
    cache.resetStats()
    expect(cache.snapshot()).toMatchObject({ hits: 0, misses: 0, hitRate: 0, entries: 2 })
  })
})

describe('value codec', () => {
  it('round-trips typed arrays anywhere in a JSON-like value', () => {
    const value = {
      frames: [frame(2, 1, 9), { width: 1, height: 1, channels: 3, data: Uint8ClampedArray.from([1, 2, 3]) }],
      delays: [100, 50],
      extra: { f: Float32Array.from([0.5, -1]), buf: Buffer.from([7, 8]), none: null },
    }
    const back = decodeValue(encodeValue(value)) as typeof value
    expect(back.frames[0]!.data).toBeInstanceOf(Uint8Array)
    expect(Array.from(back.frames[0]!.data)).toEqual(Array.from(value.frames[0]!.data))
    expect(back.frames[1]!.data).toBeInstanceOf(Uint8ClampedArray)
    expect(Array.from(back.extra.f)).toEqual([0.5, -1])
    expect(Array.from(back.extra.buf)).toEqual([7, 8])
    expect(back.delays).toEqual([100, 50])
    expect(back.extra.none).toBeNull()
    expect(decodeValue(encodeValue(0.25))).toBe(0.25)
    expect(() => decodeValue(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow('bad magic')
  })
})

describe('disk tier', () => {
  it('survives a new cache instance (a new process)', async () => {
    const opts = { name: 'frame', maxBytes: MIB, sizeOf: () => 100, disk: { dir, maxBytes: MIB } }
    const first = new TieredCache<Image[]>(opts)
    await first.getOrCompute('k1', () => [frame(4, 4, 200)])
    const second = new TieredCache<Image[]>(opts)
    let computed = false
    const value = await second.getOrCompute('k1', () => {
      computed = true
      return []
    })
    expect(computed).toBe(false)
    expect(value[0]!.width).toBe(4)
    expect(Array.from(value[0]!.data)).toEqual(Array.from(frame(4, 4, 200).data))
    expect(second.snapshot()).toMatchObject({ hits: 1, diskHits: 1, misses: 0, entries: 1 })
    expect(second.snapshot().disk).toMatchObject({ hits: 1, writes: 0 })
  })

  it('a corrupt file is a miss and is removed', async () => {
    const opts = { name: 'v', maxBytes: MIB, sizeOf: () => 10, disk: { dir, maxBytes: MIB } }
    await new TieredCache<number>(opts).getOrCompute('k', () => 1)
    const file = join(dir, `k${DISK_ENTRY_SUFFIX}`)
    expect(existsSync(file)).toBe(true)
    writeFileSync(file, 'not gzip at all')
    const cache = new TieredCache<number>(opts)
    expect(await cache.getOrCompute('k', () => 2)).toBe(2)
    expect(cache.snapshot()).toMatchObject({ misses: 1, hits: 0 })
    expect(cache.snapshot().disk).toMatchObject({ corrupt: 1 })
    // Rewritten with the new value: a third instance reads 2.
    expect(await new TieredCache<number>(opts).getOrCompute('k', () => 3)).toBe(2)

    // Valid gzip, wrong header: also corrupt.
    writeFileSync(file, gzipSync(Buffer.from('something else entirely')))
    const disk = new DiskCache({ dir, maxBytes: MIB })
    expect(await disk.get('k')).toBeUndefined()
    expect(disk.counts()).toMatchObject({ corrupt: 1, misses: 1 })
    expect(existsSync(file)).toBe(false)
  })

  it('expires files after the TTL (injected clock)', async () => {
    let now = 1_700_000_000_000
    const disk = new DiskCache({ dir, maxBytes: MIB, ttlMs: 60_000, now: () => now })
    await disk.set('a', Uint8Array.from([1, 2, 3]))
    now += 30_000
    expect(Array.from((await disk.get('a'))!)).toEqual([1, 2, 3])
    now += 31_000 // 61 s after writing: reading did not extend the TTL
    expect(await disk.get('a')).toBeUndefined()
    expect(disk.counts()).toMatchObject({ hits: 1, expired: 1, misses: 1 })
    expect(disk.usage().entries).toBe(0)
  })

  it('is bounded in bytes, removing least recently used files first', async () => {
    let now = 1_700_000_000_000
    const payload = (seed: number) => {
      // Incompressible bytes so each file is ~2 KB after gzip.
      let x = seed
      return Uint8Array.from({ length: 2000 }, () => (x = (x * 1103515245 + 12345) % 2147483648) & 255)
    }
    const probe = new DiskCache({ dir: join(dir, 'probe'), maxBytes: MIB })
    await probe.set('p', payload(1))
    const fileSize = probe.usage().bytes
    const disk = new DiskCache({ dir, maxBytes: fileSize * 3 + 10, now: () => now })
    for (const [i, k] of ['a', 'b', 'c'].entries()) {
      now += 1000
      await disk.set(k, payload(i + 2))
    }
    now += 1000
    await disk.get('a') // a becomes most recently used
    now += 1000
    await disk.set('d', payload(9))
    const names = readdirSync(dir).filter(n => n.endsWith(DISK_ENTRY_SUFFIX)).sort()
    expect(names).toEqual(['a', 'c', 'd'].map(k => `${k}${DISK_ENTRY_SUFFIX}`))
    expect(disk.usage().bytes).toBeLessThanOrEqual(disk.maxBytes)
    expect(disk.counts().evictions).toBe(1)
  })

  it('writes atomically: no temp files are left behind', async () => {
    const disk = new DiskCache({ dir, maxBytes: MIB })
    for (let i = 0; i < 5; i++) await disk.set(`k${i}`, Uint8Array.from([i]))
    expect(readdirSync(dir).every(n => n.endsWith(DISK_ENTRY_SUFFIX))).toBe(true)
    await expect(disk.set('../escape', Uint8Array.from([1]))).rejects.toThrow('Disk cache key must match')
  })
})

describe('FrameCache', () => {
  it('keys on content and decode options, not on the buffer object', async () => {
    const cache = new FrameCache({ memoryLimitMb: 1 })
    const { decode, calls } = countingDecoder()
    const gif = Uint8Array.from([1, 2, 3])
    const frames = await cache.getOrDecode(gif, {}, decode)
    expect(frames).toHaveLength(3)
    expect(await cache.getOrDecode(Uint8Array.from([1, 2, 3]), {}, decode)).toBe(frames)
    expect(await cache.getOrDecode(gif, { maxFrames: 2 }, decode)).toHaveLength(2)
    expect(await cache.getOrDecode(gif, { frames: [0, 2] }, decode)).toHaveLength(3)
    expect(await cache.getOrDecode(Uint8Array.from([1, 2, 4]), {}, decode)).not.toBe(frames)
    expect(calls).toHaveLength(4)
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 4, entries: 4 })
    expect(frameCacheKey(gif, { maxFrames: 2, frames: [1] })).toBe(frameCacheKey(Uint8Array.from([1, 2, 3]), { frames: [1], maxFrames: 2 }))
    expect(frameCacheKey(gif, { frames: [0, 1] })).not.toBe(frameCacheKey(gif, { frames: [1, 0] }))
  })

  it('sizes entries by frame bytes and stays within memory_limit_mb', async () => {
    // 32x32 RGBA frames: 4096 bytes (+64 overhead) each; 3 frames per GIF = 12,480 bytes.
    const cache = new FrameCache({ memoryLimitMb: 30_000 / MIB })
    const { decode } = countingDecoder(32)
    await cache.getOrDecode(Uint8Array.from([1, 2, 3]), {}, decode)
    expect(cache.snapshot().bytes).toBe(3 * (4096 + 64))
    await cache.getOrDecode(Uint8Array.from([4, 5, 6]), {}, decode)
    await cache.getOrDecode(Uint8Array.from([7, 8, 9]), {}, decode)
    const s = cache.snapshot()
    expect(s.entries).toBe(2)
    expect(s.evictions).toBe(1)
    expect(s.bytes).toBeLessThanOrEqual(30_000)
  })

  it('decodes once when hammered concurrently (cache_stress_test)', async () => {
    const cache = new FrameCache()
    const gate = deferred<void>()
    let calls = 0
    const slowDecode = async (buffer: Uint8Array) => {
      calls++
      await gate.promise
      return { frames: [frame(2, 2, buffer[0]!)], delays: [100] }
    }
    const all = Array.from({ length: 50 }, () => cache.getOrDecode(Uint8Array.from([5, 5]), {}, slowDecode))
    gate.resolve()
    const results = await Promise.all(all)
    expect(calls).toBe(1)
    expect(new Set(results).size).toBe(1)
    expect(cache.snapshot()).toMatchObject({ misses: 1, hits: 49, deduplicated: 49 })
  })

  it('with the disk tier, a new instance reads frames back', async () => {
    const { decode, calls } = countingDecoder(4)
    await new FrameCache({ diskPath: dir }).getOrDecode(Uint8Array.from([9, 8]), { maxFrames: 5 }, decode)
    const second = new FrameCache({ diskPath: dir })
    const frames = await second.getOrDecode(Uint8Array.from([9, 8]), { maxFrames: 5 }, decode)
    expect(calls).toHaveLength(1)
    expect(frames.map(f => f.data[0])).toEqual([9, 8])
    expect(second.snapshot().diskHits).toBe(1)
  })

  it('the shared instance follows the config', () => {
    const config = structuredClone(DEFAULT_WORKLOAD_CONFIG) as WorkloadConfig
    const a = getFrameCache(config, dir)
    expect(getFrameCache(config, dir)).toBe(a)
    expect(a.snapshot().maxBytes).toBe(500 * MIB)
    config.FRAME_CACHE.memory_limit_mb = 100
    const b = getFrameCache(config, dir)
    expect(b).not.toBe(a)
    expect(b.snapshot().maxBytes).toBe(100 * MIB)
    config.FRAME_CACHE.enabled = false
    expect(getFrameCache(config, dir).snapshot().enabled).toBe(false)
  })
})

describe('ValidationCache', () => {
  it('keys on both frames, the metric and its config (stable JSON)', async () => {
    const a = frame(4, 4, 1)
    const b = frame(4, 4, 2)
    expect(validationCacheKey(a, b, 'ssim', { window: 7, k: [0.01, 0.03] })).toBe(validationCacheKey(hashFrame(a), { ...b, data: b.data.slice() }, 'ssim', { k: [0.01, 0.03], window: 7 }))
    expect(validationCacheKey(a, b, 'ssim')).not.toBe(validationCacheKey(b, a, 'ssim'))
    expect(validationCacheKey(a, b, 'ssim')).not.toBe(validationCacheKey(a, b, 'ms_ssim'))
    expect(validationCacheKey(a, b, 'ssim', { window: 7 })).not.toBe(validationCacheKey(a, b, 'ssim', { window: 11 }))
    // A single differing byte anywhere changes the frame hash (no sampled hashing).
    const c = frame(64, 64, 1)
    const d = { ...c, data: c.data.slice() }
    d.data[d.data.length - 3] = 2
    expect(hashFrame(c)).not.toBe(hashFrame(d))
    expect(hashFrame(frame(4, 2, 0))).not.toBe(hashFrame(frame(2, 4, 0)))

    const cache = new ValidationCache()
    let n = 0
    const compute = () => ({ ssim: 0.9, n: ++n })
    expect(await cache.getOrCompute(a, b, 'ssim', { window: 7 }, compute)).toEqual({ ssim: 0.9, n: 1 })
    expect(await cache.getOrCompute(a, b, 'ssim', { window: 7 }, compute)).toEqual({ ssim: 0.9, n: 1 })
    expect(await cache.getOrCompute(a, b, 'ssim', { window: 11 }, () => 0.5)).toBe(0.5)
    expect(cache.snapshot()).toMatchObject({ hits: 1, misses: 2, entries: 2 })
  })

  it('disabled via config: counts misses only', async () => {
    const config = structuredClone(DEFAULT_WORKLOAD_CONFIG) as WorkloadConfig
    config.VALIDATION_CACHE.enabled = false
    const cache = getValidationCache(config, dir)
    const a = frame(2, 2, 0)
    for (let i = 0; i < 3; i++) await cache.getOrCompute(a, a, 'ssim', null, () => 1)
    expect(cache.snapshot()).toMatchObject({ enabled: false, hits: 0, misses: 3, entries: 0 })
  })
})

describe('cache commands', () => {
  function diskConfig(): WorkloadConfig {
    const config = structuredClone(DEFAULT_WORKLOAD_CONFIG) as WorkloadConfig
    config.FRAME_CACHE.disk_enabled = true
    config.VALIDATION_CACHE.disk_enabled = true
    return config
  }

  it('warm, status, export-stats and clear', async () => {
    const config = diskConfig()
    const gifA = join(dir, 'a.gif')
    const gifB = join(dir, 'b.gif')
    writeFileSync(gifA, Uint8Array.from([1, 2, 3]))
    writeFileSync(gifB, Uint8Array.from([4]))
    const { decode, calls } = countingDecoder(4)

    const warm = await cacheWarm(config, ['a.gif', gifB, 'a.gif'], decode, { cwd: dir })
    expect(warm.persistent).toBe(true)
    expect(warm.files.map(f => [f.frames, f.cached])).toEqual([[3, false], [1, false], [3, true]])
    expect(calls).toHaveLength(2)

    const status = await cacheStatus(config, { cwd: dir })
    expect(status.frame.disk).toMatchObject({ enabled: true, path: join(dir, '.benchgate/cache/frame'), entries: 2 })
    expect(status.frame.stats).toMatchObject({ hits: 1, misses: 2, entries: 2 })
    expect(status.validation.disk.entries).toBe(0)
    expect(JSON.parse(JSON.stringify(status))).toEqual(status)

    const exported = await cacheExportStats(config, { cwd: dir, now: () => new Date('2025-01-01T00:00:00Z') })
    expect(exported.timestamp).toBe('2025-01-01T00:00:00.000Z')
    expect(exported.frame).toMatchObject({ hits: 1, misses: 2, diskEntries: 2 })

    // A fresh process (shared cache forgotten) still hits through the disk tier.
    resetSharedFrameCache()
    const again = await cacheWarm(config, ['a.gif'], decode, { cwd: dir })
    expect(again.files[0]!.cached).toBe(true)
    expect(calls).toHaveLength(2)

    const cleared = await cacheClear(config, 'frame', { cwd: dir })
    expect(cleared.cleared).toHaveLength(1)
    expect(cleared.cleared[0]).toMatchObject({ type: 'frame', memoryEntries: 1, diskFiles: 2 })
    expect((await cacheStatus(config, { cwd: dir })).frame.disk.entries).toBe(0)
    expect((await cacheClear(config, 'all', { cwd: dir })).cleared.map(c => c.type)).toEqual(['frame', 'validation'])
  })

  it('errors name the bad type or file', async () => {
    const config = diskConfig()
    await expect(cacheClear(config, 'resize' as 'frame', { cwd: dir })).rejects.toThrow('cache clear --type: expected frame, validation or all, received "resize"')
    await expect(cacheWarm(config, ['missing.gif'], () => [], { cwd: dir })).rejects.toThrow(`cache warm: cannot read GIF ${join(dir, 'missing.gif')} (ENOENT)`)
  })
})

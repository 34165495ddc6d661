import { describe, expect, it } from 'vitest'
import { compareGifs, nearestMsePairs, proportionalPairs, quantileSorted, summarize } from '../../src/gif/aggregate.ts'
import { compressGif } from '../../src/gif/compress.ts'
import { resizeArea, type GifFrames, type Image } from '../../src/gif/image.ts'
import { decodeGif } from '../../src/gif/io.ts'
import { ssim } from '../../src/gif/ssim.ts'
import { synthesizeFrames, synthesizeGif } from '../../src/gif/synth.ts'

const pick = (g: GifFrames, indices: number[]): GifFrames => ({
  ...g, frames: indices.map(i => g.frames[i]!), delays: indices.map(i => g.delays[i]!),
})

describe('summaries', () => {
  it('p95 is the worst-5 % bound: 5th percentile for similarities, 95th for distances', () => {
    const values = Array.from({ length: 21 }, (_, i) => 21 - i) // 21 .. 1
    expect(summarize(values, 'higher')).toEqual({ direction: 'higher', mean: 11, min: 1, max: 21, p95: 2 })
    expect(summarize(values, 'lower')).toEqual({ direction: 'lower', mean: 11, min: 1, max: 21, p95: 20 })
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5) // numpy's linear interpolation
  })
})

describe('alignment', () => {
  it('proportional pairs map the shorter sequence onto the longer, ends to ends', () => {
    expect(proportionalPairs(3, 3)).toEqual([[0, 0], [1, 1], [2, 2]])
    expect(proportionalPairs(10, 4)).toEqual([[0, 0], [3, 1], [6, 2], [9, 3]])
    expect(proportionalPairs(2, 5)).toEqual([[0, 0], [1, 4]])
    expect(proportionalPairs(1, 5)).toEqual([[0, 0]])
  })

  it('nearest-MSE finds the frames that were kept, each used once', () => {
    const { frames } = synthesizeFrames({ frames: 10, width: 24, height: 16, content: 'motion', seed: 4 })
    const kept = [0, 1, 4, 8, 9]
    expect(nearestMsePairs(frames.frames, kept.map(i => frames.frames[i]!))).toEqual(kept.map((i, k) => [i, k]))
    expect(nearestMsePairs(kept.map(i => frames.frames[i]!), frames.frames)).toEqual(kept.map((i, k) => [k, i]))
  })
})

describe('compareGifs', () => {
  it('scores identical GIFs 1 everywhere', async () => {
    const { frames } = synthesizeFrames({ frames: 4, width: 40, height: 30, content: 'scenes', seed: 2 })
    const result = await compareGifs(frames, frames, { metrics: ['ssim', 'msSsim'] })
    expect(result.frames).toBe(4)
    expect(result.perFrame.map(p => [p.original, p.compressed])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]])
    for (const m of ['ssim', 'msSsim']) {
      expect(result.summary[m]!.mean).toBeCloseTo(1, 12)
      expect(result.summary[m]!.p95).toBeCloseTo(1, 12)
    }
  })

  it('measures a real compression: the per-frame SSIM is gray SSIM of the decoded frames', async () => {
    const { buffer } = await synthesizeGif({ frames: 6, width: 48, height: 40, content: 'gradient', seed: 1 })
    const original = await decodeGif(buffer)
    const compressed = (await compressGif(buffer, { compressionLevel: 80 })).frames
    const result = await compareGifs(original, compressed, { metrics: ['ssim'], window: 'gaussian' })
    expect(result.summary.ssim!.mean).toBeLessThan(0.95)
    expect(result.summary.ssim!.min).toBeLessThanOrEqual(result.summary.ssim!.p95)
    const { toGray } = await import('../../src/gif/image.ts')
    const frame3 = ssim(toGray(original.frames[3]!), toGray(compressed.frames[3]!), { window: 'gaussian' })
    expect(result.perFrame[3]!.values.ssim).toBeCloseTo(frame3, 12)
    const rgb = await compareGifs(original, compressed, { metrics: ['ssim'], color: 'rgb' })
    expect(rgb.summary.ssim!.mean).not.toBeCloseTo(result.summary.ssim!.mean, 6)
  })

  it('aligns differing frame counts by index or by nearest MSE', async () => {
    const { frames } = synthesizeFrames({ frames: 10, width: 32, height: 24, content: 'motion', seed: 8 })
    const dropped = pick(frames, [0, 2, 4, 6, 8])
    const byIndex = await compareGifs(frames, dropped)
    expect(byIndex.perFrame.map(p => p.original)).toEqual([0, 2, 5, 7, 9])
    expect(byIndex.summary.ssim!.min).toBeLessThan(0.99)
    const byMse = await compareGifs(frames, dropped, { align: 'nearest-mse' })
    expect(byMse.perFrame.map(p => p.original)).toEqual([0, 2, 4, 6, 8])
    expect(byMse.summary.ssim!.min).toBeCloseTo(1, 12)
  })

  it('compares at the common minimum size, area-averaged', async () => {
    const { frames } = synthesizeFrames({ frames: 2, width: 64, height: 48, content: 'gradient' })
    const half: GifFrames = { ...frames, width: 32, height: 24, frames: frames.frames.map(f => resizeArea(f, 32, 24)) }
    const result = await compareGifs(frames, half)
    expect([result.width, result.height]).toEqual([32, 24])
    expect(result.summary.ssim!.mean).toBeCloseTo(1, 12)
  })

  it('plugs in extra metrics (sync or async, either direction) and summarises them by direction', async () => {
    const { frames } = synthesizeFrames({ frames: 5, width: 20, height: 20, content: 'noise', seed: 3 })
    const seen: Array<[number, number]> = []
    let call = 0
    const distance = {
      name: 'fakeDistance',
      direction: 'lower' as const,
      compute: async (a: Image, b: Image): Promise<number> => {
        seen.push([a.channels, b.channels])
        return ++call
      },
    }
    function meanLuma(a: Image): number {
      let s = 0
      for (const v of a.data) s += v
      return s / a.data.length
    }
    const result = await compareGifs(frames, frames, { metrics: [distance, meanLuma, { name: 'g', compute: a => a.channels, input: 'gray' }] })
    expect(seen).toEqual(new Array(5).fill([3, 3])) // RGB by default, alpha dropped
    expect(result.perFrame.map(p => p.values.fakeDistance)).toEqual([1, 2, 3, 4, 5])
    expect(result.summary.fakeDistance).toEqual({ direction: 'lower', mean: 3, min: 1, max: 5, p95: 4.8 })
    expect(result.summary.meanLuma!.direction).toBe('higher')
    expect(result.summary.g!.mean).toBe(1)
  })

  it('rejects bad metrics and empty GIFs with errors that say what was received', async () => {
    const { frames } = synthesizeFrames({ frames: 1, width: 12, height: 12, content: 'noise' })
    await expect(compareGifs(frames, frames, { metrics: ['psnr' as never] })).rejects.toThrow(
      "Expected metrics[0] to be 'ssim', 'msSsim', a function or { name, compute } but received 'psnr'",
    )
    await expect(compareGifs(frames, frames, { metrics: ['ssim', 'ssim'] })).rejects.toThrow("received 'ssim' twice")
    await expect(compareGifs(frames, frames, { metrics: [] })).rejects.toThrow('Expected metrics to be a non-empty array but received []')
    await expect(compareGifs(frames, { ...frames, frames: [] })).rejects.toThrow('Expected compressed to hold at least one frame')
    await expect(compareGifs(frames, frames, { align: 'dtw' as never })).rejects.toThrow("Expected align to be 'index' or 'nearest-mse' but received dtw")
  })
})

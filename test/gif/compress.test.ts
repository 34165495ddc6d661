import { describe, expect, it } from 'vitest'
import { compressGif, compressionSettings, posterize } from '../../src/gif/compress.ts'
import { toGray, type GifFrames } from '../../src/gif/image.ts'
import { decodeGif } from '../../src/gif/io.ts'
import { ssim } from '../../src/gif/ssim.ts'
import { synthesizeGif, type SynthContent } from '../../src/gif/synth.ts'

const LEVELS = [0, 20, 40, 60, 80, 100]

function meanSsim(a: GifFrames, b: GifFrames): number {
  expect(b.frames.length).toBe(a.frames.length)
  let total = 0
  a.frames.forEach((f, i) => { total += ssim(toGray(f), toGray(b.frames[i]!)) })
  return total / a.frames.length
}

describe('compressGif', () => {
  for (const content of ['gradient', 'motion', 'scenes'] as SynthContent[]) {
    it(`${content}: bytes and mean SSIM never rise with the level; 100 is clearly smaller and worse than 0`, async () => {
      const { buffer } = await synthesizeGif({ frames: 24, width: 96, height: 80, content, seed: 17 })
      const original = await decodeGif(buffer)
      const rows: Array<{ level: number, bytes: number, quality: number }> = []
      for (const level of LEVELS) {
        const out = await compressGif(buffer, { compressionLevel: level })
        expect(out.frames.frames.length).toBe(24)
        expect(out.originalBytes).toBe(buffer.length)
        expect(out.ratio).toBeCloseTo(buffer.length / out.bytes, 12)
        rows.push({ level, bytes: out.bytes, quality: meanSsim(original, out.frames) })
      }
      for (let k = 1; k < rows.length; k++) {
        expect(rows[k]!.bytes, `bytes at level ${rows[k]!.level}`).toBeLessThanOrEqual(rows[k - 1]!.bytes)
        expect(rows[k]!.quality, `SSIM at level ${rows[k]!.level}`).toBeLessThanOrEqual(rows[k - 1]!.quality)
      }
      const first = rows[0]!
      const last = rows[rows.length - 1]!
      expect(last.bytes).toBeLessThan(first.bytes * 0.7)
      expect(last.quality).toBeLessThan(first.quality - 0.05)
      expect(first.quality).toBeGreaterThan(0.97)
    })
  }

  it('accepts raw frames, keeps delays, loop and every frame', async () => {
    const { frames } = await synthesizeGif({ frames: 6, width: 32, height: 24, content: 'motion', seed: 1, delay: 70 })
    const dup: GifFrames = { ...frames, frames: [...frames.frames, frames.frames[5]!], delays: [...frames.delays, 70], loop: 2 }
    const out = await compressGif(dup, { compressionLevel: 50 })
    expect(out.frames.frames.length).toBe(7)
    expect(out.frames.delays).toEqual(new Array(7).fill(70))
    expect(out.frames.loop).toBe(2)
    expect(out.originalBytes).toBeGreaterThan(out.bytes)
    const atZero = await compressGif(dup, { compressionLevel: 0 })
    expect(atZero.originalBytes).toBe(atZero.bytes)
  })

  it('rejects an invalid level with a RangeError naming compressionLevel and the value', async () => {
    const { buffer } = await synthesizeGif({ frames: 2, width: 8, height: 8, content: 'gradient' })
    await expect(compressGif(buffer, { compressionLevel: 120 })).rejects.toThrow(
      new RangeError('Expected compressionLevel between 0 and 100 but received 120'),
    )
    await expect(compressGif(buffer, { compressionLevel: -1 })).rejects.toThrow(RangeError)
    await expect(compressGif(buffer, { compressionLevel: Number.NaN })).rejects.toThrow('but received NaN')
  })

  it('maps levels to the documented encoder settings', () => {
    expect(LEVELS.map(l => compressionSettings(l).colors)).toEqual([256, 111, 49, 21, 9, 4])
    expect(LEVELS.map(l => compressionSettings(l).bitsPerChannel)).toEqual([8, 7, 6, 5, 4, 3])
    expect(compressionSettings(100)).toMatchObject({ interFrameMaxError: 32, interPaletteMaxError: 48, dither: 0, effort: 7 })
  })

  it('posterize keeps the top bits, centres the value in its step and leaves alpha alone', () => {
    const gif: GifFrames = {
      width: 2, height: 1, delays: [100], loop: 0,
      frames: [{ width: 2, height: 1, channels: 4, data: Uint8Array.from([0, 17, 255, 3, 100, 128, 200, 250]) }],
    }
    expect([...posterize(gif, 3).frames[0]!.data]).toEqual([16, 16, 240, 3, 112, 144, 208, 250])
    expect(posterize(gif, 8)).toBe(gif)
    expect(() => posterize(gif, 0)).toThrow('Expected bits to be an integer between 1 and 8 but received 0')
  })
})

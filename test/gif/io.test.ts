import { GifWriter } from 'omggif'
import { describe, expect, it } from 'vitest'
import type { GifFrames } from '../../src/gif/image.ts'
import { decodeGif, decodeGifOmggif, encodeGif, evenlySpacedIndices } from '../../src/gif/io.ts'
import { synthesizeFrames, synthesizeGif, type SynthContent } from '../../src/gif/synth.ts'

function expectSameFrames(a: GifFrames, b: GifFrames): void {
  expect([a.width, a.height, a.frames.length]).toEqual([b.width, b.height, b.frames.length])
  a.frames.forEach((f, i) => {
    const g = b.frames[i]!
    expect([f.width, f.height, f.channels]).toEqual([g.width, g.height, g.channels])
    // Buffer.compare keeps the failure message short on a large mismatch.
    expect(Buffer.compare(Buffer.from(f.data), Buffer.from(g.data)), `frame ${i}`).toBe(0)
  })
  expect(a.delays).toEqual(b.delays)
  expect(a.loop).toBe(b.loop)
}

/** A small GIF written by omggif with partial frames, transparency and every disposal method. */
function handMadeGif(): Buffer {
  const W = 20
  const H = 16
  const palette = [0xff0000, 0x00ff00, 0x0000ff, 0xffffff, 0x000000, 0xffff00, 0x00ffff, 0xff00ff]
  const buf = new Uint8Array(20000)
  const gw = new GifWriter(buf, W, H, { palette, background: 6, loop: 2 })
  const frame = (x: number, y: number, w: number, h: number, fill: (i: number) => number, opts: object): void => {
    gw.addFrame(x, y, w, h, Array.from({ length: w * h }, (_, i) => fill(i)), opts)
  }
  frame(0, 0, W, H, i => i % 3, { disposal: 1, delay: 5 }) //             0: full
  frame(2, 3, 5, 4, () => 4, { disposal: 2, delay: 7 }) //                 1: box, restore to background
  frame(4, 4, 6, 6, i => (i % 2 ? 7 : 5), { disposal: 3, transparent: 7 }) // 2: transparent, restore previous
  frame(1, 1, 3, 3, () => 3, { disposal: 2, transparent: 7 }) //           3: restore to transparent
  frame(0, 0, W, H, i => (i >> 2) % 6, { disposal: 1, delay: 9 }) //       4: full and opaque: a key frame
  frame(8, 2, 4, 9, i => (i % 3 ? 7 : 1), { disposal: 1, transparent: 7 }) // 5
  frame(3, 3, 2, 2, () => 2, {}) //                                         6: no Graphic Control Extension
  return Buffer.from(buf.subarray(0, gw.end()))
}

describe('decodeGif (sharp) and decodeGifOmggif agree byte for byte', () => {
  const contents: SynthContent[] = ['gradient', 'motion', 'noise', 'scenes']
  for (const content of contents) {
    it(`on synthetic ${content}, all frames and a subset`, async () => {
      const { buffer } = await synthesizeGif({ frames: 14, width: 40, height: 30, content, seed: 3 })
      const viaSharp = await decodeGif(buffer)
      const viaOmggif = await decodeGifOmggif(buffer)
      expect(viaSharp.frames.length).toBe(14)
      expectSameFrames(viaSharp, viaOmggif)
      const subset = [9, 2, 5, 5, 13]
      const picked = await decodeGif(buffer, { frames: subset })
      expect(picked.sourceIndices).toEqual(subset)
      expectSameFrames(picked, { ...viaSharp, frames: subset.map(i => viaSharp.frames[i]!), delays: subset.map(i => viaSharp.delays[i]!) })
    })
  }

  it('on a GIF with inter-frame transparency (compressed by cgif)', async () => {
    const { frames } = synthesizeFrames({ frames: 10, width: 48, height: 32, content: 'motion', seed: 9 })
    const buffer = await encodeGif(frames, { interFrameMaxError: 24, colors: 16 })
    expectSameFrames(await decodeGif(buffer), await decodeGifOmggif(buffer))
    const picked = await decodeGif(buffer, { frames: [7, 3] })
    const all = await decodeGif(buffer)
    expect(Buffer.compare(Buffer.from(picked.frames[0]!.data), Buffer.from(all.frames[7]!.data))).toBe(0)
  })

  it('on a hand-made GIF with partial frames and disposals 1, 2 and 3', async () => {
    const buffer = handMadeGif()
    const viaSharp = await decodeGif(buffer)
    const viaOmggif = await decodeGifOmggif(buffer)
    expect(viaSharp.frames.length).toBe(7)
    expectSameFrames(viaSharp, viaOmggif)
    expect(viaSharp.delays).toEqual([50, 70, 0, 0, 90, 0, 100])
    expect(viaSharp.loop).toBe(3) // NETSCAPE repeats 2 = 3 plays, as sharp counts
    // Subsets that start after the key frame (4) and one that needs the restore-previous frame.
    for (const subset of [[5], [6, 4], [3], [2, 3]]) {
      const picked = await decodeGifOmggif(buffer, { frames: subset })
      subset.forEach((src, k) => {
        expect(Buffer.compare(Buffer.from(picked.frames[k]!.data), Buffer.from(viaSharp.frames[src]!.data)), `frame ${src}`).toBe(0)
      })
    }
  })
})

describe('decodeGif options', () => {
  it('returns RGBA frames, delays in ms and the loop count', async () => {
    const { buffer } = await synthesizeGif({ frames: 3, width: 16, height: 8, content: 'gradient', delay: 40 })
    const gif = await decodeGif(buffer)
    expect([gif.width, gif.height, gif.frames[0]!.channels, gif.frames[0]!.data.length]).toEqual([16, 8, 4, 16 * 8 * 4])
    expect(gif.delays).toEqual([40, 40, 40])
    expect(gif.loop).toBe(0)
    expect(gif.sourceIndices).toBeUndefined()
    expect(gif.totalFrames).toBe(3)
  })

  it('maxFrames keeps evenly spaced frames including the first and the last', async () => {
    expect(evenlySpacedIndices(10, 4)).toEqual([0, 3, 6, 9])
    expect(evenlySpacedIndices(5, 9)).toEqual([0, 1, 2, 3, 4])
    expect(evenlySpacedIndices(7, 1)).toEqual([0])
    const { buffer } = await synthesizeGif({ frames: 11, width: 12, height: 10, content: 'noise', seed: 5 })
    const all = await decodeGif(buffer)
    const capped = await decodeGif(buffer, { maxFrames: 3 })
    expect(capped.sourceIndices).toEqual([0, 5, 10])
    expect(capped.totalFrames).toBe(11)
    expect(capped.frames[1]!.data.buffer.byteLength).toBe(12 * 10 * 4) // a copy, not a view into all 11 frames
    capped.sourceIndices!.forEach((src, k) => {
      expect(Buffer.compare(Buffer.from(capped.frames[k]!.data), Buffer.from(all.frames[src]!.data))).toBe(0)
    })
    const both = await decodeGif(buffer, { frames: [1, 2, 3, 4, 8], maxFrames: 2 })
    expect(both.sourceIndices).toEqual([1, 8])
  })

  it('rejects bad options naming the option and the value', async () => {
    const { buffer } = await synthesizeGif({ frames: 2, width: 8, height: 8, content: 'gradient' })
    await expect(decodeGif(buffer, { maxFrames: 0 })).rejects.toThrow('Expected maxFrames to be a positive integer but received 0')
    await expect(decodeGif(buffer, { frames: [0, 2] })).rejects.toThrow('Expected frames to be indices below the frame count 2 but received 2')
    await expect(decodeGif(buffer, { frames: [-1] })).rejects.toThrow('Expected frames to hold non-negative integers but received -1')
    await expect(decodeGif(buffer, { frames: [] })).rejects.toThrow('Expected frames to be a non-empty array')
  })
})

describe('decode errors', () => {
  it('a buffer that is not a GIF says so, with sharp\'s own message grafted on', async () => {
    const error = await decodeGif(Buffer.from('hello, not a gif')).then(() => undefined, (e: unknown) => e as Error)
    expect(error!.message).toBe(
      'Expected buffer to be a GIF (GIF87a or GIF89a signature) but received 16 bytes starting with 68 65 6c 6c 6f 2c; '
      + 'sharp: Input buffer contains unsupported image format',
    )
    expect(error!.stack).toContain('io.test.ts')
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(Error)
    const sharp = (await import('sharp')).default
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer()
    await expect(decodeGif(png)).rejects.toThrow(/starting with 89 50 4e 47 0d 0a \(looks like PNG\); sharp reads it as png$/)
    await expect(decodeGifOmggif(Buffer.alloc(0))).rejects.toThrow('but received 0 bytes starting with (nothing)')
  })

  it('a corrupt GIF carries sharp\'s message on a stack from the caller', async () => {
    const { buffer } = await synthesizeGif({ frames: 2, width: 16, height: 16, content: 'noise' })
    const truncated = buffer.subarray(0, 40)
    const error = await decodeGif(truncated).then(() => undefined, (e: unknown) => e as Error)
    expect(error).toBeInstanceOf(Error)
    expect(error!.message).toMatch(/^Could not decode the GIF buffer \(sharp\): .*gif/i)
    expect(error!.stack).toContain('io.test.ts')
    expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(Error)
  })
})

describe('encodeGif', () => {
  it('keeps every frame, even duplicates, with delays and loop', async () => {
    const { frames } = synthesizeFrames({ frames: 2, width: 10, height: 10, content: 'gradient' })
    const dup = [frames.frames[0]!, frames.frames[0]!, frames.frames[1]!, frames.frames[1]!]
    const gif = await decodeGif(await encodeGif(dup, { delay: [10, 20, 30, 40], loop: 4 }))
    expect(gif.frames.length).toBe(4)
    expect(gif.delays).toEqual([10, 20, 30, 40])
    expect(gif.loop).toBe(4)
  })

  it('rejects invalid input naming the option', async () => {
    const { frames } = synthesizeFrames({ frames: 2, width: 10, height: 10, content: 'gradient' })
    await expect(encodeGif([])).rejects.toThrow('Expected at least one frame to encode but received 0')
    await expect(encodeGif(frames, { colors: 300 })).rejects.toThrow('Expected colors to be an integer between 2 and 256 but received 300')
    await expect(encodeGif(frames, { delay: [1] })).rejects.toThrow('Expected delay to hold 2 values (one per frame) but received 1')
    const odd = { width: 5, height: 10, channels: 3 as const, data: new Uint8Array(150) }
    await expect(encodeGif([frames.frames[0]!, odd])).rejects.toThrow('Expected every frame to be 10x10 but frame 1 is 5x10')
  })
})

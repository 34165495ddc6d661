import { describe, expect, it } from 'vitest'
import type { Image } from '../../src/gif/image.ts'
import { mulberry32, synthesizeFrames, synthesizeGif, type SynthContent } from '../../src/gif/synth.ts'

/** Histogram-intersection difference (0 = same colour distribution, 1 = disjoint), 8 bins per channel. */
function histogramDifference(a: Image, b: Image): number {
  const hist = (img: Image): Float64Array => {
    const h = new Float64Array(3 * 8)
    const n = img.width * img.height
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) h[c * 8 + (img.data[i * img.channels + c]! >> 5)]! += 1 / n
    }
    return h
  }
  const ha = hist(a)
  const hb = hist(b)
  let inter = 0
  for (let i = 0; i < ha.length; i++) inter += Math.min(ha[i]!, hb[i]!)
  return 1 - inter / 3
}

describe('synthesizeFrames', () => {
  it('gradient follows the original formula (truncated like a uint8 cast)', () => {
    const { frames } = synthesizeFrames({ frames: 4, width: 10, height: 6, content: 'gradient' })
    const f = frames.frames[2]!
    const at = (x: number, y: number): number[] => [...f.data.subarray((y * 10 + x) * 3, (y * 10 + x) * 3 + 3)]
    expect(at(0, 0)).toEqual([0, 0, Math.trunc(((0 + 0 + 2 / 4 * 255) / 16 * 255) % 255)])
    expect(at(7, 5)).toEqual([Math.trunc(7 / 10 * 255), Math.trunc(5 / 6 * 255), Math.trunc(((12 + 127.5) / 16 * 255) % 255)])
    expect(frames.delays).toEqual([100, 100, 100, 100])
  })

  it('is deterministic per seed and differs across seeds', () => {
    for (const content of ['motion', 'noise', 'scenes'] as SynthContent[]) {
      const a = synthesizeFrames({ frames: 13, width: 20, height: 14, content, seed: 42 })
      const b = synthesizeFrames({ frames: 13, width: 20, height: 14, content, seed: 42 })
      const c = synthesizeFrames({ frames: 13, width: 20, height: 14, content, seed: 43 })
      expect(a).toEqual(b)
      expect(a.frames.frames.map(f => [...f.data])).not.toEqual(c.frames.frames.map(f => [...f.data]))
    }
  })

  it('motion moves: consecutive frames differ but share the background', () => {
    const { frames } = synthesizeFrames({ frames: 3, width: 64, height: 48, content: 'motion', seed: 7 })
    const [f0, f1] = frames.frames
    let changed = 0
    for (let i = 0; i < f0!.data.length; i++) if (f0!.data[i] !== f1!.data[i]) changed++
    expect(changed).toBeGreaterThan(0)
    expect(changed / f0!.data.length).toBeLessThan(0.5)
  })

  it('scenes records hard cuts that a histogram detector finds, and nothing else', () => {
    const { frames, sceneCuts } = synthesizeFrames({ frames: 40, width: 64, height: 48, content: 'scenes', seed: 11 })
    expect(sceneCuts.length).toBe(5) // 40 frames: one scene per ~6 frames, at most 6 scenes
    const starts = [0, ...sceneCuts, 40]
    for (let k = 1; k < starts.length; k++) expect(starts[k]! - starts[k - 1]!).toBeGreaterThanOrEqual(3)
    const detected: number[] = []
    for (let i = 1; i < 40; i++) {
      if (histogramDifference(frames.frames[i - 1]!, frames.frames[i]!) > 0.3) detected.push(i)
    }
    expect(detected).toEqual(sceneCuts)
    expect(synthesizeFrames({ frames: 40, width: 8, height: 8, content: 'motion' }).sceneCuts).toEqual([])
  })

  it('rejects invalid options naming the option and the value', () => {
    expect(() => synthesizeFrames({ frames: 0, width: 4, height: 4, content: 'noise' })).toThrow(
      'Expected frames to be a positive integer but received 0',
    )
    expect(() => synthesizeFrames({ frames: 1, width: 4.5, height: 4, content: 'noise' })).toThrow(
      'Expected width to be a positive integer but received 4.5',
    )
    expect(() => synthesizeFrames({ frames: 1, width: 4, height: 4, content: 'plaid' as never })).toThrow(
      'Expected content to be one of gradient, motion, noise, scenes but received plaid',
    )
  })

  it('mulberry32 is a fixed sequence', () => {
    const r = mulberry32(1)
    expect([r(), r(), r()].map(v => Math.floor(v * 1e6))).toEqual([627073, 2735, 527447])
  })
})

describe('synthesizeGif', () => {
  it('gives identical bytes for the same seed', async () => {
    for (const content of ['gradient', 'motion', 'noise', 'scenes'] as SynthContent[]) {
      const a = await synthesizeGif({ frames: 13, width: 24, height: 18, content, seed: 5 })
      const b = await synthesizeGif({ frames: 13, width: 24, height: 18, content, seed: 5 })
      expect(a.buffer.subarray(0, 6).toString('latin1')).toBe('GIF89a')
      expect(Buffer.compare(a.buffer, b.buffer)).toBe(0)
      expect(a.frames.frames.length).toBe(13)
    }
  })
})

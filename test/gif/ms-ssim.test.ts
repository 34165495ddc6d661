import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Image } from '../../src/gif/image.ts'
import { MS_SSIM_WEIGHTS, msSsim, msSsimPlanes, msSsimScales } from '../../src/gif/ms-ssim.ts'
import { ssim } from '../../src/gif/ssim.ts'

const FIXTURES = join(import.meta.dirname, 'fixtures/ms-ssim')

interface RefCase { name: string, a: string, b: string, width: number, height: number, msSsim: number, scales: number, cs: number[], ssim: number[] }
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as { cases: RefCase[] }

async function loadGray(file: string): Promise<Image> {
  const { data, info } = await sharp(join(FIXTURES, file)).extractChannel(0).raw().toBuffer({ resolveWithObject: true })
  return { width: info.width, height: info.height, channels: 1, data }
}

function smooth(width: number, height: number): Image {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = Math.round(128 + 60 * Math.sin(x / 13) * Math.cos(y / 9) + 40 * Math.sin((x + y) / 31))
  }
  return { width, height, channels: 1, data }
}

function withNoise(img: Image, amplitude: number, seed: number): Image {
  let s = seed >>> 0 || 1
  const data = img.data.map((v) => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0
    return Math.max(0, Math.min(255, v + Math.round(((s & 0xffff) / 0xffff - 0.5) * 2 * amplitude)))
  })
  return { ...img, data }
}

describe('msSsim against the independent Python implementation (scripts/ms-ssim-reference.py)', () => {
  for (const c of reference.cases) {
    it(`${c.name} (${c.width}x${c.height}, ${c.scales} scales) agrees to 1e-6, scale by scale`, async () => {
      const a = await loadGray(c.a)
      const b = await loadGray(c.b)
      const x = Float64Array.from(a.data)
      const y = Float64Array.from(b.data)
      const detail = msSsimPlanes(x, y, a.width, a.height)
      expect(detail.scales).toBe(c.scales)
      detail.cs.forEach((v, j) => expect(v).toBeCloseTo(c.cs[j]!, 9))
      detail.ssim.forEach((v, j) => expect(v).toBeCloseTo(c.ssim[j]!, 9))
      expect(Math.abs(msSsim(a, b) - c.msSsim)).toBeLessThan(1e-6)
    })
  }
  it('covers 5 scales, odd sides and the fewer-scales fallback', () => {
    expect(reference.cases.map(c => c.scales)).toEqual([5, 5, 4])
    expect(reference.cases.some(c => c.width % 2 === 1)).toBe(true)
  })
})

describe('msSsim properties', () => {
  const a = smooth(192, 180)

  it('is 1 for identical images and symmetric', () => {
    const b = withNoise(a, 30, 1)
    expect(msSsim(a, a)).toBeCloseTo(1, 12)
    expect(msSsim(a, b)).toBeCloseTo(msSsim(b, a), 12)
    expect(msSsim(a, b)).toBeLessThan(1)
  })

  it('decreases as noise grows', () => {
    const values = [5, 15, 40, 90].map(amp => msSsim(a, withNoise(a, amp, 7)))
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThan(values[k - 1]!)
    expect(values[0]).toBeGreaterThan(0.95)
  })

  it('uses the paper\'s weights and 5 scales from 176 px; fewer, renormalised, below', () => {
    expect(MS_SSIM_WEIGHTS).toEqual([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
    expect(msSsimScales(176, 300)).toBe(5)
    expect(msSsimScales(256, 256)).toBe(5)
    expect(msSsimScales(100, 120)).toBe(4)
    expect(msSsimScales(21, 21)).toBe(2)
    expect(msSsimScales(11, 40)).toBe(1)
    expect(msSsimScales(10, 40)).toBe(0)
    const small = smooth(60, 50)
    const detail = msSsimPlanes(Float64Array.from(small.data), Float64Array.from(withNoise(small, 20, 3).data), 60, 50)
    expect(detail.scales).toBe(3)
    expect(detail.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12)
    expect(detail.weights[0]).toBeCloseTo(0.0448 / (0.0448 + 0.2856 + 0.3001), 12)
  })

  it('with one scale it is the Gaussian SSIM', () => {
    const img = smooth(15, 14)
    const noisy = withNoise(img, 25, 9)
    expect(msSsim(img, noisy)).toBeCloseTo(ssim(img, noisy, { window: 'gaussian' }), 12)
  })

  it('clamps a negative cs to 0 instead of returning NaN', () => {
    // High local contrast, then inverted: strongly negative structure correlation at the finest scale.
    const img: Image = { width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64).map((_, i) => ((i % 64) >> 1) % 2 ? 230 : 20) }
    const inverted = { ...img, data: img.data.map(v => 255 - v) }
    const detail = msSsimPlanes(Float64Array.from(img.data), Float64Array.from(inverted.data), 64, 64)
    expect(detail.cs[0]).toBeLessThan(-0.5)
    expect(detail.value).toBe(0)
  })

  it('RGB is the mean of the per-channel values; errors name the problem', () => {
    const rgb: Image = { width: 40, height: 40, channels: 3, data: new Uint8Array(40 * 40 * 3) }
    const g = smooth(40, 40)
    for (let i = 0; i < 1600; i++) rgb.data.set([g.data[i]!, 255 - g.data[i]!, (g.data[i]! * 3) & 255], i * 3)
    const noisy = withNoise(rgb, 20, 4)
    const channel = (img: Image, c: number): Image => ({ width: 40, height: 40, channels: 1, data: img.data.filter((_, i) => i % 3 === c) })
    const mean = [0, 1, 2].reduce((s, c) => s + msSsim(channel(rgb, c), channel(noisy, c)), 0) / 3
    expect(msSsim(rgb, noisy)).toBeCloseTo(mean, 12)
    expect(() => msSsim(smooth(10, 30), smooth(10, 30))).toThrow('Expected images of at least 11x11 for MS-SSIM but received 10x30')
    expect(() => msSsim(smooth(20, 20), smooth(20, 21))).toThrow('Image sizes differ: a is 20x20, b is 20x21')
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { gaussianKernel1d, ssim, ssimMap, ssimPlaneStats } from '../../src/gif/ssim.ts'
import type { Image } from '../../src/gif/image.ts'

const REF_DIR = join(import.meta.dirname, 'fixtures/ssim')

interface RefCase {
  a: string
  b: string
  width: number
  height: number
  channels: 1 | 3
  content: string
  distortion: string
  ssim_uniform7: number
  ssim_gaussian: number
}

const reference = JSON.parse(readFileSync(join(REF_DIR, 'ssim_reference.json'), 'utf8')) as { cases: RefCase[] }

/** sharp hands grayscale PNGs back as sRGB; the README's grayscale cases are read as channel 0. */
async function loadPng(file: string, channels: 1 | 3): Promise<Image> {
  const input = sharp(join(REF_DIR, file))
  const { data, info } = await (channels === 1 ? input.extractChannel(0) : input).raw().toBuffer({ resolveWithObject: true })
  if (info.channels !== channels) throw new Error(`${file}: expected ${channels} channels, sharp gave ${info.channels}`)
  return { width: info.width, height: info.height, channels, data }
}

/** A deterministic pseudo-random image (xorshift32). */
function noiseImage(width: number, height: number, channels: 1 | 3 | 4, seed: number): Image {
  let x = seed >>> 0 || 1
  const data = new Uint8Array(width * height * channels)
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    data[i] = x & 255
  }
  return { width, height, channels, data }
}

describe('ssim against scikit-image 0.19.3 (test/gif/fixtures/ssim)', () => {
  it('has the 24 reference cases', () => {
    expect(reference.cases.length).toBe(24)
  })

  let maxErr = 0
  for (const c of reference.cases) {
    it(`${c.a} (${c.width}x${c.height}x${c.channels}, ${c.content}/${c.distortion}) agrees to 1e-4 with both windows`, async () => {
      const a = await loadPng(c.a, c.channels)
      const b = await loadPng(c.b, c.channels)
      expect([a.width, a.height]).toEqual([c.width, c.height])
      const u = ssim(a, b)
      const g = ssim(a, b, { window: 'gaussian' })
      maxErr = Math.max(maxErr, Math.abs(u - c.ssim_uniform7), Math.abs(g - c.ssim_gaussian))
      expect(Math.abs(u - c.ssim_uniform7)).toBeLessThan(1e-4)
      expect(Math.abs(g - c.ssim_gaussian)).toBeLessThan(1e-4)
      // Not just close: the same arithmetic as scikit-image, up to float rounding.
      expect(u).toBeCloseTo(c.ssim_uniform7, 9)
      expect(g).toBeCloseTo(c.ssim_gaussian, 9)
    })
  }
  it('both Gaussian engines (JavaScript and WebAssembly SIMD) match every case', async () => {
    for (const c of reference.cases) {
      const a = await loadPng(c.a, c.channels)
      const b = await loadPng(c.b, c.channels)
      for (const engine of ['js', 'wasm'] as const) {
        let total = 0
        for (let ch = 0; ch < c.channels; ch++) {
          total += ssimPlaneStats(a.data, b.data, c.width, c.height, {
            window: 'gaussian', engine, strideA: c.channels, strideB: c.channels, offset: ch,
          }).ssim
        }
        expect(total / c.channels, `${c.a} ${engine}`).toBeCloseTo(c.ssim_gaussian, 9)
      }
    }
  })

  it('reports the max abs error', () => {
    console.log(`ssim max abs error vs scikit-image: ${maxErr.toExponential(3)}`)
    expect(maxErr).toBeLessThan(1e-4)
  })
})

describe('ssim properties', () => {
  it('is 1 for identical images and below 1 otherwise', () => {
    const a = noiseImage(40, 30, 1, 1)
    const b = noiseImage(40, 30, 1, 2)
    expect(ssim(a, a)).toBeCloseTo(1, 12)
    expect(ssim(a, a, { window: 'gaussian' })).toBeCloseTo(1, 12)
    expect(ssim(a, b)).toBeLessThan(0.1)
  })

  it('is symmetric', () => {
    const a = noiseImage(33, 21, 3, 3)
    const b = noiseImage(33, 21, 3, 4)
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12)
    expect(ssim(a, b, { window: 'gaussian' })).toBeCloseTo(ssim(b, a, { window: 'gaussian' }), 12)
  })

  it('ignores alpha: RGBA equals RGB, and RGB is the mean of the per-channel SSIMs', () => {
    const a = noiseImage(20, 20, 4, 5)
    const b = noiseImage(20, 20, 4, 6)
    const rgb = (img: Image): Image => {
      const out = new Uint8Array(img.width * img.height * 3)
      for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) out.set(img.data.subarray(i, i + 3), j)
      return { width: img.width, height: img.height, channels: 3, data: out }
    }
    const plane = (img: Image, c: number): Image => {
      const out = new Uint8Array(img.width * img.height)
      for (let i = 0; i < out.length; i++) out[i] = img.data[i * img.channels + c]!
      return { width: img.width, height: img.height, channels: 1, data: out }
    }
    const mean = (ssim(plane(a, 0), plane(b, 0)) + ssim(plane(a, 1), plane(b, 1)) + ssim(plane(a, 2), plane(b, 2))) / 3
    expect(ssim(a, b)).toBeCloseTo(mean, 12)
    expect(ssim(rgb(a), b)).toBeCloseTo(mean, 12)
    const opaque = { ...b, data: Uint8Array.from(b.data, (v, i) => (i % 4 === 3 ? 255 - v : v)) }
    expect(ssim(a, opaque)).toBeCloseTo(mean, 12)
  })

  it('its map has the valid-region size and averages to ssim', () => {
    const a = noiseImage(30, 25, 1, 7)
    const b = noiseImage(30, 25, 1, 8)
    for (const window of ['uniform7', 'gaussian'] as const) {
      const map = ssimMap(a, b, { window })
      const win = window === 'uniform7' ? 7 : 11
      expect([map.width, map.height]).toEqual([30 - win + 1, 25 - win + 1])
      const mean = map.data.reduce((s, v) => s + v, 0) / map.data.length
      expect(mean).toBeCloseTo(ssim(a, b, { window }), 12)
    }
  })

  it('computes cs on request and honours dataRange', () => {
    const a = noiseImage(24, 24, 1, 9)
    const stats = ssimPlaneStats(a.data, a.data, 24, 24, { window: 'gaussian', withCs: true })
    expect(stats.ssim).toBeCloseTo(1, 12)
    expect(stats.cs).toBeCloseTo(1, 12)
    expect(ssimPlaneStats(a.data, a.data, 24, 24).cs).toBeNaN()
    const b = noiseImage(24, 24, 1, 10)
    // A larger data range inflates C1, C2 and so the SSIM of dissimilar images.
    expect(ssim(a, b, { dataRange: 1e5 })).toBeGreaterThan(ssim(a, b) + 0.5)
  })

  it('the WebAssembly and JavaScript Gaussian paths agree on odd, even and tiny sizes, cs included', () => {
    for (const [w, h] of [[11, 11], [12, 11], [23, 17], [64, 64], [75, 40], [130, 97]] as const) {
      const a = noiseImage(w, h, 1, w * 31 + h)
      const b = noiseImage(w, h, 1, w * 17 + h + 1)
      const js = ssimPlaneStats(a.data, b.data, w, h, { window: 'gaussian', engine: 'js', withCs: true })
      const wasm = ssimPlaneStats(a.data, b.data, w, h, { window: 'gaussian', engine: 'wasm', withCs: true })
      expect(wasm.ssim, `${w}x${h}`).toBeCloseTo(js.ssim, 13)
      expect(wasm.cs, `${w}x${h}`).toBeCloseTo(js.cs, 13)
      expect(Number.isNaN(ssimPlaneStats(a.data, b.data, w, h, { window: 'gaussian', engine: 'wasm' }).cs)).toBe(true)
    }
    expect(() => ssimPlaneStats(new Uint8Array(144), new Uint8Array(144), 12, 12, { engine: 'gpu' as never })).toThrow(
      "Expected engine to be 'auto', 'js' or 'wasm' but received gpu",
    )
  })

  it('builds the 11-tap Gaussian scipy builds', () => {
    const k = gaussianKernel1d()
    expect(k.length).toBe(11)
    expect(k.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15)
    expect(k[5]).toBeCloseTo(0.26601172486179, 12)
    expect(k[0]).toBeCloseTo(k[10]!, 15)
  })

  it('rejects bad input with errors that name the problem', () => {
    const a = noiseImage(20, 20, 1, 1)
    const b = noiseImage(20, 21, 1, 1)
    expect(() => ssim(a, b)).toThrow('Image sizes differ: a is 20x20, b is 20x21')
    const small = noiseImage(10, 12, 1, 1)
    expect(() => ssim(small, small, { window: 'gaussian' })).toThrow(
      "Expected images of at least 11x11 for window 'gaussian' but received 10x12",
    )
    expect(() => ssim(a, a, { window: 'box' as never })).toThrow("Expected window to be 'uniform7' or 'gaussian' but received box")
    expect(() => ssim(a, a, { dataRange: 0 })).toThrow('Expected dataRange to be a positive number but received 0')
    expect(() => ssim(a, noiseImage(20, 20, 3, 1))).toThrow('both grayscale or both colour')
  })
})

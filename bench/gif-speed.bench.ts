/**
 * Speed of the GIF workload's hot paths, side by side with the alternatives:
 *
 * - our SSIM (uniform 7x7 and Gaussian 11x11) on a 512x512 grayscale pair;
 * - ssim.js (npm `ssim.js`, its default options) on the same pair, as RGBA ImageData. Its defaults
 *   are the fast "weber" algorithm on an image first downsampled to at most 256 px (`maxSize: 256`),
 *   so it also runs once with `downsample: false` to compare at full resolution;
 * - decodeGif of a 100-frame 512x512 synthetic GIF (sharp, one call for all frames).
 *
 * The scikit-image side of the comparison is scripts/skimage-ssim-timing.py (the same formula for
 * the pair; the noise comes from each language's own generator, so the pixels differ but not the work).
 * Run alone (other processes, and other bench files in parallel workers, skew wall time):
 *
 *     npx vitest bench --run --config bench/vitest.config.ts   # this file only, no project plugins
 *     npx vitest bench --run --dir bench gif-speed              # same, through the project's config
 */
import { ssim as ssimJs } from 'ssim.js'
import { bench, describe } from 'vitest'
import type { Image } from '../src/gif/image.ts'
import { decodeGif } from '../src/gif/io.ts'
import { ssim } from '../src/gif/ssim.ts'
import { mulberry32, synthesizeGif } from '../src/gif/synth.ts'

const SIZE = 512

/** A smooth pattern plus uniform noise in [-16, 16): the recipe of scripts/skimage-ssim-timing.py. */
function testImage(seed: number): Image {
  const rnd = mulberry32(seed)
  const data = new Uint8Array(SIZE * SIZE)
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const base = 128 + 100 * Math.sin(x / 20) * Math.cos(y / 31)
      data[y * SIZE + x] = Math.min(255, Math.max(0, Math.round(base + Math.floor(rnd() * 32) - 16)))
    }
  }
  return { width: SIZE, height: SIZE, channels: 1, data }
}

function toImageData(img: Image): { data: Uint8ClampedArray, width: number, height: number } {
  const data = new Uint8ClampedArray(img.width * img.height * 4)
  for (let i = 0; i < img.width * img.height; i++) {
    const v = img.data[i]!
    data[i * 4] = v
    data[i * 4 + 1] = v
    data[i * 4 + 2] = v
    data[i * 4 + 3] = 255
  }
  return { data, width: img.width, height: img.height }
}

const a = testImage(1)
const b = testImage(2)
const aData = toImageData(a)
const bData = toImageData(b)

const gif = await synthesizeGif({ frames: 100, width: SIZE, height: SIZE, content: 'gradient', seed: 1 })

let sink = 0

describe('SSIM, 512x512 grayscale pair', () => {
  bench('benchgate ssim uniform7', () => {
    sink += ssim(a, b)
  }, { time: 2000, warmupTime: 300 })

  bench('benchgate ssim gaussian', () => {
    sink += ssim(a, b, { window: 'gaussian' })
  }, { time: 2000, warmupTime: 300 })

  bench('ssim.js (defaults: weber, downsampled to 256)', () => {
    sink += ssimJs(aData, bData).mssim
  }, { time: 2000, warmupTime: 300 })

  bench('ssim.js (downsample: false)', () => {
    sink += ssimJs(aData, bData, { downsample: false }).mssim
  }, { time: 2000, warmupTime: 300 })
})

describe(`decodeGif, 100 frames of ${SIZE}x${SIZE} (${(gif.buffer.length / 1e6).toFixed(1)} MB)`, () => {
  bench('benchgate decodeGif (sharp, pages: -1)', async () => {
    const frames = await decodeGif(gif.buffer)
    sink += frames.frames.length
  }, { time: 3000, warmupTime: 500, iterations: 5 })
})

export { sink }

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Image } from '../../src/gif/image.ts'
import {
  BUILTIN_PERCEPTUAL_MODEL,
  closeSharedPerceptualMetrics,
  createPerceptualMetric,
  defaultPerceptualModelPath,
  imageToModelInput,
  perceptual,
  type PerceptualMetric,
} from '../../src/gif/perceptual.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Deterministic PRNG (mulberry32) so noise is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A 48x40 RGB test card: gradients, a bright square and stripes. */
function testCard(): Image {
  const width = 48
  const height = 40
  const data = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3
      const inSquare = x > 10 && x < 24 && y > 8 && y < 22
      data[p] = inSquare ? 230 : Math.round((x / width) * 200)
      data[p + 1] = Math.round((y / height) * 180) + ((x >> 2) % 2) * 40
      data[p + 2] = inSquare ? 40 : 120
    }
  }
  return { width, height, channels: 3, data }
}

function withNoise(img: Image, amplitude: number, seed = 7): Image {
  const next = rng(seed)
  const data = new Uint8Array(img.data.length)
  for (let i = 0; i < data.length; i++) {
    const v = img.data[i]! + (next() * 2 - 1) * amplitude
    data[i] = Math.max(0, Math.min(255, Math.round(v)))
  }
  return { ...img, data }
}

describe('perceptual metric (benchgate-msfilter-v1)', () => {
  let metric: PerceptualMetric
  let tmp: string

  beforeAll(async () => {
    metric = await createPerceptualMetric()
    tmp = mkdtempSync(join(tmpdir(), 'benchgate-perceptual-'))
  })
  afterAll(async () => {
    await metric.close()
    await closeSharedPerceptualMetrics()
    rmSync(tmp, { recursive: true, force: true })
  })

  it('loads the built-in model by default', () => {
    expect(metric.builtin).toBe(true)
    expect(metric.modelPath).toBe(defaultPerceptualModelPath())
    expect(metric.modelPath.endsWith(`${BUILTIN_PERCEPTUAL_MODEL}.onnx`)).toBe(true)
  })

  it('scales pixels to [-1, 1] in CHW order, replicating gray', () => {
    const rgb = imageToModelInput({ width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 255, 51, 255, 0, 102]) })
    expect(Array.from(rgb)).toEqual([-1, 1, 1, -1, 51 / 127.5 - 1, 102 / 127.5 - 1].map(v => Math.fround(v)))
    const gray = imageToModelInput({ width: 1, height: 1, channels: 1, data: Uint8Array.from([255]) })
    expect(Array.from(gray)).toEqual([1, 1, 1])
  })

  it('gives 0 for identical images', async () => {
    const a = testCard()
    expect(Math.abs(await metric.distance(a, { ...a, data: a.data.slice() }))).toBeLessThan(1e-6)
  })

  it('grows with noise strength', async () => {
    const a = testCard()
    const levels = [4, 16, 48, 96]
    const d: number[] = []
    for (const amp of levels) d.push(await metric.distance(a, withNoise(a, amp)))
    expect(d[0]).toBeGreaterThan(0)
    for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThan(d[i - 1]!)
  })

  it('is symmetric', async () => {
    const a = testCard()
    const b = withNoise(a, 30, 3)
    const ab = await metric.distance(a, b)
    const ba = await metric.distance(b, a)
    expect(ab).toBeGreaterThan(0)
    expect(Math.abs(ab - ba)).toBeLessThan(1e-7)
  })

  it('accepts gray and RGBA inputs, ignoring alpha', async () => {
    const a = testCard()
    const rgba = new Uint8Array(a.width * a.height * 4)
    for (let i = 0, p = 0, q = 0; i < a.width * a.height; i++, p += 3, q += 4) {
      rgba.set(a.data.subarray(p, p + 3), q)
      rgba[q + 3] = i % 255
    }
    expect(await metric.distance(a, { ...a, channels: 4, data: rgba })).toBeLessThan(1e-6)
    const gray: Image = { width: 5, height: 5, channels: 1, data: new Uint8Array(25).fill(90) }
    expect(await metric.distance(gray, gray)).toBeLessThan(1e-6)
  })

  it('refuses images of different sizes', async () => {
    const a = testCard()
    const b: Image = { width: 8, height: 8, channels: 3, data: new Uint8Array(192) }
    await expect(metric.distance(a, b)).rejects.toThrow('Image sizes differ: a is 48x40, b is 8x8')
  })

  it('the shared convenience instance gives the same value', async () => {
    const a = testCard()
    const b = withNoise(a, 20)
    expect(await perceptual(a, b)).toBe(await metric.distance(a, b))
  })

  it('the committed model is what the script rebuilds, byte for byte', () => {
    const out = join(tmp, 'rebuilt.onnx')
    execFileSync(process.execPath, [join(root, 'scripts/build-perceptual-model.mjs'), '--out', out], { stdio: 'pipe' })
    const committed = readFileSync(join(root, 'models', `${BUILTIN_PERCEPTUAL_MODEL}.onnx`))
    const rebuilt = readFileSync(out)
    expect(committed.length).toBeLessThan(1024 * 1024)
    expect(Buffer.compare(rebuilt, committed)).toBe(0)
  })

  it('a missing model file is one error naming the path and the config key', async () => {
    const missing = join(tmp, 'nope', 'lpips-alex.onnx')
    await expect(createPerceptualMetric({ modelPath: missing })).rejects.toThrow(
      `Perceptual model file not found: ${missing} (option modelPath / config key PERCEPTUAL.model_path)`,
    )
  })

  it('a file that is not an ONNX model is an error naming the file and onnxruntime', async () => {
    const garbage = join(tmp, 'garbage.onnx')
    writeFileSync(garbage, 'this is not a protobuf model at all\n')
    const error = await createPerceptualMetric({ modelPath: garbage }).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    )
    expect(error.message).toContain(`Perceptual model ${garbage}`)
    expect(error.message).toContain('is not a valid ONNX model: onnxruntime says:')
  })

  it('a model with other input names is refused, naming what it has', async () => {
    // Copy the built-in model and rename its inputs in place (same byte length: "x" -> "a", "y" -> "b").
    const bytes = Buffer.from(readFileSync(defaultPerceptualModelPath()))
    // ValueInfoProto names are encoded as field 1 (0x0a), length 1, then the name.
    const renamed = Buffer.from(bytes)
    for (let i = 0; i + 2 < renamed.length; i++) {
      if (renamed[i] === 0x0a && renamed[i + 1] === 1 && (renamed[i + 2] === 0x78 || renamed[i + 2] === 0x79)) {
        // Only inside graph inputs (field 11) and node inputs (field 1 of NodeProto): rename all to keep it consistent.
        renamed[i + 2] = renamed[i + 2] === 0x78 ? 0x61 : 0x62
      }
    }
    const path = join(tmp, 'renamed.onnx')
    writeFileSync(path, renamed)
    await expect(createPerceptualMetric({ modelPath: path })).rejects.toThrow(
      /expected exactly the inputs "x" and "y".*\["a","b"\]/,
    )
  })

  it('refuses a bad thread count, naming the key', async () => {
    await expect(createPerceptualMetric({ threads: 0 })).rejects.toThrow('PERCEPTUAL.threads')
  })
})

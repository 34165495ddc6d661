/**
 * Deterministic synthetic GIF content: the same options (seed included) give identical frames and
 * identical GIF bytes. Four kinds of content:
 *
 * - `gradient`: the original GifLab formula (`SyntheticFrameGenerator._create_gradient_frame`):
 *   R = x/w·255, G = y/h·255, B = ((x + y + f/total·255) / (w + h) · 255) mod 255, truncated to
 *   integers as numpy's uint8 cast does. The seed is not used.
 * - `motion`: a few seeded shapes (discs and boxes) moving and bouncing over a soft gradient.
 * - `noise`: independent seeded uniform RGB noise in every frame (the worst case for GIF).
 * - `scenes`: several visually distinct scenes (stripes, checkerboard, rings, plasma, shapes, each
 *   in its own hue family) separated by hard cuts, slowly drifting inside a scene. The cut indices
 *   are returned as `sceneCuts` so scene-aware sampling has something real to find.
 */
import type { GifFrames, Image } from './image.ts'
import { encodeGif } from './io.ts'

/** The kinds of synthetic content. */
export type SynthContent = 'gradient' | 'motion' | 'noise' | 'scenes'

/** Options of {@link synthesizeFrames} and {@link synthesizeGif}. */
export interface SynthOptions {
  /** Number of frames, a positive integer. */
  frames: number
  /** Width in pixels, a positive integer. */
  width: number
  /** Height in pixels, a positive integer. */
  height: number
  /** What to draw. */
  content: SynthContent
  /** PRNG seed (any integer). @default 1 */
  seed?: number
  /** Delay of every frame in ms. @default 100 */
  delay?: number
}

/** Raw synthetic frames plus where the scenes change. */
export interface SynthFrames {
  /** RGB frames (channels 3), as drawn, before any palette quantisation. */
  frames: GifFrames
  /** Indices i > 0 where frame i starts a new scene (empty unless content is `scenes`). */
  sceneCuts: number[]
}

/** An encoded synthetic GIF. */
export interface SynthGif extends SynthFrames {
  /** The GIF file (sharp's encoder, 256 colours, no dither, effort 7, every frame kept). */
  buffer: Buffer
}

const CONTENTS: readonly SynthContent[] = ['gradient', 'motion', 'noise', 'scenes']

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function validate(options: SynthOptions): Required<SynthOptions> {
  for (const key of ['frames', 'width', 'height'] as const) {
    const v = options[key]
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`Expected ${key} to be a positive integer but received ${String(v)}`)
    }
  }
  if (!CONTENTS.includes(options.content)) {
    throw new RangeError(`Expected content to be one of ${CONTENTS.join(', ')} but received ${String(options.content)}`)
  }
  const seed = options.seed ?? 1
  if (!Number.isInteger(seed)) throw new RangeError(`Expected seed to be an integer but received ${String(seed)}`)
  const delay = options.delay ?? 100
  if (!Number.isInteger(delay) || delay < 0 || delay > 65535) {
    throw new RangeError(`Expected delay to be an integer between 0 and 65535 but received ${String(delay)}`)
  }
  return { ...options, seed, delay }
}

/** HSV (h in turns, s and v in [0, 1]) to 8-bit RGB. */
function hsv(h: number, s: number, v: number): [number, number, number] {
  const hh = ((h % 1) + 1) % 1 * 6
  const i = Math.floor(hh)
  const f = hh - i
  const p = v * (1 - s)
  const q = v * (1 - s * f)
  const t = v * (1 - s * (1 - f))
  const [r, g, b] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]][i]!
  return [Math.round(r! * 255), Math.round(g! * 255), Math.round(b! * 255)]
}

function gradientFrame(img: Image, f: number, total: number): void {
  const { width: w, height: h, data } = img
  for (let y = 0, p = 0; y < h; y++) {
    for (let x = 0; x < w; x++, p += 3) {
      data[p] = Math.trunc(x / w * 255)
      data[p + 1] = Math.trunc(y / h * 255)
      data[p + 2] = Math.trunc(((x + y + f / total * 255) / (w + h) * 255) % 255)
    }
  }
}

interface Shape {
  kind: 'disc' | 'box'
  x: number
  y: number
  vx: number
  vy: number
  size: number
  colour: [number, number, number]
}

function motionSetup(w: number, h: number, rnd: () => number): { shapes: Shape[], top: [number, number, number], bottom: [number, number, number] } {
  const base = rnd()
  const top = hsv(base, 0.35, 0.95)
  const bottom = hsv(base + 0.08, 0.5, 0.45)
  const count = 3 + Math.floor(rnd() * 3)
  const shapes: Shape[] = []
  const unit = Math.min(w, h)
  for (let i = 0; i < count; i++) {
    shapes.push({
      kind: rnd() < 0.5 ? 'disc' : 'box',
      x: rnd() * w,
      y: rnd() * h,
      vx: (rnd() - 0.5) * unit * 0.08,
      vy: (rnd() - 0.5) * unit * 0.08,
      size: unit * (0.08 + rnd() * 0.14),
      colour: hsv(base + 0.3 + rnd() * 0.4, 0.8, 0.5 + rnd() * 0.5),
    })
  }
  return { shapes, top, bottom }
}

/** Position after `t` steps of constant velocity, bouncing inside [0, extent]. */
function bounce(start: number, v: number, t: number, extent: number): number {
  if (extent <= 0) return 0
  const period = 2 * extent
  const p = (((start + v * t) % period) + period) % period
  return p <= extent ? p : period - p
}

function motionFrame(img: Image, f: number, scene: ReturnType<typeof motionSetup>): void {
  const { width: w, height: h, data } = img
  const { top, bottom, shapes } = scene
  for (let y = 0, p = 0; y < h; y++) {
    const t = h > 1 ? y / (h - 1) : 0
    const r = Math.round(top[0] + (bottom[0] - top[0]) * t)
    const g = Math.round(top[1] + (bottom[1] - top[1]) * t)
    const b = Math.round(top[2] + (bottom[2] - top[2]) * t)
    for (let x = 0; x < w; x++, p += 3) {
      data[p] = r
      data[p + 1] = g
      data[p + 2] = b
    }
  }
  for (const s of shapes) {
    const cx = bounce(s.x, s.vx, f, w - 1)
    const cy = bounce(s.y, s.vy, f, h - 1)
    const half = s.size / 2
    const x0 = Math.max(0, Math.floor(cx - half))
    const x1 = Math.min(w - 1, Math.ceil(cx + half))
    const y0 = Math.max(0, Math.floor(cy - half))
    const y1 = Math.min(h - 1, Math.ceil(cy + half))
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const inside = s.kind === 'box' || (x - cx) ** 2 + (y - cy) ** 2 <= half * half
        if (!inside) continue
        const p = (y * w + x) * 3
        data[p] = s.colour[0]
        data[p + 1] = s.colour[1]
        data[p + 2] = s.colour[2]
      }
    }
  }
}

function noiseFrame(img: Image, rnd: () => number): void {
  const data = img.data
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rnd() * 256)
}

/** Scene boundaries: about one scene per 6 frames (1..6 scenes), each at least 3 frames long. */
function sceneStarts(frames: number, rnd: () => number): number[] {
  const count = Math.max(1, Math.min(6, Math.floor(frames / 6)))
  const starts = [0]
  for (let k = 1; k < count; k++) {
    const nominal = Math.round(k * frames / count)
    const jitter = Math.floor((rnd() - 0.5) * (frames / count) * 0.4)
    starts.push(nominal + jitter)
  }
  // Enforce the minimum length after jitter.
  for (let k = 1; k < starts.length; k++) starts[k] = Math.max(starts[k]!, starts[k - 1]! + 3)
  for (let k = starts.length - 1; k >= 1; k--) {
    starts[k] = Math.min(starts[k]!, (k + 1 < starts.length ? starts[k + 1]! : frames) - 3)
  }
  return starts
}

type Painter = (img: Image, t: number) => void

/** A scene painter: pattern kind by scene number, colours from a hue family far from its neighbours'. */
function scenePainter(k: number, rnd: () => number): Painter {
  const hue = rnd() * 0.1 + k * 0.382
  const a = hsv(hue, 0.85, 0.95)
  const b = hsv(hue + 0.05, 0.9, 0.25 + 0.15 * (k % 2))
  const kind = k % 5
  const period = 8 + Math.floor(rnd() * 16)
  const motion = motionSetup(64, 64, rnd)
  return (img, t) => {
    const { width: w, height: h, data } = img
    if (kind === 4) {
      // Shapes over a gradient, recoloured into this scene's hue family.
      const scaled = { ...motion, top: a, bottom: b, shapes: motion.shapes.map(s => ({ ...s, x: s.x / 64 * w, y: s.y / 64 * h, vx: s.vx / 64 * w, vy: s.vy / 64 * h, size: s.size / 64 * Math.min(w, h), colour: hsv(hue + 0.5, 0.7, 0.9) })) }
      motionFrame(img, t, scaled)
      return
    }
    for (let y = 0, p = 0; y < h; y++) {
      for (let x = 0; x < w; x++, p += 3) {
        let m: number
        if (kind === 0) m = Math.floor((x + 2 * t) / period) % 2 // vertical stripes, drifting
        else if (kind === 1) m = (Math.floor((x + t) / period) + Math.floor(y / period)) % 2 // checkerboard
        else if (kind === 2) m = 0.5 + 0.5 * Math.sin(Math.hypot(x - w / 2, y - h / 2) / period * 3 - t * 0.5) // rings
        else m = 0.5 + 0.25 * Math.sin(x / period + t * 0.3) + 0.25 * Math.cos(y / (period * 0.7) - t * 0.2) // plasma
        // A soft vertical shade keeps even two-tone patterns from being two colours only.
        const shade = 0.7 + 0.3 * (h > 1 ? y / (h - 1) : 0)
        data[p] = Math.round((b[0] + (a[0] - b[0]) * m) * shade)
        data[p + 1] = Math.round((b[1] + (a[1] - b[1]) * m) * shade)
        data[p + 2] = Math.round((b[2] + (a[2] - b[2]) * m) * shade)
      }
    }
  }
}

/**
 * Draws synthetic frames (RGB, channels 3) without encoding them. Deterministic in all options.
 * @throws {RangeError} naming the option and the value on invalid options
 */
export function synthesizeFrames(options: SynthOptions): SynthFrames {
  const o = validate(options)
  const rnd = mulberry32(o.seed)
  const frames: Image[] = []
  const blank = (): Image => ({ width: o.width, height: o.height, channels: 3, data: new Uint8Array(o.width * o.height * 3) })
  let sceneCuts: number[] = []
  if (o.content === 'gradient') {
    for (let f = 0; f < o.frames; f++) {
      const img = blank()
      gradientFrame(img, f, o.frames)
      frames.push(img)
    }
  }
  else if (o.content === 'motion') {
    const scene = motionSetup(o.width, o.height, rnd)
    for (let f = 0; f < o.frames; f++) {
      const img = blank()
      motionFrame(img, f, scene)
      frames.push(img)
    }
  }
  else if (o.content === 'noise') {
    for (let f = 0; f < o.frames; f++) {
      const img = blank()
      noiseFrame(img, rnd)
      frames.push(img)
    }
  }
  else {
    const starts = sceneStarts(o.frames, rnd)
    const painters = starts.map((_, k) => scenePainter(k, rnd))
    sceneCuts = starts.slice(1)
    let k = 0
    for (let f = 0; f < o.frames; f++) {
      while (k + 1 < starts.length && f >= starts[k + 1]!) k++
      const img = blank()
      painters[k]!(img, f - starts[k]!)
      frames.push(img)
    }
  }
  return {
    frames: { width: o.width, height: o.height, frames, delays: new Array<number>(o.frames).fill(o.delay), loop: 0 },
    sceneCuts,
  }
}

/**
 * Draws synthetic frames and encodes them as an animated GIF (256 colours, no dithering, effort 7,
 * duplicates kept, loop forever). The same options give the same bytes. `frames` are the frames
 * as drawn; decode `buffer` with `decodeGif` to get the palette-quantised ones a viewer sees.
 */
export async function synthesizeGif(options: SynthOptions): Promise<SynthGif> {
  const synth = synthesizeFrames(options)
  const buffer = await encodeGif(synth.frames, { colors: 256, dither: 0, effort: 7, loop: 0 })
  return { ...synth, buffer }
}

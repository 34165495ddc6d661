/**
 * GIF decode and encode.
 *
 * - {@link decodeGif}: all frames through sharp in one native call (`pages: -1`, one stacked RGBA
 *   buffer, sliced per page). Never one `sharp(buf, { page: i })` per frame: every such call decodes
 *   the frames before i again, so that loop is quadratic.
 * - Picked frames (`frames: [...]`) go through omggif's `GifReader`, which decodes only up to the
 *   highest index asked for (and starts at the last full, opaque frame before it).
 * - {@link encodeGif}: sharp's (cgif's) GIF encoder over one stacked raw buffer.
 *
 * sharp is imported lazily so that importing this module costs nothing until a GIF is touched.
 */
import type { Image, GifFrames } from './image.ts'
import { toRgba } from './image.ts'
import { measuringInstructions } from '../measure/mode.ts'

/** Options of {@link decodeGif} and {@link decodeGifOmggif}. */
export interface DecodeGifOptions {
  /**
   * Keep at most this many frames, evenly spaced over the GIF (always the first and the last;
   * indices round(i * (n - 1) / (maxFrames - 1))). Positive integer.
   * @default all frames
   */
  maxFrames?: number
  /**
   * Decode only these source frame indices, returned in the order given (duplicates allowed).
   * Uses the omggif path, which stops after the highest index. Combined with `maxFrames`, the
   * first `maxFrames` evenly spaced entries of this list are kept.
   */
  frames?: readonly number[]
}

/** Options of {@link encodeGif}. */
export interface EncodeGifOptions {
  /** Per-frame delay in ms, one number for all frames or one per frame. @default the frames' delays, else 100 */
  delay?: number | readonly number[]
  /** Loop count, 0 = forever. @default the frames' loop, else 0 */
  loop?: number
  /** Palette size, 2..256. @default 256 */
  colors?: number
  /** Floyd-Steinberg dithering, 0..1. @default 0 */
  dither?: number
  /** Encoder effort, 1 (fast) .. 10 (slow, smaller). @default 7 */
  effort?: number
  /** Max per-pixel error for reusing the previous frame's pixel as transparent, 0..32. @default 0 */
  interFrameMaxError?: number
  /** Max error for reusing the previous frame's palette, 0..256. @default 3 */
  interPaletteMaxError?: number
}

type SharpModule = typeof import('sharp')
let sharpModule: Promise<SharpModule> | undefined

/** Loads sharp once, with a "Possible solutions" message when the native module is missing. */
export async function loadSharp(): Promise<SharpModule['default']> {
  sharpModule ??= import('sharp').then((module) => {
    // instruction mode: one libvips thread per operation, so counts do not depend on the split
    if (measuringInstructions()) module.default.concurrency(1)
    return module
  }, (error: unknown) => {
    sharpModule = undefined
    throw new Error(
      'Could not load sharp, which the GIF workload needs for decoding and encoding.\n'
      + 'Possible solutions:\n'
      + '- Install it: npm install sharp\n'
      + '- Reinstall for this platform: npm install --os=$(node -p process.platform) --cpu=$(node -p process.arch) sharp\n'
      + `Cause: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  })
  return (await sharpModule).default
}

/** Graft a native (or library) error's message onto a JS stack captured before the call. */
function graft(stack: Error, message: string, cause: unknown): Error {
  const nativeMessage = cause instanceof Error ? cause.message : String(cause)
  stack.message = `${message}: ${nativeMessage}`
  if (stack.stack !== undefined) {
    stack.stack = stack.stack.replace(/^Error(: .*)?/, `Error: ${stack.message}`)
  }
  Object.defineProperty(stack, 'cause', { value: cause, enumerable: false, writable: true, configurable: true })
  return stack
}

function describeBytes(buffer: Uint8Array): string {
  const head = Array.from(buffer.subarray(0, 6), b => b.toString(16).padStart(2, '0')).join(' ')
  const formats: Array<[string, number[]]> = [
    ['PNG', [0x89, 0x50, 0x4e, 0x47]], ['JPEG', [0xff, 0xd8, 0xff]], ['WebP (RIFF)', [0x52, 0x49, 0x46, 0x46]],
  ]
  const known = formats.find(([, magic]) => magic.every((b, i) => buffer[i] === b))
  return `${buffer.length} bytes starting with ${head || '(nothing)'}${known ? ` (looks like ${known[0]})` : ''}`
}

/** Whether `buffer` starts with a GIF87a / GIF89a signature. */
export function hasGifSignature(buffer: Uint8Array): boolean {
  return buffer.length >= 6 && buffer[0] === 0x47 && buffer[1] === 0x49 && buffer[2] === 0x46
    && buffer[3] === 0x38 && (buffer[4] === 0x37 || buffer[4] === 0x39) && buffer[5] === 0x61
}

/**
 * The "not a GIF" error of {@link decodeGif}, with what sharp makes of the bytes: the format it
 * recognises (`sharp reads it as png`) or its native message, grafted on a stack from the caller.
 */
async function throwNotAGif(buffer: Uint8Array): Promise<never> {
  const stack = new Error()
  const base = `Expected buffer to be a GIF (GIF87a or GIF89a signature) but received ${describeBytes(buffer)}`
  let detail: string
  let cause: unknown
  try {
    const sharp = await loadSharp()
    const meta = await sharp(buffer).metadata()
    detail = `sharp reads it as ${meta.format ?? 'an unknown format'}`
  }
  catch (error) {
    cause = error
    detail = `sharp: ${error instanceof Error ? error.message : String(error)}`
  }
  stack.message = `${base}; ${detail}`
  if (stack.stack !== undefined) stack.stack = stack.stack.replace(/^Error(: .*)?/, `Error: ${stack.message}`)
  if (cause !== undefined) Object.defineProperty(stack, 'cause', { value: cause, enumerable: false, writable: true, configurable: true })
  throw stack
}

/**
 * Throws unless `buffer` starts with a GIF87a / GIF89a signature.
 * @throws {Error} `Expected buffer to be a GIF (GIF87a or GIF89a signature) but received 12 bytes starting with ...`
 */
export function assertGifSignature(buffer: Uint8Array, name = 'buffer'): void {
  if (!hasGifSignature(buffer)) {
    throw new Error(`Expected ${name} to be a GIF (GIF87a or GIF89a signature) but received ${describeBytes(buffer)}`)
  }
}

/**
 * Evenly spaced indices over [0, total): `count` of them, always the first and the last
 * (round(i * (total - 1) / (count - 1))). Returns all indices when count >= total.
 */
export function evenlySpacedIndices(total: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Expected maxFrames to be a positive integer but received ${String(count)}`)
  }
  if (count >= total) return Array.from({ length: total }, (_, i) => i)
  if (count === 1) return [0]
  return Array.from({ length: count }, (_, i) => Math.round(i * (total - 1) / (count - 1)))
}

function validateFrames(frames: readonly number[]): void {
  if (!Array.isArray(frames) || frames.length === 0) {
    throw new RangeError(`Expected frames to be a non-empty array of frame indices but received ${JSON.stringify(frames)}`)
  }
  for (const i of frames) {
    if (!Number.isInteger(i) || i < 0) {
      throw new RangeError(`Expected frames to hold non-negative integers but received ${String(i)}`)
    }
  }
}

function pickIndices(total: number, options: DecodeGifOptions): number[] | undefined {
  let picked: number[] | undefined
  if (options.frames !== undefined) {
    validateFrames(options.frames)
    for (const i of options.frames) {
      if (i >= total) {
        throw new RangeError(`Expected frames to be indices below the frame count ${total} but received ${i}`)
      }
    }
    picked = [...options.frames]
  }
  if (options.maxFrames !== undefined) {
    const base = picked ?? Array.from({ length: total }, (_, i) => i)
    const keep = evenlySpacedIndices(base.length, options.maxFrames)
    if (picked !== undefined || keep.length < total) picked = keep.map(k => base[k]!)
  }
  return picked
}

/**
 * Decodes an animated (or still) GIF into full-canvas RGBA frames, composited as a browser shows
 * them. Delays are in ms; `loop` follows sharp (0 = forever, otherwise the number of plays).
 *
 * Fast path: sharp decodes every page in one call. With `frames`, omggif decodes only what the
 * picked frames depend on (see {@link decodeGifOmggif}); the two paths agree byte for byte.
 * @throws {Error} when the buffer is not a GIF: the message says so and adds what sharp makes of
 *   it (its format, or its native message); when sharp cannot decode a GIF: its message grafted on
 *   a stack captured at the call site, the native error as `cause`
 * @throws {RangeError} on invalid `maxFrames` / `frames`
 */
export async function decodeGif(buffer: Uint8Array, options: DecodeGifOptions = {}): Promise<GifFrames> {
  if (!hasGifSignature(buffer)) await throwNotAGif(buffer)
  if (options.maxFrames !== undefined) evenlySpacedIndices(1, options.maxFrames)
  if (options.frames !== undefined) return decodeGifOmggif(buffer, options)
  const sharp = await loadSharp()
  const stack = new Error()
  let result: { data: Buffer, info: import('sharp').OutputInfo }
  let meta: import('sharp').Metadata
  try {
    const image = sharp(buffer, { animated: true, pages: -1, limitInputPixels: false })
    ;[meta, result] = await Promise.all([
      image.metadata(),
      image.clone().ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    ])
  }
  catch (error) {
    throw graft(stack, 'Could not decode the GIF buffer (sharp)', error)
  }
  const { data, info } = result
  const width = info.width
  const height = info.pageHeight ?? info.height
  const total = info.pages ?? 1
  const frameBytes = width * height * 4
  const indices = pickIndices(total, options) ?? Array.from({ length: total }, (_, i) => i)
  // All frames: views into sharp's one buffer. A subset: copies, so the rest can be collected.
  const subset = indices.length !== total
  const frames: Image[] = indices.map(i => ({
    width,
    height,
    channels: 4 as const,
    // (Buffer#slice is a view, so copy through the Uint8Array constructor.)
    data: subset ? new Uint8Array(data.subarray(i * frameBytes, (i + 1) * frameBytes)) : data.subarray(i * frameBytes, (i + 1) * frameBytes),
  }))
  const allDelays = meta.delay ?? []
  const out: GifFrames = {
    width,
    height,
    frames,
    delays: indices.map(i => allDelays[i] ?? 100),
    loop: meta.loop ?? 0,
    totalFrames: total,
  }
  if (subset) out.sourceIndices = indices
  return out
}

/**
 * The reference path: decodes with omggif's `GifReader` and composites frames itself, following
 * libnsgif (which sharp uses), so the result equals {@link decodeGif}'s byte for byte:
 * the canvas starts transparent (0,0,0,0); before frame i the previous frame's disposal applies:
 * 0/1 keep, 2 clears its rectangle (to transparent when that frame had a transparent index, else to
 * the global background colour, opaque), 3 restores the canvas as it was before that frame.
 * When no frame declares a transparent colour the alpha channel is 255 everywhere (libvips then
 * decodes to RGB). Only frames up to the highest picked index are decoded, starting from the last
 * full-canvas frame without transparency (and not disposed to "previous") at or before the first
 * picked index. Delays: centiseconds in the file, returned in ms; a frame without a Graphic Control
 * Extension gets 100 ms, as libvips reports it.
 * @throws {Error} when the buffer is not a GIF or omggif cannot parse it (its message grafted)
 */
export async function decodeGifOmggif(buffer: Uint8Array, options: DecodeGifOptions = {}): Promise<GifFrames> {
  assertGifSignature(buffer)
  const { GifReader } = await import('omggif')
  const stack = new Error()
  let reader: InstanceType<typeof GifReader>
  try {
    reader = new GifReader(buffer)
  }
  catch (error) {
    throw graft(stack, 'Could not decode the GIF buffer (omggif)', error)
  }
  const width = reader.width
  const height = reader.height
  const total = reader.numFrames()
  const picked = pickIndices(total, options)
  const indices = picked ?? Array.from({ length: total }, (_, i) => i)
  const wanted = new Map<number, number[]>()
  indices.forEach((src, k) => wanted.set(src, [...(wanted.get(src) ?? []), k]))
  const last = Math.max(...indices)
  const first = Math.min(...indices)

  // omggif carries a Graphic Control Extension over to later frames that have none; the GIF spec
  // (and libnsgif) do not. Patch its frame records with what each frame really has.
  const gce = scanGraphicControl(buffer)
  const info: Array<{ delayMs: number }> = []
  for (let i = 0; i < total; i++) {
    const f = reader.frameInfo(i)
    if (gce[i] === false) {
      f.transparent_index = null
      f.disposal = 0
      info.push({ delayMs: 100 })
    }
    else {
      info.push({ delayMs: f.delay * 10 })
    }
  }
  // libvips decodes to RGB (alpha 255 after ensureAlpha) when no frame declares transparency.
  let hasTransparency = false
  for (let i = 0; i < total; i++) if (reader.frameInfo(i).transparent_index !== null) hasTransparency = true

  const background = backgroundColour(buffer)
  const frameBytes = width * height * 4
  const canvas = new Uint8Array(frameBytes)
  const out: Image[] = new Array<Image>(indices.length)
  let start = 0
  for (let i = first; i > 0; i--) {
    const f = reader.frameInfo(i)
    if (f.x === 0 && f.y === 0 && f.width === width && f.height === height && f.transparent_index === null && f.disposal !== 3) {
      start = i
      break
    }
  }
  let saved: Uint8Array | undefined
  try {
    for (let i = start; i <= last; i++) {
      const info = reader.frameInfo(i)
      if (info.disposal === 3) saved = canvas.slice()
      reader.decodeAndBlitFrameRGBA(i, canvas)
      const targets = wanted.get(i)
      if (targets !== undefined) {
        const data = canvas.slice()
        if (!hasTransparency) for (let p = 3; p < frameBytes; p += 4) data[p] = 255
        for (const k of targets) out[k] = { width, height, channels: 4, data: targets.length > 1 ? data.slice() : data }
      }
      // Dispose before the next frame.
      if (info.disposal === 2) clearRect(canvas, width, height, info, info.transparent_index === null ? background : undefined)
      else if (info.disposal === 3 && saved !== undefined) canvas.set(saved)
    }
  }
  catch (error) {
    throw graft(stack, 'Could not decode the GIF buffer (omggif)', error)
  }
  const loopCount = reader.loopCount() as number | null
  const result: GifFrames = {
    width,
    height,
    frames: out,
    delays: indices.map(i => info[i]!.delayMs),
    // NETSCAPE2.0 stores repeats; libvips reports plays (repeats + 1), 0 = forever, no block = 1.
    loop: loopCount === null ? 1 : loopCount === 0 ? 0 : loopCount + 1,
    totalFrames: total,
  }
  if (picked !== undefined) result.sourceIndices = indices
  return result
}

/**
 * For every image in the GIF, whether a Graphic Control Extension precedes it. Walks the block
 * structure (extensions and image data are skipped by their sub-block sizes); stops quietly at a
 * truncated or unknown block, leaving the rest to omggif's own checks.
 */
function scanGraphicControl(buf: Uint8Array): boolean[] {
  const out: boolean[] = []
  let p = 13
  const packed = buf[10] ?? 0
  if ((packed & 0x80) !== 0) p += 3 * (1 << ((packed & 7) + 1))
  let pending = false
  const skipSubBlocks = (): void => {
    while (p < buf.length) {
      const size = buf[p++]!
      if (size === 0) return
      p += size
    }
  }
  while (p < buf.length) {
    const block = buf[p++]
    if (block === 0x21) {
      if (buf[p++] === 0xf9) pending = true
      skipSubBlocks()
    }
    else if (block === 0x2c) {
      const local = buf[p + 8] ?? 0
      p += 9
      if ((local & 0x80) !== 0) p += 3 * (1 << ((local & 7) + 1))
      p++ // LZW minimum code size
      skipSubBlocks()
      out.push(pending)
      pending = false
    }
    else {
      break
    }
  }
  return out
}

/** The global background colour (RGBA, opaque) of a GIF, or transparent when it has no global palette. */
function backgroundColour(buf: Uint8Array): [number, number, number, number] {
  const packed = buf[10]!
  const bgIndex = buf[11]!
  if ((packed & 0x80) === 0) return [0, 0, 0, 0]
  const size = 1 << ((packed & 7) + 1)
  if (bgIndex >= size) return [0, 0, 0, 0]
  const p = 13 + bgIndex * 3
  return [buf[p]!, buf[p + 1]!, buf[p + 2]!, 255]
}

function clearRect(
  canvas: Uint8Array, width: number, height: number,
  f: { x: number, y: number, width: number, height: number },
  colour: readonly [number, number, number, number] = [0, 0, 0, 0],
): void {
  const x1 = Math.min(width, f.x + f.width)
  const y1 = Math.min(height, f.y + f.height)
  for (let y = f.y; y < y1; y++) {
    for (let x = f.x, p = (y * width + f.x) * 4; x < x1; x++, p += 4) {
      canvas[p] = colour[0]
      canvas[p + 1] = colour[1]
      canvas[p + 2] = colour[2]
      canvas[p + 3] = colour[3]
    }
  }
}

function assertRange(name: string, value: number | undefined, lo: number, hi: number, integer: boolean): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi || (integer && !Number.isInteger(value))) {
    throw new RangeError(`Expected ${name} to be ${integer ? 'an integer' : 'a number'} between ${lo} and ${hi} but received ${String(value)}`)
  }
}

/**
 * Encodes frames as an animated GIF with sharp (cgif + libimagequant). Every frame is kept, even
 * exact duplicates (`keepDuplicateFrames`). Frames may be gray, RGB or RGBA (alpha < 128 becomes
 * transparent), all of the same size.
 * @throws {RangeError} on empty input, mixed sizes or out-of-range options (naming option and value)
 */
export async function encodeGif(input: GifFrames | readonly Image[], options: EncodeGifOptions = {}): Promise<Buffer> {
  const frames = Array.isArray(input) ? input as readonly Image[] : (input as GifFrames).frames
  const source = Array.isArray(input) ? undefined : input as GifFrames
  if (frames.length === 0) throw new RangeError('Expected at least one frame to encode but received 0')
  const { width, height } = frames[0]!
  frames.forEach((f, i) => {
    if (f.width !== width || f.height !== height) {
      throw new RangeError(`Expected every frame to be ${width}x${height} but frame ${i} is ${f.width}x${f.height}`)
    }
  })
  assertRange('colors', options.colors, 2, 256, true)
  assertRange('dither', options.dither, 0, 1, false)
  assertRange('effort', options.effort, 1, 10, true)
  assertRange('loop', options.loop, 0, 65535, true)
  assertRange('interFrameMaxError', options.interFrameMaxError, 0, 32, false)
  assertRange('interPaletteMaxError', options.interPaletteMaxError, 0, 256, false)
  const n = frames.length
  let delay: number[]
  if (options.delay === undefined) delay = frames.map((_, i) => source?.delays[i] ?? 100)
  else if (typeof options.delay === 'number') delay = new Array<number>(n).fill(options.delay)
  else delay = [...options.delay]
  if (delay.length !== n) throw new RangeError(`Expected delay to hold ${n} values (one per frame) but received ${delay.length}`)
  delay.forEach(d => assertRange('delay', d, 0, 65535, true))

  const frameBytes = width * height * 4
  const raw = Buffer.allocUnsafe(frameBytes * n)
  frames.forEach((f, i) => raw.set(toRgba(f).data, i * frameBytes))
  const sharp = await loadSharp()
  const stack = new Error()
  try {
    return await sharp(raw, { raw: { width, height: height * n, channels: 4, pageHeight: height }, limitInputPixels: false })
      .gif({
        delay,
        loop: options.loop ?? source?.loop ?? 0,
        colours: options.colors ?? 256,
        dither: options.dither ?? 0,
        effort: options.effort ?? 7,
        interFrameMaxError: options.interFrameMaxError ?? 0,
        interPaletteMaxError: options.interPaletteMaxError ?? 3,
        keepDuplicateFrames: true,
      })
      .toBuffer()
  }
  catch (error) {
    throw graft(stack, 'Could not encode the GIF (sharp)', error)
  }
}

/**
 * Real lossy GIF compression with sharp's GIF encoder (cgif + libimagequant), driven by one knob,
 * `compressionLevel` 0..100 (0 = best quality, 100 = smallest). With t = level / 100:
 *
 * | knob                   | mapping                                  | 0   | 20  | 40  | 60  | 80  | 100 |
 * |------------------------|------------------------------------------|-----|-----|-----|-----|-----|-----|
 * | bitsPerChannel         | 8 - round(5 t): colour depth before      | 8   | 7   | 6   | 5   | 4   | 3   |
 * |                        | quantisation (posterise, mid-step values)|     |     |     |     |     |     |
 * | colors (palette)       | round(256 · (4/256)^t), geometric        | 256 | 111 | 49  | 21  | 9   | 4   |
 * | interFrameMaxError     | 32 t (reuse the previous frame's pixels) | 0   | 6.4 |12.8 |19.2 |25.6 | 32  |
 * | interPaletteMaxError   | 3 + 45 t (reuse the previous palette)    | 3   | 12  | 21  | 30  | 39  | 48  |
 * | dither                 | 0                                        | 0   | 0   | 0   | 0   | 0   | 0   |
 * | effort                 | 7 (trades CPU time, not quality)         | 7   | 7   | 7   | 7   | 7   | 7   |
 *
 * Why posterise: sharp turns `colors` into a bit depth rounded up to 1, 2, 4 or 8 bits, so the
 * palettes really used are 256 (17..256 asked), 16 (5..16) and 4; on its own the palette knob has
 * three steps. Dropping low bits per channel (nested steps: each level's values are a coarsening
 * of the previous level's) gives the even, monotonic steps in between.
 * Why no dithering: Floyd-Steinberg noise makes files larger and, by SSIM against the original,
 * usually worse, so a schedule with dithering is monotonic in neither.
 * Why interPaletteMaxError stops at 48: beyond ~100, a frame after a hard scene cut may reuse the
 * previous scene's palette, a collapse in quality (SSIM 0.47) rather than a gradual loss.
 * Every frame is kept (`keepDuplicateFrames`); the frame count is checked after decoding.
 */
import type { GifFrames, Image } from './image.ts'
import { decodeGif, encodeGif, type EncodeGifOptions } from './io.ts'

/** Options of {@link compressGif}. */
export interface CompressOptions {
  /** 0 (best quality) .. 100 (smallest file). */
  compressionLevel: number
}

/** What {@link compressGif} produced. */
export interface CompressResult {
  /** The compressed GIF. */
  buffer: Buffer
  /** `buffer.length`. */
  bytes: number
  /**
   * Size of the input GIF: the buffer's length, or, for raw frames, the size of the same frames
   * encoded at level 0.
   */
  originalBytes: number
  /** originalBytes / bytes: 4 means four times smaller. */
  ratio: number
  /** The compressed GIF decoded (what a viewer sees), as many frames as the input. */
  frames: GifFrames
}

/** The encoder settings of one compression level. */
export interface CompressionSettings extends Required<Pick<EncodeGifOptions, 'colors' | 'dither' | 'interFrameMaxError' | 'interPaletteMaxError' | 'effort'>> {
  /** Bits kept per colour channel before palette quantisation (8 = untouched). */
  bitsPerChannel: number
}

/**
 * Keeps the top `bits` bits of every colour channel and puts each value in the middle of its step
 * (alpha untouched). `bits` 8 returns the frames as they are.
 */
export function posterize(frames: GifFrames, bits: number): GifFrames {
  if (!Number.isInteger(bits) || bits < 1 || bits > 8) {
    throw new RangeError(`Expected bits to be an integer between 1 and 8 but received ${String(bits)}`)
  }
  if (bits === 8) return frames
  const step = 1 << (8 - bits)
  const lut = new Uint8Array(256)
  for (let v = 0; v < 256; v++) lut[v] = Math.min(255, Math.floor(v / step) * step + (step >> 1))
  const map = (img: Image): Image => {
    const data = new Uint8Array(img.data.length)
    const src = img.data
    if (img.channels === 4) {
      for (let i = 0; i < src.length; i += 4) {
        data[i] = lut[src[i]!]!
        data[i + 1] = lut[src[i + 1]!]!
        data[i + 2] = lut[src[i + 2]!]!
        data[i + 3] = src[i + 3]!
      }
    }
    else {
      for (let i = 0; i < src.length; i++) data[i] = lut[src[i]!]!
    }
    return { ...img, data }
  }
  return { ...frames, frames: frames.frames.map(map) }
}

/**
 * The sharp GIF options a compression level maps to (see the table in this module's doc).
 * @throws {RangeError} `Expected compressionLevel between 0 and 100 but received 120`
 */
export function compressionSettings(compressionLevel: number): CompressionSettings {
  if (typeof compressionLevel !== 'number' || !Number.isFinite(compressionLevel) || compressionLevel < 0 || compressionLevel > 100) {
    throw new RangeError(`Expected compressionLevel between 0 and 100 but received ${String(compressionLevel)}`)
  }
  const t = compressionLevel / 100
  return {
    bitsPerChannel: 8 - Math.round(5 * t),
    colors: Math.max(2, Math.min(256, Math.round(256 * (4 / 256) ** t))),
    dither: 0,
    interFrameMaxError: 32 * t,
    interPaletteMaxError: 3 + 45 * t,
    effort: 7,
  }
}

function encoderOptions(s: CompressionSettings): EncodeGifOptions {
  return {
    colors: s.colors, dither: s.dither, effort: s.effort,
    interFrameMaxError: s.interFrameMaxError, interPaletteMaxError: s.interPaletteMaxError,
  }
}

/**
 * Compresses a GIF (buffer or decoded frames) at `compressionLevel`. Keeps every frame, the delays
 * and the loop count. Higher levels never produce more bytes in practice on natural or synthetic
 * content, and never higher SSIM (see the tests), but that is a property of the encoder, not a
 * guarantee.
 * @throws {RangeError} on an invalid level; {@link decodeGif}'s errors on a bad buffer
 */
export async function compressGif(input: Buffer | Uint8Array | GifFrames, options: CompressOptions): Promise<CompressResult> {
  const settings = compressionSettings(options?.compressionLevel)
  const isBuffer = input instanceof Uint8Array
  const source = isBuffer ? await decodeGif(input) : input
  if (source.frames.length === 0) throw new RangeError('Expected at least one frame to compress but received 0')
  const buffer = await encodeGif(posterize(source, settings.bitsPerChannel), {
    ...encoderOptions(settings), delay: source.delays, loop: source.loop,
  })
  const frames = await decodeGif(buffer)
  if (frames.frames.length !== source.frames.length) {
    throw new Error(`compressGif lost frames: ${source.frames.length} in, ${frames.frames.length} out`)
  }
  const originalBytes = isBuffer
    ? input.length
    : options.compressionLevel === 0
      ? buffer.length
      : (await encodeGif(source, { ...encoderOptions(compressionSettings(0)), delay: source.delays, loop: source.loop })).length
  return { buffer, bytes: buffer.length, originalBytes, ratio: originalBytes / buffer.length, frames }
}

/**
 * Raw images and animated-GIF frame sets, plus the small pixel helpers the metrics need.
 * Pure TypeScript: nothing here loads sharp or omggif.
 */

/** An 8-bit raster, row-major, channels interleaved (`data.length === width * height * channels`). */
export interface Image {
  width: number
  height: number
  /** 1 = grayscale, 3 = RGB, 4 = RGBA. */
  channels: 1 | 3 | 4
  data: Uint8Array | Uint8ClampedArray
}

/** The decoded (composited) frames of an animated GIF, every frame the full canvas size. */
export interface GifFrames {
  width: number
  height: number
  frames: Image[]
  /** Per-frame delay in milliseconds, one entry per frame. */
  delays: number[]
  /** Loop count: 0 = loop forever (GIF / sharp convention). */
  loop: number
  /**
   * When the frames are a subset of a GIF (`maxFrames` or `frames` in `decodeGif`), the index in
   * the source GIF of each returned frame. Absent when every frame is present, in order.
   */
  sourceIndices?: number[]
  /** How many frames the source GIF has (when known; equals `frames.length` unless subset). */
  totalFrames?: number
}

/** Luma weights for {@link toGray}. */
export type GrayStandard = 'bt601' | 'bt709'

/** Options of {@link toGray}. */
export interface ToGrayOptions {
  /**
   * `bt601`: Y = 0.299 R + 0.587 G + 0.114 B in OpenCV's fixed point
   * (`(R*4899 + G*9617 + B*1868 + 8192) >> 14`), bit-exact with `cv2.cvtColor(img, COLOR_RGB2GRAY)`,
   * which is what the original GifLab fed to SSIM.
   * `bt709`: Y = 0.2125 R + 0.7154 G + 0.0721 B, the weights of scikit-image's `rgb2gray`,
   * rounded to the nearest integer (skimage itself returns floats in [0, 1]).
   * @default 'bt601'
   */
  standard?: GrayStandard
}

/** A positive integer check with an error naming the argument. */
function assertDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Expected ${name} to be a positive integer but received ${String(value)}`)
  }
}

/**
 * Checks that `img` is well formed (positive integer size, channels 1/3/4, matching data length).
 * @throws {RangeError} naming `name` and what is wrong
 */
export function assertImage(img: Image, name = 'image'): void {
  assertDimension(`${name}.width`, img.width)
  assertDimension(`${name}.height`, img.height)
  if (img.channels !== 1 && img.channels !== 3 && img.channels !== 4) {
    throw new RangeError(`Expected ${name}.channels to be 1, 3 or 4 but received ${String(img.channels)}`)
  }
  const expected = img.width * img.height * img.channels
  if (img.data.length !== expected) {
    throw new RangeError(
      `Expected ${name}.data to hold ${expected} bytes (${img.width}x${img.height}x${img.channels}) but received ${img.data.length}`,
    )
  }
}

/**
 * Throws unless `a` and `b` have the same width and height.
 * @throws {RangeError} naming both sizes, e.g. `Image sizes differ: a is 64x48, b is 64x50`
 */
export function assertSameSize(a: Image, b: Image, names: readonly [string, string] = ['a', 'b']): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(
      `Image sizes differ: ${names[0]} is ${a.width}x${a.height}, ${names[1]} is ${b.width}x${b.height}`,
    )
  }
}

/** Allocates a zeroed image. */
export function createImage(width: number, height: number, channels: 1 | 3 | 4): Image {
  assertDimension('width', width)
  assertDimension('height', height)
  return { width, height, channels, data: new Uint8Array(width * height * channels) }
}

/**
 * Converts to 8-bit grayscale (channels 1). Alpha is ignored. A grayscale input is returned as is.
 * See {@link ToGrayOptions.standard} for the weights; the default is BT.601 exactly as OpenCV rounds it.
 */
export function toGray(img: Image, options: ToGrayOptions = {}): Image {
  if (img.channels === 1) return img
  const standard = options.standard ?? 'bt601'
  if (standard !== 'bt601' && standard !== 'bt709') {
    throw new RangeError(`Expected standard to be 'bt601' or 'bt709' but received ${String(standard)}`)
  }
  const n = img.width * img.height
  const c = img.channels
  const src = img.data
  const out = new Uint8Array(n)
  if (standard === 'bt601') {
    for (let i = 0, p = 0; i < n; i++, p += c) {
      out[i] = (src[p]! * 4899 + src[p + 1]! * 9617 + src[p + 2]! * 1868 + 8192) >> 14
    }
  }
  else {
    for (let i = 0, p = 0; i < n; i++, p += c) {
      out[i] = Math.round(0.2125 * src[p]! + 0.7154 * src[p + 1]! + 0.0721 * src[p + 2]!)
    }
  }
  return { width: img.width, height: img.height, channels: 1, data: out }
}

/** Drops the alpha channel of an RGBA image (returns RGB); other images are returned as is. */
export function dropAlpha(img: Image): Image {
  if (img.channels !== 4) return img
  const n = img.width * img.height
  const src = img.data
  const out = new Uint8Array(n * 3)
  for (let i = 0, p = 0, q = 0; i < n; i++, p += 4, q += 3) {
    out[q] = src[p]!
    out[q + 1] = src[p + 1]!
    out[q + 2] = src[p + 2]!
  }
  return { width: img.width, height: img.height, channels: 3, data: out }
}

/** Expands any image to RGBA (gray is replicated, alpha = 255 where absent). RGBA is returned as is. */
export function toRgba(img: Image): Image {
  if (img.channels === 4) return img
  const n = img.width * img.height
  const src = img.data
  const out = new Uint8Array(n * 4)
  if (img.channels === 1) {
    for (let i = 0, q = 0; i < n; i++, q += 4) {
      const v = src[i]!
      out[q] = v
      out[q + 1] = v
      out[q + 2] = v
      out[q + 3] = 255
    }
  }
  else {
    for (let i = 0, p = 0, q = 0; i < n; i++, p += 3, q += 4) {
      out[q] = src[p]!
      out[q + 1] = src[p + 1]!
      out[q + 2] = src[p + 2]!
      out[q + 3] = 255
    }
  }
  return { width: img.width, height: img.height, channels: 4, data: out }
}

/**
 * Extracts one channel as a Float64Array (width * height), the layout the metrics work on.
 */
export function channelToFloat64(img: Image, channel: number): Float64Array {
  if (!Number.isInteger(channel) || channel < 0 || channel >= img.channels) {
    throw new RangeError(`Expected channel between 0 and ${img.channels - 1} but received ${String(channel)}`)
  }
  const n = img.width * img.height
  const c = img.channels
  const src = img.data
  const out = new Float64Array(n)
  for (let i = 0, p = channel; i < n; i++, p += c) out[i] = src[p]!
  return out
}

/**
 * Per-axis area-weight tables: for every destination index, the first source index and the weights
 * (fraction of the source pixel covered, divided by the destination pixel's extent in source units).
 */
function areaWeights(src: number, dst: number): { start: Int32Array, count: Int32Array, weights: Float64Array[] } {
  const scale = src / dst
  const start = new Int32Array(dst)
  const count = new Int32Array(dst)
  const weights: Float64Array[] = []
  for (let j = 0; j < dst; j++) {
    const lo = j * scale
    const hi = Math.min(src, (j + 1) * scale)
    const first = Math.floor(lo)
    const last = Math.min(src - 1, Math.ceil(hi) - 1)
    const w = new Float64Array(last - first + 1)
    let sum = 0
    for (let s = first; s <= last; s++) {
      const cover = Math.min(hi, s + 1) - Math.max(lo, s)
      w[s - first] = cover > 0 ? cover : 0
      sum += w[s - first]!
    }
    for (let k = 0; k < w.length; k++) w[k]! /= sum
    start[j] = first
    count[j] = w.length
    weights.push(w)
  }
  return { start, count, weights }
}

/**
 * Resizes by area averaging (the semantics of OpenCV's `INTER_AREA` when shrinking): every
 * destination pixel is the mean of the source area it covers, partial pixels weighted by coverage,
 * rounded to the nearest integer. Enlarging works too (it then blends at most two source pixels per
 * axis) but is not what it is for. Returns the input when the size is unchanged.
 */
export function resizeArea(img: Image, width: number, height: number): Image {
  assertDimension('width', width)
  assertDimension('height', height)
  if (width === img.width && height === img.height) return img
  const c = img.channels
  const src = img.data
  const xw = areaWeights(img.width, width)
  const yw = areaWeights(img.height, height)
  // Horizontal pass into a float buffer (height_src x width_dst x c), then vertical.
  const tmp = new Float64Array(img.height * width * c)
  for (let y = 0; y < img.height; y++) {
    const rowIn = y * img.width * c
    const rowOut = y * width * c
    for (let x = 0; x < width; x++) {
      const s0 = xw.start[x]!
      const w = xw.weights[x]!
      for (let ch = 0; ch < c; ch++) {
        let acc = 0
        for (let k = 0; k < w.length; k++) acc += w[k]! * src[rowIn + (s0 + k) * c + ch]!
        tmp[rowOut + x * c + ch] = acc
      }
    }
  }
  const out = new Uint8Array(width * height * c)
  const stride = width * c
  for (let y = 0; y < height; y++) {
    const s0 = yw.start[y]!
    const w = yw.weights[y]!
    const rowOut = y * stride
    for (let i = 0; i < stride; i++) {
      let acc = 0
      for (let k = 0; k < w.length; k++) acc += w[k]! * tmp[(s0 + k) * stride + i]!
      out[rowOut + i] = Math.round(acc)
    }
  }
  return { width, height, channels: c, data: out }
}

/**
 * Halves one float plane with a 2x2 box average, as Wang's reference MS-SSIM code does
 * (`imfilter(img, ones(2)/4, 'symmetric')` then every second pixel): the output is
 * ceil(w/2) x ceil(h/2) and an odd last row or column is averaged with itself (edge replicate).
 * Full precision, no rounding (what MS-SSIM needs between scales).
 */
export function downsamplePlane2x(plane: Float64Array, width: number, height: number): { data: Float64Array, width: number, height: number } {
  if (plane.length !== width * height) {
    throw new RangeError(`Expected plane to hold ${width * height} values (${width}x${height}) but received ${plane.length}`)
  }
  const w2 = Math.ceil(width / 2)
  const h2 = Math.ceil(height / 2)
  const out = new Float64Array(w2 * h2)
  for (let y = 0; y < h2; y++) {
    const r0 = 2 * y * width
    const r1 = Math.min(2 * y + 1, height - 1) * width
    for (let x = 0; x < w2; x++) {
      const c0 = 2 * x
      const c1 = Math.min(2 * x + 1, width - 1)
      out[y * w2 + x] = (plane[r0 + c0]! + plane[r0 + c1]! + plane[r1 + c0]! + plane[r1 + c1]!) * 0.25
    }
  }
  return { data: out, width: w2, height: h2 }
}

/**
 * Halves an 8-bit image with a 2x2 box average per channel (same geometry as
 * {@link downsamplePlane2x}: ceil(w/2) x ceil(h/2), odd edges replicated), rounded half up.
 */
export function downsample2x(img: Image): Image {
  const { width, height, channels: c, data } = img
  const w2 = Math.ceil(width / 2)
  const h2 = Math.ceil(height / 2)
  const out = new Uint8Array(w2 * h2 * c)
  for (let y = 0; y < h2; y++) {
    const r0 = 2 * y * width
    const r1 = Math.min(2 * y + 1, height - 1) * width
    for (let x = 0; x < w2; x++) {
      const c0 = 2 * x
      const c1 = Math.min(2 * x + 1, width - 1)
      for (let ch = 0; ch < c; ch++) {
        const sum = data[(r0 + c0) * c + ch]! + data[(r0 + c1) * c + ch]! + data[(r1 + c0) * c + ch]! + data[(r1 + c1) * c + ch]!
        out[(y * w2 + x) * c + ch] = (sum + 2) >> 2
      }
    }
  }
  return { width: w2, height: h2, channels: c, data: out }
}

/** Mean squared error over all channels of two same-size images (alpha included if both have it). */
export function mse(a: Image, b: Image): number {
  assertSameSize(a, b)
  if (a.channels !== b.channels) {
    throw new RangeError(`Expected images with the same channels but received a: ${a.channels}, b: ${b.channels}`)
  }
  const da = a.data
  const db = b.data
  let acc = 0
  for (let i = 0; i < da.length; i++) {
    const d = da[i]! - db[i]!
    acc += d * d
  }
  return acc / da.length
}

/**
 * SSIM (Wang, Bovik, Sheikh, Simoncelli 2004) computed exactly as scikit-image 0.19's
 * `structural_similarity` does, in one streaming pass with no per-pixel allocation.
 *
 * Two windows:
 * - `uniform7` (scikit-image defaults, what the original GifLab used): 7x7 box, sample covariance
 *   (N / (N - 1) with N = 49). Box sums run as sliding sums (add the entering row/column, subtract
 *   the leaving one); on 8-bit input every sum is an exact integer in float64.
 * - `gaussian` (Wang et al. 2004): sigma 1.5 truncated at 3.5 sigma = radius 5, an 11-tap
 *   separable kernel normalised to 1 (scipy's `_gaussian_kernel1d`), population covariance.
 *   Separable, symmetric taps; on larger images it runs as generated WebAssembly SIMD (f64x2,
 *   see `gaussian11Wasm`), with the plain JavaScript version as the fallback and for small images.
 *
 * The mean is taken over the valid region only (scikit-image crops (win - 1) / 2 pixels at each
 * border), so border handling never matters and only valid centres are computed. RGB(A) input is the
 * mean of the per-channel SSIMs (alpha ignored), as with `channel_axis=2`.
 *
 * Internally x and y are rewritten as s = x + y and d = x - y: then
 * ux² + uy² = (us² + ud²) / 2, 2·ux·uy = (us² - ud²) / 2, vx + vy = (vs + vd) / 2 and
 * 2·vxy = (vs - vd) / 2, so four filtered quantities (E[s], E[d], E[s²], E[d²]) replace skimage's five.
 */
import { assertImage, assertSameSize, type Image } from './image.ts'

/** Which SSIM window to use. */
export type SsimWindow = 'uniform7' | 'gaussian'

/** Options of {@link ssim}. */
export interface SsimOptions {
  /**
   * `uniform7`: 7x7 uniform window, sample covariance (scikit-image defaults).
   * `gaussian`: 11x11 Gaussian, sigma 1.5, population covariance (Wang et al. 2004).
   * @default 'uniform7'
   */
  window?: SsimWindow
  /**
   * Dynamic range of the pixel values (L in C1 = (K1 L)², C2 = (K2 L)²).
   * @default 255
   */
  dataRange?: number
}

/**
 * Mean SSIM and mean contrast-structure term (cs = (2 vxy + C2) / (vx + vy + C2)) over the valid
 * region; `cs` is NaN unless asked for.
 */
export interface SsimStats {
  ssim: number
  cs: number
}

/** K1 and K2 of the SSIM paper (and every common implementation). */
const K1 = 0.01
const K2 = 0.03

/** Gaussian sigma and truncation of scikit-image's `gaussian_weights=True` path. */
const SIGMA = 1.5
const TRUNCATE = 3.5

/** 1-D Gaussian kernel as scipy.ndimage builds it: radius int(truncate * sigma + 0.5), normalised to sum 1. */
export function gaussianKernel1d(sigma: number = SIGMA, truncate: number = TRUNCATE): Float64Array {
  const radius = Math.trunc(truncate * sigma + 0.5)
  const k = new Float64Array(2 * radius + 1)
  let sum = 0
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-0.5 / (sigma * sigma) * i * i)
    k[i + radius] = v
    sum += v
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum
  return k
}

const GAUSS = gaussianKernel1d()

/** The window's side length (7 or 11). */
export function windowSize(window: SsimWindow): number {
  return window === 'uniform7' ? 7 : GAUSS.length
}

function resolveWindow(window: unknown): SsimWindow {
  if (window === undefined) return 'uniform7'
  if (window !== 'uniform7' && window !== 'gaussian') {
    throw new RangeError(`Expected window to be 'uniform7' or 'gaussian' but received ${String(window)}`)
  }
  return window
}

function resolveDataRange(dataRange: unknown): number {
  if (dataRange === undefined) return 255
  if (typeof dataRange !== 'number' || !Number.isFinite(dataRange) || dataRange <= 0) {
    throw new RangeError(`Expected dataRange to be a positive number but received ${String(dataRange)}`)
  }
  return dataRange
}

/** Throws like scikit-image when the window does not fit the image. */
function assertFits(width: number, height: number, win: number, window: SsimWindow): void {
  if (width < win || height < win) {
    throw new RangeError(
      `Expected images of at least ${win}x${win} for window '${window}' but received ${width}x${height}`,
    )
  }
}

/**
 * Builds the planes s = x + y, d = x - y of one channel. Reading through strides keeps RGB(A)
 * input free of a separate channel-extraction copy.
 */
function sumDiffPlanes(
  a: ArrayLike<number>, b: ArrayLike<number>, n: number,
  strideA: number, strideB: number, offset: number,
  s: Float64Array, d: Float64Array,
): void {
  for (let i = 0, p = offset, q = offset; i < n; i++, p += strideA, q += strideB) {
    const x = a[p]!
    const y = b[q]!
    s[i] = x + y
    d[i] = x - y
  }
}

/**
 * Uniform 7x7 window, read straight from the inputs (through strides, so one channel of RGB(A) is
 * read in place). Sliding column sums of s = x + y, d = x - y, s² and d² over 7 rows feed a sliding
 * row sum over 7 columns; only valid centres are visited. On 8-bit input every sum is an exact
 * integer. Writes the SSIM map of the valid region into `map` when given.
 */
function uniform7(
  a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number,
  strideA: number, strideB: number, offset: number,
  c1: number, c2: number, wantCs: boolean, map?: Float64Array,
): SsimStats {
  const R = 3
  const N = 49
  const invN2 = 1 / (N * N)
  const covNorm = N / (N - 1)
  // vs = covNorm · (S2 / N - (S / N)²) = kS2 · S2 - kSS · S²
  const kS2 = covNorm / N
  const kSS = covNorm / (N * N)
  const cs = new Float64Array(width)
  const cd = new Float64Array(width)
  const cs2 = new Float64Array(width)
  const cd2 = new Float64Array(width)
  for (let r = 0; r < 2 * R + 1; r++) {
    for (let x = 0, p = offset + r * width * strideA, q = offset + r * width * strideB; x < width; x++, p += strideA, q += strideB) {
      const xv = a[p]!
      const yv = b[q]!
      const s = xv + yv
      const d = xv - yv
      cs[x]! += s
      cd[x]! += d
      cs2[x]! += s * s
      cd2[x]! += d * d
    }
  }
  const outW = width - 2 * R
  let total = 0
  let totalCs = 0
  let m = 0
  for (let y = R; y < height - R; y++) {
    let S = 0
    let D = 0
    let S2 = 0
    let D2 = 0
    for (let x = 0; x < 2 * R; x++) {
      S += cs[x]!
      D += cd[x]!
      S2 += cs2[x]!
      D2 += cd2[x]!
    }
    for (let x = R; x < width - R; x++) {
      const xin = x + R
      S += cs[xin]!
      D += cd[xin]!
      S2 += cs2[xin]!
      D2 += cd2[xin]!
      const SS = S * S
      const DD = D * D
      const us2 = SS * invN2
      const ud2 = DD * invN2
      const vs = kS2 * S2 - kSS * SS
      const vd = kS2 * D2 - kSS * DD
      const a2 = 0.5 * (vs - vd) + c2
      const b2 = 0.5 * (vs + vd) + c2
      const v = ((0.5 * (us2 - ud2) + c1) * a2) / ((0.5 * (us2 + ud2) + c1) * b2)
      total += v
      if (wantCs) totalCs += a2 / b2
      if (map !== undefined) map[m++] = v
      const xout = x - R
      S -= cs[xout]!
      D -= cd[xout]!
      S2 -= cs2[xout]!
      D2 -= cd2[xout]!
    }
    // Move the column sums one row down.
    if (y + R + 1 < height) {
      let po = offset + (y - R) * width * strideA
      let qo = offset + (y - R) * width * strideB
      let pi = offset + (y + R + 1) * width * strideA
      let qi = offset + (y + R + 1) * width * strideB
      for (let x = 0; x < width; x++, po += strideA, qo += strideB, pi += strideA, qi += strideB) {
        const xo = a[po]!
        const yo = b[qo]!
        const xi = a[pi]!
        const yi = b[qi]!
        const so = xo + yo
        const dO = xo - yo
        const si = xi + yi
        const di = xi - yi
        cs[x]! += si - so
        cd[x]! += di - dO
        cs2[x]! += si * si - so * so
        cd2[x]! += di * di - dO * dO
      }
    }
  }
  const count = outW * (height - 2 * R)
  return { ssim: total / count, cs: wantCs ? totalCs / count : Number.NaN }
}

/**
 * Gaussian 11x11 window (separable, symmetric taps) over planes s and d. Each input row is filtered
 * horizontally once, for the valid columns only, into a ring of 11 rows; each valid output row then
 * combines its 11 ring rows vertically and evaluates SSIM at once.
 */
function gaussian11(s: Float64Array, d: Float64Array, width: number, height: number, c1: number, c2: number, wantCs: boolean, map?: Float64Array): SsimStats {
  const g0 = GAUSS[5]!
  const g1 = GAUSS[4]!
  const g2 = GAUSS[3]!
  const g3 = GAUSS[2]!
  const g4 = GAUSS[1]!
  const g5 = GAUSS[0]!
  const K = 11
  const outW = width - 10
  // Ring buffers: K rows x outW for each of E_h[s], E_h[d], E_h[s²], E_h[d²].
  const hs = new Float64Array(K * outW)
  const hd = new Float64Array(K * outW)
  const hs2 = new Float64Array(K * outW)
  const hd2 = new Float64Array(K * outW)
  const sq = new Float64Array(width)
  const dq = new Float64Array(width)

  const filterRow = (row: number): void => {
    const o = row * width
    const slot = (row % K) * outW
    for (let x = 0; x < width; x++) {
      const sv = s[o + x]!
      const dv = d[o + x]!
      sq[x] = sv * sv
      dq[x] = dv * dv
    }
    for (let x = 0; x < outW; x++) {
      const p = o + x + 5
      const q = x + 5
      hs[slot + x] = g0 * s[p]! + g1 * (s[p - 1]! + s[p + 1]!) + g2 * (s[p - 2]! + s[p + 2]!)
        + g3 * (s[p - 3]! + s[p + 3]!) + g4 * (s[p - 4]! + s[p + 4]!) + g5 * (s[p - 5]! + s[p + 5]!)
      hd[slot + x] = g0 * d[p]! + g1 * (d[p - 1]! + d[p + 1]!) + g2 * (d[p - 2]! + d[p + 2]!)
        + g3 * (d[p - 3]! + d[p + 3]!) + g4 * (d[p - 4]! + d[p + 4]!) + g5 * (d[p - 5]! + d[p + 5]!)
      hs2[slot + x] = g0 * sq[q]! + g1 * (sq[q - 1]! + sq[q + 1]!) + g2 * (sq[q - 2]! + sq[q + 2]!)
        + g3 * (sq[q - 3]! + sq[q + 3]!) + g4 * (sq[q - 4]! + sq[q + 4]!) + g5 * (sq[q - 5]! + sq[q + 5]!)
      hd2[slot + x] = g0 * dq[q]! + g1 * (dq[q - 1]! + dq[q + 1]!) + g2 * (dq[q - 2]! + dq[q + 2]!)
        + g3 * (dq[q - 3]! + dq[q + 3]!) + g4 * (dq[q - 4]! + dq[q + 4]!) + g5 * (dq[q - 5]! + dq[q + 5]!)
    }
  }

  for (let r = 0; r < K - 1; r++) filterRow(r)
  let total = 0
  let totalCs = 0
  let m = 0
  for (let y = 5; y < height - 5; y++) {
    filterRow(y + 5)
    // Ring offsets of rows y-5 .. y+5.
    const r0 = ((y - 5) % K) * outW
    const r1 = ((y - 4) % K) * outW
    const r2 = ((y - 3) % K) * outW
    const r3 = ((y - 2) % K) * outW
    const r4 = ((y - 1) % K) * outW
    const r5 = (y % K) * outW
    const r6 = ((y + 1) % K) * outW
    const r7 = ((y + 2) % K) * outW
    const r8 = ((y + 3) % K) * outW
    const r9 = ((y + 4) % K) * outW
    const r10 = ((y + 5) % K) * outW
    for (let x = 0; x < outW; x++) {
      const us = g0 * hs[r5 + x]! + g1 * (hs[r4 + x]! + hs[r6 + x]!) + g2 * (hs[r3 + x]! + hs[r7 + x]!)
        + g3 * (hs[r2 + x]! + hs[r8 + x]!) + g4 * (hs[r1 + x]! + hs[r9 + x]!) + g5 * (hs[r0 + x]! + hs[r10 + x]!)
      const ud = g0 * hd[r5 + x]! + g1 * (hd[r4 + x]! + hd[r6 + x]!) + g2 * (hd[r3 + x]! + hd[r7 + x]!)
        + g3 * (hd[r2 + x]! + hd[r8 + x]!) + g4 * (hd[r1 + x]! + hd[r9 + x]!) + g5 * (hd[r0 + x]! + hd[r10 + x]!)
      const es2 = g0 * hs2[r5 + x]! + g1 * (hs2[r4 + x]! + hs2[r6 + x]!) + g2 * (hs2[r3 + x]! + hs2[r7 + x]!)
        + g3 * (hs2[r2 + x]! + hs2[r8 + x]!) + g4 * (hs2[r1 + x]! + hs2[r9 + x]!) + g5 * (hs2[r0 + x]! + hs2[r10 + x]!)
      const ed2 = g0 * hd2[r5 + x]! + g1 * (hd2[r4 + x]! + hd2[r6 + x]!) + g2 * (hd2[r3 + x]! + hd2[r7 + x]!)
        + g3 * (hd2[r2 + x]! + hd2[r8 + x]!) + g4 * (hd2[r1 + x]! + hd2[r9 + x]!) + g5 * (hd2[r0 + x]! + hd2[r10 + x]!)
      const us2 = us * us
      const ud2 = ud * ud
      const vs = es2 - us2
      const vd = ed2 - ud2
      const a2 = 0.5 * (vs - vd) + c2
      const b2 = 0.5 * (vs + vd) + c2
      const v = ((0.5 * (us2 - ud2) + c1) * a2) / ((0.5 * (us2 + ud2) + c1) * b2)
      total += v
      if (wantCs) totalCs += a2 / b2
      if (map !== undefined) map[m++] = v
    }
  }
  const count = outW * (height - 10)
  return { ssim: total / count, cs: wantCs ? totalCs / count : Number.NaN }
}

// ---------------------------------------------------------------------------------------------
// Gaussian window in WebAssembly SIMD (f64x2): the same arithmetic as gaussian11, two columns per
// instruction, about 3x faster. The module is generated per image size so that every tap is a
// load with a constant offset from one moving pointer (no index arithmetic in the inner loops),
// compiled once and cached (a handful of sizes: frames of one GIF, the scales of MS-SSIM).
// Double precision throughout, so results equal the JavaScript path's to ~1e-15.
// ---------------------------------------------------------------------------------------------

/** The slice of the WebAssembly JS API used here (the project's `lib` has no DOM / wasm types). */
interface WasmMemory { readonly buffer: ArrayBuffer, grow(pages: number): number }
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> }
}

const uleb = (n: number): number[] => {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}
const sleb = (n: number): number[] => {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte)
      return out
    }
    out.push(byte | 0x80)
  }
}
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]
const name = (s: string): number[] => vec([...s].map(c => [c.charCodeAt(0)]))
const I32 = 0x7f
const F64 = 0x7c
const V128 = 0x7b

/** A function body under construction: a few opcodes of the WebAssembly core and SIMD sets. */
class Emitter {
  readonly code: number[] = []
  get(local: number): this { this.code.push(0x20, ...uleb(local)); return this }
  set(local: number): this { this.code.push(0x21, ...uleb(local)); return this }
  i32(v: number): this { this.code.push(0x41, ...sleb(v)); return this }
  f64(v: number): this { this.code.push(0x44, ...new Uint8Array(Float64Array.of(v).buffer)); return this }
  op(...bytes: number[]): this { this.code.push(...bytes); return this }
  addI32(v: number): this { return this.i32(v).op(0x6a) }
  simd(code: number): this { this.code.push(0xfd, ...uleb(code)); return this }
  load(offset: number): this { this.code.push(0xfd, 0x00, 3, ...uleb(offset)); return this }
  store(offset: number): this { this.code.push(0xfd, 0x0b, 3, ...uleb(offset)); return this }
  splat(): this { return this.simd(0x14) }
  lane(i: number): this { return this.simd(0x21).op(i) }
  add(): this { return this.simd(0xf0) }
  sub(): this { return this.simd(0xf1) }
  mul(): this { return this.simd(0xf2) }
  div(): this { return this.simd(0xf3) }
  /** Symmetric 11-tap sum around `centre` with tap spacing `step` bytes, weights in locals g..g+5. */
  taps(ptr: number, centre: number, step: number, g: number): this {
    this.get(ptr).load(centre).get(g).mul()
    for (let k = 1; k <= 5; k++) {
      this.get(ptr).load(centre - k * step).get(ptr).load(centre + k * step).add().get(g + k).mul().add()
    }
    return this
  }
  body(locals: Array<[number, number]>): number[] {
    const b = [...vec(locals.map(([n, type]) => [...uleb(n), type])), ...this.code, 0x0b]
    return [...uleb(b.length), ...b]
  }
}

/** Memory layout (bytes) of one size: 4 input planes (s, d, s², d²), then 4 horizontally filtered planes. */
interface WasmLayout {
  planeIn: number
  planeH: number
  hBase: number
  out: number
  bytes: number
}

function layoutFor(width: number, height: number): WasmLayout {
  const pairs = Math.ceil((width - 10) / 2)
  const planeIn = width * height * 8 + 64 // padding: the last pair of a row may read one value past it
  const planeH = height * pairs * 16 + 64
  const hBase = 4 * planeIn
  const out = hBase + 4 * planeH
  return { planeIn, planeH, hBase, out, bytes: out + 16 }
}

/**
 * Generates the module for one size: `h(src, dst)` filters the 4 input planes horizontally (valid
 * columns, rounded up to pairs), `v(hBase, out, c1, c2, withCs)` filters vertically, evaluates SSIM
 * (and cs) and stores the two sums at `out`.
 */
function gaussianModule(width: number, height: number): Uint8Array {
  const outW = width - 10
  const outH = height - 10
  const pairs = Math.ceil(outW / 2)
  const full = outW >> 1
  const { planeIn, planeH } = layoutFor(width, height)
  const rowH = pairs * 16
  const lt = 0x49 // i32.lt_u
  const brIf = (depth: number): number[] => [0x0d, depth]

  // h(sp=0, dp=1): end=2, last=3 (i32); g=4..9 (v128)
  const h = new Emitter()
  for (let k = 0; k < 6; k++) h.f64(GAUSS[5 - k]!).splat().set(4 + k)
  h.get(1).addI32(height * rowH).set(3)
  h.op(0x03, 0x40) // loop: rows
  h.get(1).addI32(rowH).set(2)
  h.op(0x03, 0x40) // loop: pairs
  for (let q = 0; q < 4; q++) h.get(1).taps(0, q * planeIn + 40, 8, 4).store(q * planeH)
  h.get(0).addI32(16).set(0)
  h.get(1).addI32(16).set(1)
  h.get(1).get(2).op(lt, ...brIf(0)).op(0x0b)
  h.get(0).addI32(width * 8 - rowH).set(0)
  h.get(1).get(3).op(lt, ...brIf(0)).op(0x0b)

  // v(q=0, out=1, c1=2, c2=3, withCs=4): end=5, last=6 (i32); v128 locals from 7; f64 tails after.
  const v = new Emitter()
  const G0 = 7; const HALF = 13; const C1 = 14; const C2 = 15
  const US = 16; const UD = 17; const ES = 18; const ED = 19; const A2 = 20; const B2 = 21; const ACC = 22; const ACCC = 23
  const TAIL = 24; const TAILC = 25
  for (let k = 0; k < 6; k++) v.f64(GAUSS[5 - k]!).splat().set(G0 + k)
  v.f64(0.5).splat().set(HALF).get(2).splat().set(C1).get(3).splat().set(C2)
  v.f64(0).splat().set(ACC).f64(0).splat().set(ACCC)
  v.get(0).addI32(outH * rowH).set(6)
  const evaluate = (accumulate: (which: 'ssim' | 'cs') => void): void => {
    ;[US, UD, ES, ED].forEach((local, q) => v.taps(0, q * planeH + 5 * rowH, rowH, G0).set(local))
    v.get(US).get(US).mul().set(US).get(UD).get(UD).mul().set(UD) // us², ud²
    v.get(ES).get(US).sub().set(ES).get(ED).get(UD).sub().set(ED) // vs, vd
    v.get(ES).get(ED).sub().get(HALF).mul().get(C2).add().set(A2)
    v.get(ES).get(ED).add().get(HALF).mul().get(C2).add().set(B2)
    v.get(US).get(UD).sub().get(HALF).mul().get(C1).add().get(A2).mul()
    v.get(US).get(UD).add().get(HALF).mul().get(C1).add().get(B2).mul()
    v.div()
    accumulate('ssim')
    v.get(4).op(0x04, 0x40).get(A2).get(B2).div()
    accumulate('cs')
    v.op(0x0b)
  }
  v.op(0x03, 0x40) // loop: rows
  if (full > 0) {
    v.get(0).addI32(full * 16).set(5)
    v.op(0x03, 0x40) // loop: pairs
    evaluate(which => v.get(which === 'ssim' ? ACC : ACCC).add().set(which === 'ssim' ? ACC : ACCC))
    v.get(0).addI32(16).set(0)
    v.get(0).get(5).op(lt, ...brIf(0)).op(0x0b)
  }
  if (outW % 2 === 1) {
    // The last pair's second lane is padding: keep lane 0 only.
    evaluate(which => v.lane(0).get(which === 'ssim' ? TAIL : TAILC).op(0xa0).set(which === 'ssim' ? TAIL : TAILC))
    v.get(0).addI32(16).set(0)
  }
  v.get(0).get(6).op(lt, ...brIf(0)).op(0x0b)
  v.get(1).get(ACC).lane(0).get(ACC).lane(1).op(0xa0).get(TAIL).op(0xa0).op(0x39, 3, 0)
  v.get(1).get(ACCC).lane(0).get(ACCC).lane(1).op(0xa0).get(TAILC).op(0xa0).op(0x39, 3, 8)

  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), 0], [0x60, ...vec([[I32], [I32], [F64], [F64], [I32]]), 0]])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('h'), 0x00, 0], [...name('v'), 0x00, 1]])),
    ...section(10, vec([h.body([[2, I32], [6, V128]]), v.body([[2, I32], [17, V128], [2, F64]])])),
  ])
}

interface GaussianKernel {
  h: (src: number, dst: number) => void
  v: (hBase: number, out: number, c1: number, c2: number, withCs: number) => void
  layout: WasmLayout
}

let wasmMemory: WasmMemory | undefined
let wasmUnavailable = false
const wasmKernels = new Map<string, GaussianKernel>()
const WASM_CACHE_SIZE = 16
/** Below this many valid output pixels the JavaScript path wins (no compile, no copy). */
const WASM_MIN_OUTPUT = 64 * 64
/**
 * The module's memory holds 8 float64 planes and is kept for reuse (512x512: 17 MB); larger images
 * than this budget allows (about 1400x1400) take the JavaScript path, which needs a quarter of that.
 */
const WASM_MAX_BYTES = 128 * 1024 * 1024

function gaussianKernel(width: number, height: number): GaussianKernel | undefined {
  if (wasmUnavailable || layoutFor(width, height).bytes > WASM_MAX_BYTES) return undefined
  const key = `${width}x${height}`
  const cached = wasmKernels.get(key)
  if (cached !== undefined) {
    wasmKernels.delete(key)
    wasmKernels.set(key, cached)
    return cached
  }
  try {
    wasmMemory ??= new WebAssembly.Memory({ initial: 1 })
    const module = new WebAssembly.Module(gaussianModule(width, height))
    const instance = new WebAssembly.Instance(module, { env: { mem: wasmMemory } })
    const kernel: GaussianKernel = {
      h: instance.exports.h as GaussianKernel['h'],
      v: instance.exports.v as GaussianKernel['v'],
      layout: layoutFor(width, height),
    }
    wasmKernels.set(key, kernel)
    if (wasmKernels.size > WASM_CACHE_SIZE) wasmKernels.delete(wasmKernels.keys().next().value!)
    return kernel
  }
  catch {
    // No WebAssembly SIMD here: the JavaScript path gives the same results.
    wasmUnavailable = true
    return undefined
  }
}

/** gaussian11 through the generated SIMD module; undefined when WebAssembly SIMD is unavailable. */
function gaussian11Wasm(
  a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number,
  strideA: number, strideB: number, offset: number, c1: number, c2: number, wantCs: boolean,
): SsimStats | undefined {
  const kernel = gaussianKernel(width, height)
  if (kernel === undefined || wasmMemory === undefined) return undefined
  const { layout } = kernel
  const have = wasmMemory.buffer.byteLength
  if (have < layout.bytes) wasmMemory.grow(Math.ceil((layout.bytes - have) / 65536))
  const f = new Float64Array(wasmMemory.buffer)
  const n = width * height
  const o1 = layout.planeIn / 8
  const o2 = 2 * o1
  const o3 = 3 * o1
  for (let i = 0, p = offset, q = offset; i < n; i++, p += strideA, q += strideB) {
    const x = a[p]!
    const y = b[q]!
    const s = x + y
    const d = x - y
    f[i] = s
    f[o1 + i] = d
    f[o2 + i] = s * s
    f[o3 + i] = d * d
  }
  kernel.h(0, layout.hBase)
  kernel.v(layout.hBase, layout.out, c1, c2, wantCs ? 1 : 0)
  const count = (width - 10) * (height - 10)
  return { ssim: f[layout.out / 8]! / count, cs: wantCs ? f[layout.out / 8 + 1]! / count : Number.NaN }
}

/** Options of {@link ssimPlaneStats}. */
export interface SsimPlaneOptions extends SsimOptions {
  /** Step between consecutive pixels of plane a (e.g. 4 for one channel of RGBA). @default 1 */
  strideA?: number
  /** Step between consecutive pixels of plane b. @default 1 */
  strideB?: number
  /** Index of the first pixel in both planes (the channel). @default 0 */
  offset?: number
  /** Receives the valid-region SSIM map ((width - win + 1) x (height - win + 1)) when given. */
  map?: Float64Array
  /** Also compute the mean cs term (costs one division per pixel); otherwise `cs` is NaN. @default false */
  withCs?: boolean
  /**
   * Implementation of the Gaussian window: `wasm` (WebAssembly SIMD, generated per size), `js`,
   * or `auto` (wasm for outputs of at least 64x64 pixels when available and no `map` is asked for).
   * All agree to ~1e-15; the option exists for tests and benchmarks.
   * @default 'auto'
   */
  engine?: 'auto' | 'js' | 'wasm'
}

/**
 * SSIM statistics (mean SSIM and mean cs) of two single-channel planes of equal size, optionally
 * read through strides. The low-level building block of {@link ssim}, {@link ssimMap} and MS-SSIM.
 * Cost: O(width * height); allocates two float planes and a few row buffers.
 */
export function ssimPlaneStats(
  a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number,
  options: SsimPlaneOptions = {},
): SsimStats {
  const window = resolveWindow(options.window)
  const range = resolveDataRange(options.dataRange)
  assertFits(width, height, windowSize(window), window)
  const n = width * height
  const strideA = options.strideA ?? 1
  const strideB = options.strideB ?? 1
  const offset = options.offset ?? 0
  if (a.length < offset + (n - 1) * strideA + 1 || b.length < offset + (n - 1) * strideB + 1) {
    throw new RangeError(`Expected planes of ${width}x${height} values but received ${a.length} and ${b.length}`)
  }
  const win = windowSize(window)
  if (options.map !== undefined && options.map.length < (width - win + 1) * (height - win + 1)) {
    throw new RangeError(`Expected map to hold ${(width - win + 1) * (height - win + 1)} values but received ${options.map.length}`)
  }
  const c1 = (K1 * range) ** 2
  const c2 = (K2 * range) ** 2
  const withCs = options.withCs === true
  const engine = options.engine ?? 'auto'
  if (engine !== 'auto' && engine !== 'js' && engine !== 'wasm') {
    throw new RangeError(`Expected engine to be 'auto', 'js' or 'wasm' but received ${String(engine)}`)
  }
  if (window === 'gaussian' && options.map === undefined
    && (engine === 'wasm' || (engine === 'auto' && (width - 10) * (height - 10) >= WASM_MIN_OUTPUT))) {
    const stats = gaussian11Wasm(a, b, width, height, strideA, strideB, offset, c1, c2, withCs)
    if (stats !== undefined) return stats
  }
  if (window === 'uniform7') return uniform7(a, b, width, height, strideA, strideB, offset, c1, c2, withCs, options.map)
  const s = new Float64Array(n)
  const d = new Float64Array(n)
  sumDiffPlanes(a, b, n, strideA, strideB, offset, s, d)
  return gaussian11(s, d, width, height, c1, c2, withCs, options.map)
}

/**
 * Mean SSIM of two images of the same size, matching scikit-image 0.19's
 * `structural_similarity(a, b, data_range=255[, channel_axis=2][, gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False])` to floating-point precision.
 *
 * Grayscale (channels 1) is compared directly; RGB and RGBA (in any mix) give the mean of the R, G
 * and B SSIMs, alpha ignored. Gray against colour is an error. The value lies in [-1, 1]; 1 means
 * identical.
 * @throws {RangeError} on different sizes or channel counts, or an image smaller than the window
 */
export function ssim(a: Image, b: Image, options: SsimOptions = {}): number {
  assertImage(a, 'a')
  assertImage(b, 'b')
  assertSameSize(a, b)
  if ((a.channels === 1) !== (b.channels === 1)) {
    throw new RangeError(`Expected a and b both grayscale or both colour but received channels ${a.channels} and ${b.channels}`)
  }
  if (a.channels === 1) return ssimPlaneStats(a.data, b.data, a.width, a.height, options).ssim
  let total = 0
  for (let c = 0; c < 3; c++) {
    total += ssimPlaneStats(a.data, b.data, a.width, a.height, {
      window: options.window, dataRange: options.dataRange, strideA: a.channels, strideB: b.channels, offset: c,
    }).ssim
  }
  return total / 3
}

/**
 * The SSIM map of two grayscale images over the valid region: a Float64Array of
 * (width - win + 1) x (height - win + 1) values, row-major (win = 7 or 11). Its mean is {@link ssim}.
 */
export function ssimMap(a: Image, b: Image, options: SsimOptions = {}): { width: number, height: number, data: Float64Array } {
  assertImage(a, 'a')
  assertImage(b, 'b')
  assertSameSize(a, b)
  if (a.channels !== 1 || b.channels !== 1) {
    throw new RangeError(`Expected grayscale images (channels 1) for ssimMap but received ${a.channels} and ${b.channels}`)
  }
  const window = resolveWindow(options.window)
  const win = windowSize(window)
  assertFits(a.width, a.height, win, window)
  const width = a.width - win + 1
  const height = a.height - win + 1
  const data = new Float64Array(width * height)
  ssimPlaneStats(a.data, b.data, a.width, a.height, { ...options, map: data })
  return { width, height, data }
}

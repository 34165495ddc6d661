/**
 * MS-SSIM, the multi-scale SSIM of Wang, Simoncelli and Bovik (2003), as in Wang's reference
 * MATLAB code (`msssim.m`):
 *
 * - 5 scales, weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333);
 * - at each scale SSIM statistics with the 11x11 Gaussian window (sigma 1.5), population
 *   covariance, K1 = 0.01, K2 = 0.03, L = 255, averaged over the valid region (the same window code
 *   as `ssim(..., { window: 'gaussian' })`);
 * - between scales both images are low-passed with a 2x2 box and subsampled by 2 (odd sizes: the
 *   last row / column is averaged with itself, output ceil(n / 2), as MATLAB's `imfilter(...,
 *   'symmetric')` followed by `(1:2:end, 1:2:end)`); no rounding between scales;
 * - MS-SSIM = Π_{j=1..4} cs_j^{w_j} · ssim_5^{w_5}: contrast-structure at scales 1..4, the full SSIM
 *   (luminance too) only at the coarsest scale.
 *
 * Negative terms: a mean cs (or the last scale's mean SSIM) below 0 is clamped to 0 before the
 * power, as TensorFlow's `tf.image.ssim_multiscale` and pytorch-msssim (`relu`) do; the result is
 * then 0 instead of NaN. Clamping happens on the per-scale means, not per pixel.
 *
 * Small images: the 5-scale form needs 11 · 2^4 = 176 px on the short side. Below that the number
 * of scales is the largest M whose coarsest image is still at least 11 px (M >= 1), and the first M
 * weights are renormalised to sum to 1 (with M = 1 the result is the plain Gaussian SSIM). Images
 * under 11 px on a side are a RangeError.
 */
import { assertImage, assertSameSize, downsamplePlane2x, type Image } from './image.ts'
import { ssimPlaneStats } from './ssim.ts'

/** The weights of Wang et al. (2003), finest scale first. */
export const MS_SSIM_WEIGHTS: readonly number[] = Object.freeze([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])

/** The smallest side the Gaussian SSIM window fits. */
const MIN_SIDE = 11

/** Options of {@link msSsim}. */
export interface MsSsimOptions {
  /**
   * Dynamic range L of the pixel values.
   * @default 255
   */
  dataRange?: number
}

/** Per-scale figures behind one MS-SSIM value (one channel). */
export interface MsSsimDetail {
  /** The MS-SSIM value. */
  value: number
  /** How many scales were used (5 unless the image is smaller than 176 px on its short side). */
  scales: number
  /** The weights used, renormalised when fewer than 5 scales. */
  weights: number[]
  /** Mean cs per scale (all scales, before clamping). */
  cs: number[]
  /** Mean SSIM per scale (all scales; only the last enters the product). */
  ssim: number[]
}

/** How many scales an image of this size supports (at most 5). */
export function msSsimScales(width: number, height: number): number {
  let side = Math.min(width, height)
  if (side < MIN_SIDE) return 0
  let scales = 1
  while (scales < MS_SSIM_WEIGHTS.length && Math.ceil(side / 2) >= MIN_SIDE) {
    side = Math.ceil(side / 2)
    scales++
  }
  return scales
}

/** MS-SSIM of two single-channel float planes, with the per-scale figures. */
export function msSsimPlanes(
  x: Float64Array, y: Float64Array, width: number, height: number, options: MsSsimOptions = {},
): MsSsimDetail {
  const scales = msSsimScales(width, height)
  if (scales === 0) {
    throw new RangeError(`Expected images of at least ${MIN_SIDE}x${MIN_SIDE} for MS-SSIM but received ${width}x${height}`)
  }
  const raw = MS_SSIM_WEIGHTS.slice(0, scales)
  const total = raw.reduce((s, w) => s + w, 0)
  const weights = raw.map(w => w / total)
  const cs: number[] = []
  const ss: number[] = []
  let a = { data: x, width, height }
  let b = { data: y, width, height }
  let value = 1
  for (let j = 0; j < scales; j++) {
    const stats = ssimPlaneStats(a.data, b.data, a.width, a.height, {
      window: 'gaussian', dataRange: options.dataRange, withCs: true,
    })
    cs.push(stats.cs)
    ss.push(stats.ssim)
    const term = j < scales - 1 ? stats.cs : stats.ssim
    value *= Math.max(0, term) ** weights[j]!
    if (j < scales - 1) {
      a = downsamplePlane2x(a.data, a.width, a.height)
      b = downsamplePlane2x(b.data, b.width, b.height)
    }
  }
  return { value, scales, weights, cs, ssim: ss }
}

function plane(img: Image, channel: number): Float64Array {
  const n = img.width * img.height
  const out = new Float64Array(n)
  const c = img.channels
  const src = img.data
  for (let i = 0, p = channel; i < n; i++, p += c) out[i] = src[p]!
  return out
}

/**
 * MS-SSIM of two images of the same size: in [0, 1], 1 for identical images. Grayscale images
 * are compared directly; RGB / RGBA give the mean of the per-channel MS-SSIMs (alpha ignored), as
 * {@link ssim} does for colour.
 * @throws {RangeError} on different sizes, gray against colour, or a side under 11 px
 */
export function msSsim(a: Image, b: Image, options: MsSsimOptions = {}): number {
  assertImage(a, 'a')
  assertImage(b, 'b')
  assertSameSize(a, b)
  if ((a.channels === 1) !== (b.channels === 1)) {
    throw new RangeError(`Expected a and b both grayscale or both colour but received channels ${a.channels} and ${b.channels}`)
  }
  const channels = a.channels === 1 ? 1 : 3
  let total = 0
  for (let c = 0; c < channels; c++) {
    total += msSsimPlanes(plane(a, c), plane(b, c), a.width, a.height, options).value
  }
  return total / channels
}

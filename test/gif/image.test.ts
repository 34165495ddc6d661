import { describe, expect, it } from 'vitest'
import {
  assertImage, assertSameSize, downsample2x, downsamplePlane2x, dropAlpha, mse, resizeArea, toGray, toRgba, type Image,
} from '../../src/gif/image.ts'

const rgb = (pixels: number[][]): Image => ({ width: pixels.length, height: 1, channels: 3, data: Uint8Array.from(pixels.flat()) })

describe('toGray', () => {
  const pixels = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 200, 30], [123, 45, 67], [255, 255, 255], [1, 2, 3], [200, 100, 50]]

  it('bt601 (default) equals OpenCV COLOR_RGB2GRAY, the original GifLab input', () => {
    // cv2.cvtColor(px, cv2.COLOR_RGB2GRAY) for the pixels above.
    expect([...toGray(rgb(pixels)).data]).toEqual([76, 150, 29, 124, 71, 255, 2, 124])
  })

  it('bt709 equals scikit-image rgb2gray * 255, rounded', () => {
    // np.round(skimage.color.rgb2gray(px) * 255) with scikit-image 0.19.3.
    expect([...toGray(rgb(pixels), { standard: 'bt709' }).data]).toEqual([54, 182, 18, 147, 63, 255, 2, 118])
  })

  it('ignores alpha, passes gray through, and rejects an unknown standard', () => {
    const rgba: Image = { width: 2, height: 1, channels: 4, data: Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 255]) }
    expect([...toGray(rgba).data]).toEqual([76, 150])
    const gray: Image = { width: 1, height: 1, channels: 1, data: Uint8Array.from([9]) }
    expect(toGray(gray)).toBe(gray)
    expect(() => toGray(rgba, { standard: 'srgb' as never })).toThrow("Expected standard to be 'bt601' or 'bt709' but received srgb")
  })
})

describe('channel helpers', () => {
  it('dropAlpha and toRgba convert between layouts', () => {
    const rgba: Image = { width: 2, height: 1, channels: 4, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }
    expect([...dropAlpha(rgba).data]).toEqual([1, 2, 3, 5, 6, 7])
    expect(dropAlpha(rgb([[1, 2, 3]])).channels).toBe(3)
    expect([...toRgba(rgb([[1, 2, 3]])).data]).toEqual([1, 2, 3, 255])
    expect([...toRgba({ width: 1, height: 1, channels: 1, data: Uint8Array.from([9]) }).data]).toEqual([9, 9, 9, 255])
  })

  it('assertSameSize names both sizes; assertImage checks the data length', () => {
    const a: Image = { width: 64, height: 48, channels: 1, data: new Uint8Array(64 * 48) }
    const b: Image = { width: 64, height: 50, channels: 1, data: new Uint8Array(64 * 50) }
    expect(() => assertSameSize(a, b)).toThrow('Image sizes differ: a is 64x48, b is 64x50')
    expect(() => assertSameSize(a, b, ['original', 'compressed'])).toThrow('original is 64x48, compressed is 64x50')
    expect(() => assertSameSize(a, a)).not.toThrow()
    expect(() => assertImage({ ...a, data: new Uint8Array(10) }, 'frame')).toThrow(
      'Expected frame.data to hold 3072 bytes (64x48x1) but received 10',
    )
  })

  it('mse is the mean squared difference over all samples', () => {
    expect(mse(rgb([[0, 0, 0], [10, 0, 0]]), rgb([[0, 0, 0], [0, 0, 4]]))).toBeCloseTo((100 + 16) / 6, 12)
  })
})

describe('resizeArea', () => {
  it('averages 2x2 blocks when halving (rounded)', () => {
    const img: Image = { width: 4, height: 2, channels: 1, data: Uint8Array.from([0, 10, 20, 30, 1, 3, 40, 51]) }
    expect([...resizeArea(img, 2, 1).data]).toEqual([4, 35]) // (0+10+1+3)/4 = 3.5 -> 4, (20+30+40+51)/4 = 35.25
  })

  it('weights partial pixels by coverage for non-integer factors (3 -> 2)', () => {
    const img: Image = { width: 3, height: 1, channels: 1, data: Uint8Array.from([0, 90, 180]) }
    // Destination pixel 0 covers source [0, 1.5): (0 * 1 + 90 * 0.5) / 1.5 = 30; pixel 1: (90 * 0.5 + 180) / 1.5 = 150.
    expect([...resizeArea(img, 2, 1).data]).toEqual([30, 150])
  })

  it('keeps a constant image constant, per channel, and returns the input when the size is unchanged', () => {
    const img: Image = { width: 7, height: 5, channels: 3, data: new Uint8Array(7 * 5 * 3).map((_, i) => [10, 20, 30][i % 3]!) }
    const out = resizeArea(img, 3, 2)
    expect([out.width, out.height, out.channels]).toEqual([3, 2, 3])
    expect([...out.data]).toEqual([10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30])
    expect(resizeArea(img, 7, 5)).toBe(img)
    expect(() => resizeArea(img, 0, 2)).toThrow('Expected width to be a positive integer but received 0')
  })
})

describe('downsample2x', () => {
  it('halves with a 2x2 mean; odd edges pair with themselves (ceil size)', () => {
    const plane = Float64Array.from([1, 2, 3, 4, 5, 6]) // 3 wide, 2 high
    const out = downsamplePlane2x(plane, 3, 2)
    expect([out.width, out.height]).toEqual([2, 1])
    expect([...out.data]).toEqual([(1 + 2 + 4 + 5) / 4, (3 + 3 + 6 + 6) / 4])
    const img: Image = { width: 3, height: 2, channels: 1, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) }
    expect([...downsample2x(img).data]).toEqual([3, 5]) // 3 and 4.5 rounded half up
    expect(() => downsamplePlane2x(plane, 4, 2)).toThrow('Expected plane to hold 8 values (4x2) but received 6')
  })
})

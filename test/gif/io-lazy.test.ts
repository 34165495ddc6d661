import { describe, expect, it, vi } from 'vitest'

// Count which frames omggif is asked to decode (its methods are own properties, so wrap instances).
const decoded = vi.hoisted(() => [] as number[])
vi.mock('omggif', async (importOriginal) => {
  const real = await importOriginal<typeof import('omggif')>()
  class CountingReader extends real.GifReader {
    constructor(buf: ConstructorParameters<typeof real.GifReader>[0]) {
      super(buf)
      const blit = this.decodeAndBlitFrameRGBA.bind(this)
      this.decodeAndBlitFrameRGBA = (i, pixels) => {
        decoded.push(i)
        blit(i, pixels)
      }
    }
  }
  return { ...real, GifReader: CountingReader }
})

const { decodeGif } = await import('../../src/gif/io.ts')
const { synthesizeGif } = await import('../../src/gif/synth.ts')

describe('decodeGif with frames', () => {
  it('decodes only up to the highest requested index', async () => {
    const { buffer } = await synthesizeGif({ frames: 12, width: 24, height: 16, content: 'motion', seed: 2 })
    decoded.length = 0
    const gif = await decodeGif(buffer, { frames: [4, 1] })
    expect(gif.frames.length).toBe(2)
    expect(Math.max(...decoded)).toBe(4)
    expect(decoded.length).toBeLessThanOrEqual(5)
  })
})

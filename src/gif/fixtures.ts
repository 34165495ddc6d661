/**
 * Input GIFs for the GifLab scenarios: synthesized, compressed, and kept on disk so that the many
 * independent runs (processes) of a benchmark, and later runs, do not pay for generating them.
 * Generation is deterministic; the file name is a hash of everything that shapes the bytes.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stableStringify } from '../util/json.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { compressGif } from './compress.ts'
import type { GifFrames } from './image.ts'
import { encodeGif, loadSharp } from './io.ts'
import { synthesizeFrames, type SynthContent } from './synth.ts'

/** Bump when the generator's output changes for the same parameters. */
export const FIXTURE_VERSION = 1

/** What an input pair is made of. */
export interface GifFixtureSpec {
  frames: number
  width: number
  height: number
  content: SynthContent
  seed: number
  /**
   * Each drawn frame is shown this many times in a row (a 5 fps animation exported at 10 fps has
   * hold 2), as many real GIFs do; held frames decode to identical pixels.
   * @default 1
   */
  hold?: number
  /** Level of the real lossy compression (0-100) that makes the compressed GIF. */
  compressionLevel: number
}

/** An original GIF and its compressed version. */
export interface GifFixture {
  original: Buffer
  compressed: Buffer
  /** original bytes / compressed bytes. */
  ratio: number
}

/** Default cache directory for generated inputs. */
export const DEFAULT_FIXTURE_DIR = '.benchgate/fixtures'

function holdFrames(frames: GifFrames, hold: number, total: number): GifFrames {
  if (hold <= 1) return frames
  const out = Array.from({ length: total }, (_, i) => frames.frames[Math.floor(i / hold)]!)
  return { ...frames, frames: out, delays: out.map(() => frames.delays[0] ?? 100) }
}

/**
 * Returns the fixture for `spec`, generating and storing it under `dir` on first use.
 * The sharp/libvips version is part of the key: another encoder makes other bytes.
 */
export async function loadGifFixture(spec: GifFixtureSpec, dir = DEFAULT_FIXTURE_DIR): Promise<GifFixture> {
  const sharp = await loadSharp()
  const hold = spec.hold ?? 1
  const key = createHash('sha256')
    .update(stableStringify({ ...spec, hold, version: FIXTURE_VERSION, vips: sharp.versions.vips, sharp: sharp.versions.sharp }))
    .digest('hex')
    .slice(0, 20)
  const originalPath = join(dir, `${key}.original.gif`)
  const compressedPath = join(dir, `${key}.compressed.gif`)
  if (existsSync(originalPath) && existsSync(compressedPath)) {
    const original = readFileSync(originalPath)
    const compressed = readFileSync(compressedPath)
    return { original, compressed, ratio: original.length / compressed.length }
  }
  const drawn = Math.ceil(spec.frames / hold)
  const synth = synthesizeFrames({ frames: drawn, width: spec.width, height: spec.height, content: spec.content, seed: spec.seed })
  const frames = holdFrames(synth.frames, hold, spec.frames)
  const original = await encodeGif(frames, { colors: 256, dither: 0, effort: 4, loop: 0 })
  const compressed = (await compressGif(original, { compressionLevel: spec.compressionLevel })).buffer
  writeFileAtomic(originalPath, original)
  writeFileAtomic(compressedPath, compressed)
  return { original, compressed, ratio: original.length / compressed.length }
}

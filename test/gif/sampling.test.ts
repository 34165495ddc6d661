import { describe, expect, it } from 'vitest'
import { DEFAULT_WORKLOAD_CONFIG } from '../../src/config/profiles.ts'
import type { Image } from '../../src/gif/image.ts'
import {
  detectSceneCuts,
  measureSamplingSpeedup,
  samplingOptionsFromConfig,
  selectFrames,
  uniformIndices,
} from '../../src/gif/sampling.ts'

const W = 24
const H = 16

/** A flat RGB frame. */
function flat(r: number, g = r, b = r): Image {
  const data = new Uint8Array(W * H * 3)
  for (let i = 0; i < W * H; i++) data.set([r, g, b], i * 3)
  return { width: W, height: H, channels: 3, data }
}

/** A horizontal gray ramp shifted by `shift` levels (wraps): a slowly changing gradient. */
function ramp(shift: number): Image {
  const data = new Uint8Array(W * H)
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = (Math.round((x / (W - 1)) * 255) + shift) % 256
  return { width: W, height: H, channels: 1, data }
}

/** A black frame with a white vertical bar at column `x` (4 px wide). */
function bar(x: number): Image {
  const data = new Uint8Array(W * H)
  for (let y = 0; y < H; y++) for (let c = x; c < Math.min(W, x + 4); c++) data[y * W + c] = 255
  return { width: W, height: H, channels: 1, data }
}

/** 60 frames: a dark scene (0-19), a bright scene (20-44), a red scene (45-59). */
function threeScenes(): Image[] {
  return Array.from({ length: 60 }, (_, i) => (i < 20 ? flat(30 + (i % 2)) : i < 45 ? flat(220 - (i % 3)) : flat(200, 20, 20)))
}

describe('uniform', () => {
  it('keeps max(2, floor(N * rate)) evenly spaced frames, first and last included', () => {
    const frames = Array.from({ length: 100 }, (_, i) => ramp(i))
    const sel = selectFrames(frames, { strategy: 'uniform', rate: 0.2 })
    expect(sel.indices).toHaveLength(20)
    expect(sel.indices[0]).toBe(0)
    expect(sel.indices.at(-1)).toBe(99)
    expect(sel).toMatchObject({ strategy: 'uniform', requested: 'uniform', sampled: true })
    const gaps = sel.indices.slice(1).map((v, i) => v - sel.indices[i]!)
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1)

    expect(selectFrames(frames.slice(0, 40), { strategy: 'uniform', rate: 0.01 }).indices).toEqual([0, 39])
    expect(uniformIndices(5, 5)).toEqual([0, 1, 2, 3, 4])
    expect(uniformIndices(10, 3)).toEqual([0, 5, 9])
  })

  it('does not sample GIFs below min_frames_for_sampling', () => {
    const frames = Array.from({ length: 29 }, (_, i) => ramp(i))
    const sel = selectFrames(frames, { strategy: 'uniform', rate: 0.2 })
    expect(sel).toMatchObject({ strategy: 'full', requested: 'uniform', sampled: false })
    expect(sel.indices).toEqual(Array.from({ length: 29 }, (_, i) => i))
    expect(selectFrames(frames, { strategy: 'uniform', rate: 0.2, minFramesForSampling: 10 }).indices).toHaveLength(5)
  })

  it('full keeps everything; config with sampling disabled means full', () => {
    const frames = Array.from({ length: 40 }, (_, i) => ramp(i))
    expect(selectFrames(frames, { strategy: 'full' }).indices).toHaveLength(40)
    const options = samplingOptionsFromConfig(DEFAULT_WORKLOAD_CONFIG.FRAME_SAMPLING)
    expect(options.strategy).toBe('full')
    expect(samplingOptionsFromConfig({ ...DEFAULT_WORKLOAD_CONFIG.FRAME_SAMPLING, enabled: true }).strategy).toBe('adaptive')
  })
})

describe('adaptive', () => {
  it('picks more frames where the content changes', () => {
    // 30 still frames, then a bar sweeping across (a big change every frame).
    const frames = [...Array.from({ length: 30 }, () => bar(0)), ...Array.from({ length: 30 }, (_, i) => bar((i * 3) % (W - 4)))]
    const sel = selectFrames(frames, { strategy: 'adaptive', rate: 0.1, maxRate: 0.8, changeThreshold: 0.05 })
    const still = sel.indices.filter(i => i < 30).length
    const moving = sel.indices.filter(i => i >= 30).length
    expect(sel.strategy).toBe('adaptive')
    expect(sel.indices[0]).toBe(0)
    expect(sel.indices.at(-1)).toBe(59)
    expect(moving).toBeGreaterThan(3 * still)
    expect(sel.indices.length).toBeGreaterThanOrEqual(6)
    expect(sel.indices.length).toBeLessThanOrEqual(48)
  })

  it('is deterministic and stays within the rate bounds', () => {
    const frames = Array.from({ length: 50 }, (_, i) => bar(i % (W - 4)))
    const a = selectFrames(frames, { strategy: 'adaptive', rate: 0.2, maxRate: 0.4, changeThreshold: 0 })
    const b = selectFrames(frames, { strategy: 'adaptive', rate: 0.2, maxRate: 0.4, changeThreshold: 0 })
    expect(a.indices).toEqual(b.indices)
    expect(a.indices.length).toBeLessThanOrEqual(20)
    expect(a.indices.length).toBeGreaterThanOrEqual(10)
    // A still GIF still yields the minimum, spread out.
    const still = Array.from({ length: 50 }, () => bar(3))
    const s = selectFrames(still, { strategy: 'adaptive', rate: 0.2, maxRate: 0.8 })
    expect(s.indices).toHaveLength(10)
    expect(s.indices[0]).toBe(0)
    expect(s.indices.at(-1)).toBe(49)
  })
})

describe('scene-aware', () => {
  it('finds the known cuts and samples every scene', () => {
    const frames = threeScenes()
    expect(detectSceneCuts(frames, 0.3)).toEqual([20, 45])
    const sel = selectFrames(frames, { strategy: 'scene-aware', sceneThreshold: 0.3, sceneWindow: 1, minFramesPerScene: 3 })
    expect(sel.sceneCuts).toEqual([20, 45])
    expect(sel.strategy).toBe('scene-aware')
    // Each scene's first frame and the frame before each cut (window 1).
    for (const i of [0, 19, 20, 44, 45]) expect(sel.indices).toContain(i)
    for (const [start, end] of [[0, 20], [20, 45], [45, 60]] as const) {
      expect(sel.indices.filter(i => i >= start && i < end).length).toBeGreaterThanOrEqual(3)
    }
    expect(sel.indices.length).toBeLessThan(frames.length)
  })

  it('sees no cut in a slowly moving gradient', () => {
    const frames = Array.from({ length: 40 }, (_, i) => ramp(i))
    const sel = selectFrames(frames, { strategy: 'scene-aware', minFramesPerScene: 4 })
    expect(sel.sceneCuts).toEqual([])
    expect(sel.indices).toEqual([0, 13, 26, 39])
  })

  it('a wider window keeps more frames around cuts', () => {
    const sel = selectFrames(threeScenes(), { strategy: 'scene-aware', sceneWindow: 3, minFramesPerScene: 1 })
    expect(sel.indices).toEqual([0, 17, 18, 19, 20, 21, 22, 42, 43, 44, 45, 46, 47])
  })
})

describe('options', () => {
  it('refuses bad options, naming them', () => {
    const frames = Array.from({ length: 40 }, (_, i) => ramp(i))
    expect(() => selectFrames(frames, { strategy: 'random' as 'full' })).toThrow('Sampling option strategy: expected one of full, uniform, adaptive, scene-aware, received "random"')
    expect(() => selectFrames(frames, { strategy: 'uniform', rate: 0 })).toThrow('Sampling option rate: expected a number in (0, 1], received 0')
    expect(() => selectFrames(frames, { strategy: 'adaptive', rate: 0.5, maxRate: 0.2 })).toThrow('Sampling option maxRate: expected >= rate (0.5), received 0.2')
  })
})

describe('measureSamplingSpeedup', () => {
  it('reports wall-time speed-up (not a frame ratio) and the metric error', async () => {
    // A scripted clock: full takes 120 ms, sampled 30 ms.
    const ticks = [0, 120, 200, 230]
    let t = 0
    const result = await measureSamplingSpeedup(() => 0.91, async () => 0.88, { now: () => ticks[t++]! })
    expect(result.fullMs).toBe(120)
    expect(result.sampledMs).toBe(30)
    expect(result.speedup).toBe(4)
    expect(result.fullValue).toBe(0.91)
    expect(result.sampledValue).toBe(0.88)
    expect(result.absError).toBeCloseTo(0.03, 12)
  })

  it('uses the median over repeats', async () => {
    // Per repeat: full, sampled durations = (100, 10), (300, 50), (200, 20).
    const durations = [100, 10, 300, 50, 200, 20]
    const ticks: number[] = []
    let clock = 0
    for (const d of durations) {
      ticks.push(clock, clock + d)
      clock += d + 1
    }
    let t = 0
    const r = await measureSamplingSpeedup(() => 1, () => 1, { repeats: 3, now: () => ticks[t++]! })
    expect(r.fullMs).toBe(200)
    expect(r.sampledMs).toBe(20)
    expect(r.speedup).toBe(10)
    expect(r.absError).toBe(0)
  })
})

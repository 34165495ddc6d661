/**
 * Synthetic experiments for the statistics tests: batches of per-round values drawn from a
 * log-normal model with a per-batch (per-process) offset, fed straight into the analysis.
 */
import { createRng } from '../../src/stats/random.ts'
import type { Experiment, SampleBatch } from '../../src/ab/experiment-types.generated.ts'

export const ENV = { cpuModel: 'Synthetic CPU', cores: 4, os: 'linux-x64 6.0', node: 'v20.20.2', vitest: '4.1.12', benchgate: '0.1.0' }

/** A normal deviate from a uniform generator (Box-Muller). */
export function gaussian(rng: () => number): () => number {
  return () => {
    const u = 1 - rng()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
  }
}

export function experiment(name: string, treatments: string[] = ['treatment-1'], alpha = 0.05): Experiment {
  return {
    name,
    createdAt: '2025-01-01T00:00:00.000Z',
    status: 'active',
    alpha,
    tags: [],
    metrics: [],
    files: [],
    variants: [
      { name: 'control', role: 'control', overrides: { 'FRAME_CACHE.memory_limit_mb': 500 } },
      ...treatments.map((t, i) => ({ name: t, role: 'treatment' as const, overrides: { 'FRAME_CACHE.memory_limit_mb': 1000 * (i + 1) } })),
    ],
  }
}

/** The true effect of a variant: time multiplier, hit-rate shift, memory multiplier. */
export interface Effect { time?: number, hitRate?: number, memory?: number }

export interface SimOptions {
  /** Rounds per batch. */
  rounds?: number
  /** Within-batch sd of log time. */
  sigma?: number
  /** Between-batch sd of log time (process effect). */
  batchSigma?: number
  /** Also record a hit rate and a peak memory. */
  allMetrics?: boolean
}

/** Creates a generator of batches: `next(variant)` returns the next batch for that variant. */
export function batchSource(seed: number, effects: Record<string, Effect>, options: SimOptions = {}) {
  const rng = createRng(seed)
  const z = gaussian(rng)
  const rounds = options.rounds ?? 25
  const sigma = options.sigma ?? 0.1
  const batchSigma = options.batchSigma ?? 0.02
  let seq = 0
  return (variant: string): SampleBatch => {
    const e = effects[variant] ?? {}
    const offset = batchSigma * z()
    const time: number[] = []
    const hit: number[] = []
    const memory: number[] = []
    const memOffset = 0.01 * z()
    for (let r = 0; r < rounds; r++) {
      time.push(20 * (e.time ?? 1) * Math.exp(offset + sigma * z()))
      hit.push(Math.min(1, Math.max(0, 0.6 + (e.hitRate ?? 0) + 0.05 * z())))
      memory.push(300 * (e.memory ?? 1) * Math.exp(memOffset + 0.03 * z()))
    }
    seq++
    const metrics: SampleBatch['benchmarks'][number]['metrics'] = { time: { direction: 'lower', unit: 'ms', values: time } }
    if (options.allMetrics) {
      metrics.frame_cache_hit_rate = { direction: 'higher', unit: 'ratio', values: hit }
      metrics.memory_peak_mb = { direction: 'lower', unit: 'MB', values: memory }
    }
    const at = new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString()
    return { seq, variant, runId: `sim-${seed}`, startedAt: at, finishedAt: at, environment: ENV, benchmarks: [{ key: 'bench/sim.bench.ts > validation', metrics }] }
  }
}

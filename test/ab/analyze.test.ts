import { describe, expect, it } from 'vitest'
import { analyzeExperiment } from '../../src/ab/analyze.ts'
import type { SampleBatch } from '../../src/ab/experiment-types.generated.ts'
import { batchSource, ENV, experiment, type Effect, type SimOptions } from './simulate.ts'

/** Interleaved batches: one per variant per cycle. */
function collect(seed: number, variants: string[], effects: Record<string, Effect>, cycles: number, options: SimOptions = {}): SampleBatch[] {
  const next = batchSource(seed, effects, options)
  const batches: SampleBatch[] = []
  for (let c = 0; c < cycles; c++) for (const v of variants) batches.push(next(v))
  return batches
}

const decision = (a: ReturnType<typeof analyzeExperiment>, name: string) => a.treatments.find(t => t.name === name)!

describe('a synthetic experiment, fed straight into the statistics (25 rounds per batch)', () => {
  it('recommends a treatment that is truly 15 % faster once the runbook\'s 1000 samples are in, not before', () => {
    const exp = experiment('faster')
    const next = batchSource(7, { 'treatment-1': { time: 0.85 } })
    const batches: SampleBatch[] = []
    for (let c = 0; c < 20; c++) batches.push(next('control'), next('treatment-1'))
    const early = analyzeExperiment(exp, batches)
    const comparison = early.metrics[0]!.comparisons[0]!
    expect(comparison.samples).toBe(500)
    expect(comparison.verdict).toBe('better')
    expect(comparison.criterionMet).toBe(true)
    expect(decision(early, 'treatment-1').recommendation).toBe('continue')
    expect(decision(early, 'treatment-1').reasons.join('\n')).toContain('but only 500 of the 1000 samples the runbook requires')
    expect(early.winner).toBeNull()

    for (let c = 0; c < 20; c++) batches.push(next('control'), next('treatment-1'))
    const done = analyzeExperiment(exp, batches)
    const c = done.metrics[0]!.comparisons[0]!
    expect(c.samples).toBe(1000)
    expect(c.change!).toBeGreaterThan(-0.2)
    expect(c.change!).toBeLessThan(-0.1)
    expect(c.interval!.lower).toBeLessThan(-0.15)
    expect(c.interval!.upper).toBeGreaterThan(-0.15)
    expect(c.pAlwaysValidAdjusted).toBeLessThanOrEqual(0.05)
    expect(decision(done, 'treatment-1').recommendation).toBe('deploy')
    expect(done.winner).toBe('treatment-1')
    expect(done.recommendation).toBe('Deploy treatment-1')
  })

  it('does not recommend an A/A experiment, and keeps the control once the samples are in', () => {
    const a = analyzeExperiment(experiment('aa'), collect(11, ['control', 'treatment-1'], {}, 44))
    expect(a.winner).toBeNull()
    expect(a.metrics[0]!.comparisons[0]!.verdict).toBe('no-difference')
    expect(decision(a, 'treatment-1').recommendation).toBe('keep-control')
    expect(a.recommendation).toBe('Keep control: no treatment met the runbook\'s criteria')
  })

  it('does not test before each variant has 2 batches and 10 samples', () => {
    const a = analyzeExperiment(experiment('young'), collect(3, ['control', 'treatment-1'], { 'treatment-1': { time: 0.5 } }, 1))
    const c = a.metrics[0]!.comparisons[0]!
    expect(c.verdict).toBe('not-tested')
    expect(c.pAlwaysValid).toBe(1)
    expect(decision(a, 'treatment-1').reasons[0]).toContain('not tested yet')
  })
})

describe('the recommendation respects metric direction and the criteria', () => {
  const all = { allMetrics: true }

  it('picks the best deployable treatment, not the first', () => {
    const variants = ['control', 'modest', 'best', 'tiny']
    const exp = experiment('three', ['modest', 'best', 'tiny'])
    const a = analyzeExperiment(exp, collect(5, variants, { modest: { time: 0.87 }, best: { time: 0.78 }, tiny: { time: 0.97 } }, 44))
    expect(decision(a, 'modest').recommendation).toBe('deploy')
    expect(decision(a, 'best').recommendation).toBe('deploy')
    expect(decision(a, 'best').score!).toBeGreaterThan(decision(a, 'modest').score!)
    expect(decision(a, 'tiny').recommendation).toBe('keep-control')
    expect(a.winner).toBe('best')
    expect(a.recommendation).toBe('Deploy best (best of 2 deployable treatments: best, modest)')
    expect(a.comparisons).toBe(3)
  })

  it('a slower treatment is worse, not "a 15 % change": latency is lower-is-better', () => {
    const a = analyzeExperiment(experiment('slower'), collect(9, ['control', 'treatment-1'], { 'treatment-1': { time: 1.15 } }, 44))
    expect(a.metrics[0]!.comparisons[0]!.verdict).toBe('worse')
    expect(decision(a, 'treatment-1').recommendation).toBe('keep-control')
    expect(decision(a, 'treatment-1').reasons[0]).toMatch(/› time \+1[3-7]\.\d %: significantly worse/)
    expect(a.winner).toBeNull()
  })

  it('a higher cache hit rate is better, a lower one worse (higher-is-better, > 5 points)', () => {
    const exp = experiment('hits', ['more_hits', 'fewer_hits'])
    const a = analyzeExperiment(exp, collect(13, ['control', 'more_hits', 'fewer_hits'], { more_hits: { hitRate: 0.1 }, fewer_hits: { hitRate: -0.1 } }, 44, all))
    const hit = a.metrics.find(m => m.metric === 'frame_cache_hit_rate')!
    expect(hit.kind).toBe('hit_rate')
    expect(hit.scale).toBe('difference')
    expect(hit.comparisons.find(c => c.treatment === 'more_hits')!.verdict).toBe('better')
    expect(hit.comparisons.find(c => c.treatment === 'fewer_hits')!.verdict).toBe('worse')
    expect(decision(a, 'more_hits').recommendation).toBe('deploy')
    expect(decision(a, 'fewer_hits').recommendation).toBe('keep-control')
    expect(a.winner).toBe('more_hits')
    expect(a.comparisons).toBe(6)
  })

  it('a faster treatment that costs 30 % more memory breaks the guardrail (< 20 % increase)', () => {
    const exp = experiment('hungry', ['hungry', 'lean'])
    const a = analyzeExperiment(exp, collect(17, ['control', 'hungry', 'lean'], { hungry: { time: 0.8, memory: 1.3 }, lean: { time: 0.85, memory: 1.1 } }, 44, all))
    const memory = a.metrics.find(m => m.metric === 'memory_peak_mb')!
    expect(memory.kind).toBe('memory')
    expect(memory.role).toBe('guardrail')
    expect(decision(a, 'hungry').recommendation).toBe('keep-control')
    expect(decision(a, 'hungry').reasons.join('\n')).toContain('breaks the guardrail (< 20 % increase)')
    expect(decision(a, 'lean').recommendation).toBe('deploy')
    expect(a.winner).toBe('lean')
  })

  it('warns when a machine measured only some of the variants', () => {
    const batches = collect(19, ['control', 'treatment-1'], {}, 4)
    const other = { ...ENV, cpuModel: 'Other CPU' }
    batches.push({ ...batches[0]!, seq: 99, environment: other })
    const a = analyzeExperiment(experiment('machines'), batches)
    expect(a.warnings).toEqual(['samples come from 2 machines and Other CPU (4 cores) has none of treatment-1: the machine is confounded with the variant; run every variant on each machine (ab run does)'])
    expect(a.variants.map(v => v.machines)).toEqual([2, 1])
  })
})

interface Rates { deploy: number, reject: number, naive: number, n: number }

/**
 * Simulated experiments, looked at every `lookEvery` batches per variant up to `maxBatches`:
 * how often any look recommended deploying, how often the always-valid test rejected, and how
 * often a fixed-horizon Welch test (p < 0.05) would have.
 */
function peeking(experiments: number, effect: Effect, options: SimOptions & { maxBatches: number, lookEvery: number, seed: number }): Rates {
  const rates = { deploy: 0, reject: 0, naive: 0, n: experiments }
  for (let e = 0; e < experiments; e++) {
    const exp = experiment(`sim-${e}`)
    const next = batchSource(options.seed + e, { 'treatment-1': effect }, options)
    const batches: SampleBatch[] = []
    let deploy = false
    let reject = false
    let naive = false
    for (let b = 1; b <= options.maxBatches; b++) {
      batches.push(next('control'), next('treatment-1'))
      if (b % options.lookEvery !== 0) continue
      const a = analyzeExperiment(exp, batches)
      deploy ||= a.winner !== null
      for (const m of a.metrics) {
        const c = m.comparisons[0]!
        reject ||= c.verdict === 'better' || c.verdict === 'worse'
        naive ||= (c.pWelch ?? 1) < 0.05
      }
    }
    if (deploy) rates.deploy++
    if (reject) rates.reject++
    if (naive) rates.naive++
  }
  return { deploy: rates.deploy / experiments, reject: rates.reject / experiments, naive: rates.naive / experiments, n: experiments }
}

describe('peeking: repeated looks do not inflate false recommendations (alpha 0.05)', () => {
  // 25 rounds per batch, a look every 2 batches (50 samples per variant) up to 1500 samples; rounds
  // vary within a process (sd 0.1 on the log scale) and processes differ (sd 0.05), as on a busy box.
  const look = { rounds: 25, sigma: 0.1, batchSigma: 0.05, maxBatches: 60, lookEvery: 2 }

  it('A/A over 500 simulated experiments: false recommendation and false rejection rates stay <= alpha', () => {
    const aa = peeking(500, {}, { ...look, seed: 100_000 })
    console.info(`A/A, 500 experiments, 30 looks each: deploy ${aa.deploy}, always-valid rejection ${aa.reject}, fixed-horizon Welch at every look ${aa.naive}`)
    expect(aa.deploy).toBeLessThanOrEqual(0.05)
    expect(aa.reject).toBeLessThanOrEqual(0.05)
    // the same looks with a fixed-horizon test would have been wrong most of the time: the guard matters
    expect(aa.naive).toBeGreaterThan(0.3)
  }, 600_000)

  it('A/A with latency, hit rate and memory (Holm across the three): family-wise false rejections <= alpha', () => {
    const aa = peeking(200, {}, { ...look, allMetrics: true, lookEvery: 4, seed: 200_000 })
    console.info(`A/A, 3 metrics, 200 experiments, 15 looks each: deploy ${aa.deploy}, always-valid rejection (any metric) ${aa.reject}`)
    expect(aa.deploy).toBeLessThanOrEqual(0.05)
    expect(aa.reject).toBeLessThanOrEqual(0.05)
  }, 600_000)

  it('power: a treatment truly 15 % faster is recommended in >= 95 % of 200 simulated experiments', () => {
    const faster = peeking(200, { time: 0.85 }, { ...look, seed: 300_000 })
    console.info(`15 % faster, 200 experiments: deploy ${faster.deploy}, always-valid rejection ${faster.reject}`)
    expect(faster.deploy).toBeGreaterThanOrEqual(0.95)
  }, 600_000)
})

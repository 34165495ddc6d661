/**
 * The five GifLab scenarios of the runbook, with its names, sizes and tags:
 *   small_gif_validation     10 frames 256x256   quick, ci
 *   medium_gif_processing   100 frames 512x512   standard, ci
 *   large_gif_with_sampling 500 frames 800x600   comprehensive (sampling on)
 *   multi_metric_workflow    50 frames 640x480   comprehensive, ci
 *   cache_stress_test       200 frames 400x300   stress, cache (concurrent access; BENCHGATE_STRESS_TESTS=1 or --tags stress)
 */
import { bench } from 'benchgate'
import { giflabScenario } from './giflab.ts'

bench.scenario(giflabScenario({
  name: 'small_gif_validation',
  description: 'Quick smoke test: 10 frames at 256x256, SSIM and MS-SSIM, every frame compared.',
  tags: ['quick', 'ci'],
  gif: { frames: 10, width: 256, height: 256, content: 'gradient', hold: 2, compressionLevel: 60 },
  metrics: ['ssim', 'msSsim'],
  sampling: false,
  rounds: 10,
  warmupRounds: 3,
  validationHitRateMin: 0.4,
}))

bench.scenario(giflabScenario({
  name: 'medium_gif_processing',
  description: 'Standard workload: 100 frames at 512x512 with frame sampling, SSIM, MS-SSIM and the perceptual metric.',
  tags: ['standard', 'ci'],
  gif: { frames: 100, width: 512, height: 512, content: 'motion', hold: 2, compressionLevel: 70 },
  metrics: ['ssim', 'msSsim', 'perceptual'],
  sampling: { strategy: 'uniform', rate: 0.2 },
  rounds: 6,
  warmupRounds: 1,
}))

bench.scenario(giflabScenario({
  name: 'large_gif_with_sampling',
  description: 'Sampling and memory efficiency: 500 frames at 800x600 with scene cuts, scene-aware sampling, SSIM and MS-SSIM on the sampled frames.',
  tags: ['comprehensive', 'extended'],
  gif: { frames: 500, width: 800, height: 600, content: 'scenes', hold: 2, compressionLevel: 80 },
  metrics: ['ssim', 'msSsim'],
  sampling: { strategy: 'scene-aware' },
  // Decoded, this GIF is 960 MB: more than the default 500 MB frame cache holds (it would be
  // returned uncached, every request a miss), so it runs with high_throughput's cache size.
  config: { FRAME_CACHE: { memory_limit_mb: 2000 } },
  // scene-aware sampling keeps the frames around cuts, where similarity differs most: its mean
  // is biased by up to a few hundredths of SSIM against the all-frames mean.
  samplingErrorMax: 0.05,
  rounds: 5,
  warmupRounds: 1,
}))

bench.scenario(giflabScenario({
  name: 'multi_metric_workflow',
  description: 'Every metric on 50 frames at 640x480 with scene cuts: cache interaction between metric steps.',
  tags: ['comprehensive', 'ci'],
  gif: { frames: 50, width: 640, height: 480, content: 'scenes', hold: 2, compressionLevel: 75 },
  metrics: ['ssim', 'msSsim', 'perceptual'],
  sampling: false,
  rounds: 6,
  warmupRounds: 1,
}))

const stress = process.env.BENCHGATE_STRESS_TESTS === '1' || (process.env.BENCHGATE_TAGS ?? '').split(/[\s,]+/).some(t => t === 'stress' || t === 'cache')
;(stress ? bench.scenario : skipScenario)(giflabScenario({
  name: 'cache_stress_test',
  description: 'Cache eviction and concurrent access: 8 validations of 3 GIF pairs (200 frames at 400x300), 4 at a time, sharing the caches.',
  tags: ['stress', 'cache'],
  gif: { frames: 200, width: 400, height: 300, content: 'motion', hold: 2, compressionLevel: 85, seeds: [1, 2, 3] },
  metrics: ['ssim'],
  sampling: false,
  rounds: 8,
  warmupRounds: 2,
  validationsPerRound: 8,
  concurrency: 4,
  validationHitRateMin: 0.4,
}))

function skipScenario(definition: { name: string }): void {
  bench.skip(definition.name, () => {})
}

// cache_stress_test: cache eviction and concurrent access (runbook: 200 frames 400x300, stress).
// Runs only when asked for: BENCHGATE_STRESS_TESTS=1, or a tag filter naming stress or cache.
import { bench } from 'benchgate'
import { giflabScenario } from '../giflab.ts'

const requested = process.env.BENCHGATE_STRESS_TESTS === '1'
  || (process.env.BENCHGATE_TAGS ?? '').split(/[\s,]+/).some(tag => tag === 'stress' || tag === 'cache')

const definition = giflabScenario({
  name: 'cache_stress_test',
  description: 'Cache eviction and concurrent access: 8 validations of 3 GIF pairs (200 frames at 400x300), 4 at a time, sharing the caches.',
  tags: ['stress', 'cache'],
  gif: { frames: 200, width: 400, height: 300, content: 'motion', hold: 2, compressionLevel: 85, seeds: [1, 2, 3] },
  metrics: ['ssim'],
  sampling: false,
  validationsPerRound: 8,
  concurrency: 4,
  validationHitRateMin: 0.4,
  rounds: 5,
  warmupRounds: 1,
  maxRuns: 3,
})

if (requested) bench.scenario(definition)
else bench.skip(definition.name, () => {})

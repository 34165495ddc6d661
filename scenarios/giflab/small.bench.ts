// small_gif_validation: the quick smoke test (runbook: 10 frames 256x256, quick + ci).
import { bench } from 'benchgate'
import { giflabScenario } from '../giflab.ts'

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

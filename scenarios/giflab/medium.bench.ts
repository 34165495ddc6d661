// medium_gif_processing: the standard workload (runbook: 100 frames 512x512, standard + ci).
import { bench } from 'benchgate'
import { giflabScenario } from '../giflab.ts'

bench.scenario(giflabScenario({
  name: 'medium_gif_processing',
  description: 'Standard workload: 100 frames at 512x512 with frame sampling, SSIM, MS-SSIM and the perceptual metric.',
  tags: ['standard', 'ci'],
  gif: { frames: 100, width: 512, height: 512, content: 'motion', hold: 2, compressionLevel: 70 },
  metrics: ['ssim', 'msSsim', 'perceptual'],
  sampling: { strategy: 'uniform', rate: 0.2 },
  rounds: 5,
  warmupRounds: 1,
}))

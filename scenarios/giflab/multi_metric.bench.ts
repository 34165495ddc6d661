// multi_metric_workflow: every metric, cache interaction between metric steps (runbook: 50 frames
// 640x480, comprehensive + ci).
import { bench } from 'benchgate'
import { giflabScenario } from '../giflab.ts'

bench.scenario(giflabScenario({
  name: 'multi_metric_workflow',
  description: 'Every metric on 50 frames at 640x480 with scene cuts: cache interaction between metric steps.',
  tags: ['comprehensive', 'ci'],
  gif: { frames: 50, width: 640, height: 480, content: 'scenes', hold: 2, compressionLevel: 75 },
  metrics: ['ssim', 'msSsim', 'perceptual'],
  sampling: false,
  rounds: 5,
  warmupRounds: 1,
}))

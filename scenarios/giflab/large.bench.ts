// large_gif_with_sampling: sampling and memory efficiency (runbook: 500 frames 800x600,
// comprehensive). Its own process, like every file: its 2 GB of decoded frames must not raise the
// memory peak of the scenarios measured after it.
import { bench } from 'benchgate'
import { giflabScenario } from '../giflab.ts'

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
  // A run costs about 30 s (setup validates all 500 frames once, for the speed-up's denominator,
  // which also warms it up; a round is about 5 s): 3 runs of 3 rounds keep the full set within
  // the runbook's 5 CI minutes.
  rounds: 3,
  warmupRounds: 0,
  maxRuns: 3,
}))

import { configDefaults, defineConfig } from 'vitest/config'
import base from './vitest.config.ts'

// The timing tier (`npm run test:timing`): tests where the clock decides (a real slowdown detected,
// an improvement, an A/A run passing, rounds: 'auto' stopping early). They run one file at a time so
// that the suite is not the noise the gate must see through; the gate pins its measured processes
// itself. Each test retries on its own terms (re-recording its baseline first).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/timing/**/*.test.ts'],
    // the product's default placement (the clock decides here)
    env: {},
    exclude: [...configDefaults.exclude],
    fileParallelism: false,
    maxWorkers: 1,
    outputFile: { json: '.tmp/test-results-timing.json' },
  },
})

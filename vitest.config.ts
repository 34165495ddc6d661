import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { configDefaults, defineConfig } from 'vitest/config'
import { benchgate } from './plugin/index.ts'
import { EndToEndFirst } from './test/setup/sequencer.ts'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

// The default tier (`npm test`): unit tests, in-process gate tests and integration tests whose
// verdicts come from work counters or deterministic values, so that test files can run side by
// side. Tests where the clock decides live in test/timing/ and run one at a time in their own tier
// (vitest.timing.config.ts, `npm run test:timing`).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^benchgate$/, replacement: r('./plugin/entry.ts') },
      { find: /^benchgate\/plugin$/, replacement: r('./plugin/index.ts') },
      { find: /^benchgate\/reporters$/, replacement: r('./reporters/index.ts') },
      { find: /^benchgate\/gif$/, replacement: r('./src/gif/index.ts') },
    ],
  },
  plugins: [benchgate()],
  test: {
    benchmark: { include: ['scenarios/**/*.bench.ts'] },
    // The GifLab scenarios collect the previous round's garbage before each round (beforeRound).
    execArgv: ['--expose-gc'],
    include: ['test/**/*.test.ts'],
    // fixture projects load benchgate from dist/ by its package name (test/setup/dist.ts)
    globalSetup: ['test/setup/dist.ts'],
    // Benchmark processes the tests spawn run where the OS puts them, without machine probes, and
    // give plain benches a tenth of a plain run's time in all (test/helpers/run.ts); the projects
    // of several files that tests write or keep in test/fixtures run each run's files in one
    // process (isolated()): no verdict here depends on their speed or on a process per file,
    // pinned they would all queue on the one fastest CPU, and the probes, the tinybench time and
    // the process start-ups were most of their work. Tests of any of these set it.
    env: { TEST_SPAWN_CPU: 'off', TEST_SPAWN_PROBES: 'off', TEST_SPAWN_TIME_BUDGET: '0.1', TEST_SPAWN_ISOLATE: 'off' },
    exclude: [...configDefaults.exclude, 'test/timing/**', 'test/instructions/**'],
    // Generous: test files share the CPUs, and a verdict here never depends on how long a run took.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // Most integration tests wait on the `vitest bench` processes they spawn, so one more test file
    // than CPUs keeps the machine busy (vitest's default is one fewer: a single file on 2 CPUs).
    fileParallelism: true,
    // One module graph per worker, not per file: importing src/ again for each of ~100 files was a
    // sixth of the tier's CPU. Test files restore what they change (env, spies, mocks) and pass in
    // any order (`--sequence.seed <n>` shuffles them).
    isolate: false,
    // End-to-end files (test/integration/, test/v5/) first: they are the long ones.
    sequence: { sequencer: EndToEndFirst },
    maxWorkers: availableParallelism() + 1,
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/test-results.json' },
  },
})

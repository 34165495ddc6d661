import type { BaselineFile } from '../../src/baseline/types.generated.ts'

// A plain bench whose calls each take 10 ms of wall time, so that the samples a run takes count
// the tinybench time it ran for: 600 ms measured, no warm-up to speak of. Used by the vitest 4 and
// vitest 5 tests of `timeBudget` (test/integration/time-share.test.ts, test/v5/time-share-v5.test.ts).
export const WAIT_BENCH_FILE = 'bench/wait.bench.ts'
export const WAIT_BENCH_KEY = 'bench/wait.bench.ts > wait'
export const WAIT_BENCH = `import { bench } from 'benchgate'
const wait = () => { const end = performance.now() + 10; while (performance.now() < end) {} }
bench('wait', wait, { time: 600, warmupTime: 0, iterations: 1, warmupIterations: 1 })
`

/**
 * The samples each run of the wait bench took. Its full time fits about 60; a run that waited on
 * the CPU fits fewer, never more, so "at least 20" tells a full run and "at most 8" a share of 5 %
 * (30 ms, 3 or 4 samples) on a loaded machine too.
 */
export function waitSamples(baseline: BaselineFile): number[] {
  return baseline.entries[WAIT_BENCH_KEY]!.metrics.time!.runs.map(run => run.length)
}

/** `BENCHGATE_TIME_BUDGET` for 2 runs: the full time in each (share 1), or 5 % of it (share 0.05). */
export const FULL_TIME = { BENCHGATE_TIME_BUDGET: '2' }
export const SHARED_TIME = { BENCHGATE_TIME_BUDGET: '0.1' }

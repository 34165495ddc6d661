import { expect } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import type { TempProject } from './project.ts'

// A plain bench whose calls each take 10 ms of wall time, so that the samples a run takes count
// the tinybench time it ran for: 600 ms measured, no warm-up to speak of. Used by the vitest 4 and
// vitest 5 tests of `timeBudget` (test/integration/time-share.test.ts, test/v5/time-share-v5.test.ts).
export const WAIT_BENCH_FILE = 'bench/wait.bench.ts'
const WAIT_BENCH_KEY = 'bench/wait.bench.ts > wait'
export const WAIT_BENCH = `import { bench } from 'benchgate'
const wait = () => { const end = performance.now() + 10; while (performance.now() < end) {} }
bench('wait', wait, { time: 600, warmupTime: 0, iterations: 1, warmupIterations: 1 })
`

/**
 * The samples each run of the wait bench took. Its full time fits about 60; a run that waited on
 * the CPU fits fewer, never more, so "at least 20" tells a full run and "at most 8" a share of 5 %
 * (30 ms, 3 or 4 samples) on a loaded machine too.
 */
function waitSamples(baseline: BaselineFile): number[] {
  return baseline.entries[WAIT_BENCH_KEY]!.metrics.time!.runs.map(run => run.length)
}

/**
 * Records the wait bench (`-u`, 2 runs) with the full time in each run (`BENCHGATE_TIME_BUDGET` 2,
 * a share of 1), then with 5 % of it (0.1), and checks the samples each run took.
 */
export function expectTimeShared(project: TempProject): void {
  const full = project.bench(['-u'], { BENCHGATE_TIME_BUDGET: '2' })
  expect(full.code, full.stdout + full.stderr).toBe(0)
  for (const samples of waitSamples(project.baseline())) expect(samples).toBeGreaterThanOrEqual(20)
  const shared = project.bench(['-u'], { BENCHGATE_TIME_BUDGET: '0.1' })
  expect(shared.code, shared.stdout + shared.stderr).toBe(0)
  const counts = waitSamples(project.baseline())
  expect(counts).toHaveLength(2)
  for (const samples of counts) expect(samples).toBeLessThanOrEqual(8)
}

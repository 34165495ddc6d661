import { afterAll, beforeAll, expect, it } from 'vitest'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { FULL_TIME, SHARED_TIME, WAIT_BENCH, WAIT_BENCH_FILE, waitSamples } from '../helpers/time-share.ts'

// timeBudget end to end under vitest 4: a plain bench measures for timeBudget / runs of its
// tinybench time in each run (plugin/v4/runner.ts), counted in the samples each run took.
let project: TempProject
beforeAll(() => {
  project = tempProject('time-share')
  project.write(WAIT_BENCH_FILE, WAIT_BENCH)
})
afterAll(() => project.remove())

it('each of 2 runs measures a plain bench for its share of the time budget', () => {
  const full = project.bench(['-u'], FULL_TIME)
  expect(full.code, full.stdout + full.stderr).toBe(0)
  for (const samples of waitSamples(project.baseline())) expect(samples).toBeGreaterThanOrEqual(20)
  const shared = project.bench(['-u'], SHARED_TIME)
  expect(shared.code, shared.stdout + shared.stderr).toBe(0)
  const counts = waitSamples(project.baseline())
  expect(counts).toHaveLength(2)
  for (const samples of counts) expect(samples).toBeLessThanOrEqual(8)
}, 300_000)

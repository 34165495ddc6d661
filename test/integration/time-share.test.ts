import { afterAll, beforeAll, it } from 'vitest'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { expectTimeShared, WAIT_BENCH, WAIT_BENCH_FILE } from '../helpers/time-share.ts'

// timeBudget end to end under vitest 4: a plain bench measures for timeBudget / runs of its
// tinybench time in each run (plugin/v4/runner.ts), counted in the samples each run took.
let project: TempProject
beforeAll(() => {
  project = tempProject('time-share')
  project.write(WAIT_BENCH_FILE, WAIT_BENCH)
})
afterAll(() => project.remove())

it('each of 2 runs measures a plain bench for its share of the time budget', () => {
  expectTimeShared(project)
}, 300_000)

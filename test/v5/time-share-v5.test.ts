import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TINYBENCH6_TIMES } from '../../plugin/v5/worker.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { run } from '../helpers/run.ts'
import { expectTimeShared, WAIT_BENCH, WAIT_BENCH_FILE } from '../helpers/time-share.ts'
import { setupV5, v5Dir, vitest5Install } from './setup.ts'

// timeBudget under vitest 5 on Node 22: benchgate's plain bench() passes each run its share of the
// tinybench time (plugin/v5/worker.ts), counted in the samples each run took. A temp project whose
// node_modules are .cache/v5's.
let node: string
let project: TempProject

beforeAll(() => {
  node = setupV5()
  project = tempProject('share-v5', { vitest: vitest5Install(node) })
  project.write(WAIT_BENCH_FILE, WAIT_BENCH)
}, 600_000)
afterAll(() => project?.remove())

it('a bench that sets no time gets the time and warm-up time of the tinybench vitest 5 runs', () => {
  // resolved from vitest's own directory, as vitest 5 imports it
  const r = run(node, ['--input-type=module', '-e', 'const { Bench } = await import(\'tinybench\'); const b = new Bench(); console.log(JSON.stringify({ time: b.time, warmupTime: b.warmupTime }))'], { cwd: join(v5Dir, 'node_modules/vitest') })
  expect(r.code, r.stderr).toBe(0)
  expect(JSON.parse(r.stdout)).toEqual(TINYBENCH6_TIMES)
})

it('each of 2 runs measures a plain bench for its share of the time budget', () => {
  expectTimeShared(project)
}, 300_000)

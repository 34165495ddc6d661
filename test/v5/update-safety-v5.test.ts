import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { BENCH_HEAD, scenario, tempProject, type TempProject } from '../helpers/project.ts'
import { setupV5, vitest5Install } from './setup.ts'

// The -u safety of test/integration/update-safety.test.ts under vitest 5 on Node 22 (issue 13,
// items 1, 2 and 7): a file that fails to load and a skipped describe keep their entries, and the
// plugin's worker setup file loads. A temp project whose node_modules are .cache/v5's.
let project: TempProject
const A = 'bench/a.bench.ts'
const B = 'bench/b.bench.ts'
const KEYS = ['bench/a.bench.ts > alpha', 'bench/a.bench.ts > grp > beta', 'bench/b.bench.ts > gamma']
const fileA = (grp = `describe('grp', () => {\n  ${scenario('beta')}})\n`) => BENCH_HEAD + scenario('alpha') + grp
const fileB = BENCH_HEAD + scenario('gamma')
const bench = (args: string[] = []) => project.bench(args, { FIXTURE_RUNS: '2' })

function record(): BaselineFile {
  project.write(A, fileA())
  project.write(B, fileB)
  const r = bench(['-u'])
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(Object.keys(project.baseline().entries).sort()).toEqual(KEYS)
  return project.baseline()
}

beforeAll(() => {
  project = tempProject('safety-v5', { vitest: vitest5Install(setupV5()) })
}, 600_000)
afterAll(() => project?.remove())

describe('-u under vitest 5 deletes only what is provably gone', () => {
  it('keeps the entries of a file that fails to load', () => {
    const before = record()
    project.write(B, `${fileB}import './no-such-module.ts'\n`)
    const r = bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(project.baseline().entries['bench/b.bench.ts > gamma']).toEqual(before.entries['bench/b.bench.ts > gamma'])
    expect(r.stdout).toContain('bench/b.bench.ts did not load: its baseline entries were kept')
  }, 300_000)

  it('keeps the entry of a benchmark in a skipped describe, and drops one that is gone', () => {
    const before = record()
    project.write(A, fileA(`describe.skip('grp', () => {\n  ${scenario('beta')}})\n`))
    const skipped = bench(['-u'])
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0)
    expect(project.baseline().entries['bench/a.bench.ts > grp > beta']).toEqual(before.entries['bench/a.bench.ts > grp > beta'])
    project.write(A, fileA(''))
    const gone = bench(['-u'])
    expect(gone.code, gone.stdout + gone.stderr).toBe(0)
    expect(Object.keys(project.baseline().entries).sort()).toEqual(KEYS.filter(k => !k.includes('beta')))
  }, 300_000)
})

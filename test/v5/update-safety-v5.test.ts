import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { builtEntries } from '../helpers/build.ts'
import { BENCH_HEAD, scenario } from '../helpers/project.ts'
import { isolated, repoRoot, run } from '../helpers/run.ts'
import { setupV5, v5Dir, vitest5 } from './setup.ts'

// The -u safety of test/integration/update-safety.test.ts under vitest 5 on Node 22 (issue 13,
// items 1, 2 and 7): a file that fails to load and a skipped describe keep their entries, and the
// plugin's worker setup file loads. A temp project whose node_modules are .cache/v5's.
let node: string
let root: string
const A = 'bench/a.bench.ts'
const B = 'bench/b.bench.ts'
const KEYS = ['bench/a.bench.ts > alpha', 'bench/a.bench.ts > grp > beta', 'bench/b.bench.ts > gamma']
const fileA = (grp = `describe('grp', () => {\n  ${scenario('beta')}})\n`) => BENCH_HEAD + scenario('alpha') + grp
const fileB = BENCH_HEAD + scenario('gamma')
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}
const baseline = () => JSON.parse(readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile
const bench = (args: string[] = []) => run(node, [vitest5, 'bench', '--run', '--root', root, ...args], { env: { FIXTURE_RUNS: '2' } })

function record(): BaselineFile {
  write(A, fileA())
  write(B, fileB)
  const r = bench(['-u'])
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(Object.keys(baseline().entries).sort()).toEqual(KEYS)
  return baseline()
}

beforeAll(() => {
  node = setupV5()
  root = mkdtempSync(join(tmpdir(), 'benchgate-safety-v5-'))
  symlinkSync(join(v5Dir, 'node_modules'), join(root, 'node_modules'), 'dir')
  write('package.json', '{ "name": "safety-v5", "private": true, "type": "module" }\n')
  // a plain object: defineConfig from 'vitest/config' would be fine here, the fixtures avoid it
  write('vitest.config.ts', `import { benchgate } from ${JSON.stringify(builtEntries().plugin)}
export default {
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },
  plugins: [benchgate({ runs: Number(process.env.FIXTURE_RUNS ?? 2), baselineRuns: Number(process.env.FIXTURE_RUNS ?? 2) })],
  test: { isolate: ${isolated()} },
}
`)
}, 600_000)
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('-u under vitest 5 deletes only what is provably gone', () => {
  it('keeps the entries of a file that fails to load', () => {
    const before = record()
    write(B, `${fileB}import './no-such-module.ts'\n`)
    const r = bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(baseline().entries['bench/b.bench.ts > gamma']).toEqual(before.entries['bench/b.bench.ts > gamma'])
    expect(r.stdout).toContain('bench/b.bench.ts did not load: its baseline entries were kept')
  }, 300_000)

  it('keeps the entry of a benchmark in a skipped describe, and drops one that is gone', () => {
    const before = record()
    write(A, fileA(`describe.skip('grp', () => {\n  ${scenario('beta')}})\n`))
    const skipped = bench(['-u'])
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0)
    expect(baseline().entries['bench/a.bench.ts > grp > beta']).toEqual(before.entries['bench/a.bench.ts > grp > beta'])
    write(A, fileA(''))
    const gone = bench(['-u'])
    expect(gone.code, gone.stdout + gone.stderr).toBe(0)
    expect(Object.keys(baseline().entries).sort()).toEqual(KEYS.filter(k => !k.includes('beta')))
  }, 300_000)
})

import { readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { readReport } from '../../src/report/io.ts'
import { run } from '../helpers/run.ts'
import { stageSuite } from '../helpers/suites.ts'
import { builtBenchgate } from '../helpers/build.ts'
import { setupV5, v5Dir } from './setup.ts'

// Real suites' shapes on vitest 5 (Node 22, .cache/v5/ from scripts/setup-v5.sh), gated unchanged:
// fixture projects written the vitest 5 way (tests using the `bench` fixture, named in loops and by
// describe.each, bench.compare, an async describe, skip / todo, a workspace with inline and
// config-file projects) and no benchgate in their configs. `benchgate baseline` must key and store
// every benchmark with every run; `benchgate test` must compare each. Verdicts are the clock's on a
// shared machine and are not asserted. The CLI is the shared test build (test/helpers/build.ts).

const SLOW = 300_000
let node22: string
let bin: string
const roots: string[] = []

beforeAll(() => {
  node22 = setupV5()
  bin = join(builtBenchgate(), 'src/cli/bin.js')
}, 600_000)
afterAll(() => {
  for (const root of roots) rmSync(dirname(root), { recursive: true, force: true })
})

const cli = (root: string, args: string[]) => run(node22, [bin, ...args], { cwd: root, env: { BENCHGATE_REPORTERS: 'console,json' }, timeout: SLOW })
const baselineOf = (root: string) => JSON.parse(readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile

/** baseline (2 runs), then test (2 runs): every benchmark is stored with both runs, then compared. */
function gateUnchanged(root: string): string[] {
  const plain = run(node22, [join(v5Dir, 'node_modules/vitest/vitest.mjs'), 'bench', '--run'], { cwd: root, timeout: SLOW })
  expect(plain.code, plain.stdout + plain.stderr).toBe(0)
  const base = cli(root, ['baseline', '--runs', '2'])
  expect(base.code, base.stdout + base.stderr).toBe(0)
  expect(base.stdout).toMatch(/RUN\s+v5\./)
  const baseline = baselineOf(root)
  for (const entry of Object.values(baseline.entries)) expect(entry.metrics.time!.runs, entry.key).toHaveLength(2)
  const test = cli(root, ['test', '--runs', '2'])
  expect([0, 1], test.stdout + test.stderr).toContain(test.code)
  // vitest's own output once: the replica runs are not listed
  expect(test.stdout).not.toContain('benchgate-run-')
  const report = readReport(join(root, 'benchmark_results/ci_report_latest.json'))
  expect(report.benchmarks.map(b => b.key).sort()).toEqual(Object.keys(baseline.entries).sort())
  for (const bench of report.benchmarks) {
    for (const metric of bench.metrics) expect(['ok', 'improved', 'warning', 'critical', 'unstable'], `${bench.key}: ${metric.message}`).toContain(metric.verdict)
  }
  return Object.keys(baseline.entries).sort()
}

describe('real suite shapes on vitest 5', () => {
  it('a project without a vitest config: tests named in loops, bench.compare, an async describe, skip / todo', () => {
    const root = stageSuite('plain-v5', join(v5Dir, 'node_modules'))
    roots.push(root)
    expect(gateUnchanged(root)).toEqual([
      'bench/generated.bench.ts > loaded > sum > sum',
      'bench/generated.bench.ts > sort > sortCopy 10 > run',
      'bench/generated.bench.ts > sort > sortCopy 100 > run',
      'bench/generated.bench.ts > sum large > reduce vs loop > loop',
      'bench/generated.bench.ts > sum large > reduce vs loop > reduce',
      'bench/generated.bench.ts > sum small > reduce vs loop > loop',
      'bench/generated.bench.ts > sum small > reduce vs loop > reduce',
    ])
  }, SLOW)

  it('a workspace: inline projects running the same file, and a config-file package', () => {
    const root = stageSuite('workspace-v5', join(v5Dir, 'node_modules'))
    roots.push(root)
    expect(gateUnchanged(root)).toEqual([
      '[core] packages/core/bench/core.bench.ts > parse > parse',
      '[gc] bench/shared.bench.ts > spin > spin',
      '[node] bench/shared.bench.ts > spin > spin',
    ])
  }, SLOW)
})

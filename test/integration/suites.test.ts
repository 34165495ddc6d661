import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { readReport } from '../../src/report/io.ts'
import { builtCli } from '../helpers/build.ts'
import { repoRoot, run } from '../helpers/run.ts'
import { stageSuite, unprefixed, vitestBenchKeys } from '../helpers/suites.ts'

// Real suites' shapes, gated unchanged (vitest 4, the Node running this suite): fixture projects
// written like public libraries' bench suites (test/fixtures/suites/: generated names, async
// describes, skip / todo / only, tests inside bench files, per-bench tinybench options, setup
// hooks, a workspace with inline and config-file projects, a named project with its own include)
// and no benchgate in their configs. `npx benchgate baseline` must key and store every benchmark
// plain `vitest bench` measures, in every run; `npx benchgate test` must compare each of them.
// Verdicts are not asserted (these benches are timed by the clock on a shared machine): that each
// benchmark was compared, is.

const SLOW = 300_000
let bin: string
const modules = join(repoRoot, 'node_modules')
const roots: string[] = []

beforeAll(() => {
  bin = builtCli()
}, SLOW)
afterAll(() => {
  for (const root of roots) rmSync(dirname(root), { recursive: true, force: true })
})

const cli = (root: string, args: string[]) => run(process.execPath, [bin, ...args], { cwd: root, env: { BENCHGATE_REPORTERS: 'console,json' }, timeout: SLOW })
const baselineOf = (root: string) => JSON.parse(readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile

/** Plain `vitest bench --run` in the project, as its own script runs it: the benchmarks it measures. */
function plainBench(root: string): string[] {
  const out = join(root, 'vitest-bench.json')
  const r = run(process.execPath, [join(modules, 'vitest/vitest.mjs'), 'bench', '--run', '--outputJson', out], { cwd: root, timeout: SLOW })
  expect(r.code, r.stdout + r.stderr).toBe(0)
  return vitestBenchKeys(out, root)
}

/** baseline (2 runs), then test (2 runs): every benchmark vitest measured is stored with both runs, then compared. */
function gateUnchanged(root: string, extra: string[] = []): BaselineFile {
  const base = cli(root, ['baseline', '--runs', '2', ...extra])
  expect(base.code, base.stdout + base.stderr).toBe(0)
  const baseline = baselineOf(root)
  for (const entry of Object.values(baseline.entries)) {
    expect(entry.metrics.time!.runs, entry.key).toHaveLength(2)
  }
  const test = cli(root, ['test', '--runs', '2', ...extra])
  expect([0, 1], test.stdout + test.stderr).toContain(test.code)
  const report = readReport(join(root, 'benchmark_results/ci_report_latest.json'))
  expect(report.benchmarks.map(b => b.key).sort()).toEqual(Object.keys(baseline.entries).sort())
  for (const bench of report.benchmarks) {
    for (const metric of bench.metrics) expect(['ok', 'improved', 'warning', 'critical', 'unstable'], `${bench.key}: ${metric.message}`).toContain(metric.verdict)
  }
  return baseline
}

describe('real suite shapes on vitest 4', () => {
  it('a project without a vitest config: generated names, async describes, modifiers, tests in bench files, per-bench options', () => {
    const root = stageSuite('plain-v4', modules)
    roots.push(root)
    const measured = plainBench(root)
    const baseline = gateUnchanged(root)
    expect(Object.keys(baseline.entries).sort()).toEqual(measured)
    expect(measured).toEqual(expect.arrayContaining([
      'bench/generated.bench.ts > sort > sortCopy 1000',
      "bench/generated.bench.ts > sum 'large' > loop",
      'bench/generated.bench.ts > with setup and teardown hooks',
      'bench/async-describe.bench.ts > digest > medium',
      'bench/with-tests.bench.ts > checked > sortCopy 64',
    ]))
    // skipped, todo and conditional benches are neither measured nor keyed; tests are not benches
    expect(measured.filter(k => k.startsWith('bench/modifiers.bench.ts'))).toEqual(['bench/modifiers.bench.ts > runs'])
    expect(measured.some(k => /sorts|sums/.test(k))).toBe(false)

    // a bench file that fails to load (a broken import) fails the run as one row, and -u keeps its entries
    writeFileSync(join(root, 'bench/modifiers.bench.ts'), "import { missing } from 'no-such-package'\nmissing()\n")
    const broken = cli(root, ['baseline', '--runs', '2'])
    expect(broken.code, broken.stdout + broken.stderr).toBe(1)
    expect(broken.stdout).toMatch(/ERROR: bench\/modifiers\.bench\.ts \[time\] .*the file failed to load: .*no-such-package/)
    expect(Object.keys(baselineOf(root).entries).sort()).toEqual(measured)
  }, SLOW)

  it('a workspace: inline projects (the same files in two), a config-file package, .only, setup files; --project selects', () => {
    const root = stageSuite('workspace-v4', modules)
    roots.push(root)
    const measured = plainBench(root)
    const baseline = gateUnchanged(root)
    const keys = Object.keys(baseline.entries).sort()
    // every benchmark vitest measured, once per project that ran it, keyed by that project
    expect(unprefixed(keys)).toEqual(measured)
    expect(keys).toEqual([
      '[core] packages/core/bench/core.bench.ts > parse',
      '[gc] bench/focused.bench.ts > focused',
      '[gc] bench/shared.bench.ts > shared > feature on',
      '[gc] bench/shared.bench.ts > shared > gc available',
      '[node] bench/focused.bench.ts > focused',
      '[node] bench/shared.bench.ts > shared > feature on',
      '[node] bench/shared.bench.ts > shared > gc available',
    ])

    // one project: only its benchmarks are compared, the others' entries are neither missing nor touched
    const before = readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')
    const only = cli(root, ['test', '--runs', '2', '--project', 'core'])
    expect([0, 1], only.stdout + only.stderr).toContain(only.code)
    const report = readReport(join(root, 'benchmark_results/ci_report_latest.json'))
    expect(report.benchmarks.map(b => b.key)).toEqual(['[core] packages/core/bench/core.bench.ts > parse'])
    const update = cli(root, ['baseline', '--runs', '2', '--project', 'gc'])
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const after = baselineOf(root)
    expect(Object.keys(after.entries).sort()).toEqual(keys)
    const untouched = JSON.parse(before) as BaselineFile
    expect(after.entries['[node] bench/focused.bench.ts > focused']).toEqual(untouched.entries['[node] bench/focused.bench.ts > focused'])
  }, SLOW)

  it('a named project with its own benchmark include and worker flags', () => {
    const root = stageSuite('named-v4', modules)
    roots.push(root)
    const measured = plainBench(root)
    const baseline = gateUnchanged(root)
    expect(Object.keys(baseline.entries).sort()).toEqual(measured)
    expect(measured).toEqual(['perf/clone.bench.ts > clone > JSON round trip', 'perf/clone.bench.ts > clone > structuredClone'])
  }, SLOW)
})

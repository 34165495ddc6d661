import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readReport } from '../../src/report/io.ts'
import { repoRoot, run, type RunResult } from '../helpers/run.ts'
import { packBenchgate } from '../v5/setup.ts'

// Packs benchgate, installs the tarball into a copy of examples/basic exactly as a user would
// (`npm install`), and runs the gate there: broken exports, a second copy of vitest, or a heavy
// dependency loaded at import time fail here.
let work: string
let project: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'benchgate-example-'))
  // staged with the shared test build: the repo's dist/ is left alone (other test files use it)
  const tarball = packBenchgate(work)
  project = join(work, 'basic')
  cpSync(join(repoRoot, 'examples/basic'), project, { recursive: true, filter: src => !src.includes('node_modules') && !src.includes('/baselines') })
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, timeout: 300_000 })
  expect(install.code, install.stdout + install.stderr).toBe(0)
}, 400_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

// The example's plugin takes the default 5 runs; what is checked here (keys, exit codes) does not
// depend on the number of runs, so 2 do (through the variables a user would set), with the JSON
// report beside the console's.
const TWO_RUNS = { BENCHGATE_RUNS: '2', BENCHGATE_BASELINE_RUNS: '2', BENCHGATE_REPORTERS: 'console,json' }
const KEYS = ['bench/text.bench.ts > count words', 'bench/text.bench.ts > join words', 'bench/text.bench.ts > sort words']

/**
 * A gate run of the unchanged example compared the benchmarks `keys`, the counter held, and the exit code
 * and summary line say what the report decided. Its wall-time verdicts are the clock's on a shared
 * machine (2 runs a side: one unchanged `join words` measured +60 % CRITICAL here once), so they may
 * fail it: then only time metrics failed, and the run exits 1.
 */
function expectGateRan(gateRun: () => RunResult, keys: readonly string[]): void {
  const latest = join(project, 'benchmark_results/ci_report_latest.json')
  rmSync(latest, { force: true })
  const gate = gateRun()
  const report = readReport(latest)
  expect(report.benchmarks.map(b => b.key).sort()).toEqual(keys)
  const metrics = report.benchmarks.flatMap(b => b.metrics)
  expect(metrics.find(m => m.metric === 'distinct_words')?.verdict).toBe('ok')
  const failed = metrics.filter(m => m.failed)
  expect(failed.filter(m => m.metric !== 'time'), gate.stdout).toEqual([])
  expect(gate.code, gate.stdout + gate.stderr).toBe(failed.length ? 1 : 0)
  expect(gate.stdout).toContain(`benchgate: ${report.counts.passed} passed, ${report.counts.failed} failed`)
}

describe('examples/basic with the packed package', () => {
  it('has one copy of vitest and none of the heavy optional packages', () => {
    const ls = run('npm', ['ls', 'vitest', '--all', '--parseable'], { cwd: project })
    const copies = ls.stdout.split('\n').filter(l => /node_modules\/vitest$/.test(l))
    expect(copies).toHaveLength(1)
    for (const heavy of ['sharp', 'onnxruntime-node', 'better-sqlite3'])
      expect(existsSync(join(project, 'node_modules', heavy)), heavy).toBe(false)
  })

  it('imports benchgate/plugin and benchgate/reporters in a project without the optional packages', () => {
    const r = run(process.execPath, ['--input-type=module', '-e', 'await import("benchgate/plugin"); await import("benchgate/reporters"); console.log("ok")'], { cwd: project })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('ok')
  })

  it('writes a baseline with -u, then runs the gate, through vitest and through the CLI', () => {
    const update = run('npm', ['run', 'baseline'], { cwd: project, env: TWO_RUNS })
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const baseline = JSON.parse(readFileSync(join(project, 'baselines/current_baselines.json'), 'utf8'))
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    expectGateRan(() => run('npm', ['run', 'gate'], { cwd: project, env: TWO_RUNS }), KEYS)
    // the plain bench has no tags: --tags ci leaves it out
    expectGateRan(() => run('npx', ['benchgate', 'test', '--tags', 'ci'], { cwd: project, env: TWO_RUNS }), KEYS.filter(k => !k.endsWith('join words')))
  })
})

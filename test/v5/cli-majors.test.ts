import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { readReport } from '../../src/report/io.ts'
import { repoRoot, run } from '../helpers/run.ts'
import { builtBenchgate, builtEntries } from '../helpers/build.ts'
import { setupV5, v5Dir } from './setup.ts'

// `benchgate test` and `benchgate baseline`, the same commands and the same project, on both
// majors: vitest 5 on Node 22 (.cache/v5/, from scripts/setup-v5.sh), and the repo's own vitest 4
// on the Node that runs this suite (20) and on Node 22. The CLI is the shared test build in .tmp/ (test/helpers/build.ts; not dist/, which others may be
// rebuilding). Each project lies outside the repo with its node_modules linked to one vitest
// install, so the CLI must find that vitest from the project root. Its vitest config has no
// benchgate plugin: the plugin the CLI adds is the one that gates.
//
// Verdicts come from a work counter, not the clock: the scenario reports the iterations it ran as
// a custom metric (deterministic), and its time thresholds are set out of reach (100x), so a busy
// machine cannot flip a verdict. Changing CLI_WORK is the "code change".
const SLOW = 300_000
const KEYS = ['bench/work.bench.ts > plain sort', 'bench/work.bench.ts > spin', 'bench/work.bench.ts > untagged']

let node22: string
let work: string
let bin: string

const benchFile = `import { bench } from 'benchgate'

const WORK = Number(process.env.CLI_WORK ?? 20000)

function spin(n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += Math.sqrt(i)
  return acc
}

bench.scenario({
  name: 'spin',
  tags: ['ci'],
  rounds: 8,
  warmupRounds: 1,
  thresholds: { warning: 50, critical: 100 },
  run: () => { spin(WORK) },
  metrics: {
    iterations: { direction: 'lower', unit: 'iterations', thresholds: { warning: 0.05, critical: 0.1 }, collect: () => WORK },
  },
})

bench.scenario({ name: 'untagged', rounds: 5, warmupRounds: 1, run: () => { spin(1000) } })

bench('plain sort', () => { [5, 3, 1, 4, 2].sort() }, { time: 20 })
`

beforeAll(() => {
  node22 = setupV5()
  work = mkdtempSync(join(tmpdir(), 'benchgate-cli-majors-'))
  // inside the repo, so that the build resolves benchgate's dependencies from its node_modules
  bin = join(builtBenchgate(), 'src/cli/bin.js')
}, 600_000)
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

interface Major {
  major: 4 | 5
  /** The Node binary that runs the CLI. */
  node: () => string
  nodeMajor: string
  /** The node_modules holding that vitest. */
  modules: string
  tinybenchMajor: string
}

const MAJORS: Major[] = [
  { major: 5, node: () => node22, nodeMajor: 'v22', modules: join(v5Dir, 'node_modules'), tinybenchMajor: '6' },
  { major: 4, node: () => process.execPath, nodeMajor: process.version.split('.')[0]!, modules: join(repoRoot, 'node_modules'), tinybenchMajor: '2' },
  { major: 4, node: () => node22, nodeMajor: 'v22', modules: join(repoRoot, 'node_modules'), tinybenchMajor: '2' },
]

describe.each(MAJORS)('benchgate CLI on vitest $major, Node $nodeMajor', ({ major, node, nodeMajor, modules, tinybenchMajor }) => {
  let project: string
  const baselineFile = () => join(project, 'baselines/current_baselines.json')
  const readBaseline = () => JSON.parse(readFileSync(baselineFile(), 'utf8')) as BaselineFile
  const latestReport = () => readReport(join(project, 'benchmark_results/ci_report_latest.json'))
  /** `benchgate <args>` in the project, as `npx benchgate` runs it there. */
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run(node(), [bin, ...args], { cwd: project, env: { BENCHGATE_REPORTERS: 'console,json', ...env }, timeout: SLOW })

  beforeAll(() => {
    project = join(work, `project-vitest${major}-node${nodeMajor}`)
    mkdirSync(join(project, 'bench'), { recursive: true })
    symlinkSync(modules, join(project, 'node_modules'), 'dir')
    writeFileSync(join(project, 'package.json'), `{ "name": "cli-v${major}-fixture", "private": true, "type": "module" }\n`)
    // A plain object: the config needs nothing from vitest/config.
    writeFileSync(join(project, 'vitest.config.ts'), `export default {\n  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },\n}\n`)
    writeFileSync(join(project, 'bench/work.bench.ts'), benchFile)
  })

  it('baseline writes a valid baseline of every benchmark, recorded by that vitest', () => {
    const r = cli(['baseline', '--runs', '2'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/benchgate: (?!run history)/)
    // vitest's own banner: the CLI started the project's vitest
    expect(r.stdout).toMatch(new RegExp(`RUN\\s+v${major}\\.\\d+\\.\\d+`))
    const baseline = readBaseline()
    expect(validateBaseline(baseline)).toBe(true)
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    const spin = baseline.entries['bench/work.bench.ts > spin']!
    expect(spin.environment.vitest).toMatch(new RegExp(`^${major}\\.`))
    expect(spin.environment.tinybench).toMatch(new RegExp(`^${tinybenchMajor}\\.`))
    expect(spin.environment.node).toMatch(new RegExp(`^${nodeMajor}\\.`))
    expect(spin.metrics.time!.runs).toHaveLength(2)
    expect(spin.metrics.time!.runs.every(round => round.length === 8)).toBe(true)
    expect(spin.metrics.iterations!.runs.flat().every(v => v === 20000)).toBe(true)
    expect(baseline.entries['bench/work.bench.ts > plain sort']!.kind).toBe('bench')
    expect(r.stdout).toContain('+ added bench/work.bench.ts > spin')
    expect(r.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
  }, SLOW)

  it('test passes unchanged code with exit 0, writes the JSON report and leaves the baseline alone', () => {
    const before = readFileSync(baselineFile(), 'utf8')
    const r = cli(['test', '--tags', 'ci', '--runs', '2'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/bench\/work\.bench\.ts > spin\s+iterations .* ok$/m)
    expect(r.stdout).toMatch(/benchgate: 2 passed, 0 failed/)
    expect(readFileSync(baselineFile(), 'utf8')).toBe(before)
    const report = latestReport()
    expect(report.mode).toBe('compare')
    expect(report.passed).toBe(true)
    expect(report.environment.vitest).toMatch(new RegExp(`^${major}\\.`))
    expect(report.options.tags).toEqual(['ci'])
    expect(report.benchmarks.map(b => b.key)).toEqual(['bench/work.bench.ts > spin'])
    expect(report.benchmarks[0]!.metrics.find(m => m.metric === 'iterations')!.verdict).toBe('ok')
  }, SLOW)

  it('test fails a regression with exit 1, names it, and reports it critical', () => {
    const r = cli(['test', '--tags', 'ci', '--runs', '2'], { CLI_WORK: '30000' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/CRITICAL: bench\/work\.bench\.ts > spin \[iterations\] \+50\.0 %/)
    expect(r.stdout).toMatch(/benchgate: 1 passed, 1 failed/)
    const report = latestReport()
    expect(report.passed).toBe(false)
    const iterations = report.benchmarks[0]!.metrics.find(m => m.metric === 'iterations')!
    expect(iterations.verdict).toBe('critical')
    expect(iterations.failed).toBe(true)
  }, SLOW)

  it('baseline --tags accepts the change: only the tagged entry is rewritten, and test then passes', () => {
    const before = readBaseline()
    const update = cli(['baseline', '--tags', 'ci', '--runs', '2'], { CLI_WORK: '30000' })
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const after = readBaseline()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    expect(after.entries['bench/work.bench.ts > spin']!.metrics.iterations!.runs.flat().every(v => v === 30000)).toBe(true)
    for (const key of KEYS.filter(k => !k.endsWith('> spin'))) expect(after.entries[key]).toEqual(before.entries[key])
    expect(latestReport().mode).toBe('update')

    const test = cli(['test', '--tags', 'ci', '--runs', '2'], { CLI_WORK: '30000' })
    expect(test.code, test.stdout + test.stderr).toBe(0)
    expect(test.stdout).toMatch(/benchgate: 2 passed, 0 failed/)
  }, SLOW)

  it('stops with exit 2 and one line on a corrupt baseline, in test and baseline, and leaves it untouched', () => {
    const original = readFileSync(baselineFile(), 'utf8')
    const broken = original.replace('"direction": "lower"', '"direction": "sideways"')
    writeFileSync(baselineFile(), broken)
    try {
      for (const command of ['test', 'baseline']) {
        const r = cli([command, '--tags', 'ci'])
        expect(r.code, r.stdout + r.stderr).toBe(2)
        const lines = r.stderr.split('\n').filter(l => l.startsWith('benchgate:'))
        expect(lines).toHaveLength(1)
        expect(lines[0]).toContain(baselineFile())
        expect(lines[0]).toMatch(/direction: must be one of "lower", "higher"/)
        expect(readFileSync(baselineFile(), 'utf8')).toBe(broken)
      }
    }
    finally {
      writeFileSync(baselineFile(), original)
    }
  }, SLOW)
})

describe('benchgate CLI without a usable vitest', () => {
  const cli = (args: string[], cwd: string) => run(node22, [bin, ...args], { cwd })

  it('stops with exit 2 and one line when the project has no vitest, or a major it does not support', () => {
    const empty = join(work, 'no-vitest')
    mkdirSync(empty)
    const missing = cli(['test', '--root', empty], empty)
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim()).toBe(`benchgate: cannot find vitest from ${empty}: install it in the project (npm install -D vitest@4, or vitest@5 on Node 22)`)

    const old = join(work, 'vitest-3')
    mkdirSync(join(old, 'node_modules/vitest'), { recursive: true })
    writeFileSync(join(old, 'node_modules/vitest/package.json'), '{ "name": "vitest", "version": "3.2.4" }\n')
    const unsupported = cli(['baseline', '--root', old], old)
    expect(unsupported.code).toBe(2)
    expect(unsupported.stderr.trim()).toBe(`benchgate: vitest 3.2.4 (${join(old, 'node_modules/vitest/package.json')}) is not supported by this benchgate version (supported: vitest 4 and 5)`)
  })
})

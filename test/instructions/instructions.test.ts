import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { repoRoot, run, vitestBench, vitestBin } from '../helpers/run.ts'
import { requireValgrind } from '../helpers/valgrind.ts'

// `--measure instructions` end to end (slow: every benchmark worker runs under Valgrind): the
// `quick` benchmarks of test/fixtures/instructions (a CPU loop scenario and a plain bench) through
// `vitest bench` and through the CLI. Instruction counts are deterministic, so these verdicts are
// decided on counts, not on the clock: twice the work is critical every time.
const fixture = join(repoRoot, 'test/fixtures/instructions')
const cliSource = join(repoRoot, 'test/helpers/cli-source.mjs')
const SLOW = 600_000
const KEYS = ['bench/shapes.bench.ts > cpu loop', 'bench/shapes.bench.ts > plain small sum']

let dir: string
const instructionFile = () => join(dir, 'current_baselines.instructions.json')
const env = (extra: Record<string, string> = {}) => ({ BENCHGATE_BASELINE_DIR: dir, BENCHGATE_TAGS: 'quick', FIXTURE_RUNS: '1', FIXTURE_BASELINE_RUNS: '2', ...extra })
const cli = (args: string[], extra: Record<string, string> = {}) => run(process.execPath, [cliSource, ...args, '--root', fixture], { env: env(extra), timeout: SLOW })
const reportOf = (outputDir: string) => JSON.parse(readFileSync(join(outputDir, 'ci_report_latest.json'), 'utf8')) as RunReport
const metricOf = (report: RunReport, key: string) => report.benchmarks.find(b => b.key === key)!.metrics.find(m => m.metric === 'instructions')!

beforeAll(() => {
  requireValgrind(fixture)
  dir = mkdtempSync(join(tmpdir(), 'benchgate-instructions-'))
}, SLOW)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('--measure instructions (Valgrind)', () => {
  it('vitest bench -u writes an instruction baseline of its own: Ir per round, a measured noise floor, no time', () => {
    const timeFile = join(dir, 'current_baselines.json')
    writeFileSync(timeFile, '{ "schemaVersion": 1, "entries": {} }\n')
    const r = vitestBench(fixture, ['-u'], env(), SLOW)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^ {2}measure: instructions \(Ir per round, deterministic; valgrind-[\d.]+ callgrind\)$/m)
    expect(r.stdout).toMatch(/^ {2}limits: Instruction counts .* do not see I\/O waits, sleeps/m)
    const baseline = JSON.parse(readFileSync(instructionFile(), 'utf8')) as BaselineFile
    expect(validateBaseline(baseline)).toBe(true)
    expect(baseline.measure).toBe('instructions')
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    for (const key of KEYS) {
      const metrics = baseline.entries[key]!.metrics
      expect(Object.keys(metrics)).toEqual(['instructions'])
      expect(metrics.instructions!.unit).toBe('Ir')
      expect(metrics.instructions!.runs).toHaveLength(2)
      // measured from the two runs, and small: the counts are deterministic
      expect(metrics.instructions!.noiseFloor).toBeGreaterThanOrEqual(0)
      expect(metrics.instructions!.noiseFloor).toBeLessThan(0.001)
    }
    const loop = baseline.entries['bench/shapes.bench.ts > cpu loop']!.metrics.instructions!
    expect(loop.runs.every(run => run.length === 5)).toBe(true)
    // 200,000 iterations of sqrt * sin: millions of instructions, not a time in ms
    expect(loop.summary.median).toBeGreaterThan(1e6)
    // once warm, a run's rounds count the same: nothing else in the worker runs inside a round (a
    // watchdog thread waking every 200 ms moved single rounds by up to 0.4 %)
    for (const rounds of loop.runs) {
      const warm = rounds.slice(-3)
      expect((Math.max(...warm) - Math.min(...warm)) / Math.min(...warm), rounds.join(', ')).toBeLessThan(1e-4)
    }
    // the wall-time baseline is another file, left as it was
    expect(readFileSync(timeFile, 'utf8')).toBe('{ "schemaVersion": 1, "entries": {} }\n')
  }, SLOW)

  it('benchgate test --measure instructions passes unchanged code, within a hundredth of a percent', () => {
    const out = join(dir, 'unchanged')
    const r = cli(['test', '--measure', 'instructions', '--config', join(fixture, 'vitest.config.ts')], { BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const report = reportOf(out)
    expect(report.measurement?.measure).toBe('instructions')
    for (const key of KEYS) {
      const m = metricOf(report, key)
      expect(m.verdict).toBe('ok')
      expect(Math.abs(m.change!.estimate)).toBeLessThan(1e-4)
      expect(m.noiseFloor).toBeDefined()
    }
  }, SLOW)

  it('benchgate test --measure instructions fails twice the work as critical, estimated at +100 %', () => {
    const out = join(dir, 'double')
    const r = cli(['test', '--measure', 'instructions', '--config', join(fixture, 'vitest.config.ts')], { BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out, FIXTURE_FACTOR: '2' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const report = reportOf(out)
    for (const key of KEYS) {
      const m = metricOf(report, key)
      expect(m.verdict).toBe('critical')
      expect(m.failed).toBe(true)
      expect(m.change!.estimate).toBeGreaterThan(0.9)
      expect(m.change!.estimate).toBeLessThan(1.1)
    }
    expect(r.stdout).toMatch(/CRITICAL: bench\/shapes\.bench\.ts > cpu loop \[instructions\] \+\d+\.\d\d % \(noise floor ±[\d.e-]+ %\): worse by more than 10 %/)
  }, SLOW)

  it('vitest 4\'s own bench() is counted too: -u stores instructions, twice the work is critical', () => {
    const native = ['bench/native.bench.ts > native > vitest cpu loop', 'bench/native.bench.ts > native > vitest small sum']
    const nativeEnv = { BENCHGATE_TAGS: '', BENCHGATE_BASELINE_DIR: join(dir, 'native') }
    const config = ['--config', join(fixture, 'vitest.config.ts')]
    const base = cli(['baseline', '--measure', 'instructions', ...config, 'bench/native.bench.ts'], nativeEnv)
    expect(base.code, base.stdout + base.stderr).toBe(0)
    const baseline = JSON.parse(readFileSync(join(dir, 'native/current_baselines.instructions.json'), 'utf8')) as BaselineFile
    expect(Object.keys(baseline.entries).sort()).toEqual(native)
    for (const key of native) {
      const metric = baseline.entries[key]!.metrics.instructions!
      expect(Object.keys(baseline.entries[key]!.metrics)).toEqual(['instructions'])
      // 10 counted batches per run, Ir per call (not tinybench's timed loop: its sample count varies)
      expect(metric.runs.every(run => run.length === 10), key).toBe(true)
      expect(metric.noiseFloor).toBeLessThan(0.001)
    }
    expect(baseline.entries[native[0]!]!.metrics.instructions!.summary.median).toBeGreaterThan(1e5)
    const out = join(dir, 'native-double')
    const double = cli(['test', '--measure', 'instructions', ...config, 'bench/native.bench.ts'], { ...nativeEnv, FIXTURE_FACTOR: '2', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out })
    expect(double.code, double.stdout + double.stderr).toBe(1)
    for (const key of native) {
      const m = metricOf(reportOf(out), key)
      expect(m.verdict).toBe('critical')
      expect(m.change!.estimate).toBeGreaterThan(0.9)
      expect(m.change!.estimate).toBeLessThan(1.1)
    }
  }, SLOW)

  it('a baseline file of the other mode is refused before anything is measured: one line, exit 2, the file untouched', () => {
    const other = join(dir, 'other-mode')
    mkdirSync(other)
    const config = ['--config', join(fixture, 'vitest.config.ts')]
    const modes = 'each mode has its own file: current_baselines.json, current_baselines.instructions.json'
    // time entries under the instruction file's name (a copied or renamed file)
    const counted = join(other, 'current_baselines.instructions.json')
    writeFileSync(counted, '{ "schemaVersion": 1, "entries": {} }\n')
    const asCounts = cli(['test', '--measure', 'instructions', ...config], { BENCHGATE_BASELINE_DIR: other })
    expect(asCounts.code, asCounts.stdout + asCounts.stderr).toBe(2)
    expect(asCounts.stderr.trim()).toBe(`benchgate: ${counted}: holds time baselines but this run measures instructions (${modes})`)
    expect(readFileSync(counted, 'utf8')).toBe('{ "schemaVersion": 1, "entries": {} }\n')
    // and instruction entries under the time file's name
    const timed = join(other, 'current_baselines.json')
    writeFileSync(timed, '{ "schemaVersion": 1, "measure": "instructions", "entries": {} }\n')
    const asTime = cli(['baseline', '--measure', 'time', ...config], { BENCHGATE_BASELINE_DIR: other })
    expect(asTime.code, asTime.stdout + asTime.stderr).toBe(2)
    expect(asTime.stderr.trim()).toBe(`benchgate: ${timed}: holds instructions baselines but this run measures time (${modes})`)
    expect(readFileSync(timed, 'utf8')).toBe('{ "schemaVersion": 1, "measure": "instructions", "entries": {} }\n')
  }, SLOW)

  it('a missing valgrind is one line saying how to install it, exit 2, through the CLI and through vitest bench', () => {
    const missing = { BENCHGATE_VALGRIND: join(dir, 'no-such-valgrind') }
    const line = `benchgate: --measure instructions counts instructions with Valgrind, but ${missing.BENCHGATE_VALGRIND} was not found: install it (Debian/Ubuntu: sudo apt-get install valgrind; Fedora: sudo dnf install valgrind valgrind-devel; Linux only)`
    const viaCli = cli(['test', '--measure', 'instructions'], missing)
    expect(viaCli.code).toBe(2)
    expect(viaCli.stderr.trim()).toBe(line)
    const viaVitest = vitestBench(fixture, [], env(missing), SLOW)
    expect(viaVitest.code).toBe(2)
    expect(viaVitest.stderr.split('\n').filter(l => l.startsWith('benchgate:'))).toEqual([line])
    expect(existsSync(join(dir, 'current_baselines.instructions.json'))).toBe(true)
  }, SLOW)
})

/** Alive, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  }
  catch {
    return false
  }
}

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs
  while (Date.now() < end) {
    if (condition()) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return condition()
}

describe('kill -9 of vitest bench --measure instructions', () => {
  it('leaves no worker running under Valgrind (the kernel ends it: no watchdog thread counts in its rounds)', async () => {
    const pids = join(dir, 'pids')
    mkdirSync(pids)
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env({ BENCHGATE_TAGS: 'orphan', FIXTURE_SLOW: pids }), BENCHGATE_HISTORY: 'off' }
    for (const key of Object.keys(childEnv)) if (key === 'VITEST' || key.startsWith('VITEST_') || key === 'TEST') delete childEnv[key]
    const main = spawn(process.execPath, [vitestBin, 'bench', '--run', '--root', fixture], { env: childEnv, stdio: 'ignore' })
    try {
      expect(await until(() => readdirSync(pids).length > 0, 120_000), 'a worker started its round').toBe(true)
      const workers = readdirSync(pids).map(Number)
      expect(workers).not.toContain(main.pid)
      // the worker is Valgrind's process, running the benchmark
      expect(readFileSync(`/proc/${workers[0]}/cmdline`, 'utf8')).toMatch(/valgrind/)
      main.kill('SIGKILL')
      // a surviving worker would spin for 60 s
      expect(await until(() => workers.every(pid => !alive(pid)), 10_000), `workers ${workers.join(', ')} outlived their parent`).toBe(true)
    }
    finally {
      main.kill('SIGKILL')
    }
  }, SLOW)
})

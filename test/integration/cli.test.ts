import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, run } from '../helpers/run.ts'

// The CLI from the built package, as `npx benchgate` runs it.
const bin = join(repoRoot, 'dist/src/cli/bin.js')
let noconfig: string
const cli = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [bin, ...args], { cwd: noconfig, env })
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-cli-'))
  // A project outside this repo (Vitest would find the repo's own config above it) with no
  // vitest config: its node_modules links this repo's packages and benchgate itself.
  noconfig = join(dir, 'project')
  cpSync(join(repoRoot, 'test/fixtures/noconfig'), noconfig, { recursive: true, filter: src => !src.includes('node_modules') })
  mkdirSync(join(noconfig, 'node_modules'))
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules', name), join(noconfig, 'node_modules', name))
  symlinkSync(repoRoot, join(noconfig, 'node_modules', 'benchgate'))
  if (!existsSync(bin)) {
    const build = run('npm', ['run', 'build'])
    expect(build.code, build.stderr).toBe(0)
  }
}, 300_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('benchgate CLI', () => {
  it('--help lists the commands', () => {
    const r = cli(['--help'])
    expect(r.code).toBe(0)
    for (const command of ['test', 'baseline']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'))
  })

  it('refuses an unknown command, an unknown flag and a bad value with one line and exit 2', () => {
    const unknown = cli(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.trim()).toBe('benchgate: unknown command "frobnicate" (run benchgate --help for the list)')
    const flag = cli(['test', '--bogus'])
    expect(flag.code).toBe(2)
    expect(flag.stderr.trim()).toMatch(/^benchgate: Unknown option `--bogus`/)
    const rounds = cli(['test', '--measurement-rounds', '0'])
    expect(rounds.code).toBe(2)
    expect(rounds.stderr.trim()).toBe('benchgate: --measurement-rounds: expected an integer >= 1 but received 0')
  })

  it('baseline and test work in a project with no vitest config, with tags and a rounds override', () => {
    const base = cli(['baseline', '--tags', 'ci', '--baseline-dir', join(dir, 'baselines'), '--runs', '2'])
    expect(base.code, base.stdout + base.stderr).toBe(0)
    const baseline = JSON.parse(readFileSync(join(dir, 'baselines', 'current_baselines.json'), 'utf8'))
    // the tag filter selects the tagged scenario; plain vitest benches have no tags and are left out
    expect(Object.keys(baseline.entries)).toEqual(['bench/plain.bench.ts > tagged scenario'])
    expect(baseline.entries['bench/plain.bench.ts > tagged scenario'].metrics.time.runs).toHaveLength(2)

    const test = cli(['test', '--tags', 'ci', '--baseline-dir', join(dir, 'baselines'), '--measurement-rounds', '12', '--runs', '2'])
    expect(test.stdout).toMatch(/bench\/plain\.bench\.ts > tagged scenario\s+time/)
    expect(test.stdout).not.toContain('stale')
    // its only metric is wall time, 2 runs a side on a shared machine: the clock may fail it, and
    // then the exit code and the summary say so (the verdicts themselves: test/timing/)
    const failed = /CRITICAL: bench\/plain\.bench\.ts > tagged scenario \[time\]/.test(test.stdout)
    expect(test.code, test.stdout + test.stderr).toBe(failed ? 1 : 0)
    expect(test.stdout).toContain(failed ? 'benchgate: 0 passed, 1 failed' : 'benchgate: 1 passed, 0 failed')
  })

  it('gates everything, plain vitest benches included, without a tag filter', () => {
    const r = cli(['baseline', '--baseline-dir', join(dir, 'baselines'), '--runs', '2'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const baseline = JSON.parse(readFileSync(join(dir, 'baselines', 'current_baselines.json'), 'utf8'))
    expect(Object.keys(baseline.entries).sort()).toEqual([
      'bench/plain.bench.ts > affinity',
      'bench/plain.bench.ts > tagged scenario',
      'bench/plain.bench.ts > untagged scenario',
      'bench/plain.bench.ts > vitest plain',
    ])
    // every run of every benchmark is stored, plain vitest benches included: the replica runs of a
    // project whose config does not list the plugin (here: no config at all) report their samples too
    for (const entry of Object.values(baseline.entries) as Array<{ key: string, runs?: number, metrics: Record<string, { runs: number[][] }> }>) {
      for (const [name, metric] of Object.entries(entry.metrics)) expect(metric.runs, `${entry.key} [${name}]`).toHaveLength(2)
    }
    expect(r.stdout).toContain('(2 runs per benchmark)')
    // vitest's own table and summary print once (the first run), not once per run
    expect(r.stdout).not.toContain('benchgate-run-')
    expect(r.stdout.match(/BENCH\s+Summary/g)).toHaveLength(1)
  })

  it('--cpu places the measured processes: each on the fastest CPU by default, on a given CPU, or where the OS puts them', () => {
    const baselineDir = join(dir, 'pinned')
    const entry = () => JSON.parse(readFileSync(join(baselineDir, 'current_baselines.json'), 'utf8')).entries['bench/plain.bench.ts > affinity']
    const allowed = () => entry().metrics.allowed_cpus.runs.flat()
    // with the machine probes, the product's default (this tier turns them off: test/helpers/run.ts)
    const pinned = cli(['baseline', '--tags', 'cpu', '--cpu', '0', '--baseline-dir', baselineDir, '--runs', '2'], { BENCHGATE_PROBES: 'on' })
    expect(pinned.code, pinned.stdout + pinned.stderr).toBe(0)
    expect(allowed()).toEqual([1, 1, 1, 1])
    expect(entry().probes).toHaveLength(2)
    // the product's default, whatever the test tier's (test/helpers/run.ts)
    const auto = cli(['baseline', '--tags', 'cpu', '--baseline-dir', baselineDir, '--runs', '1'], { BENCHGATE_CPU: 'auto' })
    expect(auto.code, auto.stdout + auto.stderr).toBe(0)
    expect(allowed()).toEqual(availableParallelism() > 1 ? [1, 1] : [availableParallelism(), availableParallelism()])
    const off = cli(['baseline', '--tags', 'cpu', '--cpu', 'off', '--baseline-dir', baselineDir, '--runs', '1'])
    expect(off.code, off.stdout + off.stderr).toBe(0)
    expect(allowed()).toEqual([availableParallelism(), availableParallelism()])
    // without the probes (BENCHGATE_PROBES=off) the entry records none
    expect(entry().probes).toBeUndefined()
    const bad = cli(['test', '--cpu', 'fast'])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim()).toBe('benchgate: --cpu: expected auto, off or a CPU number but received "fast"')
    const absent = cli(['test', '--cpu', '99'])
    expect(absent.code).toBe(2)
    expect(absent.stderr.trim()).toMatch(/^benchgate: --cpu: CPU 99 is not among the CPUs this process may use \(\d/)
  })

  it('config current, load-profile and cache commands (the workload)', () => {
    const work = mkdtempSync(join(tmpdir(), 'benchgate-workload-'))
    try {
      const inWork = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [bin, ...args], { cwd: work, env })
      const current = inWork(['config', 'current'], { BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: '123' })
      expect(current.code, current.stderr).toBe(0)
      expect(JSON.parse(current.stdout).config.FRAME_CACHE.memory_limit_mb).toBe(123)
      const bad = inWork(['config', 'load-profile', 'turbo'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toMatch(/^benchgate: .*turbo.*default, low_memory, high_throughput/)
      const load = inWork(['config', 'load-profile', 'low_memory'])
      expect(load.code, load.stderr).toBe(0)
      expect(JSON.parse(readFileSync(join(work, 'benchgate.config.json'), 'utf8')).profile).toBe('low_memory')
      const after = JSON.parse(inWork(['config', 'current']).stdout)
      expect(after.config.FRAME_CACHE.memory_limit_mb).toBe(100)
      const status = inWork(['cache', 'status'])
      expect(status.code, status.stderr).toBe(0)
      expect(JSON.parse(status.stdout).frame.memoryLimitMb).toBe(100)
      const clear = inWork(['cache', 'clear', '--type', 'pictures'])
      expect(clear.code).toBe(2)
      expect(clear.stderr.trim()).toBe('benchgate: --type: expected frame, validation or all but received "pictures"')
    }
    finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})

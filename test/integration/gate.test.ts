import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { BENCH_HEAD, tempProject } from '../helpers/project.ts'
import { expectCorruptBaselineRefused, repoRoot, vitestBench } from '../helpers/run.ts'

// Spawns real `vitest bench` runs on test/fixtures/basic: 5 benchmarks (4 scenarios, 1 plain bench).
const fixture = join(repoRoot, 'test/fixtures/basic')
const KEYS = [
  'bench/cpu.bench.ts > cpu > allocate',
  'bench/cpu.bench.ts > cpu > spin',
  'bench/cpu.bench.ts > plain spin',
  'bench/metrics.bench.ts > async io',
  'bench/metrics.bench.ts > cache lookups',
]

let dir: string
const baselineFile = () => join(dir, 'current_baselines.json')
const readBaselineJson = () => JSON.parse(readFileSync(baselineFile(), 'utf8')) as BaselineFile
// the plugin's default numbers of runs (5 and 5)
const bench = (args: string[] = [], env: Record<string, string> = {}) => vitestBench(fixture, args, { BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '5', FIXTURE_BASELINE_RUNS: '5', ...env })


beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-gate-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('vitest bench with the benchgate plugin', () => {
  it('-u writes a valid baseline with every benchmark and prints what changed', () => {
    const r = bench(['-u'])
    expect(r.stderr).not.toMatch(/benchgate:/)
    expect(r.code).toBe(0)
    const baseline = readBaselineJson()
    expect(validateBaseline(baseline)).toBe(true)
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    const spin = baseline.entries['bench/cpu.bench.ts > cpu > spin']!
    expect(spin.metrics.time!.runs).toHaveLength(5)
    expect(spin.metrics.time!.runs.every(run => run.length === 15)).toBe(true)
    expect(spin.environment.cores).toBeGreaterThan(0)
    expect(baseline.entries['bench/metrics.bench.ts > cache lookups']!.metrics.hit_rate!.direction).toBe('higher')
    expect(r.stdout).toContain('+ added bench/cpu.bench.ts > cpu > spin')
    expect(r.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
    // deterministic output: sorted keys, trailing newline
    const text = readFileSync(baselineFile(), 'utf8')
    expect(text.endsWith('}\n')).toBe(true)
  })

  it('-u filtered by tag updates only those entries and keeps the others', () => {
    const before = readBaselineJson()
    // what is kept does not depend on the number of runs: 2 are enough
    const r = bench(['-u'], { BENCHGATE_TAGS: 'quick', FIXTURE_BASELINE_RUNS: '2' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const after = readBaselineJson()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    // quick: spin and async io were re-measured; the others are byte-for-byte what they were
    expect(after.entries['bench/cpu.bench.ts > cpu > spin']!.updatedAt).not.toBe(before.entries['bench/cpu.bench.ts > cpu > spin']!.updatedAt)
    expect(after.entries['bench/metrics.bench.ts > async io']!.updatedAt).not.toBe(before.entries['bench/metrics.bench.ts > async io']!.updatedAt)
    for (const key of ['bench/cpu.bench.ts > cpu > allocate', 'bench/cpu.bench.ts > plain spin', 'bench/metrics.bench.ts > cache lookups'])
      expect(after.entries[key]).toEqual(before.entries[key])
  })

  it('stops with exit 2 and one line naming the file on a corrupt baseline, and leaves it untouched', () => {
    expectCorruptBaselineRefused(baselineFile(), bench, [[], ['-u']])
  })
})

// The gate's verdicts through the plugin, decided on a work counter: the scenario reports the
// iterations it ran (deterministic), and its time thresholds are out of reach (100x), so a busy
// machine cannot flip a verdict. The same outcomes decided on wall time: test/timing/gate.test.ts.
describe('the gate decides on a work counter: unchanged, 30 % more work, 30 % less', () => {
  const project = tempProject('gate-counter')
  project.write('bench/work.bench.ts', `${BENCH_HEAD}const WORK = Math.round(20000 * Number(process.env.FIXTURE_FACTOR ?? 1))
bench.scenario({
  name: 'work',
  rounds: 4,
  warmupRounds: 1,
  thresholds: { warning: 50, critical: 100 },
  run: () => { spin(WORK) },
  metrics: { iterations: { direction: 'lower', unit: 'iterations', thresholds: { warning: 0.05, critical: 0.1 }, collect: () => WORK } },
})
`)
  beforeAll(() => {
    const r = project.bench(['-u'])
    if (r.code !== 0) throw new Error(`-u failed (exit ${r.code}):\n${r.stdout}${r.stderr}`)
  })
  afterAll(() => project.remove())

  it('passes a rerun of unchanged code', () => {
    const r = project.bench()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/benchgate: 2 passed, 0 failed/)
    expect(r.stdout).not.toContain('CRITICAL')
  })

  it('fails 30 % more work with exit 1 and names the critical metric', () => {
    const r = project.bench([], { FIXTURE_FACTOR: '1.3' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/CRITICAL: bench\/work\.bench\.ts > work \[iterations\] \+30\.0 %/)
    expect(r.stdout).toMatch(/benchgate: 1 passed, 1 failed/)
  })

  it('passes 30 % less work and reports it as improved', () => {
    const r = project.bench([], { FIXTURE_FACTOR: '0.7' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/improved: bench\/work\.bench\.ts > work \[iterations\].*record it with -u/)
  })
})

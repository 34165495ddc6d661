import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { expectCorruptBaselineRefused, repoRoot, run } from '../helpers/run.ts'
import { setupV5, vitest5 } from './setup.ts'

// The gate under vitest 5 on Node 22, run from this vitest 4 suite: scripts/setup-v5.sh installs
// both into .cache/v5/ (from the npm registry; fast when cached), and every test spawns
// `node22 .cache/v5/node_modules/vitest/vitest.mjs bench --run` on test/fixtures/basic-v5: the
// bench files of test/fixtures/basic (the same code, so the same keys) plus native vitest 5 benches.
// Verdicts decided on wall time (a slower, a faster, an unchanged run): test/timing/gate-v5.test.ts.
const fixture = join(repoRoot, 'test/fixtures/basic-v5')
const SHARED_KEYS = [
  'bench/cpu.bench.ts > cpu > allocate',
  'bench/cpu.bench.ts > cpu > spin',
  'bench/cpu.bench.ts > plain spin',
  'bench/metrics.bench.ts > async io',
  'bench/metrics.bench.ts > cache lookups',
]
const NATIVE_KEYS = [
  'bench/native.bench.ts > native > compare > large',
  'bench/native.bench.ts > native > compare > small',
  'bench/native.bench.ts > native > single > spin',
]
const KEYS = [...SHARED_KEYS, ...NATIVE_KEYS].sort()
const SLOW = 300_000

let node: string
let dir: string
const baselineFile = () => join(dir, 'current_baselines.json')
const readBaselineJson = () => JSON.parse(readFileSync(baselineFile(), 'utf8')) as BaselineFile
const bench = (args: string[] = [], env: Record<string, string> = {}) =>
  run(node, [vitest5, 'bench', '--run', '--root', fixture, ...args], { env: { BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '5', FIXTURE_BASELINE_RUNS: '5', ...env } })


beforeAll(() => {
  node = setupV5()
  dir = mkdtempSync(join(tmpdir(), 'benchgate-gate-v5-'))
}, 600_000)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('vitest 5 bench with the benchgate plugin (Node 22)', () => {
  it('runs vitest 5 on Node 22', () => {
    const r = run(node, [vitest5, '--version'])
    expect(r.stdout).toMatch(/5\.\d+\.\d+/)
    expect(run(node, ['--version']).stdout).toMatch(/^v22\./)
  })

  it('-u writes a valid baseline with the keys of the vitest 4 fixture, plus the native benches', () => {
    const r = bench(['-u'])
    expect(r.stderr).not.toMatch(/benchgate: (?!run history)/)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const baseline = readBaselineJson()
    expect(validateBaseline(baseline)).toBe(true)
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    const spin = baseline.entries['bench/cpu.bench.ts > cpu > spin']!
    expect(spin.kind).toBe('scenario')
    expect(spin.metrics.time!.runs).toHaveLength(5)
    expect(spin.metrics.time!.runs.every(run => run.length === 15)).toBe(true)
    expect(spin.environment.vitest).toMatch(/^5\./)
    expect(spin.environment.tinybench).toMatch(/^6\./)
    expect(spin.environment.node).toMatch(/^v22\./)
    const cache = baseline.entries['bench/metrics.bench.ts > cache lookups']!
    expect(cache.metrics.hit_rate!.direction).toBe('higher')
    expect(cache.metrics.hit_rate!.runs.every(run => run.length === 12)).toBe(true)
    const plain = baseline.entries['bench/cpu.bench.ts > plain spin']!
    expect(plain.kind).toBe('bench')
    expect(plain.metrics.time!.runs).toHaveLength(5)
    expect(plain.metrics.time!.runs.every(run => run.length > 10)).toBe(true)
    const native = baseline.entries['bench/native.bench.ts > native > single > spin']!
    expect(native.metrics.time!.runs).toHaveLength(5)
    expect(r.stdout).toContain('+ added bench/cpu.bench.ts > cpu > spin')
    expect(r.stdout).toContain('+ added bench/native.bench.ts > native > compare > small')
    expect(r.stdout).toMatch(/benchgate: 9 passed, 0 failed/)
    expect(readFileSync(baselineFile(), 'utf8').endsWith('}\n')).toBe(true)
  }, SLOW)

  it('-u filtered by tag updates only those entries and keeps the others', () => {
    const before = readBaselineJson()
    // what is kept does not depend on the number of runs: 2 are enough
    const r = bench(['-u'], { BENCHGATE_TAGS: 'quick', FIXTURE_BASELINE_RUNS: '2' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const after = readBaselineJson()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    expect(after.entries['bench/cpu.bench.ts > cpu > spin']!.updatedAt).not.toBe(before.entries['bench/cpu.bench.ts > cpu > spin']!.updatedAt)
    expect(after.entries['bench/metrics.bench.ts > async io']!.updatedAt).not.toBe(before.entries['bench/metrics.bench.ts > async io']!.updatedAt)
    for (const key of KEYS.filter(k => !k.endsWith('cpu > spin') && !k.endsWith('async io')))
      expect(after.entries[key]).toEqual(before.entries[key])
  }, SLOW)

  it('warns loudly when the baseline comes from the other major', () => {
    const original = readFileSync(baselineFile(), 'utf8')
    const v4 = readBaselineJson()
    for (const entry of Object.values(v4.entries)) entry.environment = { ...entry.environment, vitest: '4.1.12', tinybench: '2.9.0', node: 'v20.20.2' }
    writeFileSync(baselineFile(), `${JSON.stringify(v4, null, 2)}\n`)
    // the warning does not depend on the number of runs: 2 are enough
    const r = bench([], { BENCHGATE_TAGS: 'quick', FIXTURE_RUNS: '2' })
    writeFileSync(baselineFile(), original)
    expect(r.stdout).toMatch(/warning: baseline was recorded on a different environment \(.*vitest: 4\.1\.12 -> 5\.\d+\.\d+ \(another Vitest major runs another tinybench, and tinybench versions measure differently\)/)
    expect(r.stdout).toMatch(/tinybench: 2\.9\.0 -> 6\.\d+\.\d+ \(tinybench versions measure differently\)/)
  }, SLOW)

  it('stops with exit 2 and one line naming the file on a corrupt baseline, and leaves it untouched', () => {
    expectCorruptBaselineRefused(baselineFile(), bench, [[], ['-u'], ['--update=new']])
  }, SLOW)
})

describe('vitest 4 on Node 22', () => {
  it('gates the vitest 4 fixture with the Node 22 binary too', () => {
    const v4dir = mkdtempSync(join(tmpdir(), 'benchgate-gate-v4-node22-'))
    try {
      const r = run(node, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'bench', '--run', '-u', '--root', join(repoRoot, 'test/fixtures/basic')], { env: { BENCHGATE_BASELINE_DIR: v4dir, FIXTURE_BASELINE_RUNS: '2' } })
      expect(r.code, r.stdout + r.stderr).toBe(0)
      const baseline = JSON.parse(readFileSync(join(v4dir, 'current_baselines.json'), 'utf8')) as BaselineFile
      expect(Object.keys(baseline.entries).sort()).toEqual(SHARED_KEYS)
      const environment = baseline.entries['bench/cpu.bench.ts > cpu > spin']!.environment
      expect(environment.node).toMatch(/^v22\./)
      expect(environment.vitest).toMatch(/^4\./)
      expect(environment.tinybench).toMatch(/^2\./)
    }
    finally {
      rmSync(v4dir, { recursive: true, force: true })
    }
  }, SLOW)
})

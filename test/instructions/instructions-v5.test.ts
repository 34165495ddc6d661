import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { repoRoot, run } from '../helpers/run.ts'
import { requireValgrind } from '../helpers/valgrind.ts'
import { setupV5, vitest5 } from '../v5/setup.ts'

// `--measure instructions` under vitest 5 on Node 22 (slow: workers run under Valgrind): the
// `quick` benchmarks of test/fixtures/instructions through test/fixtures/instructions-v5. Decided
// on instruction counts: twice the work is critical every time.
const fixture = join(repoRoot, 'test/fixtures/instructions-v5')
const SLOW = 900_000
const KEYS = ['bench/shapes.bench.ts > cpu loop', 'bench/shapes.bench.ts > plain small sum']

let node: string
let dir: string
const bench = (args: string[], env: Record<string, string> = {}) =>
  run(node, [vitest5, 'bench', '--run', '--root', fixture, ...args], { env: { BENCHGATE_BASELINE_DIR: dir, BENCHGATE_TAGS: 'quick', FIXTURE_RUNS: '1', FIXTURE_BASELINE_RUNS: '2', ...env }, timeout: SLOW })

beforeAll(() => {
  requireValgrind(fixture)
  node = setupV5()
  dir = mkdtempSync(join(tmpdir(), 'benchgate-instructions-v5-'))
}, 600_000)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('--measure instructions under vitest 5 (Node 22, Valgrind)', () => {
  it('-u writes the instruction baseline: Ir per round from Node 22 workers, a measured noise floor', () => {
    const r = bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^ {2}measure: instructions \(Ir per round, deterministic; valgrind-[\d.]+ callgrind\)$/m)
    const baseline = JSON.parse(readFileSync(join(dir, 'current_baselines.instructions.json'), 'utf8')) as BaselineFile
    expect(validateBaseline(baseline)).toBe(true)
    expect(baseline.measure).toBe('instructions')
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    for (const key of KEYS) {
      const entry = baseline.entries[key]!
      expect(entry.environment.vitest).toMatch(/^5\./)
      expect(entry.environment.node).toMatch(/^v22\./)
      expect(Object.keys(entry.metrics)).toEqual(['instructions'])
      expect(entry.metrics.instructions!.runs).toHaveLength(2)
      expect(entry.metrics.instructions!.noiseFloor).toBeLessThan(0.001)
    }
    // once warm, a run's rounds count the same: nothing else in the worker runs inside a round
    for (const rounds of baseline.entries['bench/shapes.bench.ts > cpu loop']!.metrics.instructions!.runs) {
      const warm = rounds.slice(-3)
      expect((Math.max(...warm) - Math.min(...warm)) / Math.min(...warm), rounds.join(', ')).toBeLessThan(1e-4)
    }
  }, SLOW)

  it('twice the work is critical, estimated at +100 %; unchanged code passes', () => {
    const out = join(dir, 'reports')
    const slow = bench([], { FIXTURE_FACTOR: '2', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out })
    expect(slow.code, slow.stdout + slow.stderr).toBe(1)
    const report = JSON.parse(readFileSync(join(out, 'ci_report_latest.json'), 'utf8')) as RunReport
    expect(report.measurement?.measure).toBe('instructions')
    for (const key of KEYS) {
      const m = report.benchmarks.find(b => b.key === key)!.metrics.find(x => x.metric === 'instructions')!
      expect(m.verdict).toBe('critical')
      expect(m.change!.estimate).toBeGreaterThan(0.9)
      expect(m.change!.estimate).toBeLessThan(1.1)
    }
    const same = bench([])
    expect(same.code, same.stdout + same.stderr).toBe(0)
  }, SLOW)
})

describe('a hand-written vitest 5 bench test in instruction mode', () => {
  it('is an error saying it was timed, not counted: nothing timed under Valgrind is stored or compared as a count', () => {
    const out = join(dir, 'native')
    const r = bench(['bench/native.bench.ts'], { BENCHGATE_TAGS: '', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const report = JSON.parse(readFileSync(join(out, 'ci_report_latest.json'), 'utf8')) as RunReport
    const native = report.benchmarks.find(b => b.key === 'bench/native.bench.ts > native > vitest 5 cpu loop')!
    expect(native.error?.message).toMatch(/^timed, not counted: /)
    expect(native.metrics.map(m => `${m.metric} ${m.unit} ${m.verdict}`)).toEqual(['instructions Ir error'])
  }, SLOW)
})

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { repoRoot, rerecordOnRetry, run } from '../helpers/run.ts'
import { setupV5, vitest5 } from '../v5/setup.ts'

// Timing tier: the clock decides. The gate under vitest 5 on Node 22 (see test/v5/gate-v5.test.ts)
// on test/fixtures/basic-v5, whose benchmarks do FIXTURE_FACTOR times the work: a 30 % slower run
// fails, a 30 % faster one is improved, an unchanged one passes (also with --update=new).
const fixture = join(repoRoot, 'test/fixtures/basic-v5')
const KEYS = [
  'bench/cpu.bench.ts > cpu > allocate',
  'bench/cpu.bench.ts > cpu > spin',
  'bench/cpu.bench.ts > plain spin',
  'bench/metrics.bench.ts > async io',
  'bench/metrics.bench.ts > cache lookups',
  'bench/native.bench.ts > native > compare > large',
  'bench/native.bench.ts > native > compare > small',
  'bench/native.bench.ts > native > single > spin',
]
// Timing verdicts on a shared 2-core machine: a busy neighbour can make a run `unstable` (too noisy to
// decide); a retry re-measures. A broken gate fails every attempt.
const TIMING = { retry: 2 }

let node: string
let dir: string
const baselineFile = () => join(dir, 'current_baselines.json')
const readBaselineJson = () => JSON.parse(readFileSync(baselineFile(), 'utf8')) as BaselineFile
/** The verdict column of a benchmark's row in the console table. */
const verdict = (stdout: string, key: string, metric = 'time') =>
  stdout.split('\n').find(line => line.startsWith(`  ${key} `) && line.includes(` ${metric} `))?.trim().split(/\s+/).at(-1)
const bench = (args: string[] = [], env: Record<string, string> = {}) =>
  run(node, [vitest5, 'bench', '--run', '--root', fixture, ...args], { env: { BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '5', FIXTURE_BASELINE_RUNS: '5', ...env } })

beforeAll(() => {
  node = setupV5()
  dir = mkdtempSync(join(tmpdir(), 'benchgate-gate-v5-timing-'))
  const r = bench(['-u'])
  if (r.code !== 0) throw new Error(`recording the baseline failed (exit ${r.code}):\n${r.stdout}${r.stderr}`)
}, 900_000)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('vitest 5 bench with the benchgate plugin (Node 22), decided on wall time', () => {
  it('passes a rerun of unchanged code', TIMING, ({ task }) => {
    rerecordOnRetry(task, () => bench(['-u']))
    const r = bench()
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/benchgate: 9 passed, 0 failed/)
    expect(r.stdout).not.toContain('CRITICAL')
  })

  // This machine's processes come out fast or ~1.6x slow at random, and samples inside a run are
  // bimodal too (0.25 / 0.5 ms for the native spin): when the baseline's five runs caught a mix, a
  // 30 % change in one bench can end `unstable` (too noisy to decide; seen once in a full suite:
  // +31 % [-11 %, +94 %]). So every bench must be CRITICAL or unstable, never ok, and at least one
  // of the many-sample ones, native or plain, CRITICAL, with exit 1.
  it('fails a 30 % slower run with exit 1 and names the critical benchmarks, native ones included', TIMING, ({ task }) => {
    rerecordOnRetry(task, () => bench(['-u']))
    const r = bench([], { FIXTURE_FACTOR: '1.3' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const native = verdict(r.stdout, 'bench/native.bench.ts > native > single > spin')
    const plain = verdict(r.stdout, 'bench/cpu.bench.ts > plain spin')
    for (const v of [native, plain, verdict(r.stdout, 'bench/cpu.bench.ts > cpu > spin')]) expect(['CRITICAL', 'unstable'], r.stdout).toContain(v)
    expect([native, plain], r.stdout).toContain('CRITICAL')
    if (native === 'CRITICAL') expect(r.stdout).toMatch(/CRITICAL: bench\/native\.bench\.ts > native > single > spin \[time\]/)
    expect(r.stdout).toMatch(/benchgate: \d+ passed, [1-9]\d* failed/)
  })

  it('passes a 30 % faster run and reports it as improved', TIMING, ({ task }) => {
    rerecordOnRetry(task, () => bench(['-u']))
    const r = bench([], { FIXTURE_FACTOR: '0.7' })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/improved: bench\/native\.bench\.ts > native > single > spin \[time\].*record it with -u/)
    expect(r.stdout).toMatch(/improved: bench\/cpu\.bench\.ts > plain spin \[time\].*record it with -u/)
    expect(['improved', 'unstable'], r.stdout).toContain(verdict(r.stdout, 'bench/cpu.bench.ts > cpu > spin'))
  })

  it('--update=new adds entries only for benchmarks without one, --update=none writes nothing', TIMING, () => {
    const before = readBaselineJson()
    const dropped = 'bench/native.bench.ts > native > single > spin'
    const { [dropped]: _gone, ...rest } = before.entries
    writeFileSync(baselineFile(), `${JSON.stringify({ ...before, entries: rest }, null, 2)}\n`)
    const r = bench(['--update=new'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain(`+ added ${dropped}`)
    const after = readBaselineJson()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    for (const key of KEYS.filter(k => k !== dropped)) expect(after.entries[key]).toEqual(before.entries[key])

    const text = readFileSync(baselineFile(), 'utf8')
    const none = bench(['--update=none'])
    expect(none.code, none.stdout + none.stderr).toBe(0)
    expect(none.stdout).toContain('benchgate gate')
    expect(readFileSync(baselineFile(), 'utf8')).toBe(text)
  })

})

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, rerecordOnRetry, run } from '../helpers/run.ts'
import { setupV5, vitest5 } from '../v5/setup.ts'

// Timing tier: rounds: 'auto' stops on its budget or on a decided 2x slowdown, decided on wall time.
// test/timing/scenario-options.test.ts under vitest 5 on Node 22: the same bench file
// (test/fixtures/runs through its v5 twin), the same run counts, rounds and auto-sampling.
const fixture = join(repoRoot, 'test/fixtures/runs-v5')
const SLOW = 300_000

let node: string
let dir: string
const env = (extra: Record<string, string> = {}) => ({ BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '3', FIXTURE_BASELINE_RUNS: '4', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: join(dir, 'out'), ...extra })
const bench = (args: string[], extra: Record<string, string> = {}) => run(node, [vitest5, 'bench', '--run', '--root', fixture, ...args], { env: env(extra) })
const report = () => JSON.parse(readFileSync(join(dir, 'out', 'ci_report_latest.json'), 'utf8'))
const find = (r: { benchmarks: Array<{ name: string }> }, name: string) => r.benchmarks.find(b => b.name === name) as unknown as { metrics: Array<{ metric: string, verdict: string, current: { runs: number[][] } }>, autoRounds?: { perRun: number[], decidedRuns: number } }

beforeAll(() => {
  node = setupV5()
  dir = mkdtempSync(join(tmpdir(), 'benchgate-options-v5-'))
}, 600_000)
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('scenario options under vitest 5 (Node 22)', () => {
  it('maxRuns caps the runs, beforeRound runs before every round, rounds: auto ends on its budget without a baseline', () => {
    const update = bench(['-u'])
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const entries = JSON.parse(readFileSync(join(dir, 'current_baselines.json'), 'utf8')).entries
    expect(entries['bench/runs.bench.ts > capped'].metrics.time.runs).toHaveLength(2)
    expect(entries['bench/runs.bench.ts > uncapped'].metrics.time.runs).toHaveLength(4)
    for (const r of entries['bench/runs.bench.ts > before round'].metrics.before_round_calls.runs) expect(r).toEqual([3, 4, 5])
    for (const r of entries['bench/runs.bench.ts > auto noisy'].metrics.time.runs) expect(r.length).toBeGreaterThan(50)
  }, SLOW)

  // The machine probes can see this machine move between the baseline and the gate (once in 8
  // tries here: the alloc probe 35 % slower 20 s later), and then no wall-time verdict fails, not
  // even this one: a retry records the baseline again and re-measures. A broken gate fails every
  // attempt.
  it('rounds: auto decides a 2x slowdown against the baseline in a few rounds per run', { retry: 2, timeout: SLOW }, ({ task }) => {
    rerecordOnRetry(task, () => bench(['-u']))
    bench([], { FIXTURE_FACTOR: '2' })
    const auto = find(report(), 'auto noisy')
    expect(auto.autoRounds!.perRun).toHaveLength(3)
    expect(auto.autoRounds!.decidedRuns).toBe(3)
    for (const rounds of auto.autoRounds!.perRun) expect(rounds).toBeLessThan(30)
    expect(auto.metrics.find(m => m.metric === 'time')!.verdict).toBe('critical')
    expect(find(report(), 'capped').metrics[0]!.current.runs).toHaveLength(2)
  })
})

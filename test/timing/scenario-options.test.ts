import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, rerecordOnRetry, vitestBench } from '../helpers/run.ts'

// Timing tier: rounds: 'auto' stops on its budget or on a decided 2x slowdown, and beforeRound's
// 200 ms stay out of the timed rounds, all decided on wall time.
let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-runs-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('scenario options maxRuns, beforeRound and rounds: auto', () => {
  const root = join(repoRoot, 'test/fixtures/runs')
  const env = () => ({ BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '3', FIXTURE_BASELINE_RUNS: '4', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: join(dir, 'out') })

  it('is measured in at most that many runs, for -u and for the gate, beside scenarios that take every run', () => {
    const update = vitestBench(root, ['-u'], env())
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const entries = JSON.parse(readFileSync(join(dir, 'current_baselines.json'), 'utf8')).entries
    expect(entries['bench/runs.bench.ts > capped'].metrics.time.runs).toHaveLength(2)
    expect(entries['bench/runs.bench.ts > uncapped'].metrics.time.runs).toHaveLength(4)

    // The gate's verdicts are timing-dependent here; what is asserted is how many runs each side had.
    vitestBench(root, [], env())
    const report = JSON.parse(readFileSync(join(dir, 'out', 'ci_report_latest.json'), 'utf8'))
    const current = (name: string) => report.benchmarks.find((b: { name: string }) => b.name === name).metrics[0].current
    expect(current('capped').runs).toHaveLength(2)
    expect(current('uncapped').runs).toHaveLength(3)

    // beforeRound: called before each of the 2 warm-up and 3 measured rounds, and not timed (it
    // busy-waits 200 ms; the round's body takes well under a millisecond).
    const before = report.benchmarks.find((b: { name: string }) => b.name === 'before round')
    const metric = (name: string) => before.metrics.find((m: { metric: string }) => m.metric === name).current
    for (const run of metric('before_round_calls').runs) expect(run).toEqual([3, 4, 5])
    expect(metric('time').summary.max).toBeLessThan(100)

    // rounds: 'auto' without a baseline entry (-u): the precision rule cannot pin a 1-3 ms spread
    // down to ±1.25 % in 0.4 s, so each run ends on its budget, undecided, after ~130-400 rounds
    const autoBaseline = entries['bench/runs.bench.ts > auto noisy']
    expect(autoBaseline.metrics.time.runs).toHaveLength(4)
    for (const run of autoBaseline.metrics.time.runs) expect(run.length).toBeGreaterThan(50)
  })

  // The machine probes can see this machine move between the baseline and the gate (once in 8
  // tries here: the alloc probe 35 % slower 20 s later), and then no wall-time verdict fails, not
  // even this one: a retry records the baseline again and re-measures. A broken gate fails every
  // attempt.
  it('rounds: auto against the baseline decides a 2x slowdown in a few rounds per run', { retry: 2 }, ({ task }) => {
    rerecordOnRetry(task, () => vitestBench(root, ['-u'], env()))
    vitestBench(root, [], { ...env(), FIXTURE_FACTOR: '2' })
    const report = JSON.parse(readFileSync(join(dir, 'out', 'ci_report_latest.json'), 'utf8'))
    const auto = report.benchmarks.find((b: { name: string }) => b.name === 'auto noisy')
    expect(auto.autoRounds.metric).toBe('time')
    expect(auto.autoRounds.perRun).toHaveLength(3)
    expect(auto.autoRounds.decidedRuns).toBe(3)
    for (const rounds of auto.autoRounds.perRun) expect(rounds).toBeLessThan(30)
    const time = auto.metrics.find((m: { metric: string }) => m.metric === 'time')
    expect(time.verdict).toBe('critical')
    expect(time.message).toMatch(/auto rounds: \d+(-\d+)? per run, 3 of 3 runs decided within budget/)
  })
})

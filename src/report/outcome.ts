/**
 * The run's outcome, decided once from its verdicts: the counts, whether it passed, and at what
 * level (fail, warn, pass, update, empty) with the verdicts that failed it. Each metric's `failed`
 * flag already honours `failOn` (src/compare decides it); this module only aggregates, so the exit
 * code, the JSON report and every reporter's headline and advice agree. Reporters render
 * `report.outcome` and decide nothing.
 */
import type { BenchmarkReport, RunReport } from './types.generated.ts'

export type RunCounts = RunReport['counts']
export type RunOutcome = RunReport['outcome']

/** The counts, the pass flag and the outcome of a run: the fields every run report carries. */
export interface RunResult {
  counts: RunCounts
  passed: boolean
  outcome: RunOutcome
}

function emptyCounts(): RunCounts {
  return { total: 0, passed: 0, failed: 0, ok: 0, improved: 0, warning: 0, critical: 0, new: 0, missing: 0, stale: 0, unstable: 0, error: 0 }
}

/**
 * Counts every metric of every benchmark by verdict and by failed / passed, and decides the
 * outcome: `update` for a -u run; `empty` when nothing was compared; `fail` when a metric failed the
 * run; `warn` when it passes with a regression (a warning, or a critical that `failOn: 'never'`
 * lets pass); otherwise `pass`.
 */
export function runResult(benchmarks: readonly BenchmarkReport[], mode: RunReport['mode']): RunResult {
  const counts = emptyCounts()
  const failedBy: NonNullable<RunOutcome['failedBy']> = {}
  for (const bench of benchmarks) {
    for (const metric of bench.metrics) {
      counts.total++
      counts[metric.verdict]++
      if (metric.failed) {
        counts.failed++
        failedBy[metric.verdict] = (failedBy[metric.verdict] ?? 0) + 1
      }
      else counts.passed++
    }
  }
  const passed = counts.failed === 0
  const level: RunOutcome['level'] = mode === 'update'
    ? 'update'
    : counts.total === 0 ? 'empty' : !passed ? 'fail' : counts.warning || counts.critical ? 'warn' : 'pass'
  return { counts, passed, outcome: { level, failedBy } }
}

/**
 * The outcome of a report written before reports carried one (the same rule, from the verdicts it
 * stores): `readReport` gives old report files theirs.
 */
export function outcomeOf(report: Pick<RunReport, 'benchmarks' | 'mode'>): RunOutcome {
  return runResult(report.benchmarks, report.mode).outcome
}

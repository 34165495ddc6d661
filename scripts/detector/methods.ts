/**
 * The decision methods the harness puts side by side on the same trials: benchgate's own
 * (`compareWithBaseline()` on the runs of both sides), the naive "mean worse than X %" rule of
 * pytest-benchmark's `--benchmark-compare-fail=mean:X%`, and vitest's `--compare`, which prints
 * the hz ratio and never fails.
 */
import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { Environment } from '../../src/baseline/fingerprint.ts'
import { updateAuto, type AutoState } from '../../src/compare/auto-runs.ts'
import { compareWithBaseline, type BaselineComparison } from '../../src/compare/verdicts.ts'
import type { MeasuredBenchmark, ResolvedDecision } from '../../src/scenario/measured.ts'
import { mean } from '../../src/stats/summary.ts'

/** What one method said about one benchmark of one trial. */
export interface Outcome {
  /** The run fails on it (benchgate: `critical`). */
  critical: boolean
  /** Flagged as a slowdown at all (benchgate: `warning` or `critical`). */
  flagged: boolean
  /** benchgate only: a significant slowdown of any size (Holm-adjusted p < alpha, estimate worse), flagged or not. */
  significant?: boolean
}

/** A decision method. */
export interface Method {
  name: string
  /** Runs per side it uses (from the front of each trial's sides). */
  baselineRuns: number
  runs: number
  /** Decides every benchmark (by key) of one trial. */
  decide: (baseline: readonly MeasuredBenchmark[], current: readonly MeasuredBenchmark[]) => Map<string, Outcome>
  /** Extra words for the table's heading (auto-sampling: the runs it took). */
  describe?: () => string
}

const ENV: Environment = { cpuModel: 'detector', cores: 1, os: 'detector', node: process.version, vitest: '4', benchgate: '0' }

/** Keeps the first `n` runs of every metric. */
export function firstRuns(benchmarks: readonly MeasuredBenchmark[], n: number): MeasuredBenchmark[] {
  return benchmarks.map(b => ({ ...b, metrics: Object.fromEntries(Object.entries(b.metrics).map(([k, m]) => [k, { spec: m.spec, runs: m.runs.slice(0, n) }])) }))
}

/**
 * benchgate's decision: the baseline side becomes an in-memory baseline file and `compareWithBaseline()`
 * judges the current side against it (Holm across the trial's benchmarks, as in a real run).
 * Only the time metric (the first metric) of each benchmark is scored. `paired`: run i of both
 * sides form a pair (`compare --against`'s decision).
 */
export function benchgateMethod(name: string, decision: ResolvedDecision, baselineRuns: number, runs: number, options: { paired?: boolean, sameSession?: boolean } = {}): Method {
  return {
    name,
    baselineRuns,
    runs,
    decide(baseline, current) {
      const file = mergeBaseline(undefined, firstRuns(baseline, baselineRuns), { environment: ENV, now: '2000-01-01T00:00:00.000Z' })
      const cur = firstRuns(current, runs)
      const result = compareWithBaseline(cur, file, { decision, mode: 'compare', filesRun: new Set(cur.map(b => b.file)), paired: options.paired ?? false, sameSession: options.sameSession ?? false })
      return outcomes(result, decision.alpha)
    },
  }
}

function outcomes(result: BaselineComparison, alpha: number): Map<string, Outcome> {
  const out = new Map<string, Outcome>()
  for (const bench of result.benchmarks) {
    const metric = bench.metrics[0]
    if (!metric) continue
    const significant = metric.pAdjusted !== undefined && metric.pAdjusted < alpha && (metric.change?.estimate ?? 0) > 0
    out.set(bench.key, { critical: metric.verdict === 'critical', flagged: metric.verdict === 'critical' || metric.verdict === 'warning', significant })
  }
  return out
}

/**
 * `compare --against --runs auto` on the pool: from `minRuns` runs per side, one more run per side
 * at a time (the trial's runs in drawing order) until every benchmark's interval clears every
 * threshold (`updateAuto`, the command's own rule) or `maxRuns` is reached; the verdicts are those
 * at the stop. Each look is a chance to stop on a lucky interval, so this measures the false
 * positives of sequential looks too. Records the runs per side each trial took.
 */
export function autoMethod(name: string, decision: ResolvedDecision, minRuns: number, maxRuns: number): Method {
  const used: number[] = []
  return {
    name,
    baselineRuns: maxRuns,
    runs: maxRuns,
    decide(baseline, current) {
      const states = new Map<string, AutoState>()
      let result: BaselineComparison | undefined
      let k = minRuns
      for (; k <= maxRuns; k++) {
        const file = mergeBaseline(undefined, firstRuns(baseline, k), { environment: ENV, now: '2000-01-01T00:00:00.000Z' })
        const cur = firstRuns(current, k)
        result = compareWithBaseline(cur, file, { decision, mode: 'compare', filesRun: new Set(cur.map(b => b.file)), sameSession: true })
        const metrics = new Map(result.benchmarks.flatMap(b => b.metrics.slice(0, 1).map(m => [b.key, m] as const)))
        if (updateAuto(states, metrics, k)) break
      }
      used.push(Math.min(k, maxRuns))
      return outcomes(result!, decision.alpha)
    },
    describe() {
      const sorted = [...used].sort((a, b) => a - b)
      const mean = used.reduce((a, b) => a + b, 0) / Math.max(1, used.length)
      return `runs per side: mean ${mean.toFixed(1)}, median ${sorted[Math.floor(sorted.length / 2)] ?? '-'}, ${used.filter(u => u >= maxRuns).length} of ${used.length} trials reached the cap of ${maxRuns}`
    },
  }
}

/**
 * The naive rule: fail when the mean of the current values is more than `threshold` above the mean
 * of the baseline values (no test, no noise model). pytest-benchmark compares one run with one saved
 * run, so `runs` is usually 1.
 */
export function meanRuleMethod(name: string, threshold: number, baselineRuns = 1, runs = 1): Method {
  return {
    name,
    baselineRuns,
    runs,
    decide(baseline, current) {
      const out = new Map<string, Outcome>()
      const base = new Map(firstRuns(baseline, baselineRuns).map(b => [b.key, b]))
      for (const bench of firstRuns(current, runs)) {
        const time = Object.keys(bench.metrics)[0]
        const b = time ? base.get(bench.key)?.metrics[time] : undefined
        const c = time ? bench.metrics[time] : undefined
        if (!b || !c) continue
        const worse = mean(c.runs.flat()) / mean(b.runs.flat()) - 1 > threshold
        out.set(bench.key, { critical: worse, flagged: worse })
      }
      return out
    },
  }
}

/** vitest's `--compare`: prints `current.hz / baseline.hz` and never fails, so it never detects anything. */
export function vitestCompareMethod(): Method {
  return {
    name: 'vitest --compare (hz ratio, never fails)',
    baselineRuns: 1,
    runs: 1,
    decide(_baseline, current) {
      return new Map(current.map(b => [b.key, { critical: false, flagged: false }]))
    },
  }
}

/**
 * What both Vitest adapters do with a collected benchmark, whatever the major: build its
 * `MeasuredBenchmark` from the task's `meta.benchgate`, add one run's rounds, and close the set.
 */
import type { MeasuredBenchmark, SourceLocation } from '../src/compare/types.ts'
import { configHash } from '../src/scenario/hash.ts'
import type { MetricSpec } from '../src/scenario/types.ts'
import type { TaskMeta } from './protocol.ts'

/** At most this many values per run are kept for a plain bench (evenly spaced order statistics). */
export const MAX_PLAIN_SAMPLES = 200

/** The metric every plain bench reports. */
export const TIME_SPEC: MetricSpec = { direction: 'lower', unit: 'ms' }

/** The config hash of every plain bench (it has no params or rounds of its own). */
export const PLAIN_HASH = configHash({ rounds: 0, warmupRounds: 0, metrics: { time: TIME_SPEC } })

/** Keeps the distribution of a large sample in `max` evenly spaced order statistics. */
export function thinSamples(samples: readonly number[], max = MAX_PLAIN_SAMPLES): number[] {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length <= max) return sorted
  const out: number[] = []
  for (let i = 0; i < max; i++) out.push(sorted[Math.floor(((i + 0.5) / max) * sorted.length)]!)
  return out
}

/** A new, empty measured benchmark for `key`, described by its task's meta (none for a plain Vitest bench). */
export function newMeasured(key: string, file: string, name: string, meta: TaskMeta | undefined, location?: SourceLocation): MeasuredBenchmark {
  const bench: MeasuredBenchmark = {
    key,
    file,
    name,
    kind: meta?.kind ?? 'bench',
    tags: meta?.tags ?? [],
    configHash: meta?.kind === 'scenario' ? meta.configHash : PLAIN_HASH,
    rounds: meta?.kind === 'scenario' ? (meta.auto ? 0 : meta.rounds) : 0,
    metrics: {},
  }
  if (location) bench.location = location
  if (meta?.kind === 'scenario') {
    if (meta.description) bench.description = meta.description
    if (meta.decision) bench.decision = meta.decision
  }
  return bench
}

/**
 * Adds one run (replica) of a benchmark: a scenario's per-round values from its meta, or a plain
 * bench's tinybench samples (thinned).
 */
export function addRun(bench: MeasuredBenchmark, meta: TaskMeta | undefined, samples: readonly number[] | undefined, replica: number): void {
  if (meta?.kind === 'scenario') {
    if (meta.auto) {
      const { budgetMs, ...outcome } = meta.auto
      bench.autoRounds ??= { metric: meta.timeMetric, budgetMs, runs: [] }
      bench.autoRounds.runs[replica] = outcome
      bench.rounds = Math.max(bench.rounds, outcome.rounds)
    }
    for (const [name, spec] of Object.entries(meta.metrics)) {
      const values = meta.values[name] ?? []
      if (values.length === 0) continue
      const metric = bench.metrics[name] ??= { spec, runs: [] }
      metric.runs[replica] = values
    }
    return
  }
  if (!samples || samples.length === 0) return
  const thinned = thinSamples(samples)
  bench.rounds = Math.max(bench.rounds, thinned.length)
  const metric = bench.metrics.time ??= { spec: TIME_SPEC, runs: [] }
  metric.runs[replica] = thinned
}

/** Drops runs that reported nothing and marks benchmarks without any measurement as errors. */
export function closeMeasured(measured: MeasuredBenchmark[], emptyMessage: string): MeasuredBenchmark[] {
  for (const bench of measured) {
    for (const metric of Object.values(bench.metrics)) metric.runs = metric.runs.filter(run => run !== undefined && run.length > 0)
    if (bench.autoRounds) bench.autoRounds.runs = bench.autoRounds.runs.filter(run => run !== undefined)
    if (!bench.error && Object.keys(bench.metrics).length === 0) bench.error = { message: emptyMessage }
  }
  return measured
}

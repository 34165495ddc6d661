/**
 * What both Vitest adapters do with a collected benchmark, whatever the major: build its
 * `MeasuredBenchmark` from the task's `meta.benchgate`, add one run's rounds, and close the set.
 */
import { relative } from 'node:path'
import type { MeasuredBenchmark, SourceLocation } from '../src/compare/types.ts'
import { configHash } from '../src/scenario/hash.ts'
import type { MetricSpec } from '../src/scenario/types.ts'
import { runNumber, type TaskMeta } from './protocol.ts'
import { addInstructionsRun } from './instructions/collect.ts'

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
  if (meta?.kind === 'bench' && meta.instructions) {
    // instruction mode: the counted rounds, not tinybench's one timed call of them
    addInstructionsRun(bench, meta.instructions.values, replica)
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

/** An error as the report keeps it. */
export type RunError = { message: string, stack?: string }

/** The first error of a test result (both majors report `{ message, stack? }`), if any. */
export function firstError(errors: ReadonlyArray<{ message: string, stack?: string }> | undefined): RunError | undefined {
  const first = errors?.[0]
  if (!first) return undefined
  return first.stack ? { message: first.message, stack: first.stack } : { message: first.message }
}

/** Why a run of a benchmark failed: a scenario's own error first (what its body threw), else the test's. */
export function runError(meta: TaskMeta | undefined, testError: RunError | undefined): RunError | undefined {
  return meta?.kind === 'scenario' ? meta.error ?? testError : testError
}

/** One benchmark of one run, as an adapter found it in a test. */
export interface FoundRun {
  key: string
  name: string
  meta: TaskMeta | undefined
  location: SourceLocation | undefined
  /** This run failed: the benchmark is reported as an error (the first error of any run wins). */
  error: RunError | undefined
  /** A plain bench's samples (a scenario's values travel on `meta`). */
  samples: readonly number[] | undefined
}

/**
 * What both adapters' collectors share: test modules give a file (relative, POSIX) and a run (the
 * replica project); their benchmarks are grouped by key, one run per replica.
 */
export class RunCollector {
  private readonly byKey = new Map<string, MeasuredBenchmark>()
  private readonly filesRun = new Set<string>()
  private runs = 1

  constructor(private readonly root: string) {}

  /** Starts a test module: its file and its replica (0-based). */
  module(moduleId: string, projectName: string): { file: string, replica: number } {
    const file = relative(this.root, moduleId).split('\\').join('/')
    this.filesRun.add(file)
    const replica = runNumber(projectName) - 1
    this.runs = Math.max(this.runs, replica + 1)
    return { file, replica }
  }

  /** Adds one run of a benchmark; a benchmark that failed in an earlier run stays failed. */
  add(file: string, replica: number, found: FoundRun): void {
    let bench = this.byKey.get(found.key)
    if (!bench) {
      bench = newMeasured(found.key, file, found.name, found.meta, found.location)
      this.byKey.set(found.key, bench)
    }
    if (bench.error) return
    if (found.error) {
      bench.error = found.error
      return
    }
    addRun(bench, found.meta, found.meta?.kind === 'scenario' ? undefined : found.samples, replica)
  }

  /** The grouped benchmarks (see {@link closeMeasured}), the files that ran and the number of runs. */
  close(emptyMessage: string): { measured: MeasuredBenchmark[], filesRun: Set<string>, runs: number } {
    return { measured: closeMeasured([...this.byKey.values()], emptyMessage), filesRun: this.filesRun, runs: this.runs }
  }
}

/**
 * What both Vitest adapters do with a collected benchmark, whatever the major: build its
 * `MeasuredBenchmark` from the task's `meta.benchgate`, add one run's rounds, and close the set.
 */
import { relative } from 'node:path'
import type { MeasuredBenchmark, RunMachine, SourceLocation } from '../src/compare/types.ts'
import { configHash } from '../src/scenario/hash.ts'
import type { MetricSpec } from '../src/scenario/types.ts'
import { own } from '../src/util/own.ts'
import { runNumber, type MachineMeta, type TaskMeta } from './protocol.ts'

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
      const values = own(meta.values, name) ?? []
      if (values.length === 0) continue
      // own(): a metric may be called `constructor` or `toString`
      const metric = own(bench.metrics, name) ?? (bench.metrics[name] = { spec, runs: [] })
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
    if (bench.machine) bench.machine = bench.machine.filter(run => run !== undefined)
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

/** The run's machine record from a module's {@link MachineMeta}. */
export function runMachine(meta: MachineMeta): RunMachine {
  const out: RunMachine = { probe: { compute: meta.probe.compute, memory: meta.probe.memory, alloc: meta.probe.alloc } }
  if (meta.cpu !== undefined) out.cpu = meta.cpu
  if (meta.unpinned) out.unpinned = meta.unpinned
  return out
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
  private readonly machines = new Map<string, RunMachine>()
  private runs = 1

  constructor(private readonly root: string) {}

  /**
   * Starts a test module: its file and its replica (0-based), with what its process reported about
   * the machine (the module's `meta.benchgateMachine`), if anything.
   */
  module(moduleId: string, projectName: string, machine?: MachineMeta): { file: string, replica: number } {
    const file = relative(this.root, moduleId).split('\\').join('/')
    this.filesRun.add(file)
    const replica = runNumber(projectName) - 1
    this.runs = Math.max(this.runs, replica + 1)
    if (machine?.probe) this.machines.set(`${replica}\0${file}`, runMachine(machine))
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
    const machine = this.machines.get(`${replica}\0${file}`)
    if (machine) (bench.machine ??= [])[replica] = machine
  }

  /**
   * The grouped benchmarks (see {@link closeMeasured}), the files that ran, the number of runs, and
   * what each measured process (file x run) reported about the machine.
   */
  close(emptyMessage: string): { measured: MeasuredBenchmark[], filesRun: Set<string>, runs: number, machines: RunMachine[] } {
    return { measured: closeMeasured([...this.byKey.values()], emptyMessage), filesRun: this.filesRun, runs: this.runs, machines: [...this.machines.values()] }
  }
}

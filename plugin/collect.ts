/**
 * What both Vitest adapters do with a collected benchmark, whatever the major: build its
 * `MeasuredBenchmark` from the task's `meta.benchgate`, add one run's rounds, and close the set.
 */
import { relative } from 'node:path'
import type { MeasuredBenchmark, RunMachine, SourceLocation } from '../src/scenario/measured.ts'
import { configHash } from '../src/scenario/hash.ts'
import type { MetricSpec } from '../src/scenario/types.ts'
import { own } from '../src/util/own.ts'
import { addInstructionsRun } from './instructions/collect.ts'
import { keyFile } from './projects.ts'
import { runNumber, type MachineMeta, type TaskMeta } from './protocol.ts'

/** At most this many values per run are kept for a plain bench (evenly spaced order statistics). */
export const MAX_PLAIN_SAMPLES = 200

/** The metric every plain bench reports. */
export const TIME_SPEC: MetricSpec = { direction: 'lower', unit: 'ms' }

/** The config hash of every plain bench (it has no params or rounds of its own). */
export const PLAIN_HASH = configHash({ rounds: 0, warmupRounds: 0, metrics: { time: TIME_SPEC } })

function isSorted(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i - 1]! > values[i]!) return false
  return true
}

/** Keeps the distribution of a large sample in `max` evenly spaced order statistics. */
export function thinSamples(samples: readonly number[], max = MAX_PLAIN_SAMPLES): number[] {
  const ascending = (a: number, b: number) => a - b
  if (samples.length <= max) return [...samples].sort(ascending)
  // tinybench hands its samples over sorted: millions of them for a fast function, not sorted again
  const sorted = isSorted(samples) ? samples : [...samples].sort(ascending)
  const out: number[] = []
  for (let i = 0; i < max; i++) out.push(sorted[Math.floor(((i + 0.5) / max) * sorted.length)]!)
  return out
}

/**
 * Thins the samples of one result in place, as results arrive in the main process. A plain bench of
 * a fast function retains hundreds of thousands of samples per run; every run of every bench held
 * until the end of the run took the main process out of memory (vue core: 58 benches x 5 runs,
 * 4 GB heap). Only {@link thinSamples}' order statistics are ever used, so nothing else changes.
 */
export function thinInPlace(holder: { samples?: number[] | undefined } | undefined): void {
  if (holder?.samples && holder.samples.length > MAX_PLAIN_SAMPLES) holder.samples = thinSamples(holder.samples)
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
  const out: RunMachine = {}
  if (meta.probe) out.probe = { compute: meta.probe.compute, memory: meta.probe.memory, alloc: meta.probe.alloc }
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
  /** Per file (as keyed), the runs (0-based) it ran in. */
  private readonly fileRuns = new Map<string, Set<number>>()
  /** Plain benches with runs (0-based) that passed but reported no samples: a loud error at close, never a silently dropped run. */
  private readonly noSamples = new Map<string, number[]>()
  private runs = 1

  constructor(private readonly root: string) {}

  /**
   * Starts a test module: its file as benchmark keys name it (`[project] path` in a workspace, see
   * `keyFile`), its path relative to the root, and its replica (0-based). `label`: the workspace
   * project the module's project stands for; `loadError`: the file failed before any benchmark was
   * collected (an import that throws, say); `machine`: what its process reported about the machine
   * (the module's `meta.benchgateMachine`), if anything.
   */
  module(moduleId: string, projectName: string, context: { label?: string, loadError?: RunError, machine?: MachineMeta } = {}): { file: string, path: string, replica: number } {
    const path = relative(this.root, moduleId).split('\\').join('/')
    const file = keyFile(path, context.label)
    const replica = runNumber(projectName) - 1
    this.runs = Math.max(this.runs, replica + 1)
    if (context.loadError) {
      // A file that failed to load measured nothing: it is one failing row of the report, and it has
      // not "run" (its baseline entries are neither missing nor dropped by -u).
      if (!this.byKey.has(file)) {
        this.byKey.set(file, { ...newMeasured(file, file, path, undefined), error: { ...context.loadError, message: `the file failed to load: ${context.loadError.message}` } })
      }
      return { file, path, replica }
    }
    this.filesRun.add(file)
    const runs = this.fileRuns.get(file) ?? new Set<number>()
    runs.add(replica)
    this.fileRuns.set(file, runs)
    if (context.machine?.v === 1) this.machines.set(`${replica}\0${file}`, runMachine(context.machine))
    return { file, path, replica }
  }

  /** Adds one run of a benchmark; a benchmark that failed in an earlier run stays failed. */
  add(file: string, replica: number, found: FoundRun): void {
    this.runs = Math.max(this.runs, replica + 1)
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
    if (found.meta?.kind !== 'scenario' && !found.samples?.length) {
      const runs = this.noSamples.get(found.key) ?? []
      runs.push(replica)
      this.noSamples.set(found.key, runs)
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
    for (const [key, replicas] of this.noSamples) {
      const bench = this.byKey.get(key)!
      if (bench.error) continue
      const which = replicas.sort((a, b) => a - b).map(r => r + 1).join(', ')
      bench.error = { message: `run${replicas.length > 1 ? 's' : ''} ${which} of ${this.runs} reported no samples (benchmark.includeSamples, vitest 5: retainSamples, is off in that run's project), so the benchmark cannot be compared` }
    }
    // A plain bench found in fewer runs than its file ran in has a name that changes between runs
    // (built from a random value or a clock, say): its runs cannot be matched. (A scenario's
    // `maxRuns` skips runs on purpose.)
    for (const bench of this.byKey.values()) {
      const fileRuns = this.fileRuns.get(bench.file)?.size ?? 0
      const measured = bench.metrics.time?.runs.filter(run => run?.length).length ?? 0
      if (bench.error || bench.kind !== 'bench' || measured === 0 || measured >= fileRuns) continue
      bench.error = { message: `measured in ${measured} of the ${fileRuns} runs of its file: its name changes from run to run (built from a random value, a clock or an object's key order?), so its runs cannot be matched; give it a stable name` }
    }
    return { measured: closeMeasured([...this.byKey.values()], emptyMessage), filesRun: this.filesRun, runs: this.runs, machines: [...this.machines.values()] }
  }
}

/**
 * `ab run`: collects sample batches for every variant, interleaved, each batch in its own process,
 * and stores each batch the moment it is measured (so a crash loses at most the batch in flight).
 */
import { randomBytes } from 'node:crypto'
import { BenchgateError } from '../util/errors.ts'
import { runVitestBatch, type BatchRequest, type BatchRunner } from './child.ts'
import type { BatchBenchmark, Experiment, SampleBatch } from './experiment-types.generated.ts'
import { frozen, notFound, type ExperimentStore } from './experiment-store.ts'
import { envOnlyTarget, variantEnv, variantEnvNames, type ConfigTarget } from './overrides.ts'

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** The vitest project root. */
  root: string
  /** Turns the variants' config keys into environment variables. @default envOnlyTarget */
  target?: ConfigTarget
  /** Vitest config file (default: the project's own). */
  vitestConfig?: string
  /** Measured rounds per scenario and batch (default: each scenario's own). */
  rounds?: number
  /** Stop once every variant has this many new samples of every tracked metric. */
  samples?: number
  /** Stop before a cycle that would end after this many milliseconds (the first cycle always runs). */
  budgetMs?: number
  /** Runs one batch. @default runVitestBatch (a child `vitest bench --run`) */
  runBatch?: BatchRunner
  /** Milliseconds now. @default Date.now */
  clock?: () => number
  /** Called after each stored batch. */
  onBatch?: (batch: SampleBatch, newSamples: Readonly<Record<string, number>>) => void
}

/** What a run did. */
export interface RunExperimentResult {
  runId: string
  /** The batches stored by this run, in order. */
  batches: SampleBatch[]
  /** Complete cycles (every variant once). */
  cycles: number
  /** New samples per variant (the smallest count over the tracked metrics). */
  newSamples: Record<string, number>
  stopReason: 'samples' | 'budget' | 'one-cycle'
}

/** Keeps the experiment's metrics (all when none are named) and returns the batch's sample count. */
function selectMetrics(benchmarks: readonly BatchBenchmark[], metrics: readonly string[]): { benchmarks: BatchBenchmark[], samples: number } {
  const keep = new Set(metrics)
  const out: BatchBenchmark[] = []
  let samples = Number.POSITIVE_INFINITY
  for (const b of benchmarks) {
    const selected = Object.entries(b.metrics).filter(([name]) => keep.size === 0 || keep.has(name))
    if (selected.length === 0) continue
    for (const [, m] of selected) samples = Math.min(samples, m.values.length)
    out.push({ key: b.key, metrics: Object.fromEntries(selected) })
  }
  return { benchmarks: out, samples: out.length > 0 ? samples : 0 }
}

/** The variants in cycle `cycle`'s order: the starting variant rotates, so none always goes first. */
export function cycleOrder<T>(variants: readonly T[], cycle: number): T[] {
  const k = cycle % variants.length
  return [...variants.slice(k), ...variants.slice(0, k)]
}

/**
 * Runs cycles of one batch per variant until `samples` new samples per variant are collected, the
 * `budgetMs` would be exceeded, or (with neither) after one cycle. Every batch is appended to the
 * store before the next starts.
 * @throws {BenchgateError} unknown or finalized experiment, a failed batch, or a batch with no samples
 */
export async function runExperiment(store: ExperimentStore, name: string, options: RunExperimentOptions): Promise<RunExperimentResult> {
  const stored = store.load(name)
  if (!stored) throw notFound(name, store)
  const experiment: Experiment = stored.experiment
  if (experiment.status === 'finalized') throw frozen(experiment)
  if (options.samples !== undefined && !(Number.isInteger(options.samples) && options.samples >= 1))
    throw new BenchgateError(`--samples: expected an integer >= 1, received ${JSON.stringify(options.samples)}`)
  const target = options.target ?? envOnlyTarget
  const envs = new Map(experiment.variants.map(v => [v.name, variantEnv(v.overrides, target)]))
  const clearEnv = variantEnvNames(experiment.variants, target)
  const runBatch = options.runBatch ?? runVitestBatch
  const clock = options.clock ?? Date.now
  const runId = `${new Date(clock()).toISOString()}-${randomBytes(3).toString('hex')}`
  const newSamples: Record<string, number> = Object.fromEntries(experiment.variants.map(v => [v.name, 0]))
  const batches: SampleBatch[] = []
  const start = clock()
  let cycles = 0
  for (;;) {
    if (options.samples !== undefined && Object.values(newSamples).every(n => n >= options.samples!))
      return { runId, batches, cycles, newSamples, stopReason: 'samples' }
    if (options.budgetMs !== undefined && cycles > 0) {
      const elapsed = clock() - start
      if (elapsed + elapsed / cycles > options.budgetMs) return { runId, batches, cycles, newSamples, stopReason: 'budget' }
    }
    if (options.samples === undefined && options.budgetMs === undefined && cycles >= 1)
      return { runId, batches, cycles, newSamples, stopReason: 'one-cycle' }
    for (const variant of cycleOrder(experiment.variants, cycles)) {
      const request: BatchRequest = { root: options.root, variant: variant.name, overrides: variant.overrides, env: envs.get(variant.name)!, clearEnv, files: experiment.files, tags: experiment.tags }
      if (options.vitestConfig) request.vitestConfig = options.vitestConfig
      if (options.rounds !== undefined) request.rounds = options.rounds
      const result = await runBatch(request)
      const { benchmarks, samples } = selectMetrics(result.benchmarks, experiment.metrics)
      if (samples === 0) {
        const what = [experiment.tags.length ? `tags ${experiment.tags.join(',')}` : '', experiment.files.length ? `files ${experiment.files.join(' ')}` : '', experiment.metrics.length ? `metrics ${experiment.metrics.join(',')}` : ''].filter(Boolean).join(', ')
        throw new BenchgateError(`variant ${variant.name}: the batch recorded no samples${what ? ` of the experiment's ${what}` : ''} under ${options.root}; check the experiment's scenarios`)
      }
      const batch = store.appendBatch(name, { variant: variant.name, runId, startedAt: result.startedAt, finishedAt: result.finishedAt, environment: result.environment, benchmarks })
      batches.push(batch)
      newSamples[variant.name]! += samples
      options.onBatch?.(batch, newSamples)
    }
    cycles++
  }
}

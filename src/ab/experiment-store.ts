/**
 * What every experiment store is (the interface both backends implement) and what they share:
 * schema validation of experiments and batches, the canonical form of a batch, the errors they
 * raise. Neither backend imports the factory (src/ab/store.ts), which loads them.
 */
import { BenchgateError } from '../util/errors.ts'
import { compileSchema } from '../util/schema.ts'
import schema from './experiment.schema.json' with { type: 'json' }
import type { BatchBenchmark, Experiment, ExperimentFile, SampleBatch } from './experiment-types.generated.ts'

/** An experiment and every batch collected for it, in collection order. */
export interface StoredExperiment {
  experiment: Experiment
  batches: SampleBatch[]
}

/** A batch before the store numbers it. */
export type NewBatch = Omit<SampleBatch, 'seq'>

/** The storage of experiments; both backends behave identically. */
export interface ExperimentStore {
  /** `sqlite` (the history database) or `json` (one file per experiment). */
  readonly kind: 'sqlite' | 'json'
  /** The database file or the experiments directory, for messages. */
  readonly location: string
  /** Stores a new experiment; an existing name is refused. */
  create(experiment: Experiment): void
  /** The experiment and its batches, or undefined. */
  load(name: string): StoredExperiment | undefined
  /** Every experiment (without batches), sorted by name. */
  list(): Experiment[]
  /** Appends one batch atomically and returns it numbered; refused once the experiment is finalized. */
  appendBatch(name: string, batch: NewBatch): SampleBatch
  /** Freezes the experiment (idempotent: a second call keeps the first time) and returns it. */
  finalize(name: string, at: string): Experiment
  /** Releases the database connection (no-op for JSON). */
  close(): void
}

/** Validates a whole JSON store file. */
export const validateExperimentFile = compileSchema<ExperimentFile>(schema)
/** Validates one experiment definition. */
export const validateExperiment = compileSchema<Experiment>({ definitions: schema.definitions, $ref: '#/definitions/Experiment' })
/** Validates one sample batch. */
export const validateBatch = compileSchema<SampleBatch>({ definitions: schema.definitions, $ref: '#/definitions/SampleBatch' })

/** Benchmarks sorted by key and metrics by name, so both backends return the same batch. */
export function canonicalBatch<T extends NewBatch | SampleBatch>(batch: T): T {
  const benchmarks: BatchBenchmark[] = [...batch.benchmarks]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(b => ({ key: b.key, metrics: Object.fromEntries(Object.keys(b.metrics).sort().map(m => [m, b.metrics[m]!])) }))
  return { ...batch, benchmarks }
}

/** The one-line error for an unknown experiment. */
export function notFound(name: string, store: Pick<ExperimentStore, 'kind' | 'location'>): BenchgateError {
  return new BenchgateError(`experiment "${name}" not found in the ${store.kind} store ${store.location} (benchgate ab list shows the experiments)`)
}

/** The one-line error for a sample added to a finalized experiment. */
export function frozen(experiment: Experiment): BenchgateError {
  return new BenchgateError(`experiment "${experiment.name}" was finalized at ${experiment.finalizedAt ?? '?'}: it takes no more samples (create a new experiment to collect more)`)
}

/** The one-line error for a name taken. */
export function exists(experiment: Experiment, store: Pick<ExperimentStore, 'kind' | 'location'>): BenchgateError {
  return new BenchgateError(`--name: experiment "${experiment.name}" already exists in the ${store.kind} store ${store.location} (created ${experiment.createdAt}); choose another name`)
}

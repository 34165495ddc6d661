/**
 * `ab finalize`: freezes the experiment, writes `benchmark_results/ab_<name>_results.json` and, when
 * asked, deploys the winning treatment's overrides (config keys through the experiment's config
 * target, environment variables printed).
 */
import { join, resolve } from 'node:path'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import { compileSchema } from '../util/schema.ts'
import { benchgateVersion } from '../util/version.ts'
import { analyzeExperiment } from './analyze.ts'
import { deployVariant, envOnlyTarget, type ConfigTarget, type DeployResult } from './overrides.ts'
import type { Experiment, SampleBatch } from './experiment-types.generated.ts'
import type { EnvironmentCount, ExperimentAnalysis, ExperimentResults } from './results-types.generated.ts'
import experimentSchema from './experiment.schema.json' with { type: 'json' }
import schema from './results.schema.json' with { type: 'json' }
import { notFound, type ExperimentStore } from './experiment-store.ts'

/** Validates a results file. */
export const validateResults = compileSchema<ExperimentResults>(schema, { references: [experimentSchema] })

/** Where results files go, relative to the project root. */
export const RESULTS_DIR = 'benchmark_results'

/** `ab_<name>_results.json`. */
export function resultsFileName(name: string): string {
  return `ab_${name}_results.json`
}

function environments(batches: readonly SampleBatch[]): EnvironmentCount[] {
  const byKey = new Map<string, EnvironmentCount>()
  for (const b of batches) {
    const key = stableStringify(b.environment)
    const entry = byKey.get(key) ?? { environment: b.environment, batches: {} }
    entry.batches[b.variant] = (entry.batches[b.variant] ?? 0) + 1
    byKey.set(key, entry)
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e)
}

/** The results document: deterministic for the same stored experiment. */
export function buildResults(experiment: Experiment, batches: readonly SampleBatch[], analysis: ExperimentAnalysis = analyzeExperiment(experiment, batches)): ExperimentResults {
  return { schemaVersion: 1, tool: { name: 'benchgate', version: benchgateVersion() }, experiment, environments: environments(batches), analysis }
}

/** Validates what would be written (after rounding), then writes it atomically; returns the path. */
export function writeResults(dir: string, results: ExperimentResults): string {
  const path = join(dir, resultsFileName(results.experiment.name))
  const text = stableStringify(results)
  validateResults.assert(JSON.parse(text), `${path} (about to be written)`)
  try {
    writeFileAtomic(path, text)
  }
  catch (error) {
    throw new BenchgateError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error })
  }
  return path
}

/** What {@link finalizeExperiment} did. */
export interface FinalizeResult {
  experiment: Experiment
  analysis: ExperimentAnalysis
  resultsPath: string
  /** Set when a winner was deployed. */
  deployed?: DeployResult
}

/**
 * Freezes the experiment, writes its results file under `<root>/benchmark_results/` and, with
 * `deployWinner`, deploys the winner's overrides through `target` (default: environment variables
 * only, printed); the winner is the best treatment meeting every criterion, or none.
 */
export function finalizeExperiment(store: ExperimentStore, name: string, options: { root: string, deployWinner?: boolean, now?: Date, outputDir?: string, target?: ConfigTarget }): FinalizeResult {
  if (!store.load(name)) throw notFound(name, store)
  store.finalize(name, (options.now ?? new Date()).toISOString())
  const { experiment, batches } = store.load(name)!
  const analysis = analyzeExperiment(experiment, batches)
  const resultsPath = writeResults(resolve(options.root, options.outputDir ?? RESULTS_DIR), buildResults(experiment, batches, analysis))
  const result: FinalizeResult = { experiment, analysis, resultsPath }
  if (options.deployWinner && analysis.winner) {
    const winner = experiment.variants.find(v => v.name === analysis.winner)!
    result.deployed = deployVariant(options.root, winner.name, winner.overrides, options.target ?? envOnlyTarget)
  }
  return result
}

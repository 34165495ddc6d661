/**
 * `ab finalize`: freezes the experiment, writes `benchmark_results/ab_<name>_results.json` and, when
 * asked, writes the winning treatment's overrides into the project's `benchgate.config.json`.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CONFIG_FILE_NAME, configCurrent, getDotted, resolveWorkloadConfig, workloadKeys, type ConfigChange, type WorkloadConfigFile } from '../config/workload.ts'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import { compileSchema } from '../util/schema.ts'
import { benchgateVersion } from '../util/version.ts'
import { analyzeExperiment } from './analyze.ts'
import { flattenOverrides, type Overrides } from './definition.ts'
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

/** What deploying a winner did to the config file. */
export interface DeployResult {
  path: string
  /** Resolved values that changed (environment ignored), sorted by key. */
  changes: ConfigChange[]
  /** Lines for the CLI: the file and one `key: from -> to` per change. */
  summary: string[]
}

/**
 * Writes `overrides` into `<root>/benchgate.config.json` (kept profile, merged overrides, sorted
 * keys, atomic), after checking the result against the workload schema, and reports each resolved
 * value that changed.
 * @throws {BenchgateError} when the existing file is invalid or the result would be
 */
export function deployOverrides(root: string, variant: string, overrides: Readonly<Overrides>): DeployResult {
  const path = join(root, CONFIG_FILE_NAME)
  const before = configCurrent({ cwd: root, env: {} })
  const content: WorkloadConfigFile = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as WorkloadConfigFile : {}
  const merged = { ...flattenOverrides(content.overrides ?? {}), ...overrides }
  const after = resolveWorkloadConfig({ ...(content.profile ? { profile: content.profile } : {}), overrides: merged, env: {}, file: null, cwd: root })
  const changes: ConfigChange[] = []
  for (const key of workloadKeys()) {
    const from = getDotted(before.config, key)
    const to = getDotted(after, key)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ key, from, to })
  }
  changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const next: WorkloadConfigFile = content.profile ? { profile: content.profile, overrides: merged } : { overrides: merged }
  writeFileAtomic(path, stableStringify(next))
  const summary = [
    `Wrote ${path}: the overrides of ${variant}`,
    ...(changes.length === 0 ? ['  no resolved value changed (the project already runs this config)'] : changes.map(c => `  ${c.key}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`)),
  ]
  return { path, changes, summary }
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
 * `deployWinner`, writes the winner's overrides into the project's config file (the winner is the
 * best treatment meeting every criterion, or none).
 */
export function finalizeExperiment(store: ExperimentStore, name: string, options: { root: string, deployWinner?: boolean, now?: Date, outputDir?: string }): FinalizeResult {
  if (!store.load(name)) throw notFound(name, store)
  store.finalize(name, (options.now ?? new Date()).toISOString())
  const { experiment, batches } = store.load(name)!
  const analysis = analyzeExperiment(experiment, batches)
  const resultsPath = writeResults(resolve(options.root, options.outputDir ?? RESULTS_DIR), buildResults(experiment, batches, analysis))
  const result: FinalizeResult = { experiment, analysis, resultsPath }
  if (options.deployWinner && analysis.winner) {
    const winner = experiment.variants.find(v => v.name === analysis.winner)!
    result.deployed = deployOverrides(options.root, winner.name, winner.overrides)
  }
  return result
}

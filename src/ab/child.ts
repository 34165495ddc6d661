/**
 * One sample batch: a fresh `vitest bench --run` child process for one variant. The variant's
 * overrides reach the scenarios only through the environment set for that child: every variable
 * any variant of the experiment sets is removed from the inherited environment (as are benchgate's
 * own `BENCHGATE_*`), so settings never leak between variants or from the shell. The benchgate plugin in the
 * project's vitest config measures one run (`BENCHGATE_RUNS=1`), compares against an empty baseline
 * directory, records no history and writes the JSON run report into a temp directory, whose raw
 * per-round values become the batch.
 */
import { measureInChild, runEnv, vitestEntry, type RunBenchmark, type RunRequest } from '../against/child-run.ts'
import { BenchgateError } from '../util/errors.ts'
import type { Overrides } from './overrides.ts'
import type { BatchBenchmark, Environment } from './experiment-types.generated.ts'

/** What one batch needs to know. */
export interface BatchRequest {
  /** The vitest project root (the child's working directory). */
  root: string
  variant: string
  overrides: Overrides
  /** The variant's environment (`variantEnv` of its overrides). */
  env: Record<string, string>
  /** Variables no batch of the experiment inherits (`variantEnvNames`): the ones its variants set. */
  clearEnv?: readonly string[]
  /** Vitest config file (default: the project's own). */
  vitestConfig?: string
  /** Vitest file filters. */
  files: readonly string[]
  tags: readonly string[]
  /** Measured rounds per scenario (`BENCHGATE_ROUNDS`); default: each scenario's own. */
  rounds?: number
}

/** What one batch measured. */
export interface BatchResult {
  startedAt: string
  finishedAt: string
  environment: Environment
  benchmarks: BatchBenchmark[]
}

/** Runs one batch; the default spawns vitest, tests may substitute a function. */
export type BatchRunner = (request: BatchRequest) => Promise<BatchResult>

export { vitestEntry }

/** A batch is one run of `measureInChild`, labelled with its variant, with the variant's environment. */
export function batchRunRequest(request: BatchRequest): RunRequest {
  const run: RunRequest = { root: request.root, label: `variant ${request.variant}`, filters: request.files, tags: request.tags, env: request.env }
  if (request.clearEnv?.length) run.clearEnv = request.clearEnv
  if (request.vitestConfig) run.vitestConfig = request.vitestConfig
  if (request.rounds !== undefined) run.rounds = request.rounds
  return run
}

/**
 * The child's environment: the parent's minus inherited `BENCHGATE_*` settings, the variables the
 * experiment's variants set and Vitest's own worker variables, plus the variant's environment and
 * the batch settings.
 */
export function childEnv(parent: NodeJS.ProcessEnv, request: BatchRequest, outDir: string): NodeJS.ProcessEnv {
  return runEnv(parent, batchRunRequest(request), outDir)
}

/** The batch's benchmarks: every metric's raw per-round values. A benchmark that threw fails the batch. */
export function batchBenchmarks(benchmarks: readonly RunBenchmark[], variant: string): BatchBenchmark[] {
  const out: BatchBenchmark[] = []
  for (const bench of benchmarks) {
    if (bench.error) throw new BenchgateError(`variant ${variant}: ${bench.key} failed: ${bench.error.message.split('\n')[0]}`, 1)
    const metrics: BatchBenchmark['metrics'] = {}
    for (const [name, m] of Object.entries(bench.metrics)) metrics[name] = { direction: m.spec.direction, unit: m.spec.unit, values: [...m.values] }
    if (Object.keys(metrics).length > 0) out.push({ key: bench.key, metrics })
  }
  return out
}

/**
 * Runs one batch in a fresh `vitest bench --run` process (`measureInChild`) and returns its per-round values.
 * @throws {BenchgateError} when the child fails or writes no report (with the end of its output)
 */
export async function runVitestBatch(request: BatchRequest): Promise<BatchResult> {
  const startedAt = new Date().toISOString()
  const run = await measureInChild(batchRunRequest(request))
  const finishedAt = new Date().toISOString()
  return { startedAt, finishedAt, environment: run.environment, benchmarks: batchBenchmarks(run.benchmarks, request.variant) }
}

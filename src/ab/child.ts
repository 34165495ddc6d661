/**
 * One sample batch: a fresh `vitest bench --run` child process for one variant. The variant's
 * config reaches the scenarios only through `BENCHGATE_CONFIG_*` variables set for that child
 * (inherited ones are removed), so configs never leak between variants. The benchgate plugin in the
 * project's vitest config measures one run (`BENCHGATE_RUNS=1`), compares against an empty baseline
 * directory, records no history and writes the JSON run report into a temp directory, whose raw
 * per-round values become the batch.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { outputTail, vitestEntry } from '../compare/measure-run.ts'
import { ENV_PREFIX } from '../config/workload.ts'
import { LATEST_REPORT_NAME, readReport } from '../report/io.ts'
import type { RunReport } from '../report/types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import { variantEnv, type Overrides } from './definition.ts'
import type { BatchBenchmark, Environment } from './experiment-types.generated.ts'

/** What one batch needs to know. */
export interface BatchRequest {
  /** The vitest project root (the child's working directory). */
  root: string
  variant: string
  overrides: Overrides
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

/**
 * The child's environment: the parent's minus inherited workload overrides and Vitest's own worker
 * variables, plus the variant's overrides and the batch settings.
 */
export function childEnv(parent: NodeJS.ProcessEnv, request: BatchRequest, outDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(parent)) {
    if (key.startsWith(ENV_PREFIX) || key === 'VITEST' || key.startsWith('VITEST_')) continue
    env[key] = value
  }
  Object.assign(env, variantEnv(request.overrides), {
    BENCHGATE_RUNS: '1',
    BENCHGATE_REPORTERS: 'json',
    BENCHGATE_OUTPUT_DIR: outDir,
    BENCHGATE_BASELINE_DIR: join(outDir, 'baselines'),
    BENCHGATE_HISTORY: 'off',
    BENCHGATE_TAGS: request.tags.join(','),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  })
  if (request.rounds !== undefined) env.BENCHGATE_ROUNDS = String(request.rounds)
  else delete env.BENCHGATE_ROUNDS
  return env
}

/** The batch's benchmarks from a run report: every metric's raw per-round values, runs concatenated. */
export function benchmarksOfReport(report: RunReport, variant: string): BatchBenchmark[] {
  const out: BatchBenchmark[] = []
  for (const bench of report.benchmarks) {
    if (bench.error) throw new BenchgateError(`variant ${variant}: ${bench.key} failed: ${bench.error.message.split('\n')[0]}`, 1)
    const metrics: BatchBenchmark['metrics'] = {}
    for (const m of bench.metrics) {
      const values = m.current?.runs.flat() ?? []
      if (values.length > 0) metrics[m.metric] = { direction: m.direction, unit: m.unit, values }
    }
    if (Object.keys(metrics).length > 0) out.push({ key: bench.key, metrics })
  }
  return out
}


/**
 * Runs one batch in a fresh `vitest bench --run` process and returns its per-round values.
 * @throws {BenchgateError} when the child fails or writes no report (with the end of its output)
 */
export async function runVitestBatch(request: BatchRequest): Promise<BatchResult> {
  const outDir = mkdtempSync(join(tmpdir(), 'benchgate-ab-'))
  try {
    const args = [vitestEntry(request.root), 'bench', '--run', '--root', resolve(request.root)]
    if (request.vitestConfig) args.push('--config', resolve(request.root, request.vitestConfig))
    args.push(...request.files)
    const startedAt = new Date().toISOString()
    const child = spawn(process.execPath, args, { cwd: request.root, env: childEnv(process.env, request, outDir), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64_000)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    const code = await new Promise<number>((done, fail) => {
      child.on('error', fail)
      child.on('close', (status, signal) => done(status ?? (signal ? 128 : 1)))
    })
    const finishedAt = new Date().toISOString()
    const reportPath = join(outDir, LATEST_REPORT_NAME)
    if (!existsSync(reportPath)) {
      throw new BenchgateError(`variant ${request.variant}: vitest bench exited with ${code} and wrote no benchgate report (is benchgate() in the project's vitest config plugins?):\n${outputTail(output)}`, code === 2 ? 2 : 1)
    }
    const report = readReport(reportPath)
    return { startedAt, finishedAt, environment: report.environment, benchmarks: benchmarksOfReport(report, request.variant) }
  }
  finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

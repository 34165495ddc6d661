/**
 * One independent run: a fresh `vitest bench --run` process of a project, measured once
 * (`BENCHGATE_RUNS=1`), compared against an empty baseline directory, with the JSON reporter writing
 * the run report into a temp directory whose raw per-round values are read back. This is the unit of
 * replication of `benchgate compare --against` and of the detector harness: what varies between runs
 * (process start, JIT, GC, heap layout) varies between these.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Environment } from '../baseline/fingerprint.ts'
import { LATEST_REPORT_NAME, readReport } from '../report/io.ts'
import type { RunReport } from '../report/types.generated.ts'
import type { MetricSpec } from '../scenario/types.ts'
import { BenchgateError } from '../util/errors.ts'
import type { CpuMode } from '../machine/placement.ts'
import { own } from '../util/own.ts'
import type { MeasuredBenchmark, RunMachine } from '../scenario/measured.ts'

/** What one run needs to know. */
export interface RunRequest {
  /** The vitest project root (the child's working directory). */
  root: string
  /** Names the run in errors, e.g. `base (1a2b3c4)`. */
  label: string
  /** Vitest config file, relative to the root (default: the project's own). */
  vitestConfig?: string
  /** Vitest file filters. */
  filters?: readonly string[]
  /** Only scenarios with any of these tags (`BENCHGATE_TAGS`). */
  tags?: readonly string[]
  /** Measured rounds per scenario (`BENCHGATE_ROUNDS`); default: each scenario's own. */
  rounds?: number
  /** Extra environment for the child (e.g. a fixture's slowdown factor). */
  env?: Record<string, string>
  /** Inherited variables the child must not see (an A/B experiment's: only its variant's values count). */
  clearEnv?: readonly string[]
  /**
   * Where the child places its measured processes (`BENCHGATE_CPU`): the fastest CPU, chosen by each
   * process (`auto`, the plugin's default), a given CPU, or `off`. See src/machine/placement.ts.
   */
  cpu?: CpuMode
  /** `--shard <index>/<count>`: only this shard's files (a shard of `compare --against`). */
  shard?: { index: number, count: number }
}

/** One benchmark of one run: its identity and each metric's per-round values. */
export interface RunBenchmark {
  key: string
  file: string
  name: string
  kind: 'scenario' | 'bench'
  tags: string[]
  configHash: string
  description?: string
  location?: { file: string, line: number, column: number }
  error?: { message: string, stack?: string }
  metrics: Record<string, { spec: MetricSpec, values: number[] }>
  /** Where the run's process measured and its machine probes, when it reported them. */
  machine?: RunMachine
}

/** What one run measured. */
export interface MeasuredRun {
  label: string
  benchmarks: RunBenchmark[]
  environment: Environment
  /** The decision settings the project's own config resolved to (thresholds, alpha, failOn). */
  options: RunReport['options']
  /** Wall time of the whole child process, in ms. */
  wallMs: number
}

/** Finds the `vitest` executable script the project resolves (or, failing that, benchgate's own). */
export function vitestEntry(root: string): string {
  for (const from of [join(resolve(root), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      const pkgPath = createRequire(from).resolve('vitest/package.json')
      const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin?: string | Record<string, string> }
      const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.vitest
      if (bin) return join(dirname(pkgPath), bin)
    }
    catch {}
  }
  throw new BenchgateError(`cannot find vitest from ${root}: install it in the project (npm install -D vitest@4)`)
}


/**
 * The child's environment: the parent's minus inherited `BENCHGATE_*` (except `BENCHGATE_PROBES`, a
 * setting of the whole command), Vitest worker variables and `clearEnv`, plus `env`, one measured
 * run, the JSON reporter into `outDir`, an empty baseline directory, no history.
 */
export function runEnv(parent: NodeJS.ProcessEnv, request: RunRequest, outDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  const cleared = new Set(request.clearEnv ?? [])
  for (const [key, value] of Object.entries(parent)) {
    if ((key.startsWith('BENCHGATE_') && key !== 'BENCHGATE_PROBES') || key === 'VITEST' || key.startsWith('VITEST_') || cleared.has(key)) continue
    env[key] = value
  }
  Object.assign(env, request.env ?? {}, {
    BENCHGATE_RUNS: '1',
    BENCHGATE_REPORTERS: 'json',
    BENCHGATE_OUTPUT_DIR: outDir,
    BENCHGATE_BASELINE_DIR: join(outDir, 'baselines'),
    BENCHGATE_HISTORY: 'off',
    // the run dies with this process (a cancelled job's kill -9 leaves no benchmark running)
    BENCHGATE_DIE_WITH_PARENT: '1',
    // one side may lack a tag the other has (a new scenario): the caller judges the filter
    BENCHGATE_ALLOW_NO_TAG_MATCH: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  })
  // a shard's files, but a plain run's JSON report (the shard report is the parent's)
  if (request.shard) env.BENCHGATE_SHARD_REPORT = 'none'
  if (request.tags?.length) env.BENCHGATE_TAGS = request.tags.join(',')
  if (request.rounds !== undefined) env.BENCHGATE_ROUNDS = String(request.rounds)
  if (request.cpu !== undefined) env.BENCHGATE_CPU = String(request.cpu)
  return env
}

/** The run's benchmarks, read from its JSON report: one run's values per metric. */
export function benchmarksOfReport(report: RunReport): RunBenchmark[] {
  return report.benchmarks.map((bench) => {
    const out: RunBenchmark = {
      key: bench.key,
      file: bench.file,
      name: bench.name,
      kind: bench.kind,
      tags: [...bench.tags],
      configHash: bench.configHash,
      metrics: {},
    }
    if (bench.description) out.description = bench.description
    if (bench.location) out.location = { ...bench.location }
    if (bench.error) out.error = { ...bench.error }
    if (bench.machine?.cpus?.length || bench.machine?.current?.length) {
      const probe = bench.machine.current?.[0]
      const cpu = bench.machine.cpus?.[0]
      out.machine = { ...(probe ? { probe: { ...probe } } : {}), ...(typeof cpu === 'number' ? { cpu } : {}) }
    }
    for (const metric of bench.metrics) {
      const values = metric.current?.runs.flat() ?? []
      if (metric.verdict === 'error' || values.length === 0) continue
      const spec: MetricSpec = { direction: metric.direction, unit: metric.unit }
      if (metric.bounds?.min !== undefined) spec.min = metric.bounds.min
      if (metric.bounds?.max !== undefined) spec.max = metric.bounds.max
      // per-scenario or per-metric thresholds survive as the metric's own
      const t = metric.thresholds
      if (t.warning !== report.options.thresholds.warning || t.critical !== report.options.thresholds.critical) spec.thresholds = { ...t }
      out.metrics[metric.metric] = { spec, values }
    }
    return out
  })
}

/** The last `lines` lines of a child's output, for error messages. */
export function outputTail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}

/**
 * Runs the project once in a fresh `vitest bench --run` process and returns its per-round values.
 * @throws {BenchgateError} when the child writes no report (with the end of its output), naming the run
 */
export async function measureInChild(request: RunRequest): Promise<MeasuredRun> {
  const outDir = mkdtempSync(join(tmpdir(), 'benchgate-run-'))
  try {
    const args = [vitestEntry(request.root), 'bench', '--run', '--root', resolve(request.root)]
    if (request.vitestConfig) args.push('--config', resolve(request.root, request.vitestConfig))
    // an empty shard (more shards than files) measures nothing rather than failing
    if (request.shard) args.push('--shard', `${request.shard.index}/${request.shard.count}`, '--passWithNoTests')
    args.push(...(request.filters ?? []))
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: request.root, env: runEnv(process.env, request, outDir), stdio: ['ignore', 'pipe', 'pipe'] })
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
    const wallMs = performance.now() - started
    const reportPath = join(outDir, LATEST_REPORT_NAME)
    if (!existsSync(reportPath)) {
      throw new BenchgateError(`${request.label}: vitest bench exited with ${code} and wrote no benchgate report (is benchgate() in the project's vitest config plugins?):\n${outputTail(output)}`, code === 2 ? 2 : 1)
    }
    const report = readReport(reportPath)
    return { label: request.label, benchmarks: benchmarksOfReport(report), environment: report.environment, options: report.options, wallMs }
  }
  finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

/**
 * Joins single runs into what `compareWithBaseline()` takes: one entry per benchmark key, one run per
 * measured run (in order). A benchmark that failed in any run carries that error.
 */
export function joinRuns(runs: readonly Pick<MeasuredRun, 'benchmarks'>[]): MeasuredBenchmark[] {
  const byKey = new Map<string, MeasuredBenchmark>()
  for (const run of runs) {
    for (const bench of run.benchmarks) {
      let joined = byKey.get(bench.key)
      if (!joined) {
        joined = { key: bench.key, file: bench.file, name: bench.name, kind: bench.kind, tags: bench.tags, configHash: bench.configHash, rounds: 0, metrics: {} }
        if (bench.description) joined.description = bench.description
        if (bench.location) joined.location = bench.location
        byKey.set(bench.key, joined)
      }
      if (bench.error && !joined.error) joined.error = bench.error
      if (bench.machine) (joined.machine ??= []).push(bench.machine)
      for (const [name, metric] of Object.entries(bench.metrics)) {
        const target = own(joined.metrics, name) ?? (joined.metrics[name] = { spec: metric.spec, runs: [] })
        target.runs.push([...metric.values])
        joined.rounds = Math.max(joined.rounds, metric.values.length)
      }
    }
  }
  return [...byKey.values()]
}

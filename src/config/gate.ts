import type { FailOn, Thresholds } from '../scenario/types.ts'
import type { ResolvedDecision } from '../scenario/measured.ts'
import { initialCpus } from '../machine/affinity.ts'
import type { CpuMode } from '../machine/placement.ts'
import { parseTags } from '../scenario/tags.ts'
import { BenchgateError } from '../util/errors.ts'
import { resolveHistoryOptions, type HistoryOption, type ResolvedHistoryOptions } from './history.ts'
import { INSTRUCTION_RUNS, resolveMeasureMode, type MeasureMode } from '../measure/mode.ts'
import { positiveInt, positiveNumber } from '../util/parse.ts'

/** Names of the built-in reporters (see `benchgate/reporters`). */
export type ReporterName = 'console' | 'json' | 'junit' | 'markdown' | 'html' | 'github'

/** Options of the `benchgate()` plugin. Every field is optional. */
export interface BenchgateOptions {
  /**
   * Directory of `current_baselines.json`, relative to the project root. Env: `BENCHGATE_BASELINE_DIR`.
   * @default 'baselines'
   */
  baselineDir?: string
  /**
   * Independent runs (separate worker processes) per benchmark when gating. 5, not 3: with 3, one run
   * slowed by a busy neighbour moves the estimate enough for false alarms (docs/detection.md).
   * @default 5 (2 with `measure: 'instructions'`)
   */
  runs?: number
  /**
   * Independent runs per benchmark when writing a baseline with `-u`: more runs, a better noise estimate.
   * @default 5 (3 with `measure: 'instructions'`)
   */
  baselineRuns?: number
  /** Overrides every scenario's measured rounds (`--measurement-rounds`). Env: `BENCHGATE_ROUNDS`. */
  rounds?: number
  /** Only scenarios with any of these tags run. Env: `BENCHGATE_TAGS=ci,quick`. */
  tags?: string[]
  /**
   * A tag filter that matches no benchmark stops the run with exit 2 (a typo would otherwise pass a
   * CI gate that measured nothing); `true` lets such a run pass. Env: `BENCHGATE_ALLOW_NO_TAG_MATCH=1`.
   * @default false
   */
  allowNoTagMatch?: boolean
  /** @default { warning: 0.05, critical: 0.10 } */
  thresholds?: Thresholds
  /** @default 0.05 */
  alpha?: number
  /** @default 'critical' */
  failOn?: FailOn
  /**
   * Run-to-run noise assumed before any is observed: the CV of run medians and its weight in runs.
   * @default { cv: 0.02, weight: 3 }
   */
  noisePrior?: { cv: number, weight: number }
  /**
   * How far a benchmark's speed moves between sessions in ways no machine probe sees (its own
   * sensitivity to caches, memory bandwidth and neighbours), as a CV added to the noise of time
   * metrics compared with a committed baseline; the machine probes' measured move adds to it.
   * `compare --against` (both sides measured together) uses neither.
   * @default 0.04
   */
  sessionDrift?: number
  /**
   * When the machine probes say this machine moved more than this (relative, on any kind of work)
   * since the baseline was recorded, time metrics are not judged against that baseline: their
   * verdict is `unstable` and the report names the move. Smaller moves widen the intervals of time
   * metrics by the move instead.
   * @default 0.25
   */
  maxDrift?: number
  /**
   * Where measured processes run. `'auto'`: each measured process times a short compute probe on
   * every CPU it may use, pins itself to the fastest and moves Vitest's main process off it (Linux,
   * 2+ CPUs, `taskset`; elsewhere the report says why it was not done). A number: that CPU.
   * `'off'`: wherever the OS puts them. Benchmarks that measure a thread pool's parallel speed-up
   * need `'off'`: pinned, every thread of the process shares one CPU. Env: `BENCHGATE_CPU`.
   * @default 'auto'
   */
  cpu?: CpuMode
  /**
   * Machine probes: every measured process times three short reference workloads (compute, memory
   * bandwidth, allocation) before and after its benchmarks, so that a run against a baseline
   * recorded in another session can tell a machine that moved from a code change (the drift rule,
   * `maxDrift`). They cost a few hundred ms per benchmark file and run, most of it faulting in the
   * memory probe's 48 MB buffers. `false` skips them: time metrics against a committed baseline
   * then allow the assumed `sessionDrift` only, and a machine that slowed down reads as a
   * regression. Worth it where runs never judge against another session's numbers
   * (`compare --against` measures both sides together) or where the verdicts come from counters.
   * Env: `BENCHGATE_PROBES=off`.
   * @default true
   */
  probes?: boolean
  /**
   * How much of a plain run's benchmark time a gate run spends on each plain `bench()`, all its runs
   * together: each run gives tinybench `time x timeBudget / runs` (and the same share of
   * `warmupTime`, never more than its full time; a bench's minimum `iterations` still apply). Runs differ more from each other than
   * the samples within one run do, so more runs of less time each decide better than fewer full
   * ones, and at 1.5 a gate of 5 runs costs about 1.5x a plain run's benchmark time plus 4 more
   * worker start-ups per file. `runs` (5) gives every run the full time, as before. Scenarios are
   * not affected: their rounds are counted, not timed. Vitest 4 (its benchmark runner); vitest 5
   * runs keep their full time. Env: `BENCHGATE_TIME_BUDGET`.
   * @default 1.5
   */
  timeBudget?: number
  /**
   * Reporters that render the run report. Env: `BENCHGATE_REPORTERS=json,junit` (replaces this list).
   * @default ['console']
   */
  reporters?: ReporterName[]
  /**
   * Directory for report files (JSON, JUnit, Markdown, HTML), relative to the project root.
   * Env: `BENCHGATE_OUTPUT_DIR`.
   * @default 'benchmark_results'
   */
  outputDir?: string
  /**
   * Run history: every run is appended to a SQLite file (needs the optional better-sqlite3; without
   * it the run prints one line and goes on). `false` turns it off; `{ path }` moves the file (relative
   * to the project root). Env: `BENCHGATE_HISTORY_DB` (path; turns it on), `BENCHGATE_HISTORY=off`.
   * @default true, path '.benchgate/history.db'
   */
  history?: HistoryOption
  /**
   * What a round measures: `'time'` (wall time) or `'instructions'` (instructions executed by the
   * benchmark body, counted under Valgrind: deterministic, see docs/instructions.md). Instruction
   * entries are kept in a baseline file of their own. Env: `BENCHGATE_MEASURE`, `--measure`.
   * @default 'time'
   */
  measure?: MeasureMode
  /**
   * Thresholds per metric name, over `thresholds` and a scenario's own (a metric's declared
   * thresholds still win): e.g. `{ instructions: { warning: 0.005, critical: 0.01 } }` gates
   * instruction counts at 1 % while times and memory keep theirs.
   */
  metricThresholds?: Record<string, Thresholds>
}

/** Options with every default applied. */
export interface ResolvedBenchgateOptions {
  baselineDir: string
  cpu: CpuMode
  /** Whether measured processes time the machine probes. */
  probes: boolean
  timeBudget: number
  runs: number
  baselineRuns: number
  rounds?: number
  tags: string[]
  allowNoTagMatch: boolean
  decision: ResolvedDecision
  reporters: ReporterName[]
  outputDir: string
  history: ResolvedHistoryOptions
  measure: MeasureMode
  metricThresholds?: Record<string, Required<Thresholds>>
}

export const gateDefaults = {
  baselineDir: 'baselines',
  runs: 5,
  baselineRuns: 5,
  thresholds: { warning: 0.05, critical: 0.10 },
  alpha: 0.05,
  failOn: 'critical',
  noisePrior: { cv: 0.02, weight: 3 },
  sessionDrift: 0.04,
  maxDrift: 0.25,
  reporters: ['console'],
  outputDir: 'benchmark_results',
  resamples: 1000,
  cpu: 'auto',
  probes: true,
  timeBudget: 1.5,
} as const

const REPORTERS: readonly ReporterName[] = ['console', 'json', 'junit', 'markdown', 'html', 'github']

/** Parses a CPU mode: `auto`, `off` (or `none`), or a CPU number. Errors name the option. */
export function parseCpuMode(name: string, value: unknown, cpus: readonly number[] | undefined = initialCpus()): CpuMode {
  if (value === 'auto' || value === 'off') return value
  if (value === 'none') return 'off'
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new BenchgateError(`${name}: expected auto, off or a CPU number but received ${JSON.stringify(value)}`)
  if (cpus && !cpus.includes(n))
    throw new BenchgateError(`${name}: CPU ${n} is not among the CPUs this process may use (${cpus.join(', ')})`)
  return n
}

function flag(name: string, value: string): boolean {
  if (['1', 'true', 'on', 'yes'].includes(value.toLowerCase())) return true
  if (['0', 'false', 'off', 'no'].includes(value.toLowerCase())) return false
  throw new BenchgateError(`${name}: expected 1 or 0 (true/false, on/off) but received ${JSON.stringify(value)}`)
}

function probesOption(value: unknown): boolean {
  if (value === undefined) return gateDefaults.probes
  if (typeof value !== 'boolean') throw new BenchgateError(`benchgate option probes: expected true or false but received ${JSON.stringify(value)}`)
  return value
}

/** Validates `metricThresholds`: each entry completed from the run's thresholds, warning <= critical. */
function resolveMetricThresholds(byMetric: Record<string, Thresholds>, base: Required<Thresholds>): Record<string, Required<Thresholds>> {
  const out: Record<string, Required<Thresholds>> = {}
  for (const [metric, given] of Object.entries(byMetric)) {
    const t = { ...base, ...given }
    for (const [k, v] of Object.entries(t)) {
      if (typeof v !== 'number' || !(v > 0)) throw new BenchgateError(`benchgate option metricThresholds.${metric}.${k}: expected a number > 0 but received ${JSON.stringify(v)}`)
    }
    if (t.warning > t.critical) throw new BenchgateError(`benchgate option metricThresholds.${metric}: warning (${t.warning}) must not exceed critical (${t.critical})`)
    out[metric] = t
  }
  return out
}

/**
 * Applies defaults, then environment overrides (`BENCHGATE_BASELINE_DIR`, `BENCHGATE_ROUNDS`,
 * `BENCHGATE_TAGS`, `BENCHGATE_RUNS`, `BENCHGATE_REPORTERS=json,junit`, `BENCHGATE_OUTPUT_DIR`), and
 * validates. Errors name the option or variable.
 */
export function resolveGateOptions(options: BenchgateOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedBenchgateOptions {
  const thresholds = { ...gateDefaults.thresholds, ...options.thresholds }
  for (const [k, v] of Object.entries(thresholds)) {
    if (typeof v !== 'number' || !(v > 0)) throw new BenchgateError(`benchgate option thresholds.${k}: expected a number > 0 but received ${JSON.stringify(v)}`)
  }
  if (thresholds.warning > thresholds.critical)
    throw new BenchgateError(`benchgate option thresholds: warning (${thresholds.warning}) must not exceed critical (${thresholds.critical})`)
  const alpha = options.alpha ?? gateDefaults.alpha
  if (!(alpha > 0 && alpha < 1)) throw new BenchgateError(`benchgate option alpha: expected a number between 0 and 1 but received ${JSON.stringify(alpha)}`)
  const failOn = options.failOn ?? gateDefaults.failOn
  if (!['critical', 'warning', 'never'].includes(failOn)) throw new BenchgateError(`benchgate option failOn: expected 'critical', 'warning' or 'never' but received ${JSON.stringify(failOn)}`)
  const fromEnv = env.BENCHGATE_REPORTERS !== undefined && env.BENCHGATE_REPORTERS.trim() !== ''
  const reporters = fromEnv ? env.BENCHGATE_REPORTERS!.split(',').map(r => r.trim()).filter(Boolean) as ReporterName[] : options.reporters ?? [...gateDefaults.reporters]
  for (const r of reporters) {
    if (!REPORTERS.includes(r)) throw new BenchgateError(`${fromEnv ? 'BENCHGATE_REPORTERS' : 'benchgate option reporters'}: unknown reporter ${JSON.stringify(r)} (expected one of ${REPORTERS.join(', ')})`)
  }
  const sessionDrift = options.sessionDrift ?? gateDefaults.sessionDrift
  if (typeof sessionDrift !== 'number' || !(sessionDrift >= 0 && sessionDrift < 1))
    throw new BenchgateError(`benchgate option sessionDrift: expected a number from 0 to 1 but received ${JSON.stringify(sessionDrift)}`)
  const maxDrift = options.maxDrift ?? gateDefaults.maxDrift
  if (typeof maxDrift !== 'number' || !(maxDrift > 0))
    throw new BenchgateError(`benchgate option maxDrift: expected a number > 0 but received ${JSON.stringify(maxDrift)}`)
  const noisePrior = options.noisePrior ?? gateDefaults.noisePrior
  if (!(noisePrior.cv > 0) || !(noisePrior.weight > 0))
    throw new BenchgateError(`benchgate option noisePrior: expected { cv > 0, weight > 0 } but received ${JSON.stringify(noisePrior)}`)

  const measure = resolveMeasureMode(options.measure, env)
  const runDefaults = measure === 'instructions' ? INSTRUCTION_RUNS : gateDefaults
  const resolved: ResolvedBenchgateOptions = {
    baselineDir: env.BENCHGATE_BASELINE_DIR || options.baselineDir || gateDefaults.baselineDir,
    timeBudget: env.BENCHGATE_TIME_BUDGET ? positiveNumber('BENCHGATE_TIME_BUDGET', env.BENCHGATE_TIME_BUDGET) : positiveNumber('benchgate option timeBudget', options.timeBudget ?? gateDefaults.timeBudget),
    cpu: env.BENCHGATE_CPU ? parseCpuMode('BENCHGATE_CPU', env.BENCHGATE_CPU) : parseCpuMode('benchgate option cpu', options.cpu ?? gateDefaults.cpu),
    probes: env.BENCHGATE_PROBES !== undefined && env.BENCHGATE_PROBES !== '' ? flag('BENCHGATE_PROBES', env.BENCHGATE_PROBES) : probesOption(options.probes),
    runs: env.BENCHGATE_RUNS ? positiveInt('BENCHGATE_RUNS', env.BENCHGATE_RUNS) : positiveInt('benchgate option runs', options.runs ?? runDefaults.runs),
    baselineRuns: env.BENCHGATE_BASELINE_RUNS ? positiveInt('BENCHGATE_BASELINE_RUNS', env.BENCHGATE_BASELINE_RUNS) : positiveInt('benchgate option baselineRuns', options.baselineRuns ?? runDefaults.baselineRuns),
    tags: env.BENCHGATE_TAGS !== undefined && env.BENCHGATE_TAGS !== '' ? parseTags(env.BENCHGATE_TAGS) : parseTags(options.tags),
    allowNoTagMatch: env.BENCHGATE_ALLOW_NO_TAG_MATCH !== undefined && env.BENCHGATE_ALLOW_NO_TAG_MATCH !== '' ? flag('BENCHGATE_ALLOW_NO_TAG_MATCH', env.BENCHGATE_ALLOW_NO_TAG_MATCH) : options.allowNoTagMatch === true,
    decision: { thresholds, alpha, failOn, noisePrior: { ...noisePrior }, resamples: gateDefaults.resamples, sessionDrift, maxDrift },
    reporters,
    outputDir: env.BENCHGATE_OUTPUT_DIR || options.outputDir || gateDefaults.outputDir,
    history: resolveHistoryOptions(options.history, env),
    measure,
  }
  if (options.metricThresholds) resolved.metricThresholds = resolveMetricThresholds(options.metricThresholds, thresholds)
  const rounds = env.BENCHGATE_ROUNDS ? positiveInt('BENCHGATE_ROUNDS', env.BENCHGATE_ROUNDS) : options.rounds !== undefined ? positiveInt('benchgate option rounds', options.rounds) : undefined
  if (rounds !== undefined) resolved.rounds = rounds
  return resolved
}

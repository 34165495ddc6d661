import type { FailOn, Thresholds } from '../scenario/types.ts'
import type { ResolvedDecision } from '../compare/types.ts'
import { parseTags } from '../scenario/tags.ts'
import { BenchgateError } from '../util/errors.ts'
import { resolveHistoryOptions, type HistoryOption, type ResolvedHistoryOptions } from '../history/options.ts'
import { INSTRUCTION_RUNS, resolveMeasureMode, type MeasureMode } from '../measure/mode.ts'

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
   * Session-to-session drift of the machine's speed, as a CV, added to the noise of time metrics
   * compared with a committed baseline (recorded in another session). Measured on a shared 2-core
   * VM: the same code 9-12 % slower an hour later. `compare --against` runs both sides in one job
   * and does not use it.
   * @default 0.04
   */
  sessionDrift?: number
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
  runs: number
  baselineRuns: number
  rounds?: number
  tags: string[]
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
  reporters: ['console'],
  outputDir: 'benchmark_results',
  resamples: 1000,
} as const

const REPORTERS: readonly ReporterName[] = ['console', 'json', 'junit', 'markdown', 'html', 'github']

function positiveInt(name: string, value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new BenchgateError(`${name}: expected an integer >= 1 but received ${JSON.stringify(value)}`)
  return n
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
  const noisePrior = options.noisePrior ?? gateDefaults.noisePrior
  if (!(noisePrior.cv > 0) || !(noisePrior.weight > 0))
    throw new BenchgateError(`benchgate option noisePrior: expected { cv > 0, weight > 0 } but received ${JSON.stringify(noisePrior)}`)

  const measure = resolveMeasureMode(options.measure, env)
  const runDefaults = measure === 'instructions' ? INSTRUCTION_RUNS : gateDefaults
  const resolved: ResolvedBenchgateOptions = {
    baselineDir: env.BENCHGATE_BASELINE_DIR || options.baselineDir || gateDefaults.baselineDir,
    runs: env.BENCHGATE_RUNS ? positiveInt('BENCHGATE_RUNS', env.BENCHGATE_RUNS) : positiveInt('benchgate option runs', options.runs ?? runDefaults.runs),
    baselineRuns: env.BENCHGATE_BASELINE_RUNS ? positiveInt('BENCHGATE_BASELINE_RUNS', env.BENCHGATE_BASELINE_RUNS) : positiveInt('benchgate option baselineRuns', options.baselineRuns ?? runDefaults.baselineRuns),
    tags: env.BENCHGATE_TAGS !== undefined && env.BENCHGATE_TAGS !== '' ? parseTags(env.BENCHGATE_TAGS) : parseTags(options.tags),
    decision: { thresholds, alpha, failOn, noisePrior: { ...noisePrior }, resamples: gateDefaults.resamples, sessionDrift },
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

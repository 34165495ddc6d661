/**
 * What a run measures: wall time (the default) or executed instructions under Valgrind
 * (`--measure instructions`, docs/instructions.md). Framework-free and light: the GIF workload
 * reads {@link deterministicThreads} from here, so this module imports nothing heavy.
 */
import type { MetricSpec } from '../scenario/types.ts'
import { BenchgateError } from '../util/errors.ts'

/** `time`: wall time per round (ms). `instructions`: instructions executed per round (Ir), counted by Callgrind. */
export type MeasureMode = 'time' | 'instructions'

export const MEASURE_MODES: readonly MeasureMode[] = ['time', 'instructions']

/** The environment variable that selects the mode (the CLI's `--measure` sets it; workers inherit it). */
export const MEASURE_ENV = 'BENCHGATE_MEASURE'

/** The metric every benchmark reports in instruction mode, in place of its time metric. */
export const INSTRUCTIONS_METRIC = 'instructions'

/** Its unit: Valgrind's name for the event (instructions read). The deterministic decision keys on it. */
export const INSTRUCTIONS_UNIT = 'Ir'

/** The spec of the {@link INSTRUCTIONS_METRIC} metric. */
export const INSTRUCTIONS_SPEC: MetricSpec = { direction: 'lower', unit: INSTRUCTIONS_UNIT }

/**
 * What instruction counts do not see, said in the report and the docs: counts are the work the
 * CPU was asked to do, not the time it took.
 */
export const INSTRUCTION_LIMITS = 'instruction counts (Valgrind Callgrind, Ir per round, benchmark body only) do not see I/O waits, sleeps and timers, '
  + 'lock contention, cache misses, branch mispredictions or SIMD width, nor the speed of the machine; '
  + 'threads are counted but run one at a time under Valgrind, and native thread pools are set to one thread '
  + '(libvips concurrency 1, onnxruntime intra-op threads 1, UV_THREADPOOL_SIZE=1)'

/**
 * Independent runs in instruction mode, when not set: counts repeat to a few thousandths of a
 * percent, so two runs when gating (a second one measures the current side's floor) and three for
 * a baseline (its stored noise floor) are enough, where wall time needs five.
 */
export const INSTRUCTION_RUNS = { runs: 2, baselineRuns: 3 } as const

/** Parses a mode from an option or a variable; `what` names it in the one-line error. */
export function parseMeasureMode(value: unknown, what: string): MeasureMode {
  if (typeof value === 'string' && (MEASURE_MODES as readonly string[]).includes(value)) return value as MeasureMode
  throw new BenchgateError(`${what}: expected ${MEASURE_MODES.map(m => `'${m}'`).join(' or ')} but received ${JSON.stringify(value)}`)
}

/** The run's mode: `BENCHGATE_MEASURE` over the plugin option `measure`, else `time`. */
export function resolveMeasureMode(option: unknown, env: NodeJS.ProcessEnv = process.env): MeasureMode {
  const fromEnv = env[MEASURE_ENV]
  if (fromEnv !== undefined && fromEnv !== '') return parseMeasureMode(fromEnv, MEASURE_ENV)
  return option === undefined ? 'time' : parseMeasureMode(option, 'benchgate option measure')
}

/**
 * True in an instruction-mode benchmark worker (the plugin sets `BENCHGATE_MEASURE` there, however
 * the mode was chosen). Workloads use it to run native thread pools with one thread, so that the
 * instructions a round executes do not depend on how work was split between threads, and to leave
 * out metrics that are ratios of wall times (Valgrind slows measured and unmeasured code unevenly).
 */
export function measuringInstructions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[MEASURE_ENV] === 'instructions'
}

/** True for a nearly deterministic metric, decided on its noise floor (src/compare/deterministic.ts): instruction counts (unit `Ir`). */
export function isDeterministicMetric(spec: { unit: string }): boolean {
  return spec.unit === INSTRUCTIONS_UNIT
}

import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { pinningAvailable } from '../../compare/measure-run.ts'
import { BenchgateError } from '../../util/errors.ts'
import { MEASURE_ENV, parseMeasureMode } from '../../measure/mode.ts'
import { findValgrind } from '../../measure/valgrind.ts'
import { runVitestBench } from '../run-vitest.ts'
import { parseCpu } from './compare.ts'

/** Flags shared by `test` and `baseline`, in the runbook's spelling. */
export interface GateFlags {
  tags?: string | string[]
  measurementRounds?: number | string
  runs?: number | string
  baselineDir?: string
  root?: string
  config?: string
  /** Pin the run (vitest and its workers) to this CPU; unset or `none`: not pinned. */
  cpu?: number | string
  /** `time` or `instructions` (`BENCHGATE_MEASURE`). */
  measure?: string
}

/** Set in the pinned child, so that it does not pin itself again. */
const PINNED_ENV = 'BENCHGATE_PINNED_CPU'

/**
 * Runs this very command again under `taskset -c <cpu>` (Linux), so that the scheduler cannot move
 * the benchmarks between CPUs mid-run; returns its exit code, or `undefined` when this process is
 * already the pinned one or pinning is not possible here (then it says so once on stderr).
 */
function pinnedRerun(cpu: number): number | undefined {
  if (process.env[PINNED_ENV] === String(cpu)) return undefined
  if (!pinningAvailable()) {
    process.stderr.write(`benchgate: --cpu ${cpu}: taskset is not available here; the run is not pinned\n`)
    return undefined
  }
  process.stderr.write(`benchgate: pinned to CPU ${cpu} (taskset)\n`)
  const child = spawnSync('taskset', ['-c', String(cpu), process.execPath, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, [PINNED_ENV]: String(cpu) } })
  if (child.error) throw child.error
  return child.status ?? 1
}

function positiveInt(flag: string, value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new BenchgateError(`${flag}: expected an integer >= 1 but received ${JSON.stringify(value)}`, 2)
  return String(n)
}

/** Translates the CLI flags into the environment the plugin reads, then runs `vitest bench`. */
export async function gateCommand(filters: string[], flags: GateFlags, update: boolean): Promise<number> {
  const env: Record<string, string> = {}
  if (flags.tags !== undefined) {
    const tags = (Array.isArray(flags.tags) ? flags.tags : [flags.tags]).map(String).join(',')
    if (tags.trim() === '') throw new BenchgateError('--tags: expected at least one tag, e.g. --tags ci', 2)
    env.BENCHGATE_TAGS = tags
  }
  const rounds = positiveInt('--measurement-rounds', flags.measurementRounds)
  if (rounds) env.BENCHGATE_ROUNDS = rounds
  const runs = positiveInt('--runs', flags.runs)
  if (runs) env[update ? 'BENCHGATE_BASELINE_RUNS' : 'BENCHGATE_RUNS'] = runs
  if (flags.baselineDir) env.BENCHGATE_BASELINE_DIR = flags.baselineDir
  if (flags.measure !== undefined) {
    env[MEASURE_ENV] = parseMeasureMode(flags.measure, '--measure')
    // fail before Vitest starts: one line saying how to install Valgrind (exit 2)
    if (env[MEASURE_ENV] === 'instructions') findValgrind()
  }
  const cpu = flags.cpu === undefined ? undefined : parseCpu(flags.cpu)
  if (cpu !== undefined) {
    const code = pinnedRerun(cpu)
    if (code !== undefined) return code
  }
  const options = { root: resolve(flags.root ?? process.cwd()), update, filters, env }
  return runVitestBench(flags.config ? { ...options, config: flags.config } : options)
}

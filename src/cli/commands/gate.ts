import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseCpuMode } from '../../config/gate.ts'
import { BenchgateError } from '../../util/errors.ts'
import { MEASURE_ENV, parseMeasureMode } from '../../measure/mode.ts'
import { findValgrind } from '../../measure/valgrind.ts'
import { runVitestBench } from '../run-vitest.ts'
import { parseShard } from '../../shard/io.ts'
import { optionalPositiveInt } from '../../util/parse.ts'

/** Flags shared by `test` and `baseline`, in the runbook's spelling. */
export interface GateFlags {
  tags?: string | string[]
  /** Pass when the tag filter matches no benchmark. */
  allowNoTagMatch?: boolean
  measurementRounds?: number | string
  runs?: number | string
  baselineDir?: string
  root?: string
  config?: string
  /** Where measured processes run: `auto` (the fastest CPU, the default), `off`, or a CPU number. */
  cpu?: number | string
  /** `--project`: projects of a Vitest workspace (repeatable). */
  project?: string | string[]
  /** `--shard <index>/<count>`: one shard of the run, reported for `benchgate merge`. */
  shard?: string
  /** `--shard-report <file>`: where the shard report goes. */
  shardReport?: string
  /** `time` or `instructions` (`BENCHGATE_MEASURE`). */
  measure?: string
}

/** Translates the CLI flags into the environment the plugin reads, then runs `vitest bench`. */
export async function gateCommand(filters: string[], flags: GateFlags, update: boolean): Promise<number> {
  const env: Record<string, string> = {}
  if (flags.tags !== undefined) {
    const tags = (Array.isArray(flags.tags) ? flags.tags : [flags.tags]).map(String).join(',')
    if (tags.trim() === '') throw new BenchgateError('--tags: expected at least one tag, e.g. --tags ci', 2)
    env.BENCHGATE_TAGS = tags
  }
  if (flags.allowNoTagMatch) env.BENCHGATE_ALLOW_NO_TAG_MATCH = '1'
  const rounds = optionalPositiveInt('--measurement-rounds', flags.measurementRounds)
  if (rounds) env.BENCHGATE_ROUNDS = String(rounds)
  const runs = optionalPositiveInt('--runs', flags.runs)
  if (runs) env[update ? 'BENCHGATE_BASELINE_RUNS' : 'BENCHGATE_RUNS'] = String(runs)
  if (flags.baselineDir) env.BENCHGATE_BASELINE_DIR = flags.baselineDir
  if (flags.measure !== undefined) {
    env[MEASURE_ENV] = parseMeasureMode(flags.measure, '--measure')
    // fail before Vitest starts: one line saying how to install Valgrind (exit 2)
    if (env[MEASURE_ENV] === 'instructions') findValgrind()
  }
  if (flags.cpu !== undefined) env.BENCHGATE_CPU = String(parseCpuMode('--cpu', String(flags.cpu)))
  const projects = flags.project === undefined ? [] : (Array.isArray(flags.project) ? flags.project : [flags.project]).map(String)
  if (projects.some(p => p.trim() === '')) throw new BenchgateError('--project: expected a project name, e.g. --project unit', 2)
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
  if (flags.shardReport !== undefined) {
    if (!shard) throw new BenchgateError('--shard-report: only with --shard <index>/<count>', 2)
    if (String(flags.shardReport).trim() === '' || String(flags.shardReport) === 'none') throw new BenchgateError(`--shard-report: expected a file name but received ${JSON.stringify(flags.shardReport)}`, 2)
    env.BENCHGATE_SHARD_REPORT = resolve(String(flags.shardReport))
  }
  const options = {
    root: resolve(flags.root ?? process.cwd()),
    update,
    filters,
    env,
    ...(projects.length ? { projects } : {}),
    ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
  }
  if (!flags.config) return runVitestBench(options)
  // Vitest resolves --config against the root; a missing file would end in a bundler's stack trace
  const config = resolve(options.root, String(flags.config))
  if (!existsSync(config)) throw new BenchgateError(`--config ${flags.config}: no such file (looked for ${config})`, 2)
  return runVitestBench({ ...options, config })
}

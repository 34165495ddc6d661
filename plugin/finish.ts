import { join, relative, resolve } from 'node:path'
import { environmentFingerprint, type FingerprintVersions } from '../src/baseline/fingerprint.ts'
import type { RunCoverage } from '../src/baseline/update.ts'
import type { MeasuredBenchmark, RunMachine } from '../src/scenario/measured.ts'
import type { ResolvedBenchgateOptions } from '../src/config/gate.ts'
import { finishRun, type GateResult } from '../src/gate.ts'
import { recordHistory } from '../src/history/record.ts'
import { fileSha256, shardReportPath, writeShardReport, type Shard } from '../src/shard/io.ts'
import { shardReportOf } from '../src/shard/write.ts'
import { BenchgateError } from '../src/util/errors.ts'
import { renderConsole } from '../reporters/console.ts'
import { renderReports } from '../reporters/index.ts'
import { refuseUncounted } from './instructions/collect.ts'

/**
 * What `-u` / `--update[=all|new|none]` asks for, in both majors:
 * - `all` (`-u`, `--update`, `--update=all`): measure every selected benchmark and rewrite its entry;
 * - `new` (`--update=new`): add entries only for benchmarks that have none yet; existing entries stay
 *   byte-for-byte as they are and are compared as in a normal run (a regression still fails);
 * - `none` (no flag, `--update=none`, `--update=false`): compare only.
 */
export type UpdateMode = 'all' | 'new' | 'none'

/** Reads Vitest's resolved `config.update` (vitest 4: boolean or string; vitest 5: `true | 'all' | 'new' | 'none'`). */
export function updateMode(flag: unknown): UpdateMode {
  if (flag === true || flag === 'all' || flag === 'true') return 'all'
  if (flag === 'new') return 'new'
  return 'none'
}

/** The gate's mode for an update mode: only `all` rewrites the baseline wholesale (and measures with `baselineRuns`). */
export function gateMode(update: UpdateMode): 'compare' | 'update' {
  return update === 'all' ? 'update' : 'compare'
}

/** What an adapter hands over once it has collected a run, whatever the Vitest major. */
export interface FinishInput {
  root: string
  update: UpdateMode
  options: ResolvedBenchgateOptions
  versions: FingerprintVersions
  measured: MeasuredBenchmark[]
  filesRun: ReadonlySet<string>
  /** What the run collected (see src/baseline/update.ts): what `-u` may delete. */
  coverage?: RunCoverage
  /** Every tag of the collected benchmarks (a tag filter that matches none fails). */
  knownTags?: ReadonlySet<string>
  runs: number
  machines?: readonly RunMachine[]
  version: string
  namePattern?: RegExp
  /** `--shard <index>/<count>`: this run is one shard; it writes a shard report for `benchgate merge`. */
  shard?: Shard
  /** What counted, in instruction mode (`valgrind-3.19.0 callgrind`). */
  measurementTool?: string
}

/** What the plugin resolved before the run, handed to the reporter of either major. */
export interface GateState {
  options: ResolvedBenchgateOptions
  update: UpdateMode
  version: string
  measurementTool?: string
}

/** What a reporter collected from the finished run (see `collectV4` / `collectV5`). */
export interface CollectedRun {
  measured: MeasuredBenchmark[]
  filesRun: ReadonlySet<string>
  runs: number
  machines?: readonly RunMachine[]
  coverage?: RunCoverage
  knownTags?: ReadonlySet<string>
}

/**
 * The end of a run as both majors' reporters call it: the Vitest instance supplies the root, its
 * version and the name filter, the adapter the collected run and the tinybench version it found.
 */
export function finishCollected(state: GateState, vitest: { version: string, config: { root: string, testNamePattern?: RegExp | undefined, shard?: Shard | undefined } }, collected: CollectedRun, tinybench: string | undefined): Promise<GateResult | undefined> {
  const pattern = vitest.config.testNamePattern
  // BENCHGATE_SHARD_REPORT=none: a shard's file selection without a shard report (the single runs of `compare --against --shard`)
  const shard = process.env.BENCHGATE_SHARD_REPORT === 'none' ? undefined : vitest.config.shard
  // what came back timed in instruction mode is an error, never a count
  if (state.options.measure === 'instructions') refuseUncounted(collected.measured)
  return finishGate({
    root: vitest.config.root,
    update: state.update,
    options: state.options,
    versions: { vitest: vitest.version, benchgate: state.version, ...(tinybench ? { tinybench } : {}) },
    ...collected,
    version: state.version,
    ...(pattern ? { namePattern: pattern } : {}),
    ...(shard ? { shard: { index: shard.index, count: shard.count } } : {}),
    ...(state.measurementTool ? { measurementTool: state.measurementTool } : {}),
  })
}

/**
 * The end of a shard (`--shard <index>/<count>`): compares this shard's benchmarks as a run does, but
 * writes neither the baseline (with -u), nor report files, nor history: it writes its shard report
 * (`BENCHGATE_SHARD_REPORT`, default `<outputDir>/shard-<index>-of-<count>.json`) and prints its
 * table as provisional. `benchgate merge` decides the run. Exits 0 once the report is written.
 */
function finishShard(input: FinishInput, run: Parameters<typeof finishRun>[0], shard: Shard): GateResult {
  if (input.update === 'new') throw new BenchgateError('--shard with --update=new: a shard cannot add entries on its own; use -u (benchgate baseline --shard) and benchgate merge', 2)
  const result = finishRun({ ...run, dryRun: true })
  const path = resolve(input.root, process.env.BENCHGATE_SHARD_REPORT || shardReportPath(join(input.root, input.options.outputDir), shard))
  writeShardReport(path, shardReportOf({
    shard,
    report: result.report,
    reference: { kind: 'baseline', file: result.report.baselineFile, sha256: fileSha256(result.baselineFile) },
    filesRun: input.filesRun,
    measured: input.measured,
    ...(result.next ? { previous: result.previous, next: result.next } : {}),
  }))
  const shown = relative(input.root, path).split('\\').join('/')
  const notes = [
    `  shard ${shard.index}/${shard.count}: wrote ${shown}${input.update === 'all' ? ' (this shard\'s baseline entries; the baseline file is left alone)' : ''}`,
    `  this table is this shard's alone (Holm over its own comparisons): benchgate merge decides the run${input.update === 'all' ? ' and writes the baseline' : ''}`,
  ]
  process.stdout.write(renderConsole(result.report, { notes }))
  return result
}

async function report(input: FinishInput, result: GateResult): Promise<void> {
  // Files and history first, so that the console table and its closing line
  // `benchgate: N passed, N failed` are the last thing the run prints.
  // never throws, never changes the verdict: off or failing, it prints one line
  await recordHistory(result.report, input.root, input.options.history)
  const notes: string[] = []
  const problems: string[] = []
  const names = input.options.reporters.filter(n => n !== 'console')
  if (names.length) {
    const baselineDiff = result.baselineDiff
    const context = { root: input.root, outputDir: input.options.outputDir, names, ...(baselineDiff !== undefined ? { baselineDiff } : {}) }
    const { written, failures } = renderReports(result.report, context)
    const shown = (path: string) => {
      const rel = relative(input.root, path)
      return rel && !rel.startsWith('..') ? rel.split('\\').join('/') : path
    }
    if (written.length) notes.push(`  reports: ${written.map(shown).join(', ')}`)
    for (const failure of failures) problems.push(`benchgate: ${failure.message}`)
  }
  if (input.update === 'new') {
    notes.push(...(result.added?.length
      ? [`  --update=new added baseline entries for benchmarks that had none: ${result.baselineFile}`, ...(result.baselineDiff ?? '').split('\n').filter(Boolean).map(l => `    ${l}`)]
      : ['  --update=new: every benchmark already has a baseline entry; nothing written']))
  }
  const writeError = result.writeError
  if (writeError) notes.push(`  the baseline was NOT written: ${writeError.message}`)
  // --update=new shows what it added in its note, not as an update's diff
  const diffOpts = writeError ? {} : result.baselineDiff !== undefined && input.update !== 'new' ? { baselineDiff: result.baselineDiff, baselineFile: result.baselineFile } : { baselineFile: result.baselineFile }
  process.stdout.write(renderConsole(result.report, { ...diffOpts, notes }))
  for (const line of problems) process.stderr.write(`${line}\n`)
  if (!result.report.passed || problems.length) process.exitCode = 1
  if (writeError) {
    process.stderr.write(`benchgate: ${writeError.message}\n`)
    process.exitCode = writeError.exitCode
  }
}

/**
 * The end of a gated run, shared by the vitest 4 and 5 adapters: compares (and in update mode
 * writes) through `finishRun`, prints the console table, records the run history, runs the named
 * reporters and sets `process.exitCode` (1 on a failed gate, the error's code on bad input).
 * Resolves to what `finishRun` returned, or `undefined` after an input error.
 */
export async function finishGate(input: FinishInput): Promise<GateResult | undefined> {
  try {
    const run = {
      root: input.root,
      mode: gateMode(input.update),
      options: input.options,
      environment: environmentFingerprint(input.versions),
      measured: input.measured,
      filesRun: input.filesRun,
      ...(input.coverage ? { coverage: input.coverage } : {}),
      ...(input.knownTags ? { knownTags: input.knownTags } : {}),
      runs: input.runs,
      ...(input.machines ? { machines: input.machines } : {}),
      version: input.version,
      ...(input.namePattern ? { namePattern: input.namePattern } : {}),
      ...(input.measurementTool ? { measurementTool: input.measurementTool } : {}),
    }
    if (input.shard) return finishShard(input, run, input.shard)
    const result = finishRun(input.update === 'new' ? { ...run, addNew: true } : run)
    await report(input, result)
    return result
  }
  catch (error) {
    if (error instanceof BenchgateError) {
      process.stderr.write(`benchgate: ${error.message}\n`)
      process.exitCode = error.exitCode
      return undefined
    }
    throw error
  }
}

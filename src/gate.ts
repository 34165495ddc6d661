import { isAbsolute, join, relative } from 'node:path'
import { baselineDiff } from './baseline/diff.ts'
import { environmentDifferences, type Environment } from './baseline/fingerprint.ts'
import { checkBaselineDir, readBaseline, updateBaselineFile } from './baseline/io.ts'
import type { UpdateContext } from './baseline/merge.ts'
import type { BaselineEntry, BaselineFile } from './baseline/types.generated.ts'
import { coverageOf, failedFileErrors, isProvablyGone, nextBaseline, type NextBaseline, type RunCoverage } from './baseline/update.ts'
import { compareWithBaseline } from './compare/verdicts.ts'
import { noiseWarnings } from './compare/noise.ts'
import type { MeasuredBenchmark, RunMachine } from './scenario/measured.ts'
import { describeMove } from './machine/drift.ts'
import { summarizeMachines } from './machine/summary.ts'
import { median } from './stats/summary.ts'
import type { ResolvedBenchgateOptions } from './config/gate.ts'
import type { RunReport } from './report/types.generated.ts'
import { matchesTags, tagFilterMessage, tagFilterProblem } from './scenario/tags.ts'
import { BenchgateError } from './util/errors.ts'
import { gitInfo } from './util/git.ts'
import { screenMeasured } from './compare/screen.ts'
import { baselineFileFor, checkBaselineMeasure, withMeasure } from './measure/baseline.ts'
import { measurementOf } from './measure/report.ts'
import { withMetricThresholds } from './compare/metric-thresholds.ts'
import { percent } from './util/format.ts'

/** What the adapter knows about the run that just ended. */
export interface GateRun {
  root: string
  mode: 'compare' | 'update'
  options: ResolvedBenchgateOptions
  environment: Environment
  measured: MeasuredBenchmark[]
  /** Files (relative to root, POSIX) that ran. */
  filesRun: ReadonlySet<string>
  /**
   * What the run collected, file by file: the evidence for what an update may delete (see
   * src/baseline/update.ts). Without it, every file that ran counts as complete and only what was
   * measured as present.
   */
  coverage?: RunCoverage
  /** Runs (worker processes) actually measured per benchmark. */
  runs: number
  /** What each measured process (file x run) reported about its placement and the machine. */
  machines?: readonly RunMachine[]
  /**
   * Every tag of the benchmarks the run collected, run or skipped. When given, a tag filter none of
   * whose tags is known stops the run (exit 2) unless `options.allowNoTagMatch`.
   */
  knownTags?: ReadonlySet<string>
  /** Vitest's `-t` pattern, when given: baseline entries it excludes are not `missing`. */
  namePattern?: RegExp
  version: string
  /** What counted, when not the clock (instruction mode: `valgrind-3.19.0 callgrind`). */
  measurementTool?: string
  now?: Date
  /** Update mode: compute the next baseline (`GateResult.next`) but do not write it (a shard of `--shard`: `benchgate merge` writes). */
  dryRun?: boolean
  /**
   * Compare mode (`--update=new`): also write baseline entries for the benchmarks that have none;
   * existing entries stay as they are and nothing is removed.
   */
  addNew?: boolean
}

/** The outcome: the report every reporter renders, and what an update wrote. */
export interface GateResult {
  report: RunReport
  baselineFile: string
  /** Set in update mode: a readable diff of what changed in the baseline (empty when nothing did). */
  baselineDiff?: string
  written: boolean
  /** Set in update mode: the keys of the entries removed (provably gone). */
  removed?: string[]
  /**
   * Set when the update could not write the baseline (a locked or unwritable file): one line and
   * the exit code. The report is complete; the measurements are in it.
   */
  writeError?: { message: string, exitCode: number }
  /** Update mode: the baseline before the run, and the one it wrote (or, with `dryRun`, would write). */
  previous?: BaselineFile | undefined
  next?: BaselineFile
  /** `addNew`: the keys of the benchmarks that had no baseline entry (written unless `writeError`), sorted. */
  added?: string[]
}

/** Where the processes ran and how far the machine moved since the baseline, for the report. */
export function machineSummary(options: ResolvedBenchgateOptions, machines: readonly RunMachine[], benchmarks: RunReport['benchmarks']): RunReport['machine'] {
  const out: NonNullable<RunReport['machine']> = summarizeMachines(options.cpu, machines)
  const drifts = benchmarks.flatMap(b => b.machine?.drift ? [b.machine.drift] : [])
  if (drifts.length) out.drift = { compute: median(drifts.map(d => d.compute)), memory: median(drifts.map(d => d.memory)), alloc: median(drifts.map(d => d.alloc)) }
  return out
}

/** Run-level warnings about the machine: processes not pinned where pinning was asked for, a baseline the machine moved away from, or one without probes. */
export function machineWarnings(options: ResolvedBenchgateOptions, machine: RunReport['machine'], benchmarks: RunReport['benchmarks'], baselineHasProbes: boolean): string[] {
  const out: string[] = []
  if (machine && options.cpu !== 'off' && machine.unpinned && machine.pinnedRuns < machine.runs)
    out.push(`${machine.runs - machine.pinnedRuns} of ${machine.runs} measured processes were not pinned to a CPU (${machine.unpinned}): where CPUs differ in speed, runs vary more`)
  // the benchmark whose probes moved most beyond their noise speaks for the machine
  const moved = benchmarks.flatMap(b => b.machine?.move && b.machine.drift ? [{ ...b.machine.move, ratio: b.machine.drift[b.machine.move.kind] }] : [])
    .sort((a, b) => b.beyondNoise - a.beyondNoise)[0]
  if (moved && moved.beyondNoise > (options.decision.maxDrift ?? Number.POSITIVE_INFINITY)) {
    out.push(`this machine is ${describeMove(moved.ratio)} (${moved.kind} probe) than when the baseline was recorded: wall-time verdicts against it are unreliable and none fails; re-measure the baseline's commit here (benchgate compare --against baseline) or refresh the baseline on this machine`)
  }
  const compared = benchmarks.some(b => b.baselineEnvironment && b.metrics.some(m => m.noise))
  // with the probes off (the `probes` option) the assumed drift is the user's choice, not a stale baseline
  if (compared && !baselineHasProbes && options.probes) {
    out.push(`the baseline has no machine probes (recorded by an older benchgate): time metrics assume a ${percent(options.decision.sessionDrift ?? 0, { digits: 0 })} drift of the machine instead of measuring it; refresh the baseline with -u to record probes`)
  }
  return out
}

/** Reads the baseline for a run up front, so a corrupt file stops the run before measuring. */
export function loadBaseline(root: string, options: ResolvedBenchgateOptions) {
  const dir = isAbsolute(options.baselineDir) ? options.baselineDir : join(root, options.baselineDir)
  checkBaselineDir(dir)
  // one file per measure mode (src/measure/baseline.ts)
  const path = baselineFileFor(dir, options.measure)
  const baseline = readBaseline(path)
  checkBaselineMeasure(path, baseline, options.measure)
  return { path, baseline }
}

/** What {@link buildReport} needs besides the run: the baseline as read, where it lives, git, the time. */
export interface ReportContext {
  baseline: BaselineFile | undefined
  baselinePath: string
  git: { commit?: string, branch?: string }
  /** ISO timestamp of the run. */
  now: string
}

/** The run's coverage, and whether a baseline entry is gone: selected by this run's filters and provably gone. */
function goneRule(run: GateRun): { coverage: RunCoverage, selected: (entry: BaselineEntry) => boolean, gone: (entry: BaselineEntry) => boolean } {
  const coverage = run.coverage ?? coverageOf(run.filesRun, run.measured)
  const selected = (entry: BaselineEntry) =>
    matchesTags(entry.tags, run.options.tags) && (!run.namePattern || run.namePattern.test(entry.name))
  return { coverage, selected, gone: entry => selected(entry) && isProvablyGone(entry, coverage) }
}

/**
 * What the run measured, ready to compare: non-finite values and unsafe metric names made errors of
 * their benchmark (named), plus an `error` stand-in for each entry of a file that failed to load.
 */
function measuredForGate(run: GateRun, baseline: BaselineFile | undefined): MeasuredBenchmark[] {
  const { coverage, selected } = goneRule(run)
  const measured = withMetricThresholds(screenMeasured(run.measured), run.options.metricThresholds)
  return [...measured, ...failedFileErrors(baseline, coverage, measured, selected)]
}

/**
 * The run report: compares what was measured with the baseline and says what changed. Reads no file:
 * the baseline, git and the time come in `context` (only the noise warnings look at the machine's
 * load and CPU frequency). Benchmarks whose file failed to load are `error` (their entries are
 * kept); an entry is `missing` only when it is provably gone.
 */
export function buildReport(run: GateRun, context: ReportContext): RunReport {
  const { coverage, gone } = goneRule(run)
  const measured = measuredForGate(run, context.baseline)
  const result = compareWithBaseline(measured, context.baseline, {
    decision: run.options.decision,
    mode: run.mode,
    filesRun: coverage.completeFiles,
    selected: gone,
  })

  const warnings: string[] = []
  const tagProblem = run.knownTags && tagFilterProblem(run.options.tags, run.knownTags)
  if (tagProblem) warnings.push(tagFilterMessage(run.options.tags, run.knownTags!, tagProblem.unknown))
  for (const [file, reason] of [...coverage.failedFiles].sort(([a], [b]) => a.localeCompare(b))) {
    warnings.push(run.mode === 'update'
      ? `${file} did not load: its baseline entries were kept (${reason})`
      : `${file} did not load: its benchmarks were not measured (${reason})`)
  }
  const seenEnv = new Set<string>()
  for (const bench of result.benchmarks) {
    if (!bench.baselineEnvironment) continue
    const diffs = environmentDifferences(bench.baselineEnvironment, run.environment)
    const text = diffs.join(', ')
    if (diffs.length && !seenEnv.has(text)) {
      seenEnv.add(text)
      warnings.push(`baseline was recorded on a different environment (${text}): differences may come from the machine, not the code; compare against a same-machine run of the base commit, or refresh the baseline on this machine`)
    }
  }

  // noise hygiene: load, CPU frequency, rounds far noisier than the baseline's (warnings, never
  // failures); about timings only: instruction counts do not depend on the machine's load
  if (run.options.measure === 'time') warnings.push(...noiseWarnings(run.mode === 'compare' ? result.benchmarks : []))
  const machine = run.machines ? machineSummary(run.options, run.machines, result.benchmarks) : undefined
  const baselineHasProbes = Object.values(context.baseline?.entries ?? {}).some(e => e.probes?.length)
  if (run.mode === 'compare' && run.options.measure === 'time') warnings.push(...machineWarnings(run.options, machine, result.benchmarks, baselineHasProbes))

  const report: RunReport = {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: run.version },
    timestamp: context.now,
    mode: run.mode,
    measurement: measurementOf(run.options.measure, run.measurementTool),
    environment: run.environment,
    baselineFile: relative(run.root, context.baselinePath).split('\\').join('/'),
    options: {
      tags: run.options.tags,
      runs: run.runs,
      thresholds: run.options.decision.thresholds,
      alpha: run.options.decision.alpha,
      failOn: run.options.decision.failOn,
    },
    warnings,
    benchmarks: result.benchmarks,
    counts: result.counts,
    passed: result.passed,
    outcome: result.outcome,
  }
  if (run.options.rounds !== undefined) report.options.rounds = run.options.rounds
  if (machine) report.machine = machine
  if (context.git.commit || context.git.branch) report.git = context.git
  return report
}

/** What an update writes: every measured benchmark's entry (`all`, -u) or only the missing ones (`new`). */
export type UpdatePolicy = 'all' | 'new'

/** The measured benchmarks that `previous` has no entry for and that an update can record (no error, some metric). */
function newBenchmarks(measured: readonly MeasuredBenchmark[], previous: BaselineFile | undefined): MeasuredBenchmark[] {
  return measured.filter(bench => !previous?.entries[bench.key] && !bench.error && Object.keys(bench.metrics).length > 0)
}

/**
 * The baseline an update writes, from `previous` (the file as it is under the lock). `all`:
 * refreshes what was measured without error, deletes only entries that are provably gone, keeps
 * everything else. `new`: adds entries for the benchmarks that have none and changes nothing else.
 * Pure.
 */
export function updatedBaseline(run: GateRun, previous: BaselineFile | undefined, context: UpdateContext, policy: UpdatePolicy = 'all'): NextBaseline {
  if (policy === 'new') return nextBaseline(previous, newBenchmarks(measuredForGate(run, previous), previous), context, () => false)
  const { gone } = goneRule(run)
  return nextBaseline(previous, measuredForGate(run, previous), context, gone)
}

/**
 * Stops a run whose tag filter matches no benchmark (exit 2, naming the known tags), before anything
 * is written, unless the options allow it.
 */
export function checkTagFilter(run: Pick<GateRun, 'knownTags' | 'options'>): void {
  if (!run.knownTags || run.options.allowNoTagMatch) return
  const problem = tagFilterProblem(run.options.tags, run.knownTags)
  if (problem?.matchesNothing) throw new BenchgateError(tagFilterMessage(run.options.tags, run.knownTags, problem.unknown), 2)
}

/**
 * Compares the measured benchmarks with the baseline, writes the baseline in update mode (or, with
 * `addNew`, the entries of new benchmarks: a read-modify-write under the baseline's lock), and
 * builds the run report. The report and the next baseline are computed by the pure
 * {@link buildReport} and {@link updatedBaseline}; this reads the baseline once up front (and once
 * more under the lock, to keep what others wrote meanwhile). Framework-free: the Vitest adapters
 * call it at the end of a run.
 */
export function finishRun(run: GateRun): GateResult {
  checkTagFilter(run)
  const { path, baseline } = loadBaseline(run.root, run.options)
  const now = (run.now ?? new Date()).toISOString()
  const git = gitInfo(run.root)
  const report = buildReport(run, { baseline, baselinePath: path, git, now })
  const policy: UpdatePolicy | undefined = run.mode === 'update' ? 'all' : run.addNew ? 'new' : undefined
  if (!policy) return { report, baselineFile: path, written: false }
  const added = policy === 'new' ? newBenchmarks(measuredForGate(run, baseline), baseline).map(b => b.key).sort() : undefined
  // --update=new with nothing new: the file is not touched
  if (added?.length === 0) return { report, baselineFile: path, written: false, added }

  const context: UpdateContext = git.commit ? { environment: run.environment, now, commit: git.commit } : { environment: run.environment, now }
  const measure = run.options.measure
  if (run.dryRun) {
    const next = updatedBaseline(run, baseline, context, policy)
    return { report, baselineFile: path, written: false, removed: next.removed, previous: baseline, next: withMeasure(next.file, measure), ...(added ? { added } : {}) }
  }
  let update
  try {
    update = updateBaselineFile(path, (previous) => {
      const next = updatedBaseline(run, previous, context, policy)
      return { file: withMeasure(next.file, measure), detail: next.removed }
    })
  }
  catch (error) {
    if (!(error instanceof BenchgateError)) throw error
    return { report, baselineFile: path, written: false, writeError: { message: error.message, exitCode: error.exitCode }, ...(added ? { added } : {}) }
  }
  return { report, baselineFile: path, baselineDiff: baselineDiff(update.before, update.after), written: true, removed: update.detail, previous: update.before, next: update.after, ...(added ? { added } : {}) }
}

import { isAbsolute, join, relative } from 'node:path'
import { baselineDiff } from './baseline/diff.ts'
import { environmentDifferences, type Environment } from './baseline/fingerprint.ts'
import { readBaseline, writeBaseline } from './baseline/io.ts'
import { mergeBaseline } from './baseline/merge.ts'
import type { BaselineEntry } from './baseline/types.generated.ts'
import { compareRun } from './compare/run.ts'
import { noiseWarnings } from './compare/noise.ts'
import type { MeasuredBenchmark } from './compare/types.ts'
import type { ResolvedBenchgateOptions } from './config/gate.ts'
import type { RunReport } from './report/types.generated.ts'
import { matchesTags } from './scenario/tags.ts'
import { gitInfo } from './util/git.ts'
import { baselineFileFor, checkBaselineMeasure, withMeasure } from './measure/baseline.ts'
import { measurementOf } from './measure/report.ts'
import { withMetricThresholds } from './compare/metric-thresholds.ts'

/** What the adapter knows about the run that just ended. */
export interface GateRun {
  root: string
  mode: 'compare' | 'update'
  options: ResolvedBenchgateOptions
  environment: Environment
  measured: MeasuredBenchmark[]
  /** Files (relative to root, POSIX) that ran. */
  filesRun: ReadonlySet<string>
  /** Runs (worker processes) actually measured per benchmark. */
  runs: number
  /** Vitest's `-t` pattern, when given: baseline entries it excludes are not `missing`. */
  namePattern?: RegExp
  version: string
  /** What counted, when not the clock (instruction mode: `valgrind-3.19.0 callgrind`). */
  measurementTool?: string
  now?: Date
}

/** The outcome: the report every reporter renders, and what an update wrote. */
export interface GateResult {
  report: RunReport
  baselineFile: string
  /** Set in update mode: a readable diff of what changed in the baseline (empty when nothing did). */
  baselineDiff?: string
  written: boolean
}

/** Reads the baseline for a run up front, so a corrupt file stops the run before measuring. */
export function loadBaseline(root: string, options: ResolvedBenchgateOptions) {
  // one file per measure mode (src/measure/baseline.ts)
  const path = baselineFileFor(isAbsolute(options.baselineDir) ? options.baselineDir : join(root, options.baselineDir), options.measure)
  const baseline = readBaseline(path)
  checkBaselineMeasure(path, baseline, options.measure)
  return { path, baseline }
}

/**
 * Compares the measured benchmarks with the baseline, writes the baseline in update mode, and
 * builds the run report. Framework-free: the Vitest adapters call it at the end of a run.
 */
export function finishRun(run: GateRun): GateResult {
  const { path, baseline } = loadBaseline(run.root, run.options)
  const now = (run.now ?? new Date()).toISOString()
  const selected = (entry: BaselineEntry) =>
    matchesTags(entry.tags, run.options.tags) && (!run.namePattern || run.namePattern.test(entry.name))
  const result = compareRun(withMetricThresholds(run.measured, run.options.metricThresholds), baseline, {
    decision: run.options.decision,
    mode: run.mode,
    filesRun: run.filesRun,
    selected,
  })

  const warnings: string[] = []
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

  // noise hygiene: load, CPU frequency, rounds far noisier than the baseline's (warnings, never failures)
  warnings.push(...noiseWarnings(run.mode === 'compare' ? result.benchmarks : []))

  const git = gitInfo(run.root)
  const report: RunReport = {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: run.version },
    timestamp: now,
    mode: run.mode,
    measurement: measurementOf(run.options.measure, run.measurementTool),
    environment: run.environment,
    baselineFile: relative(run.root, path).split('\\').join('/'),
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
  }
  if (run.options.rounds !== undefined) report.options.rounds = run.options.rounds
  if (git.commit || git.branch) report.git = git

  if (run.mode !== 'update') return { report, baselineFile: path, written: false }

  const remove = new Set(result.benchmarks.filter(b => b.metrics.every(m => m.verdict === 'missing') && !run.measured.some(x => x.key === b.key)).map(b => b.key))
  const context = git.commit ? { environment: run.environment, now, commit: git.commit } : { environment: run.environment, now }
  const next = withMeasure(mergeBaseline(baseline, run.measured, context, remove), run.options.measure)
  writeBaseline(path, next)
  return { report, baselineFile: path, baselineDiff: baselineDiff(baseline, next), written: true }
}

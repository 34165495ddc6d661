import { cv, median, summarize } from '../stats/summary.ts'
import type { MeasuredBenchmark } from '../scenario/measured.ts'
import { isDeterministicMetric } from '../measure/mode.ts'
import { noiseFloor } from '../stats/noise-floor.ts'
import { probesOf } from '../machine/probes.ts'
import type { BaselineEntry, BaselineFile, BaselineMetric, Environment } from './types.generated.ts'

/** Context stamped on every entry written by an update. */
export interface UpdateContext {
  environment: Environment
  /** ISO timestamp. */
  now: string
  commit?: string
}

function toBaselineMetric(metric: MeasuredBenchmark['metrics'][string]): BaselineMetric {
  const runMedians = metric.runs.map(run => median(run))
  const out: BaselineMetric = {
    direction: metric.spec.direction,
    unit: metric.spec.unit,
    runs: metric.runs.map(run => [...run]),
    runMedians,
    summary: summarize(metric.runs.flat()),
  }
  if (runMedians.length > 1) out.runToRunCv = cv(runMedians)
  if (runMedians.length > 1 && isDeterministicMetric(metric.spec)) out.noiseFloor = noiseFloor(metric.runs)
  if (metric.spec.min !== undefined) out.min = metric.spec.min
  if (metric.spec.max !== undefined) out.max = metric.spec.max
  if (metric.spec.thresholds) out.thresholds = { ...metric.spec.thresholds }
  return out
}

/** Builds the baseline entry for one measured benchmark. */
export function toBaselineEntry(bench: MeasuredBenchmark, context: UpdateContext): BaselineEntry {
  const entry: BaselineEntry = {
    key: bench.key,
    file: bench.file,
    name: bench.name,
    kind: bench.kind,
    configHash: bench.configHash,
    tags: [...bench.tags],
    rounds: bench.rounds,
    updatedAt: context.now,
    environment: context.environment,
    metrics: Object.fromEntries(Object.entries(bench.metrics).map(([name, m]) => [name, toBaselineMetric(m)])),
  }
  if (bench.description) entry.description = bench.description
  if (context.commit) entry.commit = context.commit
  const probes = probesOf(bench.machine)
  if (probes.length) entry.probes = probes
  return entry
}

/**
 * Merges measured benchmarks into a baseline, snapshot-style: entries of benchmarks that ran
 * without error are replaced; erroring benchmarks and benchmarks that did not run keep their entry;
 * keys listed in `remove` (benchmarks gone from files that ran) are dropped.
 */
export function mergeBaseline(previous: BaselineFile | undefined, measured: readonly MeasuredBenchmark[], context: UpdateContext, remove: ReadonlySet<string> = new Set()): BaselineFile {
  const entries: Record<string, BaselineEntry> = { ...previous?.entries }
  for (const key of remove) delete entries[key]
  for (const bench of measured) {
    if (bench.error || Object.keys(bench.metrics).length === 0) continue
    entries[bench.key] = toBaselineEntry(bench, context)
  }
  return { schemaVersion: 1, entries }
}

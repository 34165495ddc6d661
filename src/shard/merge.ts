/**
 * `benchgate merge`: the shard reports of one sharded run become one run report, one verdict and,
 * for -u, one baseline. Pure: no I/O.
 *
 * What merge decides again, and what it does not: each comparison (its change, interval, raw
 * p-value, noise) was computed on the shard's machine from that shard's runs and is kept as it is;
 * so are machine-specific warnings. Holm's correction is the one family-wide step: a shard adjusted
 * its p-values over its own comparisons only, so merge adjusts the raw p-values of every tested
 * comparison of every shard together and decides those comparisons again by the gate's own rules
 * (`rejudgeBenchmark`). Holm-adjusted p-values only grow with the family, so the merged verdict of
 * a comparison is the shard's or less significant: a shard's `critical` may become `unstable` or
 * `ok` in the merge, never the other way round.
 *
 * A merge never passes with fewer benchmarks than the run measured: every shard 1..count must be
 * there exactly once, all of the same run (count, mode, reference, commit, options), and no
 * benchmark may come from two shards. Anything else is bad input (exit 2).
 */
import { environmentDifferences } from '../baseline/fingerprint.ts'
import type { BaselineEntry, BaselineFile } from '../baseline/types.generated.ts'
import { rejudgeBenchmark } from '../compare/verdicts.ts'
import { runResult } from '../report/outcome.ts'
import type { BenchmarkReport, RunReport } from '../report/types.generated.ts'
import { withMeasure } from '../measure/baseline.ts'
import { reportMeasure } from '../measure/report.ts'
import { holm } from '../stats/holm.ts'
import { BenchgateError } from '../util/errors.ts'
import type { ShardReport } from './io.ts'

/** A shard report and where it was read from (for messages). */
export interface ShardInput {
  source: string
  shard: ShardReport
}

/** The merged run. */
export interface MergedRun {
  report: RunReport
  /** What every shard compared with (the same for all). */
  reference: ShardReport['reference']
  count: number
  /** -u: every shard's new entries, and the keys they found gone. */
  update?: { entries: Record<string, BaselineEntry>, remove: string[] }
}

const bad = (message: string) => new BenchgateError(message, 2)

function describeShard(input: ShardInput): string {
  return `${input.source} (shard ${input.shard.shard.index}/${input.shard.shard.count})`
}

/** Every shard of one run exactly once; throws one line otherwise. */
function checkComplete(inputs: readonly ShardInput[]): number {
  if (inputs.length === 0) throw bad('merge: expected the shard reports of one run, e.g. benchgate merge benchmark_results/shard-*.json')
  const count = inputs[0]!.shard.shard.count
  const other = inputs.find(i => i.shard.shard.count !== count)
  if (other) throw bad(`merge: the shard reports are not of one run: ${describeShard(inputs[0]!)} and ${describeShard(other)} count different shards`)
  const byIndex = new Map<number, ShardInput>()
  for (const input of inputs) {
    const seen = byIndex.get(input.shard.shard.index)
    if (seen) throw bad(`merge: shard ${input.shard.shard.index}/${count} is given twice (${seen.source} and ${input.source}); give each shard's report once`)
    byIndex.set(input.shard.shard.index, input)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter(i => !byIndex.has(i))
  if (missing.length) {
    const have = [...byIndex.keys()].sort((a, b) => a - b).join(', ')
    throw bad(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.map(i => `${i}/${count}`).join(', ')} did not report (have ${have || 'none'} of ${count}); a merge without ${missing.length > 1 ? 'them' : 'it'} would pass with fewer benchmarks: rerun ${missing.length > 1 ? 'those shards' : 'that shard'}`)
  }
  return count
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The shards compared the same way with the same thing, on the same commit; throws one line otherwise. */
function checkSameRun(inputs: readonly ShardInput[]): void {
  const first = inputs[0]!
  const checks: Array<[string, (s: ShardReport) => unknown]> = [
    ['mode (test or -u)', s => s.report.mode],
    ['measure (time or instructions)', s => reportMeasure(s.report)],
    ['reference (the baseline file and its content, or the --against commit)', s => s.reference],
    ['git commit', s => s.report.git?.commit],
    // runs may differ: a shard without files measured none
    ['options (tags, rounds, thresholds, alpha, failOn)', s => ({ ...s.report.options, runs: undefined })],
  ]
  for (const input of inputs.slice(1)) {
    for (const [what, of] of checks) {
      if (!sameJson(of(first.shard), of(input.shard))) {
        throw bad(`merge: the shard reports are not of one run: ${describeShard(first)} and ${describeShard(input)} differ in ${what}: ${JSON.stringify(of(first.shard)) ?? 'none'} vs ${JSON.stringify(of(input.shard)) ?? 'none'}`)
      }
    }
  }
}

/** One benchmark may come from one shard only; throws one line otherwise. */
function checkDisjoint(inputs: readonly ShardInput[]): void {
  const owner = new Map<string, ShardInput>()
  for (const input of inputs) {
    for (const bench of input.shard.report.benchmarks) {
      const seen = owner.get(bench.key)
      if (seen && seen !== input) throw bad(`merge: benchmark "${bench.key}" is in ${describeShard(seen)} and in ${describeShard(input)}; shards of one run measure disjoint files`)
      owner.set(bench.key, input)
    }
  }
}

/** Warnings of every shard, each once, in order; plus one when the shards ran on different machines. */
function mergedWarnings(inputs: readonly ShardInput[]): string[] {
  const warnings = [...new Set(inputs.flatMap(i => i.shard.report.warnings))]
  const base = inputs[0]!.shard.report.environment
  const differ = inputs.slice(1).flatMap(i => environmentDifferences(base, i.shard.report.environment).map(d => `shard ${i.shard.shard.index}: ${d}`))
  if (differ.length) warnings.unshift(`the shards ran on different machines (${differ.join('; ')}): each comparison is its own shard's, measured on one machine, and the merged verdict joins them`)
  return warnings
}

/** Orders benchmarks as a run does: measured ones by key, then those missing from the run. */
function runOrder(benchmarks: BenchmarkReport[]): BenchmarkReport[] {
  const missing = (b: BenchmarkReport) => b.metrics.length > 0 && b.metrics.every(m => m.verdict === 'missing') && !b.metrics.some(m => m.current)
  const byKey = (a: BenchmarkReport, b: BenchmarkReport) => a.key.localeCompare(b.key)
  return [...benchmarks.filter(b => !missing(b)).sort(byKey), ...benchmarks.filter(missing).sort(byKey)]
}

/**
 * Merges the shard reports of one run (see the module comment). Throws a one-line `BenchgateError`
 * (exit 2) when a shard is missing or given twice, the reports are not of one run, or a benchmark
 * comes from two shards.
 */
export function mergeShardReports(inputs: readonly ShardInput[]): MergedRun {
  const count = checkComplete(inputs)
  checkSameRun(inputs)
  checkDisjoint(inputs)
  const ordered = [...inputs].sort((a, b) => a.shard.shard.index - b.shard.shard.index)
  const first = ordered[0]!.shard
  const mode = first.report.mode

  // copies: rejudging writes into the metrics
  const benchmarks = runOrder(ordered.flatMap(i => structuredClone(i.shard.report.benchmarks)))
  const decisions = Object.assign({}, ...ordered.map(i => i.shard.decisions)) as ShardReport['decisions']
  const tested = benchmarks.flatMap(bench => bench.metrics.filter(m => m.pAdjusted !== undefined && m.pValue !== undefined).map(m => ({ bench, m })))
  const adjusted = holm(tested.map(t => t.m.pValue!))
  const byBench = new Map<BenchmarkReport, Map<string, number>>()
  tested.forEach(({ bench, m }, i) => {
    const map = byBench.get(bench) ?? new Map<string, number>()
    map.set(m.metric, adjusted[i]!)
    byBench.set(bench, map)
  })
  for (const [bench, map] of byBench) {
    const own = decisions[bench.key]
    rejudgeBenchmark(bench, map, { alpha: own?.alpha ?? first.report.options.alpha, failOn: own?.failOn ?? first.report.options.failOn }, mode)
  }

  const latest = ordered.map(i => i.shard.report.timestamp).sort().at(-1)!
  const report: RunReport = {
    ...structuredClone(first.report),
    options: { ...first.report.options, runs: Math.max(...ordered.map(i => i.shard.report.options.runs)) },
    timestamp: latest,
    warnings: mergedWarnings(ordered),
    benchmarks,
    ...runResult(benchmarks, mode),
  }
  const merged: MergedRun = { report, reference: first.reference, count }
  if (mode === 'update') {
    const entries: Record<string, BaselineEntry> = {}
    for (const input of ordered) Object.assign(entries, input.shard.update?.entries ?? {})
    merged.update = { entries, remove: [...new Set(ordered.flatMap(i => i.shard.update?.remove ?? []))].sort() }
  }
  return merged
}

/**
 * The baseline a merged -u run writes: `previous` (the file the shards read) with every shard's new
 * entries and without the keys they found gone, stamped with the run's measure mode (an
 * instruction baseline says so: src/measure/baseline.ts).
 */
export function mergedBaseline(previous: BaselineFile | undefined, update: NonNullable<MergedRun['update']>, report: Pick<RunReport, 'measurement'>): BaselineFile {
  const entries = { ...previous?.entries }
  for (const key of update.remove) delete entries[key]
  Object.assign(entries, update.entries)
  return withMeasure({ schemaVersion: 1, entries }, reportMeasure(report))
}

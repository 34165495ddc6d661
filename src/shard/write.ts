/**
 * The shard side of a sharded run: what a shard writes for `benchgate merge`. Pure but for the
 * baseline file's checksum (which baseline the shard read).
 */
import type { BaselineEntry, BaselineFile } from '../baseline/types.generated.ts'
import type { MeasuredBenchmark } from '../scenario/measured.ts'
import type { RunReport } from '../report/types.generated.ts'
import type { Shard, ShardReport } from './io.ts'

/** What a finished shard knows. */
export interface ShardRun {
  shard: Shard
  report: RunReport
  reference: ShardReport['reference']
  /** Files (as keys name them) that ran on this shard. */
  filesRun: ReadonlySet<string>
  measured: readonly MeasuredBenchmark[]
  /** -u: the baseline before the run and the one the run would write (`finishRun` with `dryRun`). */
  previous?: BaselineFile | undefined
  next?: BaselineFile
}

/** Per benchmark, the alpha and failOn a scenario decided with where it overrides the run's. */
export function decisionsOf(measured: readonly MeasuredBenchmark[]): ShardReport['decisions'] {
  const decisions: ShardReport['decisions'] = {}
  for (const bench of measured) {
    const { alpha, failOn } = bench.decision ?? {}
    if (alpha === undefined && failOn === undefined) continue
    decisions[bench.key] = { ...(alpha !== undefined ? { alpha } : {}), ...(failOn !== undefined ? { failOn } : {}) }
  }
  return decisions
}

/**
 * The shard's baseline changes: the entries the update wrote anew (objects that are not the previous
 * ones) and the keys it dropped (benchmarks gone from files this shard ran).
 */
export function baselineChanges(previous: BaselineFile | undefined, next: BaselineFile): NonNullable<ShardReport['update']> {
  const entries: Record<string, BaselineEntry> = {}
  for (const [key, entry] of Object.entries(next.entries)) {
    if (previous?.entries[key] !== entry) entries[key] = entry
  }
  const remove = Object.keys(previous?.entries ?? {}).filter(key => !(key in next.entries)).sort()
  return { entries, remove }
}

/** The shard report of a finished shard. */
export function shardReportOf(run: ShardRun): ShardReport {
  const out: ShardReport = {
    schemaVersion: 1,
    shard: { index: run.shard.index, count: run.shard.count },
    reference: run.reference,
    filesRun: [...run.filesRun].sort(),
    decisions: decisionsOf(run.measured),
    report: run.report,
  }
  if (run.report.mode === 'update' && run.next) out.update = baselineChanges(run.previous, run.next)
  return out
}

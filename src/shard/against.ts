/** A shard of `benchgate compare --against <ref> --shard <index>/<count>`: its report for `benchgate merge`. */
import { resolve } from 'node:path'
import type { AgainstResult } from '../against/against.ts'
import { shardReportPath, writeShardReport, type Shard } from './io.ts'
import { shardReportOf } from './write.ts'

/**
 * Writes the shard report of a same-machine comparison: both sides were measured on this shard's
 * machine, so the reference is the ref and the commit it resolved to (every shard of one merge must
 * have compared with the same commit). Returns the report's path: `path`, or
 * `<root>/<outputDir>/shard-<index>-of-<count>.json`.
 */
export function writeAgainstShard(result: AgainstResult, shard: Shard, ref: string, path: string | undefined, root: string, outputDir: string): string {
  const target = path ?? shardReportPath(resolve(root, outputDir), shard)
  writeShardReport(target, shardReportOf({
    shard,
    report: result.report,
    reference: { kind: 'against', ref, commit: result.worktree.sha },
    filesRun: new Set(result.report.benchmarks.map(b => b.file)),
    measured: [],
  }))
  return target
}


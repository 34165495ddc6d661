import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import baselineSchema from '../baseline/baseline.schema.json' with { type: 'json' }
import reportSchema from '../report/report.schema.json' with { type: 'json' }
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import { compileSchema, readJsonFile } from '../util/schema.ts'
import schema from './shard-report.schema.json' with { type: 'json' }
import type { ShardReport } from './types.generated.ts'

export type { ShardReport }

/** A shard of a run: `index` of `count` (1-based), as `--shard <index>/<count>` writes it. */
export interface Shard {
  index: number
  count: number
}

/** Validates a shard report against `shard-report.schema.json` (which refers to the report and baseline schemas). */
export const validateShardReport = compileSchema<ShardReport>(schema, { references: [reportSchema, baselineSchema] })

/**
 * Parses `--shard <index>/<count>` (vitest's spelling). Throws a one-line {@link BenchgateError}
 * (exit 2) naming the flag for anything else.
 */
export function parseShard(value: unknown, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(String(value ?? '').trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index < 1 || index > count) throw new BenchgateError(`${flag}: expected <index>/<count> with 1 <= index <= count, e.g. ${flag} 2/4, but received ${JSON.stringify(value)}`, 2)
  return { index, count }
}

/** The default file of a shard's report: `<outputDir>/shard-<index>-of-<count>.json`. */
export function shardReportPath(outputDir: string, shard: Shard): string {
  return join(outputDir, `shard-${shard.index}-of-${shard.count}.json`)
}

/** SHA-256 (hex) of a file's bytes, or null when it does not exist: which baseline a shard read. */
export function fileSha256(path: string): string | null {
  if (!existsSync(path)) return null
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Reads a shard report; unreadable, malformed or schema-invalid files throw one line naming the file (exit 2). */
export function readShardReport(path: string): ShardReport {
  return readJsonFile(path, validateShardReport)
}

/** Validates, then writes a shard report atomically and deterministically (sorted keys, 6 significant digits). */
export function writeShardReport(path: string, report: ShardReport): void {
  const text = stableStringify(report)
  validateShardReport.assert(JSON.parse(text), `${path} (about to be written)`)
  try {
    writeFileAtomic(path, text)
  }
  catch (error) {
    throw new BenchgateError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error })
  }
}

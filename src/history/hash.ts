/**
 * Identifying run reports for idempotent recording and import.
 */

import { createHash } from 'node:crypto'
import { serializeReport } from '../report/io.ts'
import type { RunReport } from '../report/types.generated.ts'

/**
 * A content hash of a report: SHA-256 of its deterministic serialisation (sorted keys, floats at 6
 * significant digits, as the JSON reporter writes it), so the report recorded live and the same report
 * read back from its `ci_report_*.json` get the same hash, whatever the file's formatting.
 */
export function reportHash(report: RunReport): string {
  return createHash('sha256').update(serializeReport(report)).digest('hex')
}

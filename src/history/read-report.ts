/**
 * Reading saved run reports (`ci_report_*.json`) and identifying them for idempotent import.
 */

import { createHash } from 'node:crypto'
import schema from '../report/report.schema.json' with { type: 'json' }
import type { RunReport } from '../report/types.generated.ts'
import { stableStringify } from '../util/json.ts'
import { compileSchema, readJsonFile } from '../util/schema.ts'

/** Validates a run report against `report.schema.json`. */
export const validateReport = compileSchema<RunReport>(schema)

/** Reads and validates a saved report; any failure is one {@link BenchgateError} line naming the file. */
export function readReport(path: string): RunReport {
  return readJsonFile(path, validateReport)
}

/**
 * A content hash of a report: SHA-256 of its deterministic serialisation (sorted keys, floats at 6
 * significant digits), so the report recorded live and the same report read back from its
 * `ci_report_*.json` get the same hash, whatever the file's formatting.
 */
export function reportHash(report: RunReport): string {
  return createHash('sha256').update(stableStringify(report)).digest('hex')
}

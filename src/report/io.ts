import { join } from 'node:path'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import { compileSchema, readJsonFile } from '../util/schema.ts'
import schema from './report.schema.json' with { type: 'json' }
import { outcomeOf } from './outcome.ts'
import type { RunReport } from './types.generated.ts'

/** The name of the copy of the newest JSON report, next to the timestamped ones. */
export const LATEST_REPORT_NAME = 'ci_report_latest.json'

/** Validates a run report against `report.schema.json`; `validateReport.assert(data, source)` throws one line naming the source. */
export const validateReport = compileSchema<RunReport>(schema)

/** A report as older benchgate versions wrote it: the same schema, without `outcome`. */
type StoredReport = Omit<RunReport, 'outcome'> & Partial<Pick<RunReport, 'outcome'>>
const validateStoredReport = compileSchema<StoredReport>({ ...schema, $id: undefined, required: schema.required.filter(key => key !== 'outcome') })

/**
 * Reads a saved run report. Unreadable files, malformed JSON and schema violations throw a one-line
 * `BenchgateError` (exit code 2) naming the file and, for a violation, the JSON path. A report
 * written before reports carried their outcome gets it, decided from its verdicts by the same rule.
 */
export function readReport(path: string): RunReport {
  const report = readJsonFile(path, validateStoredReport, { schemaVersion: 1 })
  return report.outcome ? report as RunReport : { ...report, outcome: outcomeOf(report) }
}

/** Serialises a report deterministically (sorted keys, floats to 6 significant digits, final newline). */
export function serializeReport(report: RunReport): string {
  return stableStringify(report)
}

/**
 * The report's UTC timestamp in the compact form used in file names, `YYYYMMDDTHHMMSSZ`.
 * Derived from `report.timestamp`, so the same report always gets the same name.
 */
export function reportTimestamp(report: Pick<RunReport, 'timestamp'>): string {
  const date = new Date(report.timestamp)
  if (Number.isNaN(date.getTime())) throw new Error(`report timestamp ${JSON.stringify(report.timestamp)} is not a date`)
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(/[-:]/g, '')
}

/** The timestamped report file name, `ci_report_<YYYYMMDDTHHMMSSZ>.json`. */
export function reportFileName(report: Pick<RunReport, 'timestamp'>): string {
  return `ci_report_${reportTimestamp(report)}.json`
}

/**
 * Writes `ci_report_<UTC timestamp>.json` and `ci_report_latest.json` into `dir`, each atomically,
 * with identical deterministic content. What would be written is validated first (after rounding),
 * so an invalid report never reaches the disk (exit code 2); a failed write names the path (exit
 * code 1). Returns the two paths, timestamped first.
 */
export function writeReportJson(dir: string, report: RunReport): [file: string, latest: string] {
  const text = serializeReport(report)
  const file = join(dir, reportFileName(report))
  validateReport.assert(JSON.parse(text), `${file} (about to be written)`)
  const latest = join(dir, LATEST_REPORT_NAME)
  for (const path of [file, latest]) {
    try {
      writeFileAtomic(path, text)
    }
    catch (error) {
      throw new BenchgateError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error })
    }
  }
  return [file, latest]
}

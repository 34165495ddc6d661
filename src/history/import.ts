/**
 * `benchgate history import <dir>`: loads saved run reports into the history, idempotently.
 */

import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { RunReport } from '../report/types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import type { HistoryDb } from './db.ts'
import { readReport } from '../report/io.ts'

/** The file names the JSON reporter writes. */
export const REPORT_FILE = /^ci_report_.*\.json$/

/** The outcome of an import. */
export interface ImportSummary {
  /** Report files found. */
  files: number
  /** Runs added. */
  added: number
  /** Reports already in the history (same content hash). */
  skipped: number
  /** One line per file that could not be read or stored, naming the file and the cause. */
  errors: string[]
}

/** Every `ci_report_*.json` under `dir`, recursively, sorted by path (symbolic links are not followed). */
export function findReportFiles(dir: string): string[] {
  let top
  try {
    top = statSync(dir)
  }
  catch (error) {
    throw new BenchgateError(`${dir}: cannot read the report directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  if (!top.isDirectory()) throw new BenchgateError(`${dir}: expected a directory of ci_report_*.json files`)
  const found: string[] = []
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(path)
      }
      else if (entry.isFile() && REPORT_FILE.test(entry.name)) found.push(path)
    }
  }
  walk(dir)
  return found.sort()
}

/**
 * Reads every report under `dir` and appends the valid ones in one transaction. A bad file does not
 * stop the others: it is listed in `errors`. Importing the same files again adds nothing.
 */
export function importReports(history: HistoryDb, dir: string): ImportSummary {
  const files = findReportFiles(dir)
  const errors: string[] = []
  const items: Array<{ report: RunReport, source: string }> = []
  for (const file of files) {
    try {
      items.push({ report: readReport(file), source: relative(process.cwd(), file) || file })
    }
    catch (error) {
      errors.push(error instanceof BenchgateError ? error.message : `${file}: ${(error as Error).message}`)
    }
  }
  const results = history.appendReports(items)
  const added = results.filter(r => r.added).length
  return { files: files.length, added, skipped: results.length - added, errors }
}

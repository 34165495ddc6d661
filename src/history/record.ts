/**
 * Appends a finished run to the history, for the Vitest adapters. Never throws and never changes the
 * gate's verdict: when recording is off or impossible it writes one line saying why.
 */

import { isAbsolute, resolve } from 'node:path'
import type { RunReport } from '../report/types.generated.ts'
import type { ResolvedHistoryOptions } from '../config/history.ts'
import type { SqliteImporter } from './sqlite.ts'

/** What {@link recordHistory} did. */
export interface RecordOutcome {
  recorded: boolean
  /** The database file (absolute). */
  path: string
  runId?: number
  /** The line written when nothing was recorded. */
  note?: string
}

/** Seams for tests. */
export interface RecordDeps {
  importer?: SqliteImporter
  write?: (line: string) => void
}

/**
 * Records `report` in the history database of the project at `root` (a relative `options.path` is
 * relative to it). Turned off: silent. better-sqlite3 absent: silent by default (it is an optional
 * peer), one line when history was asked for explicitly. A database error: one
 * `benchgate: run history …` line on stderr. The run goes on in every case.
 */
export async function recordHistory(report: RunReport, root: string, options: ResolvedHistoryOptions, deps: RecordDeps = {}): Promise<RecordOutcome> {
  const write = deps.write ?? ((line: string) => { process.stderr.write(line) })
  const path = isAbsolute(options.path) ? options.path : resolve(root, options.path)
  const skip = (note: string): RecordOutcome => {
    write(`benchgate: ${note}\n`)
    return { recorded: false, path, note }
  }
  if (!options.enabled) return { recorded: false, path, note: `run history off (${options.reason ?? 'disabled'})` }
  try {
    const { openHistory } = await import('./db.ts')
    const history = await openHistory(path, deps.importer ? { importer: deps.importer } : {})
    try {
      const { runId } = history.appendReport(report, 'live')
      return { recorded: true, path, runId }
    }
    finally {
      history.close()
    }
  }
  catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
    if (!options.explicit && /better-sqlite3 is not installed/.test(message)) return { recorded: false, path, note: message }
    return skip(`run history not recorded: ${message}${/better-sqlite3 is not installed/.test(message) ? ' (or set history: false)' : ''}`)
  }
}

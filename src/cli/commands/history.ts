import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'
import { optionalPositive } from '../../util/parse.ts'

/** Flags of `benchgate history`. */
export interface HistoryFlags {
  historyDb?: string
  json?: boolean
  /** query: most rows kept (default 10000). */
  maxRows?: number | string
  /** query: seconds before the query is stopped (default 30). */
  timeout?: number | string
}

const ACTIONS = ['query', 'import', 'path'] as const

/** Adds `benchgate history query|import|path`. The database module loads only when one runs. */
export function registerHistory(cli: CAC): void {
  cli.command('history <action> [...args]', 'Run history: query "<SQL>" (opens the file read-only; rows and time capped), import <dir> (ci_report_*.json), path')
    .option('--history-db <file>', 'History database (default: $BENCHGATE_HISTORY_DB or .benchgate/history.db)')
    .option('--json', 'query: print the rows as JSON')
    .option('--max-rows <n>', 'query: keep at most this many rows (default 10000)')
    .option('--timeout <seconds>', 'query: stop the query after this long (default 30)')
    .example('benchgate history query "SELECT DATE(timestamp) AS day, AVG(value) FROM metrics WHERE name = \'frame_cache.hit_rate\' GROUP BY day"')
    .example('benchgate history import benchmark_results')
    .action((action: string, args: string[], flags: HistoryFlags) => historyCommand(action, args, flags))
}

/** Runs one `history` action and returns the exit code (2 for bad input or any file that failed to import). */
export async function historyCommand(action: string, args: string[], flags: HistoryFlags): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new BenchgateError(`history: unknown action "${action}" (expected ${ACTIONS.join(', ')})`)
  const { historyDbPath } = await import('../../config/history.ts')
  const path = historyDbPath(flags.historyDb)

  if (action === 'path') {
    if (args.length) throw new BenchgateError(`history path: takes no arguments, received ${JSON.stringify(args.join(' '))}`)
    process.stdout.write(`${path}\n`)
    return 0
  }

  if (action === 'query') {
    if (args.length !== 1 || typeof args[0] !== 'string' || args[0].trim() === '')
      throw new BenchgateError('history query: expected one SQL statement in quotes, e.g. benchgate history query "SELECT * FROM metrics LIMIT 5"')
    const maxRows = optionalPositive('--max-rows', flags.maxRows, true)
    const timeout = optionalPositive('--timeout', flags.timeout, false)
    const { queryReadOnly } = await import('../../history/query.ts')
    const { columns, rows, truncated } = await queryReadOnly(path, args[0], { ...(maxRows ? { maxRows } : {}), ...(timeout ? { timeoutMs: timeout * 1000 } : {}) })
    const cut = truncated ? `benchgate: history query: only the first ${rows.length} rows are shown (--max-rows ${rows.length})\n` : ''
    if (flags.json) {
      const objects = rows.map(row => Object.fromEntries(columns.map((c, i) => [c, row[i]])))
      process.stdout.write(`${JSON.stringify(objects, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
      process.stderr.write(cut)
    }
    else {
      const { formatTable } = await import('../../history/table.ts')
      process.stdout.write(formatTable(columns, rows))
      process.stdout.write(`(${rows.length} row${rows.length === 1 ? '' : 's'}${truncated ? ', cut at --max-rows' : ''})\n`)
      process.stderr.write(cut)
    }
    return 0
  }

  if (args.length !== 1 || typeof args[0] !== 'string')
    throw new BenchgateError('history import: expected one directory, e.g. benchgate history import benchmark_results')
  const dir = args[0]
  const { openHistory } = await import('../../history/db.ts')
  const { importReports } = await import('../../history/import.ts')
  const history = await openHistory(path)
  try {
    const summary = importReports(history, dir)
    for (const error of summary.errors) process.stderr.write(`benchgate: ${error}\n`)
    if (summary.files === 0) process.stderr.write(`benchgate: no ci_report_*.json files under ${dir}\n`)
    process.stdout.write(`benchgate: imported ${summary.added} run${summary.added === 1 ? '' : 's'} from ${summary.files} file${summary.files === 1 ? '' : 's'} under ${dir} (${summary.skipped} already present, ${summary.errors.length} failed) into ${path}\n`)
    return summary.errors.length ? 2 : 0
  }
  finally {
    history.close()
  }
}

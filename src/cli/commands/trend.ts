import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'

/** Flags of `benchgate trend`, in the runbook's spelling. */
export interface TrendFlags {
  daysBack?: number | string
  format?: string
  output?: string
  historyDb?: string
  historyDir?: string
  branch?: string
  until?: string
}

/** Adds `benchgate trend`. The analysis loads only when it runs. */
export function registerTrend(cli: CAC): void {
  cli.command('trend', 'Trends over the run history: summary, slope per week and change points per benchmark metric')
    .option('--days-back <n>', 'Window in days, ending now (default: 30)')
    .option('--format <format>', 'markdown, html or json (default: markdown)')
    .option('--output <file>', 'Write the report to a file instead of stdout')
    .option('--history-db <file>', 'History database (default: $BENCHGATE_HISTORY_DB or .benchgate/history.db)')
    .option('--history-dir <dir>', 'Analyse the ci_report_*.json files under a directory instead of the database')
    .option('--branch <name>', 'Only runs recorded on this branch')
    .option('--until <date>', 'End of the window, an ISO date or time (default: now)')
    .example('benchgate trend --days-back 30 --format markdown --output trend.md')
    .action((flags: TrendFlags) => trendCommand(flags))
}

/** Parses the flags, analyses the window and writes the report; returns the exit code. */
export async function trendCommand(flags: TrendFlags): Promise<number> {
  const daysBack = flags.daysBack === undefined ? 30 : Number(flags.daysBack)
  if (!Number.isFinite(daysBack) || daysBack <= 0) throw new BenchgateError(`--days-back: expected a number of days > 0 but received ${JSON.stringify(flags.daysBack)}`)
  const { TREND_FORMATS, renderTrend } = await import('../../history/trend-render.ts')
  const format = flags.format ?? 'markdown'
  if (!(TREND_FORMATS as readonly string[]).includes(format)) throw new BenchgateError(`--format: expected one of ${TREND_FORMATS.join(', ')} but received ${JSON.stringify(flags.format)}`)
  let until: Date | undefined
  if (flags.until !== undefined) {
    until = new Date(String(flags.until))
    if (Number.isNaN(until.getTime())) throw new BenchgateError(`--until: expected an ISO date such as 2025-01-31 but received ${JSON.stringify(flags.until)}`)
  }
  if (flags.branch !== undefined && (typeof flags.branch !== 'string' || flags.branch === '')) throw new BenchgateError(`--branch: expected a branch name but received ${JSON.stringify(flags.branch)}`)
  if (flags.output !== undefined && (typeof flags.output !== 'string' || flags.output === '')) throw new BenchgateError(`--output: expected a file path but received ${JSON.stringify(flags.output)}`)
  if (flags.historyDir !== undefined && flags.historyDb !== undefined) throw new BenchgateError('--history-dir and --history-db: give one source, not both')
  if (flags.output !== undefined) {
    const { statSync } = await import('node:fs')
    let directory = false
    try {
      directory = statSync(flags.output).isDirectory()
    }
    catch {}
    if (directory) throw new BenchgateError(`--output ${flags.output}: is a directory; give a file path, e.g. ${flags.output.replace(/\/+$/, '')}/trend.${flags.format === 'html' ? 'html' : flags.format === 'json' ? 'json' : 'md'}`)
  }

  const { openHistory } = await import('../../history/db.ts')
  const { analyzeTrends } = await import('../../history/trend.ts')
  let history
  if (flags.historyDir !== undefined) {
    const { importReports } = await import('../../history/import.ts')
    history = await openHistory(':memory:')
    const summary = importReports(history, String(flags.historyDir))
    for (const error of summary.errors) process.stderr.write(`benchgate: ${error}\n`)
  }
  else {
    const { historyDbPath } = await import('../../config/history.ts')
    history = await openHistory(historyDbPath(flags.historyDb), { mustExist: true })
  }
  try {
    const report = analyzeTrends(history, {
      daysBack,
      ...(until ? { until } : {}),
      ...(flags.branch ? { branch: flags.branch } : {}),
    })
    const text = renderTrend(report, format as 'markdown' | 'html' | 'json')
    if (flags.output) {
      const { writeFileAtomic } = await import('../../util/fs.ts')
      try {
        writeFileAtomic(flags.output, text)
      }
      catch (error) {
        throw new BenchgateError(`--output ${flags.output}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 2)
      }
      const cps = report.series.reduce((n, s) => n + s.changePoints.length, 0)
      process.stdout.write(`benchgate: wrote ${flags.output} (${report.series.length} series, ${report.runs} runs, ${cps} change point${cps === 1 ? '' : 's'})\n`)
    }
    else process.stdout.write(text)
    return 0
  }
  finally {
    history.close()
  }
}

import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'
import { optionalPositive } from '../../util/parse.ts'

/** Flags of `benchgate metrics`. */
export interface MetricsFlags {
  historyDb?: string
  json?: boolean
  lastHour?: boolean
  hours?: number | string
  alertThreshold?: number | string
  window?: number | string
  daysBack?: number | string
  branch?: string
}

const ACTIONS = ['alerts', 'monitor'] as const

/** Adds `benchgate metrics alerts|monitor`. The history loads only when one runs. */
export function registerMetrics(cli: CAC): void {
  cli.command('metrics <action>', 'Alerts over the run history: alerts (open now), monitor (recent runs); exit 1 on a critical alert')
    .option('--history-db <file>', 'History database (default: $BENCHGATE_HISTORY_DB or .benchgate/history.db)')
    .option('--json', 'Print the alerts as JSON')
    .option('--last-hour', 'monitor: runs recorded in the last hour')
    .option('--hours <n>', 'monitor: runs recorded in the last n hours (default: 24)')
    .option('--alert-threshold <percent>', 'Also raise a critical alert when any metric is worse than its trailing median by more than this percentage')
    .option('--window <n>', 'Trailing runs each value is compared with (default: 20)')
    .option('--days-back <n>', 'History read for the trailing windows, in days (default: 90)')
    .option('--branch <name>', 'Only runs recorded on this branch')
    .example('benchgate metrics alerts')
    .example('benchgate metrics monitor --last-hour --alert-threshold 50')
    .action((action: string, flags: MetricsFlags) => metricsCommand(action, flags))
}

/** Evaluates the alerts, prints them and returns 1 when a critical one is open, else 0. */
export async function metricsCommand(action: string, flags: MetricsFlags): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(action))
    throw new BenchgateError(`metrics: unknown action "${action}" (expected ${ACTIONS.join(', ')})`)
  const window = optionalPositive('--window', flags.window, true)
  const alertThreshold = optionalPositive('--alert-threshold', flags.alertThreshold, false)
  const daysBack = optionalPositive('--days-back', flags.daysBack, false) ?? 90
  const hours = flags.lastHour ? 1 : optionalPositive('--hours', flags.hours, false) ?? 24
  if (action === 'alerts' && (flags.lastHour || flags.hours !== undefined)) throw new BenchgateError('--last-hour and --hours belong to metrics monitor, not metrics alerts')

  const { historyDbPath } = await import('../../config/history.ts')
  const { openHistory } = await import('../../history/db.ts')
  const { alertsSince, openAlerts } = await import('../../history/alerts.ts')
  const history = await openHistory(historyDbPath(flags.historyDb), { mustExist: true })
  try {
    const now = Date.now()
    const { series, runs } = history.loadSeries({ from: new Date(now - daysBack * 86_400_000), ...(flags.branch ? { branch: flags.branch } : {}) })
    const options = { ...(window ? { window } : {}), ...(alertThreshold ? { alertThreshold } : {}) }
    const alerts = action === 'alerts' ? openAlerts(series, runs, options) : alertsSince(series, runs, now - hours * 3_600_000, options)
    const critical = alerts.filter(a => a.severity === 'critical').length
    if (flags.json) process.stdout.write(`${JSON.stringify(alerts, null, 2)}\n`)
    else if (alerts.length === 0) {
      const scope = action === 'alerts' ? `over ${series.length} series` : `in runs of the last ${hours === 1 ? 'hour' : `${hours} hours`}`
      process.stdout.write(`benchgate: no alerts ${scope}\n`)
    }
    else {
      const { formatTable } = await import('../../history/table.ts')
      const rows = alerts.map(a => [a.severity, a.rule, a.scenario, a.metric, a.value, a.reference, a.timestamp.slice(0, 19).replace('T', ' '), a.commit?.slice(0, 10) ?? '', a.message])
      process.stdout.write(formatTable(['severity', 'rule', 'scenario', 'metric', 'value', 'reference', 'time (UTC)', 'commit', 'message'], rows))
      process.stdout.write(`benchgate: ${critical} critical, ${alerts.length - critical} warning\n`)
    }
    return critical ? 1 : 0
  }
  finally {
    history.close()
  }
}

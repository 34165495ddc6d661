import type { MetricReport, RunReport, Verdict } from '../src/report/types.generated.ts'
import { measureLimits, measureText } from './format.ts'
import { formatValue, signedPercent } from '../src/util/format.ts'

const VERDICT_LABEL: Record<Verdict, string> = {
  ok: 'ok',
  improved: 'improved',
  warning: 'WARNING',
  critical: 'CRITICAL',
  new: 'new',
  missing: 'missing',
  stale: 'stale',
  unstable: 'unstable',
  error: 'ERROR',
}


function value(metric: MetricReport, which: 'baseline' | 'current'): string {
  const s = metric[which]
  if (!s) return '-'
  return `${formatValue(s.summary.median)}${metric.unit ? ` ${metric.unit}` : ''}`
}

function change(metric: MetricReport): string {
  if (!metric.change) return '-'
  const { estimate, lower, upper } = metric.change
  return lower === upper ? signedPercent(estimate, { space: '' }) : `${signedPercent(estimate, { space: '' })} [${signedPercent(lower, { space: '' })}, ${signedPercent(upper, { space: '' })}]`
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map(r => r[i]!.length)))
  return rows.map(r => r.map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd())
}

/** Renders a run report as a plain-text table and the closing `benchgate: N passed, N failed` line. */
export function renderConsole(report: RunReport, options: { baselineDiff?: string, baselineFile?: string, notes?: string[] } = {}): string {
  const limits = measureLimits(report)
  const lines: string[] = ['', `benchgate ${report.mode === 'update' ? 'baseline update' : 'gate'} (${report.options.runs} run${report.options.runs === 1 ? '' : 's'} per benchmark${report.options.tags.length ? `, tags: ${report.options.tags.join(',')}` : ''})`, `  measure: ${measureText(report)}`, ...(limits ? [`  limits: ${limits}`] : []), '']
  const rows: string[][] = [['benchmark', 'metric', 'baseline', 'current', 'change [95% CI]', 'p', 'verdict']]
  for (const bench of report.benchmarks) {
    for (const metric of bench.metrics) {
      rows.push([
        bench.key,
        metric.metric,
        value(metric, 'baseline'),
        value(metric, 'current'),
        change(metric),
        metric.pAdjusted !== undefined ? metric.pAdjusted.toPrecision(2) : '-',
        VERDICT_LABEL[metric.verdict],
      ])
    }
  }
  if (rows.length > 1) lines.push(...pad(rows).map(l => `  ${l}`))
  else lines.push('  no benchmarks ran')

  const notable = report.benchmarks.flatMap(b => b.metrics.filter(m => m.verdict !== 'ok').map(m => ({ b, m })))
  if (notable.length) {
    lines.push('')
    for (const { b, m } of notable) lines.push(`  ${VERDICT_LABEL[m.verdict]}: ${b.key} [${m.metric}] ${m.message}`)
  }
  for (const w of report.warnings) lines.push('', `  warning: ${w}`)
  if (report.mode === 'update' && options.baselineFile) {
    lines.push('', `  baseline written: ${options.baselineFile}`)
    if (options.baselineDiff) lines.push('', ...options.baselineDiff.split('\n').map(l => `  ${l}`))
    else lines.push('  (no entries changed)')
  }
  if (options.notes?.length) lines.push('', ...options.notes)
  const c = report.counts
  const warned = c.warning ? ` (${c.warning} warning${c.warning === 1 ? '' : 's'})` : ''
  lines.push('', `benchgate: ${c.passed} passed, ${c.failed} failed${warned}`, '')
  return lines.join('\n')
}

/**
 * Renders a {@link TrendReport} as Markdown (the weekly issue), self-contained HTML, or JSON.
 * Computes nothing: every number comes from the report.
 */

import type { SeriesTrend, TrendChangePoint, TrendReport } from './trend.ts'
import { percent } from '../util/format.ts'

/** Output formats of `benchgate trend`. */
export const TREND_FORMATS = ['markdown', 'html', 'json'] as const
/** One of {@link TREND_FORMATS}. */
export type TrendFormat = typeof TREND_FORMATS[number]

/** A number with 3–4 significant digits, for tables. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–'
  const a = Math.abs(v)
  if (a >= 1000) return v.toFixed(0)
  if (a >= 100) return v.toFixed(1)
  if (a >= 1) return v.toFixed(2)
  if (a === 0) return '0'
  return v.toPrecision(3)
}

/** A signed percentage: `+12.3 %`. */
export function formatPercent(v: number): string {
  if (!Number.isFinite(v)) return '–'
  const p = v * 100
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)} %`
}

function withUnit(v: number, unit: string): string {
  return unit && unit !== 'ratio' ? `${formatNumber(v)} ${unit}` : formatNumber(v)
}

function slopeText(s: SeriesTrend): string {
  if (!s.slope) return '–'
  const { relativePerWeek, relativeLower, relativeUpper } = s.slope
  if (Number.isFinite(relativePerWeek)) return `${formatPercent(relativePerWeek)} (${formatPercent(relativeLower)} … ${formatPercent(relativeUpper)})`
  return `${formatNumber(s.slope.perWeek)} (${formatNumber(s.slope.lower)} … ${formatNumber(s.slope.upper)})`
}

const short = (commit: string | undefined) => (commit ? commit.slice(0, 10) : '–')
const day = (iso: string) => iso.slice(0, 10)

interface Located { series: SeriesTrend, point: TrendChangePoint }

function allChangePoints(report: TrendReport): Located[] {
  return report.series
    .flatMap(series => series.changePoints.map(point => ({ series, point })))
    .sort((a, b) => b.point.timestamp.localeCompare(a.point.timestamp))
}

function headline(report: TrendReport): string {
  const located = allChangePoints(report)
  const regressions = located.filter(l => l.point.direction === 'regression').length
  const regressing = report.series.filter(s => s.trend === 'regressing').length
  const cps = located.length === 0
    ? 'No change points.'
    : `${located.length} change point${located.length === 1 ? '' : 's'}: ${regressions} regression${regressions === 1 ? '' : 's'}, ${located.length - regressions} improvement${located.length - regressions === 1 ? '' : 's'}.`
  return `${cps} ${regressing} series with a regressing slope.`
}

function methodText(report: TrendReport): string {
  const m = report.method
  return `Change points: E-Divisive means (Matteson & James 2014, as in MongoDB's performance CI) over each series in time order; `
    + `a split is kept when ${m.permutations} permutations within the current segments give p ≤ ${m.pValue} (seeded, so the report is reproducible; `
    + `at least ${m.minSize} runs per side; series longer than ${m.maxPoints} runs are searched over medians of equal groups of runs). `
    + `Change is the relative difference of the segment means (changes under ${percent(m.minChange)} are not listed); direction follows the metric (lower or higher is better). `
    + `Slope: least squares on time with a 95 % t-interval, relative to the window mean; "regressing" or "improving" only when the interval excludes zero.`
}

const mdCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The report as GitHub-flavoured Markdown. */
export function renderTrendMarkdown(report: TrendReport): string {
  const lines: string[] = []
  lines.push(`# Performance trends: last ${report.daysBack} days`, '')
  lines.push(`${day(report.from)} → ${day(report.to)} (UTC) · ${report.runs} runs · ${report.series.length} series${report.branch ? ` · branch \`${report.branch}\`` : ''}`, '')
  lines.push(`**${headline(report)}**`, '')
  const located = allChangePoints(report)
  if (located.length) {
    lines.push('## Change points', '')
    lines.push('| Date | Scenario | Metric | Before → after | Change | Direction | Commits (last before … first after) | p |')
    lines.push('|---|---|---|---|---|---|---|---|')
    for (const { series, point } of located) {
      const icon = point.direction === 'regression' ? '🔴 regression' : '🟢 improvement'
      lines.push(`| ${day(point.timestamp)} | ${mdCell(series.scenario)} | ${mdCell(series.metric)} | ${withUnit(point.before, series.unit)} → ${withUnit(point.after, series.unit)} | ${formatPercent(point.change)} | ${icon} | ${short(point.previousCommit)} … ${short(point.commit)} | ${point.pValue.toFixed(3)} |`)
    }
    lines.push('')
  }
  lines.push('## Series', '')
  if (report.series.length === 0) lines.push(`No runs recorded between ${day(report.from)} and ${day(report.to)}.`, '')
  else {
    lines.push('| Scenario | Metric | n | Median | Mean | SD | Min | Max | Slope / week (95 % CI) | Trend | Change points |')
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|---|---:|')
    for (const s of report.series) {
      lines.push(`| ${mdCell(s.scenario)} | ${mdCell(s.metric)}${s.unit ? ` (${mdCell(s.unit)})` : ''} | ${s.n} | ${formatNumber(s.median)} | ${formatNumber(s.mean)} | ${formatNumber(s.sd)} | ${formatNumber(s.min)} | ${formatNumber(s.max)} | ${slopeText(s)} | ${s.trend} | ${s.changePoints.length} |`)
    }
    lines.push('')
  }
  lines.push('## Method', '', methodText(report), '')
  return `${lines.join('\n')}\n`.replace(/\n{3,}/g, '\n\n')
}

const esc = (text: string) => text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] as string)

function sparkline(s: SeriesTrend): string {
  const v = s.sparkline
  if (v.length < 2) return ''
  const w = 120
  const h = 24
  const lo = Math.min(...v)
  const hi = Math.max(...v)
  const span = hi - lo || 1
  const pts = v.map((y, i) => `${(i / (v.length - 1) * w).toFixed(1)},${(h - 2 - (y - lo) / span * (h - 4)).toFixed(1)}`).join(' ')
  return `<svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="trend"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${pts}"/></svg>`
}

/** The report as one self-contained HTML page (no scripts, no external assets). */
export function renderTrendHtml(report: TrendReport): string {
  const located = allChangePoints(report)
  const cpRows = located.map(({ series, point }) => `<tr class="${point.direction}"><td>${esc(day(point.timestamp))}</td><td>${esc(series.scenario)}</td><td>${esc(series.metric)}</td><td>${esc(withUnit(point.before, series.unit))} → ${esc(withUnit(point.after, series.unit))}</td><td>${esc(formatPercent(point.change))}</td><td>${point.direction}</td><td><code>${esc(short(point.previousCommit))}</code> … <code>${esc(short(point.commit))}</code></td><td>${point.pValue.toFixed(3)}</td></tr>`).join('\n')
  const seriesRows = report.series.map(s => `<tr class="${s.trend.replace(' ', '-')}"><td>${esc(s.scenario)}</td><td>${esc(s.metric)}${s.unit ? ` (${esc(s.unit)})` : ''}</td><td>${s.n}</td><td>${formatNumber(s.median)}</td><td>${formatNumber(s.mean)}</td><td>${formatNumber(s.sd)}</td><td>${formatNumber(s.min)}</td><td>${formatNumber(s.max)}</td><td>${esc(slopeText(s))}</td><td>${esc(s.trend)}</td><td>${s.changePoints.length}</td><td>${sparkline(s)}</td></tr>`).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Performance trends: last ${report.daysBack} days</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}
th{background:#f4f4f4}.regression td,.regressing td{background:#fdecea}.improvement td,.improving td{background:#eaf7ec}
code{font-size:12px}p.method{max-width:60rem;color:#555}
</style></head><body>
<h1>Performance trends: last ${report.daysBack} days</h1>
<p>${esc(day(report.from))} → ${esc(day(report.to))} (UTC) · ${report.runs} runs · ${report.series.length} series${report.branch ? ` · branch <code>${esc(report.branch)}</code>` : ''}</p>
<p><strong>${esc(headline(report))}</strong></p>
${located.length ? `<h2>Change points</h2>
<table><thead><tr><th>Date</th><th>Scenario</th><th>Metric</th><th>Before → after</th><th>Change</th><th>Direction</th><th>Commits (last before … first after)</th><th>p</th></tr></thead><tbody>
${cpRows}
</tbody></table>` : ''}
<h2>Series</h2>
${report.series.length ? `<table><thead><tr><th>Scenario</th><th>Metric</th><th>n</th><th>Median</th><th>Mean</th><th>SD</th><th>Min</th><th>Max</th><th>Slope / week (95 % CI)</th><th>Trend</th><th>Change points</th><th>Window</th></tr></thead><tbody>
${seriesRows}
</tbody></table>` : `<p>No runs recorded between ${esc(day(report.from))} and ${esc(day(report.to))}.</p>`}
<h2>Method</h2>
<p class="method">${esc(methodText(report))}</p>
</body></html>
`
}

/** The report as JSON (NaN and infinities become null). */
export function renderTrendJson(report: TrendReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`
}

/** Renders in the named format. */
export function renderTrend(report: TrendReport, format: TrendFormat): string {
  if (format === 'html') return renderTrendHtml(report)
  if (format === 'json') return renderTrendJson(report)
  return renderTrendMarkdown(report)
}

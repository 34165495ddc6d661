import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunReport } from '../src/report/types.generated.ts'
import { intervalText, pValueText, thresholdPercent } from '../src/util/format.ts'
import { writeFileAtomic } from '../src/util/fs.ts'
import {
  attentionRows, benchLabel, decisionItems, gitText, locationText, medianText, metricRows, plural,
  measureLimits, measureText, RUN_VERDICT_ICON, runVerdict, shortReason, timeText, VERDICT_ICON, type MetricRow,
} from './format.ts'
import { outputDirOf, writing, type BenchgateReporter, type RenderOptions, type ReportContext } from './types.ts'

/** The first line of every report: the workflow finds its own pull-request comment by it. */
export const MARKDOWN_HEADER = '## 📊 Performance Regression Report'

/** The Markdown file's name inside the output directory. */
export const MARKDOWN_FILE_NAME = 'report.md'

/** GitHub rejects comments longer than 65,536 characters; the full table is cut to stay below. */
export const MAX_MARKDOWN_LENGTH = 60_000

const NBSP = '\u00a0'

/** Escapes text for a GitHub Markdown table cell: Markdown punctuation, HTML tags (`<`) and the cell separator. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~|#]/g, c => `\\${c}`)
    .replaceAll('<', '&lt;')
    .replace(/\r?\n/g, ' ')
}

function verdictLine(report: RunReport): string {
  const v = runVerdict(report)
  return `${RUN_VERDICT_ICON[v.level]} **${v.text}**`
}

function countsLine(report: RunReport): string {
  const c = report.counts
  const parts = (['error', 'critical', 'warning', 'unstable', 'stale', 'missing', 'new', 'improved', 'ok'] as const)
    .filter(v => c[v] > 0)
    .map(v => `${VERDICT_ICON[v]} ${c[v]} ${v}`)
  return `${plural(report.benchmarks.length, 'benchmark')}, ${plural(c.total, 'metric')}: ${parts.join(' · ')}`
}

/** The runbook's decision tree (Handling CI Failures), applied to this run's counts. */
function decision(report: RunReport): string[] {
  const items = decisionItems(report)
  if (!items.length) return []
  // Only the inline-code spans of an item are Markdown; the rest is escaped text.
  const text = (s: string) => s.split('`').map((part, i) => (i % 2 ? `\`${part}\`` : escapeMarkdown(part))).join('')
  return [
    '**What to do** (the runbook\'s decision tree):',
    '',
    ...items.map(item => `- ${item.icon} ${item.lead ? `**${item.lead}**: ` : ''}${text(item.text)}`),
  ]
}

function benchCell(row: MetricRow): string {
  return `${escapeMarkdown(benchLabel(row.bench))}<br><sub>${escapeMarkdown(locationText(row.bench))}</sub>`
}

function attentionTable(rows: MetricRow[]): string[] {
  return [
    `| Verdict | Benchmark | Metric | Baseline | Current | Change${NBSP}[95${NBSP}%${NBSP}CI] | Why |`,
    '|:--|:--|:--|--:|--:|--:|:--|',
    ...rows.map(r => `| ${VERDICT_ICON[r.metric.verdict]}${NBSP}${r.metric.verdict} | ${benchCell(r)} | ${escapeMarkdown(r.metric.metric)} | ${escapeMarkdown(medianText(r.metric, 'baseline', NBSP))} | ${escapeMarkdown(medianText(r.metric, 'current', NBSP))} | ${intervalText(r.metric.change, NBSP)} | ${escapeMarkdown(shortReason(r.metric))} |`),
  ]
}

function fullTableRows(rows: MetricRow[]): string[] {
  return [
    `| Benchmark | Metric | Baseline | Current | Change${NBSP}[95${NBSP}%${NBSP}CI] | p | Verdict |`,
    '|:--|:--|--:|--:|--:|--:|:--|',
  ].concat(rows.map(r => `| ${escapeMarkdown(benchLabel(r.bench))} | ${escapeMarkdown(r.metric.metric)} | ${escapeMarkdown(medianText(r.metric, 'baseline', NBSP))} | ${escapeMarkdown(medianText(r.metric, 'current', NBSP))} | ${intervalText(r.metric.change, NBSP)} | ${escapeMarkdown(pValueText(r.metric.pAdjusted))} | ${VERDICT_ICON[r.metric.verdict]}${NBSP}${r.metric.verdict} |`))
}

function footer(report: RunReport): string {
  const e = report.environment
  const t = report.options.thresholds
  const parts = [
    `benchgate ${report.tool.version}`,
    timeText(report),
    gitText(report) ? `commit ${gitText(report)}` : '',
    `${report.options.runs} run${report.options.runs === 1 ? '' : 's'} per benchmark`,
    report.options.tags.length ? `tags: ${report.options.tags.join(', ')}` : '',
    `thresholds: warning ${thresholdPercent(t.warning)}, critical ${thresholdPercent(t.critical)}, α = ${report.options.alpha}`,
    `${e.cpuModel} (${e.cores} cores)`,
    e.os,
    `Node ${e.node}`,
    `Vitest ${e.vitest}`,
  ].filter(Boolean)
  return `<sub>${parts.map(escapeMarkdown).join(' · ')}</sub>`
}

/**
 * Renders the report as a GitHub pull-request comment: the header, a verdict line, environment
 * warnings as an alert, the runbook's decision tree applied, a table of the results that need
 * attention (most severe first), and the full table folded in `<details>`.
 */
export function renderMarkdown(report: RunReport, options: RenderOptions = {}): string {
  const limits = measureLimits(report)
  const out: string[] = [MARKDOWN_HEADER, '', verdictLine(report), '']
  if (report.warnings.length) {
    out.push('> [!WARNING]')
    report.warnings.forEach((w, i) => out.push(`${i ? '>\n' : ''}> **Environment:** ${escapeMarkdown(w)}`))
    out.push('')
  }
  out.push(`**Measure:** ${escapeMarkdown(measureText(report))}${limits ? `. ${escapeMarkdown(limits)}` : ''}`, '')
  if (report.benchmarks.length) out.push(countsLine(report), '')
  const tree = decision(report)
  if (tree.length) out.push(...tree, '')

  const tail = footer(report)
  // What is left for the tables and the diff: a comment over GitHub's limit is rejected outright.
  let budget = MAX_MARKDOWN_LENGTH - out.join('\n').length - tail.length - 1_000
  const cut = (n: number) => `_${plural(n, 'more row')} left out to fit in a comment: see the JSON or HTML report in the workflow's artifacts._`

  const attention = attentionRows(report)
  if (attention.length) {
    const rows = attentionTable(attention)
    const kept = fit(rows, Math.floor(budget * 0.6))
    out.push(`### Needs attention (${attention.length})`, '', ...rows.slice(0, kept), '')
    if (kept < rows.length) out.push(cut(rows.length - kept), '')
    budget -= rows.slice(0, kept).join('\n').length
  }
  else if (report.counts.total) out.push(`All ${plural(report.counts.total, 'metric')} are within noise of the baseline.`, '')

  const all = metricRows(report)
  if (all.length) {
    const rows = fullTableRows(all)
    const kept = fit(rows, budget)
    const files = [...new Set(report.benchmarks.map(b => b.file))]
    // <summary> starts an HTML block: Markdown escapes would show literally there.
    out.push('<details>', `<summary>All results: ${plural(all.length, 'metric')} in ${plural(report.benchmarks.length, 'benchmark')} (${files.length === 1 ? escapeHtml(files[0]!) : plural(files.length, 'file')})</summary>`, '', ...rows.slice(0, kept))
    if (kept < rows.length) out.push('', cut(rows.length - kept))
    out.push('', '</details>', '')
    budget -= rows.slice(0, kept).join('\n').length
  }
  if (report.mode === 'update' && options.baselineDiff) {
    const diff = options.baselineDiff.replaceAll('```', '`\u200b``').split('\n')
    const kept = fit(diff, budget)
    out.push('<details>', `<summary>Baseline changes (${escapeHtml(report.baselineFile)})</summary>`, '', '```diff', ...diff.slice(0, kept), '```', ...(kept < diff.length ? ['', `_${plural(diff.length - kept, 'more line')} of the diff left out._`] : []), '', '</details>', '')
  }
  out.push(tail, '')
  return out.join('\n')
}

/** How many of `lines` fit in `budget` characters; a table's two header lines always stay. */
function fit(lines: string[], budget: number): number {
  let used = 0
  let kept = 0
  for (const line of lines) {
    if (kept >= 2 && used + line.length + 1 > budget) break
    used += line.length + 1
    kept++
  }
  return kept
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Writes `report.md` into the output directory and appends it to `$GITHUB_STEP_SUMMARY` when that is set. */
export class MarkdownReporter implements BenchgateReporter {
  /** The report as a pull-request comment. */
  render(report: RunReport, options?: RenderOptions): string {
    return renderMarkdown(report, options)
  }

  /** Writes `<outputDir>/report.md` (and the step summary); returns the paths written. */
  emit(report: RunReport, context: ReportContext): string[] {
    const path = join(outputDirOf(context), MARKDOWN_FILE_NAME)
    const text = this.render(report, context)
    writing(path, () => writeFileAtomic(path, text))
    const summary = (context.env ?? process.env).GITHUB_STEP_SUMMARY
    if (!summary) return [path]
    writing(summary, () => appendFileSync(summary, `${text}\n`))
    return [path, summary]
  }
}

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { BenchmarkReport, MetricReport, RunReport } from '../src/report/types.generated.ts'
import { intervalText, pValueText, thresholdPercent } from '../src/util/format.ts'
import { writeFileAtomic } from '../src/util/fs.ts'
import {
  attentionRows, benchLabel, decisionItems, gitText, locationText, medianText, metricRows, plural,
  measureLimits, measureText, runVerdict, shortReason, timeText, VERDICT_ORDER, type MetricRow,
} from './format.ts'
import { outputDirOf, writing, type BenchgateReporter, type RenderOptions, type ReportContext } from './types.ts'

/** The HTML file's name inside the output directory. */
export const HTML_FILE_NAME = 'report.html'

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll('\'', '&#39;')
}

/**
 * Serialises a value as JSON that is safe inside `<script type="application/json">`: `<` is written
 * as `\u003c`, so neither `</script>` nor `<!--` in a benchmark name can end the element.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029')
}

let chartJsSource: string | undefined

/**
 * Chart.js's UMD build, read from node_modules at render time so the report needs no network.
 * Throws a message with the fix when chart.js is not installed.
 */
export function chartJsUmd(): string {
  if (chartJsSource !== undefined) return chartJsSource
  let path = 'chart.js/dist/chart.umd.js'
  try {
    // chart.js's exports map hides dist/*.umd.js: resolve the package entry and look next to it.
    path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js')
    chartJsSource = readFileSync(path, 'utf8')
      .replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
      .replace(/<\/(script)/gi, '<\\/$1')
    return chartJsSource
  }
  catch (error) {
    throw new Error(`html reporter: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); install chart.js 4 (npm install -D chart.js)`, { cause: error })
  }
}

/** True when the metric has per-round values to plot (baseline, current or both). */
export function hasPlotData(metric: MetricReport): boolean {
  return [metric.baseline, metric.current].some(s => s?.runs.some(run => run.length > 0))
}

const h = escapeHtml
const TITLE_PREFIX: Record<ReturnType<typeof runVerdict>['level'], string> = { fail: 'FAIL · ', warn: 'WARN · ', pass: 'PASS · ', update: 'UPDATE · ', empty: '' }
const NBSP = '\u00a0'

function codeSpans(text: string): string {
  return text.split('`').map((part, i) => (i % 2 ? `<code>${h(part)}</code>` : h(part))).join('')
}

// No emoji in the page: colour carries the verdict, and a viewer without an emoji font sees no boxes.
function pill(metric: MetricReport): string {
  return `<span class="pill v-${metric.verdict}">${metric.verdict}</span>`
}

function summarySection(report: RunReport): string {
  const verdict = runVerdict(report)
  const c = report.counts
  const git = gitText(report)
  const meta = [timeText(report), git ? `commit ${git}` : '', `mode: ${report.mode}`, `measure: ${measureText(report)}`, `baseline: ${report.baselineFile}`].filter(Boolean)
  const limits = measureLimits(report)
  const chips = VERDICT_ORDER.filter(v => c[v] > 0).map(v => `<span class="pill v-${v}">${c[v]}${NBSP}${v}</span>`)
  const items = decisionItems(report)
  return `<header>
<h1>Performance Regression Report</h1>
<p class="meta">${meta.map(h).join(' · ')}</p>
<div class="verdict level-${verdict.level}">${h(verdict.text)}</div>
${limits ? `<p class="measure-limits"><strong>What instruction counts do not see:</strong> ${h(limits)}</p>` : ''}
${report.warnings.map(w => `<div class="env-warning" role="alert"><strong>⚠️ Environment:</strong> ${h(w)}</div>`).join('\n')}
<p class="counts">${h(`${plural(report.benchmarks.length, 'benchmark')}, ${plural(c.total, 'metric')}, ${c.passed} passed, ${c.failed} failed`)}${chips.length ? `: ${chips.join(' ')}` : ''}</p>
${items.length ? `<h2>What to do <span class="sub">(the runbook's decision tree)</span></h2><ul class="decision">${items.map(i => `<li>${i.lead ? `<strong>${h(i.lead)}</strong>: ` : ''}${codeSpans(i.text)}</li>`).join('')}</ul>` : ''}
</header>`
}

function environmentSection(report: RunReport): string {
  const e = report.environment
  const o = report.options
  const rows: [string, string][] = [
    ['CPU', `${e.cpuModel} (${e.cores} cores)`],
    ['OS', e.os],
    ['Node', e.node],
    ['Vitest', e.vitest],
    ...(e.tinybench ? [['tinybench', e.tinybench] as [string, string]] : []),
    ['benchgate', report.tool.version],
    ['Runs per benchmark', String(o.runs)],
    ...(o.rounds !== undefined ? [['Rounds (override)', String(o.rounds)] as [string, string]] : []),
    ['Tags', o.tags.length ? o.tags.join(', ') : 'all'],
    ['Thresholds', `warning ${thresholdPercent(o.thresholds.warning)}, critical ${thresholdPercent(o.thresholds.critical)}`],
    ['α (Holm-adjusted)', String(o.alpha)],
    ['Fails on', o.failOn],
  ]
  return `<section class="setup"><h2>Environment and options</h2><dl>${rows.map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`).join('')}</dl></section>`
}

function plotId(row: Pick<MetricRow, 'benchIndex' | 'metricIndex'>): string {
  return `plot-${row.benchIndex}-${row.metricIndex}`
}

function resultsSection(report: RunReport): string {
  const rows = [...attentionRows(report), ...metricRows(report).filter(r => r.metric.verdict === 'ok')]
  if (!rows.length) return '<section><h2>Results</h2><p class="empty">No benchmarks ran: nothing to compare.</p></section>'
  const body = rows.map((r) => {
    const name = hasPlotData(r.metric) ? `<a href="#${plotId(r)}">${h(benchLabel(r.bench))}</a>` : h(benchLabel(r.bench))
    return `<tr class="r-${r.metric.verdict}"><td>${pill(r.metric)}</td><td class="bench-name">${name}<div class="loc">${h(locationText(r.bench))}</div></td><td>${h(r.metric.metric)}</td><td class="num">${h(medianText(r.metric, 'baseline', NBSP))}</td><td class="num">${h(medianText(r.metric, 'current', NBSP))}</td><td class="num">${h(intervalText(r.metric.change, NBSP))}</td><td class="num">${h(pValueText(r.metric.pAdjusted))}</td><td class="why">${h(shortReason(r.metric))}</td></tr>`
  }).join('\n')
  return `<section><h2>Results <span class="sub">(most severe first; medians, change of the median with its 95 % interval, Holm-adjusted p)</span></h2>
<table class="results"><thead><tr><th>Verdict</th><th>Benchmark</th><th>Metric</th><th class="num">Baseline</th><th class="num">Current</th><th class="num">Change [95 % CI]</th><th class="num">p</th><th>Why</th></tr></thead>
<tbody>
${body}
</tbody></table></section>`
}

function figure(bench: BenchmarkReport, metric: MetricReport, benchIndex: number, metricIndex: number): string {
  const title = `<figcaption><strong>${h(metric.metric)}</strong>${metric.unit ? ` <span class="unit">(${h(metric.unit)}, ${metric.direction} is better)</span>` : ''} ${pill(metric)}<div class="msg">${h(metric.message)}</div></figcaption>`
  if (!hasPlotData(metric)) return `<figure class="plot nodata">${title}<p class="empty">No per-round values to plot.</p></figure>`
  const rows = (metric.baseline?.runs.length ?? 0) + (metric.current?.runs.length ?? 0)
  const height = 84 + rows * 26
  return `<figure class="plot" id="${plotId({ benchIndex, metricIndex })}">${title}<div class="chart" style="height:${height}px"><canvas data-bench="${benchIndex}" data-metric="${metricIndex}" role="img" aria-label="${h(`${benchLabel(bench)} ${metric.metric}: per-round values of the baseline and current runs`)}"></canvas></div></figure>`
}

function distributionsSection(report: RunReport): string {
  if (!report.benchmarks.length) return ''
  const order = report.benchmarks.map((bench, b) => ({ bench, b })).sort((x, y) => x.bench.key.localeCompare(y.bench.key))
  const benches = order.map(({ bench, b }) => `<article class="bench">
<h3>${h(benchLabel(bench))}</h3>
<p class="loc">${h(locationText(bench))}${bench.tags.length ? ` · tags: ${h(bench.tags.join(', '))}` : ''}${bench.description ? ` · ${h(bench.description)}` : ''}</p>
${bench.error ? `<pre class="error">${h(bench.error.stack ?? bench.error.message)}</pre>` : ''}
<div class="figures">${bench.metrics.map((m, i) => figure(bench, m, b, i)).join('\n')}</div>
</article>`).join('\n')
  return `<section><h2>Distributions <span class="sub">(every measured round, one row per independent run; bars mark each run's median)</span></h2>
${benches}
</section>`
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg-soft: #f9fafb; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; padding: 24px; max-width: 1200px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h2 .sub { font-size: 12px; font-weight: normal; color: var(--muted); }
h3 { font-size: 15px; margin: 0; }
.meta, .loc, .unit { color: var(--muted); font-size: 12px; }
.loc { margin: 2px 0 8px; }
.verdict { font-size: 16px; font-weight: 600; padding: 10px 14px; border-radius: 6px; margin: 12px 0; border: 1px solid; }
.level-fail { background: #fef2f2; border-color: #fca5a5; color: #991b1b; }
.level-warn { background: #fffbeb; border-color: #fcd34d; color: #92400e; }
.level-pass { background: #f0fdf4; border-color: #86efac; color: #166534; }
.level-update, .level-empty { background: var(--bg-soft); border-color: var(--line); }
.measure-limits { background: #eff6ff; border: 1px solid #93c5fd; border-left: 6px solid #3b82f6; padding: 10px 14px; border-radius: 6px; margin: 8px 0; }
.env-warning { background: #fff7ed; border: 1px solid #fdba74; border-left: 6px solid #f97316; padding: 10px 14px; border-radius: 6px; margin: 8px 0; }
.counts { margin: 8px 0; }
.decision { margin: 8px 0; padding-left: 20px; }
.decision li { margin: 2px 0; }
code { background: #f3f4f6; padding: 1px 4px; border-radius: 4px; font-size: 12px; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; background: #f3f4f6; }
.v-critical, .v-error { background: #fee2e2; color: #991b1b; }
.v-warning { background: #fef3c7; color: #92400e; }
.v-improved { background: #dcfce7; color: #166534; }
.v-unstable, .v-stale { background: #ede9fe; color: #5b21b6; }
.v-new, .v-missing { background: #e0f2fe; color: #075985; }
.setup dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 4px 24px; margin: 0; }
.setup dl div { display: flex; gap: 8px; }
.setup dt { color: var(--muted); min-width: 130px; }
.setup dd { margin: 0; }
table.results { border-collapse: collapse; width: 100%; font-size: 13px; }
.results th, .results td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.results th { background: var(--bg-soft); position: sticky; top: 0; }
.results .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.results .why { color: var(--muted); min-width: 240px; max-width: 400px; }
.results .bench-name { max-width: 300px; overflow-wrap: anywhere; }
.results .loc { margin: 0; }
.results a { color: inherit; }
article.bench { border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 12px; }
figure { margin: 0; }
figcaption { margin-bottom: 4px; }
figcaption .msg { color: var(--muted); font-size: 12px; }
.chart { position: relative; width: 100%; }
.empty { color: var(--muted); font-style: italic; }
pre.error { background: #fef2f2; color: #991b1b; padding: 8px; overflow-x: auto; font-size: 12px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`

// Runs in the browser: draws one strip plot per <canvas data-bench data-metric> from the embedded report.
const CLIENT = `
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('benchgate-report').textContent);
  var BASE = '100, 116, 139';
  var CURRENT = { critical: '220, 38, 38', error: '220, 38, 38', warning: '217, 119, 6', improved: '22, 163, 74' };
  function fmt(x) { return Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(Number(x.toPrecision(4))); }
  // Deterministic vertical spread (golden-ratio sequence) so equal values do not hide each other.
  function jitter(i) { return ((i * 0.6180339887) % 1 - 0.5) * 0.5; }
  Chart.defaults.font.size = 12;
  document.querySelectorAll('canvas[data-bench]').forEach(function (canvas) {
    var bench = report.benchmarks[Number(canvas.dataset.bench)];
    var metric = bench.metrics[Number(canvas.dataset.metric)];
    var unit = metric.unit ? ' ' + metric.unit : '';
    var labels = [];
    var datasets = [];
    [['baseline', metric.baseline, BASE], ['current', metric.current, CURRENT[metric.verdict] || '37, 99, 235']].forEach(function (g) {
      var sample = g[1];
      if (!sample || !sample.runs.length) return;
      var points = [];
      var medians = [];
      sample.runs.forEach(function (run, r) {
        var row = labels.length;
        labels.push(g[0] + ' · run ' + (r + 1));
        run.forEach(function (x, i) { points.push({ x: x, y: row + jitter(i), row: labels[row], round: i + 1 }); });
        if (sample.runMedians[r] !== undefined) medians.push({ x: sample.runMedians[r], y: row, row: labels[row], median: true });
      });
      var n = sample.summary.n;
      datasets.push({ label: g[0] + ': ' + n + (bench.kind === 'scenario' ? ' rounds' : ' samples') + ' in ' + sample.runs.length + (sample.runs.length === 1 ? ' run' : ' runs'), data: points, pointRadius: 3, pointHoverRadius: 5,
        backgroundColor: 'rgba(' + g[2] + ', 0.45)', borderColor: 'rgba(' + g[2] + ', 0.9)', borderWidth: 1 });
      datasets.push({ label: g[0] + ' run medians', median: true, data: medians, pointStyle: 'line', rotation: 90, pointRadius: 11,
        pointHoverRadius: 11, borderWidth: 3, borderColor: 'rgb(' + g[2] + ')', backgroundColor: 'rgb(' + g[2] + ')' });
    });
    var xs = [];
    datasets.forEach(function (d) { d.data.forEach(function (pt) { xs.push(pt.x); }); });
    var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
    // Timings are right-skewed: with a long tail, a log axis keeps the bulk of the rounds readable.
    var log = lo > 0 && hi / lo > 4;
    var x = { type: log ? 'logarithmic' : 'linear', title: { display: true, text: metric.metric + (metric.unit ? ' (' + metric.unit + ')' : '') + ', ' + metric.direction + ' is better' + (log ? ' · log scale' : '') } };
    if (lo === hi) { var pad = lo === 0 ? 1 : Math.abs(lo) * 0.05; x.min = lo - pad; x.max = hi + pad; }
    else if (!log) { x.min = lo - (hi - lo) * 0.03; x.max = hi + (hi - lo) * 0.03; x.bounds = 'data'; }
    new Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: x,
          y: { min: -0.6, max: labels.length - 0.4, reverse: true, grid: { display: false },
            afterBuildTicks: function (axis) { axis.ticks = labels.map(function (_, i) { return { value: i }; }); },
            ticks: { autoSkip: false, callback: function (v) { return labels[v] || ''; } } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8,
            filter: function (item, data) { return !data.datasets[item.datasetIndex].median; } } },
          tooltip: { callbacks: { label: function (ctx) {
            var p = ctx.raw;
            return p.row + (p.median ? ' median: ' : ', round ' + p.round + ': ') + fmt(p.x) + unit;
          } } },
        },
      },
    });
  });
})();
`

/**
 * Renders the report as one self-contained HTML page: a summary (verdict, counts, decision,
 * environment warnings, options), the results table, and per benchmark metric a strip plot of the
 * baseline's and the current run's per-round values (Chart.js, inlined). The report itself is
 * embedded as JSON; nothing is fetched at view time.
 */
export function renderHtml(report: RunReport, _options: RenderOptions = {}): string {
  const verdict = runVerdict(report)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${TITLE_PREFIX[verdict.level]}Performance Regression Report · benchgate`)}</title>
<style>${STYLE}</style>
</head>
<body>
${summarySection(report)}
${resultsSection(report)}
${distributionsSection(report)}
${environmentSection(report)}
<footer>Generated by benchgate ${h(report.tool.version)} from ${h(report.baselineFile)} at ${h(timeText(report))}. Values are per round; plots use Chart.js (MIT).</footer>
<script type="application/json" id="benchgate-report">${scriptJson(report)}</script>
<script>${chartJsUmd()}</script>
<script>${CLIENT}</script>
</body>
</html>
`
}

/** Writes `report.html` (self-contained, with plots) into the output directory. */
export class HtmlReporter implements BenchgateReporter {
  /** The report as a self-contained HTML page. */
  render(report: RunReport, options?: RenderOptions): string {
    return renderHtml(report, options)
  }

  /** Writes `<outputDir>/report.html` and returns its path. */
  emit(report: RunReport, context: ReportContext): string[] {
    const path = join(outputDirOf(context), HTML_FILE_NAME)
    const html = this.render(report, context)
    writing(path, () => writeFileAtomic(path, html))
    return [path]
  }
}

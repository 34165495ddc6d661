/**
 * Scale of the run history: fills a database with 100,000 runs (5 scenarios × 3 metrics each: a time,
 * a cache hit rate, a peak memory; one run every 315 s over a year, so 30 days hold ~8,200 runs),
 * prints how the file grows (bytes per run), then times the trend analysis and the runbook queries.
 * A benchmark, not a test. Run alone (other processes skew wall time):
 *
 *     npx vitest bench --run --config bench/history.vitest.config.ts
 *
 * HISTORY_SCALE_RUNS changes the number of runs; the database is kept in .tmp/history-scale/ and
 * reused when it already holds that many runs (HISTORY_SCALE_FRESH=1 rebuilds it).
 */
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bench, describe } from 'vitest'
import { openAlerts } from '../src/history/alerts.ts'
import { openHistory } from '../src/history/db.ts'
import { analyzeTrends } from '../src/history/trend.ts'
import { renderTrendMarkdown } from '../src/history/trend-render.ts'
import { createRng } from '../src/stats/random.ts'
import { makeReport } from '../test/history/make-report.ts'

const RUNS = Number(process.env.HISTORY_SCALE_RUNS ?? 100_000)
const END = Date.parse('2025-06-30T00:00:00Z')
const STEP_MS = Math.round(365 * 86_400_000 / RUNS)
const SCENARIOS = ['small_gif_validation', 'medium_gif_processing', 'large_gif_with_sampling', 'multi_metric_workflow', 'cache_stress_test']
const dir = fileURLToPath(new URL('../.tmp/history-scale/', import.meta.url))
const path = join(dir, 'history.db')

function normals(seed: number) {
  const u = createRng(seed)
  return () => {
    let a = 0
    while (a === 0) a = u()
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u())
  }
}

function fileBytes(): number {
  return statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0)
}

async function fill() {
  if (process.env.HISTORY_SCALE_FRESH !== '1' && existsSync(path)) {
    const h = await openHistory(path)
    const count = h.runCount()
    h.close()
    if (count === RUNS) return
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const history = await openHistory(path)
  const z = normals(7)
  const started = performance.now()
  const sizes: string[] = []
  const batch = 1000
  for (let i = 0; i < RUNS; i += batch) {
    const items = []
    for (let j = i; j < Math.min(RUNS, i + batch); j++) {
      // a 10 % time regression in medium_gif_processing 10 days before the end
      const regressed = END - (RUNS - j) * STEP_MS > END - 10 * 86_400_000
      items.push({
        report: makeReport({
          timestamp: new Date(END - (RUNS - j) * STEP_MS).toISOString(),
          commit: (0x1000000 + j).toString(16).padStart(40, 'a'),
          branch: 'main',
          benchmarks: SCENARIOS.map((name, s) => ({
            name,
            file: `scenarios/${name}.bench.ts`,
            metrics: [
              { metric: 'total_validation_time_ms', value: (50 + 40 * s) * (s === 1 && regressed ? 1.1 : 1) * (1 + 0.03 * z()) },
              { metric: 'frame_cache_hit_rate', value: 0.7 + 0.02 * z() },
              { metric: 'memory_usage_peak_mb', value: (100 + 50 * s) * (1 + 0.01 * z()) },
            ],
          })),
        }),
      })
    }
    history.appendReports(items)
    const done = Math.min(RUNS, i + batch)
    if (done % (RUNS / 4) === 0) {
      history.db.pragma('wal_checkpoint(TRUNCATE)')
      sizes.push(`${done} runs: ${(fileBytes() / 1e6).toFixed(1)} MB (${Math.round(fileBytes() / done)} B/run)`)
    }
  }
  history.db.pragma('wal_checkpoint(TRUNCATE)')
  const seconds = (performance.now() - started) / 1000
  console.log(`history-scale: filled ${RUNS} runs in ${seconds.toFixed(1)} s (${Math.round(RUNS / seconds)} runs/s)`)
  console.log(`history-scale: file size ${sizes.join('; ')}`)
  history.close()
}

await fill()
const history = await openHistory(path)
const until = new Date(END)
const once = (label: string, fn: () => unknown) => {
  const t = performance.now()
  const out = fn()
  console.log(`history-scale: ${label}: ${(performance.now() - t).toFixed(0)} ms (first call)`)
  return out
}
const month = once('trend --days-back 30', () => analyzeTrends(history, { daysBack: 30, until })) as ReturnType<typeof analyzeTrends>
console.log(`history-scale: 30 days = ${month.runs} runs, ${month.series.length} series, change points: ${month.series.flatMap(s => s.changePoints.map(c => `${s.scenario} ${s.metric} ${(c.change * 100).toFixed(1)} % at ${c.timestamp.slice(0, 10)}`)).join('; ') || 'none'}`)

describe(`history with ${RUNS} runs`, () => {
  const options = { iterations: 5, time: 0, warmupIterations: 1, warmupTime: 0 }
  bench('trend --days-back 30 (analysis + Markdown)', () => {
    renderTrendMarkdown(analyzeTrends(history, { daysBack: 30, until }))
  }, options)
  bench('trend --days-back 365 (every run)', () => {
    analyzeTrends(history, { daysBack: 365, until })
  }, options)
  bench('runbook query: outliers of total_validation_time_ms', () => {
    history.query(`SELECT * FROM metrics WHERE name = 'total_validation_time_ms' AND value > (SELECT AVG(value) + 2 * STDEV(value) FROM metrics WHERE name = 'total_validation_time_ms') ORDER BY timestamp DESC`)
  }, options)
  bench('runbook query: frame_cache.hit_rate by day', () => {
    history.query(`SELECT DATE(timestamp) as day, AVG(value) as avg_hit_rate FROM metrics WHERE name = 'frame_cache.hit_rate' GROUP BY DATE(timestamp) ORDER BY day DESC`)
  }, options)
  bench('metrics alerts (90 days)', () => {
    const { series, runs } = history.loadSeries({ from: new Date(END - 90 * 86_400_000), to: until })
    openAlerts(series, runs)
  }, options)
})

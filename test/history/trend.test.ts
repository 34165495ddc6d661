import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openHistory, type HistoryDb } from '../../src/history/db.ts'
import { analyzeTrends } from '../../src/history/trend.ts'
import { renderTrend, renderTrendHtml, renderTrendJson, renderTrendMarkdown } from '../../src/history/trend-render.ts'
import { createRng } from '../../src/stats/random.ts'
import { makeReport } from './make-report.ts'

const HOUR = 3_600_000
const END = Date.parse('2025-03-31T00:00:00Z')

function normals(seed: number) {
  const u = createRng(seed)
  return () => {
    let a = 0
    while (a === 0) a = u()
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u())
  }
}

/**
 * 60 nightly-ish runs over the 30 days before END (one every 12 h), commit `c<i>`:
 * - small_gif_validation time: 100 ms, then +10 % from run 37 on (CV 3 %);
 * - small_gif_validation frame_cache_hit_rate: 0.6, then 0.75 from run 20 (an improvement);
 * - cache_stress_test time: flat 50 ms (CV 3 %);
 * - large_gif memory_usage_peak_mb: drifting +2 MB per week from 200 MB, small noise.
 */
function fill(history: HistoryDb, runs = 60, stepAt = 37) {
  const z = normals(42)
  for (let i = 0; i < runs; i++) {
    const t = END - (runs - i) * 12 * HOUR
    const weeks = (t - (END - runs * 12 * HOUR)) / (7 * 24 * HOUR)
    history.appendReport(makeReport({
      timestamp: new Date(t).toISOString(),
      commit: `c${i}`,
      branch: 'main',
      benchmarks: [
        { name: 'small_gif_validation', metrics: [{ metric: 'time', value: (i < stepAt ? 100 : 110) + 3 * z() }, { metric: 'frame_cache_hit_rate', value: (i < 20 ? 0.6 : 0.75) + 0.01 * z() }] },
        { name: 'cache_stress_test', metrics: [{ metric: 'time', value: 50 + 1.5 * z() }] },
        { name: 'large_gif', metrics: [{ metric: 'memory_usage_peak_mb', value: 200 + 2 * weeks + 0.3 * z() }] },
      ],
    }))
  }
}

let history: HistoryDb
beforeEach(async () => {
  history = await openHistory(':memory:')
})
afterEach(() => history.close())

const find = (report: ReturnType<typeof analyzeTrends>, scenario: string, metric: string) => report.series.find(s => s.scenario === scenario && s.metric === metric)!

describe('analyzeTrends', () => {
  it('finds the 10 % time regression at its run, with date, commits, size and direction', () => {
    fill(history)
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    expect(report.runs).toBe(60)
    const time = find(report, 'small_gif_validation', 'time')
    expect(time.n).toBe(60)
    expect(time.changePoints).toHaveLength(1)
    const cp = time.changePoints[0]!
    expect(Math.abs(cp.index - 37)).toBeLessThanOrEqual(2)
    expect(cp.commit).toBe(`c${cp.index}`)
    expect(cp.previousCommit).toBe(`c${cp.index - 1}`)
    expect(cp.timestamp).toBe(new Date(END - (60 - cp.index) * 12 * HOUR).toISOString())
    expect(cp.direction).toBe('regression')
    expect(cp.change).toBeGreaterThan(0.07)
    expect(cp.change).toBeLessThan(0.13)
    expect(cp.pValue).toBeLessThanOrEqual(0.01)
  })

  it('reads direction from the metric: a hit rate going up is an improvement', () => {
    fill(history)
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const hit = find(report, 'small_gif_validation', 'frame_cache_hit_rate')
    expect(hit.better).toBe('higher')
    expect(hit.changePoints.map(cp => [cp.index, cp.direction])).toEqual([[20, 'improvement']])
    expect(hit.changePoints[0]!.change).toBeCloseTo(0.25, 1)
  })

  it('reports no change point in flat noise, and summarises it', () => {
    fill(history)
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const flat = find(report, 'cache_stress_test', 'time')
    expect(flat.changePoints).toEqual([])
    expect(flat.median).toBeCloseTo(50, 0)
    expect(flat.sd).toBeGreaterThan(1)
    expect(flat.sd).toBeLessThan(2)
    expect(flat.min).toBeLessThan(flat.median)
    expect(flat.max).toBeGreaterThan(flat.median)
    expect(flat.trend).toBe('stable')
    expect(flat.slope!.lower).toBeLessThan(0)
    expect(flat.slope!.upper).toBeGreaterThan(0)
  })

  it('estimates a drift per week with an interval that holds it, and calls it regressing', () => {
    fill(history)
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const memory = find(report, 'large_gif', 'memory_usage_peak_mb')
    expect(memory.slope!.perWeek).toBeCloseTo(2, 0)
    expect(memory.slope!.lower).toBeLessThan(2)
    expect(memory.slope!.upper).toBeGreaterThan(2)
    expect(memory.slope!.relativePerWeek).toBeCloseTo(2 / memory.mean, 3)
    expect(memory.trend).toBe('regressing')
    // a drift is a slope, not a string of sub-2 % steps
    expect(memory.changePoints).toEqual([])
    const unfiltered = analyzeTrends(history, { daysBack: 30, until: new Date(END), minChange: 0 })
    expect(find(unfiltered, 'large_gif', 'memory_usage_peak_mb').changePoints.length).toBeGreaterThan(1)
  })

  it('limits the window by --days-back and --until, and by branch', () => {
    fill(history)
    history.appendReport(makeReport({ timestamp: new Date(END - HOUR).toISOString(), commit: 'pr1', branch: 'feature', benchmarks: [{ name: 'cache_stress_test', metrics: [{ metric: 'time', value: 500 }] }] }))
    const week = analyzeTrends(history, { daysBack: 7, until: new Date(END) })
    expect(find(week, 'cache_stress_test', 'time').n).toBe(15)
    const main = analyzeTrends(history, { daysBack: 7, until: new Date(END), branch: 'main' })
    expect(find(main, 'cache_stress_test', 'time').n).toBe(14)
    expect(main.branch).toBe('main')
    const before = analyzeTrends(history, { daysBack: 30, until: new Date(END - 40 * 24 * HOUR) })
    expect(before.series).toEqual([])
  })

  it('searches long series over group medians and maps the change point back to a run', () => {
    fill(history, 300, 180)
    const report = analyzeTrends(history, { daysBack: 200, until: new Date(END), maxPoints: 50 })
    const time = find(report, 'small_gif_validation', 'time')
    expect(time.groupSize).toBe(6)
    expect(time.n).toBe(300)
    expect(time.changePoints).toHaveLength(1)
    expect(Math.abs(time.changePoints[0]!.index - 180)).toBeLessThanOrEqual(12)
    expect(time.changePoints[0]!.index % 6).toBe(0)
    expect(time.sparkline).toHaveLength(60)
  })

  it('is deterministic', () => {
    fill(history)
    const a = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const b = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    expect({ ...a, generatedAt: '' }).toEqual({ ...b, generatedAt: '' })
  })
})

describe('trend rendering', () => {
  it('renders Markdown with the change points, the series table and the method', () => {
    fill(history)
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const md = renderTrendMarkdown(report)
    expect(md).toMatch(/^# Performance trends: last 30 days\n/)
    expect(md).toContain('2025-03-01 → 2025-03-31 (UTC) · 60 runs · 4 series')
    expect(md).toContain('**2 change points: 1 regression, 1 improvement. 2 series with a regressing slope.**')
    expect(md).toMatch(/\| \d{4}-\d\d-\d\d \| small_gif_validation \| time \| \d+\.\d+ ms → \d+\.\d+ ms \| \+\d+\.\d % \| 🔴 regression \| c\d+ … c\d+ \| 0\.005 \|/)
    expect(md).toContain('| Scenario | Metric | n | Median | Mean | SD | Min | Max | Slope / week (95 % CI) | Trend | Change points |')
    expect(md).toMatch(/\| large_gif \| memory_usage_peak_mb \(MB\) \| 60 \| .* \| \+[01]\.\d % \(\+[01]\.\d % … \+[01]\.\d %\) \| regressing \| 0 \|/)
    expect(md).toContain('## Method')
    expect(md).toContain('E-Divisive means')
  })

  it('renders escaped, self-contained HTML and JSON that parses', () => {
    history.appendReport(makeReport({ timestamp: '2025-03-30T00:00:00Z', benchmarks: [{ name: '<script>x</script>', metrics: [{ metric: 'time', value: 1 }] }] }))
    const report = analyzeTrends(history, { daysBack: 30, until: new Date(END) })
    const html = renderTrendHtml(report)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    const json = JSON.parse(renderTrendJson(report)) as { series: Array<{ scenario: string, slope: unknown }>, method: { pValue: number } }
    expect(json.series[0]!.scenario).toBe('<script>x</script>')
    expect(json.series[0]!.slope).toBeNull()
    expect(json.method.pValue).toBe(0.01)
    expect(renderTrend(report, 'json')).toBe(renderTrendJson(report))
  })

  it('says so when the window is empty', () => {
    const md = renderTrendMarkdown(analyzeTrends(history, { daysBack: 30, until: new Date(END) }))
    expect(md).toContain('No runs recorded between 2025-03-01 and 2025-03-31.')
    expect(md).toContain('**No change points. 0 series with a regressing slope.**')
  })
})

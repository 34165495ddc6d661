/**
 * Trend analysis over the run history (the runbook's `analyze_performance_trends`): per benchmark and
 * metric, a summary of the window, the least-squares slope per week with its 95 % t-interval, and
 * change points found by E-Divisive means with a permutation test (src/stats/e-divisive.ts).
 * The analysis is pure over the loaded series; rendering lives in trend-render.ts.
 */

import { eDivisive, type EDivisiveOptions } from '../stats/e-divisive.ts'
import { linearRegression } from '../stats/regression.ts'
import { median, sd, summarize } from '../stats/summary.ts'
import type { HistoryDb, RunInfo, SeriesData } from './db.ts'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS

/** Options of {@link analyzeTrends}. */
export interface TrendOptions {
  /**
   * Length of the window, in days, ending at `until`.
   * @default 30
   */
  daysBack?: number
  /**
   * End of the window.
   * @default now
   */
  until?: Date
  /** Only runs recorded on this branch. */
  branch?: string
  /**
   * Change-point settings (significance level, permutations, minimum segment, seed).
   * @default { pValue: 0.01, permutations: 199, minSize: 3, seed: 1234 }
   */
  changePoints?: EDivisiveOptions
  /**
   * Smallest relative change of the segment means reported as a change point. Smaller, significant
   * splits still shape the segments (a slow drift is cut into small steps); the slope reports a drift.
   * @default 0.02
   */
  minChange?: number
  /**
   * Longest series searched for change points point by point; a longer one is searched over the
   * medians of consecutive, equal-size groups of runs (its summary and slope still use every run).
   * @default 1000
   */
  maxPoints?: number
}

/** The slope of a metric over time, per week, with its 95 % interval. */
export interface SlopeEstimate {
  /** Change of the metric per week, in its unit. */
  perWeek: number
  lower: number
  upper: number
  /** `perWeek` relative to the window's mean (0.01 = +1 % per week); NaN when the mean is 0. */
  relativePerWeek: number
  relativeLower: number
  relativeUpper: number
  /** Residual degrees of freedom (n - 2). */
  df: number
}

/** A significant change point. */
export interface TrendChangePoint {
  /** Index of the first run after the change, in the series' runs. */
  index: number
  /** ISO time of that run. */
  timestamp: string
  /** Commit of that run, when recorded. */
  commit?: string
  /** Commit of the last run before the change (with `commit`, the range to bisect). */
  previousCommit?: string
  runId: number
  /** Mean of the segment before and after the change. */
  before: number
  after: number
  /** Relative change of the means, after / before - 1 (+0.10 = 10 % larger values). */
  change: number
  /** Worse or better, given the metric's direction. */
  direction: 'regression' | 'improvement'
  /** Permutation p-value. */
  pValue: number
  /** The energy statistic of the split. */
  qhat: number
}

/** Whether the slope's interval excludes zero, read with the metric's direction. */
export type TrendDirection = 'regressing' | 'improving' | 'stable' | 'insufficient data'

/** The analysis of one benchmark metric. */
export interface SeriesTrend {
  key: string
  scenario: string
  metric: string
  unit: string
  /** Which way is better. */
  better: 'lower' | 'higher'
  n: number
  median: number
  mean: number
  /** Sample standard deviation (0 for one run). */
  sd: number
  min: number
  max: number
  /** ISO time of the first and last run in the window. */
  first: string
  last: string
  /** Null with fewer than 3 runs or all at one instant. */
  slope: SlopeEstimate | null
  trend: TrendDirection
  changePoints: TrendChangePoint[]
  /** Runs per point of the change-point search (1 unless the series was longer than `maxPoints`). */
  groupSize: number
  /** Up to 60 medians over the window, oldest first, for a sparkline. */
  sparkline: number[]
}

/** The whole report. */
export interface TrendReport {
  generatedAt: string
  /** Window bounds, ISO. */
  from: string
  to: string
  daysBack: number
  branch?: string
  /** Runs in the window. */
  runs: number
  series: SeriesTrend[]
  method: {
    changePoints: 'E-Divisive means (Matteson & James 2014), permutation test'
    pValue: number
    permutations: number
    minSize: number
    seed: number
    maxPoints: number
    minChange: number
    slope: 'ordinary least squares on time, 95 % t-interval'
  }
}

function groupMedians(values: readonly number[], size: number): number[] {
  if (size <= 1) return [...values]
  const out: number[] = []
  for (let i = 0; i < values.length; i += size) out.push(median(values.slice(i, i + size)))
  return out
}

function meanOf(values: readonly number[], from: number, to: number): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += values[i] as number
  return sum / (to - from)
}

/** Resolved change-point settings. */
function changePointSettings(options: TrendOptions) {
  const cp = options.changePoints ?? {}
  return {
    pValue: cp.pValue ?? 0.01,
    permutations: cp.permutations ?? 199,
    minSize: cp.minSize ?? 3,
    seed: cp.seed ?? 1234,
    maxPoints: options.maxPoints ?? 1000,
    minChange: options.minChange ?? 0.02,
  }
}

/** Analyses one series (its points oldest first). `runs` supplies commits for the change points. */
export function analyzeSeries(series: SeriesData, runs: ReadonlyMap<number, RunInfo>, options: TrendOptions = {}): SeriesTrend {
  const settings = changePointSettings(options)
  const { values, times } = series
  const n = values.length
  const summary = summarize(values)
  const trend: SeriesTrend = {
    key: series.key,
    scenario: series.scenario,
    metric: series.metric,
    unit: series.unit,
    better: series.direction,
    n,
    median: summary.median,
    mean: summary.mean,
    sd: n >= 2 ? sd(values) : 0,
    min: summary.min,
    max: summary.max,
    first: new Date(times[0] as number).toISOString(),
    last: new Date(times[n - 1] as number).toISOString(),
    slope: null,
    trend: 'insufficient data',
    changePoints: [],
    groupSize: 1,
    sparkline: groupMedians(values, Math.ceil(n / 60)),
  }

  if (n >= 3 && (times[n - 1] as number) > (times[0] as number)) {
    const t0 = times[0] as number
    const fit = linearRegression(times.map(t => (t - t0) / WEEK_MS), values)
    const rel = (v: number) => (trend.mean !== 0 ? v / Math.abs(trend.mean) : NaN)
    trend.slope = {
      perWeek: fit.slope,
      lower: fit.lower,
      upper: fit.upper,
      relativePerWeek: rel(fit.slope),
      relativeLower: rel(fit.lower),
      relativeUpper: rel(fit.upper),
      df: fit.df,
    }
    const worse = (v: number) => (series.direction === 'lower' ? v > 0 : v < 0)
    if (fit.lower > 0 || fit.upper < 0) trend.trend = worse(fit.slope) ? 'regressing' : 'improving'
    else trend.trend = 'stable'
  }

  const groupSize = Math.max(1, Math.ceil(n / settings.maxPoints))
  trend.groupSize = groupSize
  const points = groupMedians(values, groupSize)
  const found = eDivisive(points, { pValue: settings.pValue, permutations: settings.permutations, minSize: settings.minSize, seed: settings.seed })
  const bounds = [0, ...found.map(cp => cp.index * groupSize), n]
  found.forEach((cp, i) => {
    const at = bounds[i + 1] as number
    const before = meanOf(values, bounds[i] as number, at)
    const after = meanOf(values, at, bounds[i + 2] as number)
    const change = before !== 0 ? after / before - 1 : (after > before ? Infinity : -Infinity)
    const runId = series.runIds[at] as number
    const run = runs.get(runId)
    const previous = runs.get(series.runIds[at - 1] as number)
    const point: TrendChangePoint = {
      index: at,
      timestamp: new Date(times[at] as number).toISOString(),
      runId,
      before,
      after,
      change,
      direction: (series.direction === 'lower') === (after > before) ? 'regression' : 'improvement',
      pValue: cp.pValue,
      qhat: cp.qhat,
    }
    if (run?.commit) point.commit = run.commit
    if (previous?.commit) point.previousCommit = previous.commit
    if (!(Math.abs(change) < settings.minChange)) trend.changePoints.push(point)
  })
  return trend
}

/** Loads the window from the history and analyses every series in it. */
export function analyzeTrends(history: HistoryDb, options: TrendOptions = {}): TrendReport {
  const settings = changePointSettings(options)
  const daysBack = options.daysBack ?? 30
  const to = options.until ?? new Date()
  const from = new Date(to.getTime() - daysBack * DAY_MS)
  const { series, runs } = history.loadSeries({ from, to, ...(options.branch ? { branch: options.branch } : {}) })
  const report: TrendReport = {
    generatedAt: new Date().toISOString(),
    from: from.toISOString(),
    to: to.toISOString(),
    daysBack,
    runs: runs.size,
    series: series.map(s => analyzeSeries(s, runs, options)),
    method: {
      changePoints: 'E-Divisive means (Matteson & James 2014), permutation test',
      pValue: settings.pValue,
      permutations: settings.permutations,
      minSize: settings.minSize,
      seed: settings.seed,
      maxPoints: settings.maxPoints,
      minChange: settings.minChange,
      slope: 'ordinary least squares on time, 95 % t-interval',
    },
  }
  if (options.branch) report.branch = options.branch
  return report
}

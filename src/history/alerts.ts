/**
 * Alerts over the run history (`benchgate metrics alerts` and `metrics monitor`), after the original
 * GifLab alerting rules: cache hit rates below 40 % (warning) or 20 % (critical); peak memory more than
 * 20 % (warning) or 50 % (critical) above the trailing median; times beyond mean + 2 SD of the
 * trailing window (warning, critical when also more than 10 % above the trailing mean); and, on
 * request, any metric worse than its trailing median by more than a given percentage (critical).
 * Pure over loaded series.
 */

import { mean, median, sd } from '../stats/summary.ts'
import type { RunInfo, SeriesData } from './db.ts'
import { percent } from '../util/format.ts'

/** How bad an alert is; a critical one makes the command exit 1. */
export type AlertSeverity = 'warning' | 'critical'

/** Which rule raised an alert. */
export type AlertRule = 'hit-rate' | 'memory' | 'time-outlier' | 'threshold'

/** One alert on one run's value of one metric. */
export interface Alert {
  severity: AlertSeverity
  rule: AlertRule
  key: string
  scenario: string
  metric: string
  unit: string
  value: number
  /** What the value was compared with: the bound, the trailing median, or mean + 2 SD. */
  reference: number
  /** ISO time and commit of the run. */
  timestamp: string
  commit?: string
  runId: number
  /** One sentence. */
  message: string
}

/** Rule settings; every field has the runbook's default. */
export interface AlertOptions {
  /**
   * Trailing runs each value is compared with.
   * @default 20
   */
  window?: number
  /** Percentage: any metric worse than its trailing median by more than this is critical (off by default). */
  alertThreshold?: number
  /** @default { warning: 0.4, critical: 0.2 } */
  hitRate?: { warning: number, critical: number }
  /** Relative increase over the trailing median. @default { warning: 0.2, critical: 0.5 } */
  memory?: { warning: number, critical: number }
  /**
   * Standard deviations above the trailing mean for a time outlier.
   * @default 2
   */
  outlierSd?: number
  /**
   * A time outlier is critical when it is also this much above the trailing mean (the gate's critical threshold).
   * @default 0.1
   */
  timeCritical?: number
}

const TIME_UNITS = new Set(['ms', 's', 'us', 'µs', 'ns', 'sec', 'seconds', 'milliseconds'])

/** A cache hit rate: the metric name ends in `hit_rate`. */
export function isHitRate(metric: string): boolean {
  return /hit_rate$/i.test(metric)
}

/** Peak memory: `memory_usage_peak_mb`, or a metric with "memory" in its name measured in MB. */
export function isMemory(metric: string, unit: string): boolean {
  return metric === 'memory_usage_peak_mb' || (/memory/i.test(metric) && (unit.toUpperCase() === 'MB' || /_mb$/i.test(metric)))
}

/** A duration: a time unit, or "time" in the name (and not memory or a hit rate). */
export function isTime(metric: string, unit: string): boolean {
  if (isHitRate(metric) || isMemory(metric, unit)) return false
  return TIME_UNITS.has(unit.toLowerCase()) || /(^|_)time(_|$)/i.test(metric)
}

function resolved(options: AlertOptions) {
  return {
    window: options.window ?? 20,
    alertThreshold: options.alertThreshold,
    hitRate: options.hitRate ?? { warning: 0.4, critical: 0.2 },
    memory: options.memory ?? { warning: 0.2, critical: 0.5 },
    outlierSd: options.outlierSd ?? 2,
    timeCritical: options.timeCritical ?? 0.1,
  }
}

const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3))

/** The alerts raised by the value at `index` of a series, compared with the runs before it. */
export function evaluatePoint(series: SeriesData, index: number, runs: ReadonlyMap<number, RunInfo>, options: AlertOptions = {}): Alert[] {
  const o = resolved(options)
  const value = series.values[index] as number
  const trailing = series.values.slice(Math.max(0, index - o.window), index)
  const run = runs.get(series.runIds[index] as number)
  const alerts: Alert[] = []
  const raise = (severity: AlertSeverity, rule: AlertRule, reference: number, message: string) => {
    const alert: Alert = {
      severity, rule, key: series.key, scenario: series.scenario, metric: series.metric, unit: series.unit, value, reference,
      timestamp: run?.timestamp ?? new Date(series.times[index] as number).toISOString(), runId: series.runIds[index] as number, message,
    }
    if (run?.commit) alert.commit = run.commit
    alerts.push(alert)
  }
  const { metric, unit } = series

  if (isHitRate(metric)) {
    const ratio = unit === '%' || unit.toLowerCase() === 'percent' || value > 1 ? value / 100 : value
    if (ratio < o.hitRate.critical) raise('critical', 'hit-rate', o.hitRate.critical, `hit rate ${percent(ratio)} is below ${percent(o.hitRate.critical)}`)
    else if (ratio < o.hitRate.warning) raise('warning', 'hit-rate', o.hitRate.warning, `hit rate ${percent(ratio)} is below ${percent(o.hitRate.warning)}`)
  }
  else if (isMemory(metric, unit) && trailing.length >= 3) {
    const ref = median(trailing)
    const up = ref > 0 ? value / ref - 1 : 0
    if (up > o.memory.critical) raise('critical', 'memory', ref, `peak memory ${num(value)} ${unit} is ${percent(up)} above the trailing median ${num(ref)} (limit ${percent(o.memory.critical)})`)
    else if (up > o.memory.warning) raise('warning', 'memory', ref, `peak memory ${num(value)} ${unit} is ${percent(up)} above the trailing median ${num(ref)} (limit ${percent(o.memory.warning)})`)
  }
  else if (isTime(metric, unit) && series.direction === 'lower' && trailing.length >= 5) {
    const m = mean(trailing)
    const limit = m + o.outlierSd * sd(trailing)
    if (value > limit) {
      const up = m > 0 ? value / m - 1 : 0
      const severity = up > o.timeCritical ? 'critical' : 'warning'
      raise(severity, 'time-outlier', limit, `${num(value)} ${unit} is beyond mean + ${o.outlierSd} SD of the last ${trailing.length} runs (${num(limit)}), ${percent(up)} above the mean`)
    }
  }

  if (o.alertThreshold !== undefined && trailing.length >= 3) {
    const ref = median(trailing)
    const worse = ref === 0 ? 0 : series.direction === 'lower' ? value / ref - 1 : 1 - value / ref
    if (worse * 100 > o.alertThreshold)
      raise('critical', 'threshold', ref, `${num(value)}${unit ? ` ${unit}` : ''} is ${percent(worse)} worse than the trailing median ${num(ref)} (--alert-threshold ${o.alertThreshold})`)
  }
  return alerts
}

/** Open alerts: those raised by the latest run of every series. */
export function openAlerts(series: readonly SeriesData[], runs: ReadonlyMap<number, RunInfo>, options: AlertOptions = {}): Alert[] {
  return sortAlerts(series.flatMap(s => (s.values.length ? evaluatePoint(s, s.values.length - 1, runs, options) : [])))
}

/** Alerts raised by every run at or after `since` (epoch ms), each compared with the runs before it. */
export function alertsSince(series: readonly SeriesData[], runs: ReadonlyMap<number, RunInfo>, since: number, options: AlertOptions = {}): Alert[] {
  const out: Alert[] = []
  for (const s of series) {
    for (let i = 0; i < s.values.length; i++) {
      if ((s.times[i] as number) >= since) out.push(...evaluatePoint(s, i, runs, options))
    }
  }
  return sortAlerts(out)
}

function sortAlerts(alerts: Alert[]): Alert[] {
  const rank = (a: Alert) => (a.severity === 'critical' ? 0 : 1)
  return alerts.sort((a, b) => rank(a) - rank(b) || b.timestamp.localeCompare(a.timestamp) || a.key.localeCompare(b.key) || a.metric.localeCompare(b.metric))
}

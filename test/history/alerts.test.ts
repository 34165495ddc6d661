import { describe, expect, it } from 'vitest'
import { alertsSince, evaluatePoint, isHitRate, isMemory, isTime, openAlerts } from '../../src/history/alerts.ts'
import type { RunInfo, SeriesData } from '../../src/history/db.ts'

const T0 = Date.parse('2025-05-01T00:00:00Z')
const HOUR = 3_600_000

function series(metric: string, values: number[], unit: string, direction: 'lower' | 'higher' = 'lower', scenario = 'small_gif_validation'): SeriesData {
  return {
    id: 1, key: `bench/x.bench.ts > ${scenario}`, scenario, metric, unit, direction,
    times: values.map((_, i) => T0 + i * HOUR), values, runIds: values.map((_, i) => i + 1),
  }
}
const runs = new Map<number, RunInfo>(Array.from({ length: 40 }, (_, i) => [i + 1, { id: i + 1, timestamp: new Date(T0 + i * HOUR).toISOString(), commit: `c${i + 1}` }]))
const last = (s: SeriesData) => evaluatePoint(s, s.values.length - 1, runs)

describe('alert rules', () => {
  it('classifies metrics by name and unit', () => {
    expect(isHitRate('frame_cache_hit_rate')).toBe(true)
    expect(isHitRate('hit_rate')).toBe(true)
    expect(isHitRate('time')).toBe(false)
    expect(isMemory('memory_usage_peak_mb', '')).toBe(true)
    expect(isMemory('peak_memory', 'MB')).toBe(true)
    expect(isMemory('peak_memory', 'ratio')).toBe(false)
    expect(isTime('total_validation_time_ms', 'ms')).toBe(true)
    expect(isTime('time', '')).toBe(true)
    expect(isTime('sampling_speedup_factor', 'x')).toBe(false)
  })

  it('hit rate: below 40 % warns, below 20 % is critical (ratios or percentages)', () => {
    expect(last(series('frame_cache_hit_rate', [0.5], 'ratio', 'higher'))).toEqual([])
    const warn = last(series('frame_cache_hit_rate', [0.35], 'ratio', 'higher'))
    expect(warn).toMatchObject([{ severity: 'warning', rule: 'hit-rate', value: 0.35, reference: 0.4, commit: 'c1', message: 'hit rate 35.0 % is below 40.0 %' }])
    expect(last(series('validation_cache_hit_rate', [15], '%', 'higher'))).toMatchObject([{ severity: 'critical', message: 'hit rate 15.0 % is below 20.0 %' }])
  })

  it('memory: more than 20 % above the trailing median warns, more than 50 % is critical', () => {
    const base = [200, 202, 198, 201, 199]
    expect(last(series('memory_usage_peak_mb', [...base, 235], 'MB'))).toEqual([])
    expect(last(series('memory_usage_peak_mb', [...base, 250], 'MB'))).toMatchObject([{ severity: 'warning', rule: 'memory', reference: 200 }])
    expect(last(series('memory_usage_peak_mb', [...base, 310], 'MB'))).toMatchObject([{ severity: 'critical', rule: 'memory' }])
    // fewer than 3 earlier runs: nothing to compare with
    expect(last(series('memory_usage_peak_mb', [200, 400], 'MB'))).toEqual([])
  })

  it('time: beyond mean + 2 SD of the trailing window warns; critical when also > 10 % above the mean', () => {
    const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]
    expect(last(series('total_validation_time_ms', [...base, 102], 'ms'))).toEqual([])
    // sd of base = 1.15: limit 102.3
    const small = last(series('total_validation_time_ms', [...base, 104], 'ms'))
    expect(small).toMatchObject([{ severity: 'warning', rule: 'time-outlier' }])
    expect(small[0]!.reference).toBeCloseTo(100 + 2 * 1.1547005383792515, 9)
    expect(last(series('total_validation_time_ms', [...base, 125], 'ms'))).toMatchObject([{ severity: 'critical', rule: 'time-outlier' }])
    // a faster run is never an outlier alert
    expect(last(series('total_validation_time_ms', [...base, 80], 'ms'))).toEqual([])
  })

  it('--alert-threshold: any metric worse than its trailing median by more than N % is critical, direction-aware', () => {
    const speedup = series('sampling_speedup_factor', [2, 2, 2, 2, 0.9], 'x', 'higher')
    expect(evaluatePoint(speedup, 4, runs)).toEqual([])
    expect(evaluatePoint(speedup, 4, runs, { alertThreshold: 50 })).toMatchObject([{ severity: 'critical', rule: 'threshold', reference: 2 }])
    expect(evaluatePoint(speedup, 4, runs, { alertThreshold: 60 })).toEqual([])
    const faster = series('sampling_speedup_factor', [2, 2, 2, 2, 5], 'x', 'higher')
    expect(evaluatePoint(faster, 4, runs, { alertThreshold: 10 })).toEqual([])
  })

  it('open alerts look at the latest run of each series; monitor at every run since a time', () => {
    const base = [100, 101, 99, 100, 102, 98, 100, 101, 99, 100]
    const spikeThenNormal = series('time', [...base, 130, 100], 'ms')
    const hit = series('frame_cache_hit_rate', [0.1, 0.1, 0.5], 'ratio', 'higher', 'cache_stress_test')
    expect(openAlerts([spikeThenNormal, hit], runs)).toEqual([])
    const recent = alertsSince([spikeThenNormal, hit], runs, T0 + 1 * HOUR)
    // critical first, newest first
    expect(recent.map(a => [a.severity, a.rule, a.commit])).toEqual([
      ['critical', 'time-outlier', 'c11'],
      ['critical', 'hit-rate', 'c2'],
    ])
    expect(alertsSince([spikeThenNormal, hit], runs, T0 + 11 * HOUR)).toEqual([])
  })
})

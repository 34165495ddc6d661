import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { describeRuns } from '../../src/compare/metric.ts'
import { loadWarning, readCpuStates, roundNoiseWarnings, throttleWarnings, withinRunCv } from '../../src/compare/noise.ts'
import type { BenchmarkReport } from '../../src/report/types.generated.ts'

const dir = mkdtempSync(join(tmpdir(), 'benchgate-noise-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function bench(baseline: number[][], current: number[][], verdict: 'ok' | 'stale' = 'ok'): BenchmarkReport {
  return {
    key: 'a.bench.ts > spin',
    file: 'a.bench.ts',
    name: 'spin',
    kind: 'scenario',
    tags: [],
    configHash: 'x',
    metrics: [{ metric: 'time', direction: 'lower', unit: 'ms', verdict, failed: false, message: '', thresholds: { warning: 0.05, critical: 0.1 }, baseline: describeRuns(baseline), current: describeRuns(current) }],
  }
}

describe('noise hygiene', () => {
  it('warns when the load average exceeds the CPUs, not otherwise', () => {
    expect(loadWarning(3.5, 2)).toHaveLength(1)
    expect(loadWarning(3.5, 2)[0]).toMatch(/load average 3\.50 on 2 CPUs/)
    expect(loadWarning(1.9, 2)).toEqual([])
  })

  it('warns about rounds far noisier than the baseline\'s, naming the benchmark', () => {
    const quiet = [[10, 10.1, 9.9, 10], [10.05, 10, 9.95, 10]]
    const noisy = [[10, 14, 8, 12], [9, 13, 10, 15]]
    expect(withinRunCv(quiet)).toBeLessThan(0.01)
    const warnings = roundNoiseWarnings([bench(quiet, noisy)])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/noisy environment: .*a\.bench\.ts > spin \[time\] \(round CV \d+\.\d % vs 0\.\d % in the baseline\)/)
    expect(roundNoiseWarnings([bench(quiet, quiet)])).toEqual([])
    expect(roundNoiseWarnings([bench(noisy, noisy)])).toEqual([])
    expect(roundNoiseWarnings([bench(quiet, noisy, 'stale')])).toEqual([])
  })

  it('reads CPU frequency and throttle counters from sysfs, and is silent where there are none', () => {
    for (const [cpu, cur, max, count] of [['cpu0', 1200000, 3000000, 5], ['cpu1', 2900000, 3000000, 0]] as const) {
      mkdirSync(join(dir, cpu, 'cpufreq'), { recursive: true })
      mkdirSync(join(dir, cpu, 'thermal_throttle'), { recursive: true })
      writeFileSync(join(dir, cpu, 'cpufreq/scaling_cur_freq'), `${cur}\n`)
      writeFileSync(join(dir, cpu, 'cpufreq/cpuinfo_max_freq'), `${max}\n`)
      writeFileSync(join(dir, cpu, 'thermal_throttle/core_throttle_count'), `${count}\n`)
    }
    mkdirSync(join(dir, 'cpufreq'))
    const states = readCpuStates(dir)
    expect(states).toEqual([
      { cpu: 'cpu0', curKhz: 1200000, maxKhz: 3000000, throttleCount: 5 },
      { cpu: 'cpu1', curKhz: 2900000, maxKhz: 3000000, throttleCount: 0 },
    ])
    const warnings = throttleWarnings(states, [{ cpu: 'cpu0', throttleCount: 2 }, { cpu: 'cpu1', throttleCount: 0 }])
    expect(warnings[0]).toBe('CPU frequency: cpu0 at 1200 of 3000 MHz (frequency scaling or throttling: pin the governor to performance for benchmarks)')
    expect(warnings[1]).toBe('thermal throttling during the run on cpu0: timings are unreliable')
    expect(readCpuStates(join(dir, 'absent'))).toEqual([])
    expect(throttleWarnings([{ cpu: 'cpu0' }])).toEqual([])
  })
})

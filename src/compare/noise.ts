/**
 * Noise hygiene: signs that the machine, not the code, made a run noisy. Each check returns
 * warnings for the report; none of them fails a run (the decision already accounts for the noise
 * it measures, and a noisy run mostly ends `unstable`, not `critical`).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { initialCpus } from '../machine/affinity.ts'
import type { BenchmarkReport } from '../report/types.generated.ts'
import { cv, median } from '../stats/summary.ts'
import { percent } from '../util/format.ts'

/** The median within-run CV of a sample's runs (runs of one value count as 0). */
export function withinRunCv(runs: readonly (readonly number[])[]): number {
  const cvs = runs.filter(r => r.length > 1 && r.every(v => v > 0)).map(r => cv(r))
  return cvs.length ? median(cvs) : 0
}

/** How far above the baseline's round-to-round CV a run's may go before it is called noisy. */
export const NOISY_ROUNDS = { factor: 3, minCv: 0.02 } as const

/**
 * Benchmarks whose rounds varied far more than the baseline's did (median within-run CV more than
 * {@link NOISY_ROUNDS}.factor times the baseline's and above {@link NOISY_ROUNDS}.minCv): a busy
 * machine, another process competing, or throttling, more likely than a code change.
 */
export function roundNoiseWarnings(benchmarks: readonly BenchmarkReport[]): string[] {
  const noisy: string[] = []
  for (const bench of benchmarks) {
    for (const metric of bench.metrics) {
      if (!metric.baseline || !metric.current || metric.verdict === 'stale' || metric.verdict === 'new') continue
      const base = withinRunCv(metric.baseline.runs)
      const cur = withinRunCv(metric.current.runs)
      if (cur > NOISY_ROUNDS.minCv && cur > NOISY_ROUNDS.factor * base)
        noisy.push(`${bench.key} [${metric.metric}] (round CV ${percent(cur)} vs ${percent(base)} in the baseline)`)
    }
  }
  if (noisy.length === 0) return []
  return [`noisy environment: rounds varied far more than in the baseline for ${noisy.join('; ')}; another process competing for the CPU or throttling is more likely than the code; verdicts stand but re-run on a quiet machine before trusting a small change`]
}

/**
 * A warning when the 1-minute load average exceeds the CPUs the run may use (read before the
 * measured processes moved this one off their CPU): other processes compete with the benchmark.
 */
export function loadWarning(load: number = loadavg()[0] ?? 0, cpus: number = initialCpus()?.length ?? availableParallelism()): string[] {
  if (!(load > cpus)) return []
  return [`noisy environment: load average ${load.toFixed(2)} on ${cpus} CPU${cpus === 1 ? '' : 's'}: other processes compete with the benchmarks; benchmarks should run alone (timings here are noisier, intervals wider)`]
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim())
    return Number.isFinite(n) ? n : undefined
  }
  catch {
    return undefined
  }
}

/** Per CPU: current and maximum frequency (kHz) and the thermal throttle count, where /sys exposes them. */
export interface CpuState {
  cpu: string
  curKhz?: number
  maxKhz?: number
  throttleCount?: number
}

/** Reads the CPUs' frequency and throttle counters from `sysfs` (empty where it exposes none, e.g. in most VMs). */
export function readCpuStates(sysfs = '/sys/devices/system/cpu'): CpuState[] {
  let names: string[]
  try {
    names = readdirSync(sysfs).filter(n => /^cpu\d+$/.test(n)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)))
  }
  catch {
    return []
  }
  const out: CpuState[] = []
  for (const cpu of names) {
    const state: CpuState = { cpu }
    const cur = readNumber(join(sysfs, cpu, 'cpufreq/scaling_cur_freq'))
    const max = readNumber(join(sysfs, cpu, 'cpufreq/cpuinfo_max_freq'))
    const throttle = readNumber(join(sysfs, cpu, 'thermal_throttle/core_throttle_count'))
    if (cur !== undefined) state.curKhz = cur
    if (max !== undefined) state.maxKhz = max
    if (throttle !== undefined) state.throttleCount = throttle
    if (cur !== undefined || max !== undefined || throttle !== undefined) out.push(state)
  }
  return out
}

/**
 * Warnings about CPU frequency: CPUs running well below their maximum (below `ratio` of it), and
 * thermal throttling that happened between `before` and `after` (when a snapshot before the run is
 * given). Silent where /sys exposes neither.
 */
export function throttleWarnings(after: readonly CpuState[], before: readonly CpuState[] = [], ratio = 0.8): string[] {
  const slow = after.filter(s => s.curKhz !== undefined && s.maxKhz !== undefined && s.curKhz < ratio * s.maxKhz)
  const out: string[] = []
  if (slow.length) {
    out.push(`CPU frequency: ${slow.map(s => `${s.cpu} at ${Math.round(s.curKhz! / 1000)} of ${Math.round(s.maxKhz! / 1000)} MHz`).join(', ')} (frequency scaling or throttling: pin the governor to performance for benchmarks)`)
  }
  const prior = new Map(before.map(s => [s.cpu, s.throttleCount]))
  const throttled = after.filter(s => s.throttleCount !== undefined && prior.get(s.cpu) !== undefined && s.throttleCount > prior.get(s.cpu)!)
  if (throttled.length) out.push(`thermal throttling during the run on ${throttled.map(s => s.cpu).join(', ')}: timings are unreliable`)
  return out
}

/** Every environment check at once: load, CPU frequency and throttling, and round noise against the baseline. */
export function noiseWarnings(benchmarks: readonly BenchmarkReport[], cpuBefore?: readonly CpuState[]): string[] {
  return [...loadWarning(), ...throttleWarnings(readCpuStates(), cpuBefore), ...roundNoiseWarnings(benchmarks)]
}

/**
 * Runs every method on every trial and counts, per method, trial kind and benchmark, how often it
 * failed the run (critical) and how often it flagged a slowdown (warning or critical).
 */
import { joinRuns } from '../../src/against/child-run.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { cv, median } from '../../src/stats/summary.ts'
import type { Method } from './methods.ts'
import type { PoolRun } from './pool.ts'
import type { Trial } from './trials.ts'

/** Counts of one method on one kind of trial for one benchmark (or `*`: any benchmark of the trial). */
export interface Tally {
  n: number
  critical: number
  flagged: number
  /** Significant slowdowns of any size (benchgate only; 0 for the other methods). */
  significant: number
}

/** `tallies[method][kind][benchmark key or '*']`. */
export type Tallies = Record<string, Record<string, Record<string, Tally>>>

/** What {@link evaluate} needs. */
export interface EvaluateInput {
  control: string
  /** Each variant's runs in measuring order: the current side's pool (and the baseline's, without `baseline`). */
  runs: ReadonlyMap<string, readonly PoolRun[]>
  /** The baseline side's pool when it is another one (cross-session): its variants' runs. */
  baseline?: ReadonlyMap<string, readonly PoolRun[]>
  trials: readonly Trial[]
  methods: readonly Method[]
}

function side(list: readonly PoolRun[], indices: readonly number[]): MeasuredBenchmark[] {
  return joinRuns(indices.map(i => list[i]!))
}

const bump = (t: Tally, critical: boolean, flagged: boolean, significant: boolean) => {
  t.n++
  if (critical) t.critical++
  if (flagged) t.flagged++
  if (significant) t.significant++
}

/** Decides every trial with every method and tallies the outcomes. */
export function evaluate(input: EvaluateInput): Tallies {
  const tallies: Tallies = {}
  const baselineList = (input.baseline ?? input.runs).get(input.control) ?? []
  for (const trial of input.trials) {
    const currentList = input.runs.get(trial.kind === 'A/A' ? input.control : trial.kind) ?? []
    const baseline = side(baselineList, trial.baseline)
    const current = side(currentList, trial.current)
    for (const method of input.methods) {
      const byKind = (tallies[method.name] ??= {})[trial.kind] ??= {}
      const outcomes = method.decide(baseline, current)
      let anyCritical = false
      let anyFlagged = false
      let anySignificant = false
      for (const [key, o] of outcomes) {
        bump(byKind[key] ??= { n: 0, critical: 0, flagged: 0, significant: 0 }, o.critical, o.flagged, o.significant ?? false)
        anyCritical ||= o.critical
        anyFlagged ||= o.flagged
        anySignificant ||= o.significant ?? false
      }
      bump(byKind['*'] ??= { n: 0, critical: 0, flagged: 0, significant: 0 }, anyCritical, anyFlagged, anySignificant)
    }
  }
  return tallies
}

/** Per benchmark and variant: the median of run medians, the CV of run medians and the median within-run CV. */
export interface Spread {
  median: number
  runToRunCv: number
  withinCv: number
}

/** The noise and level of each benchmark's time metric in each variant's runs. */
export function spreads(runs: ReadonlyMap<string, readonly PoolRun[]>): Map<string, Map<string, Spread>> {
  const out = new Map<string, Map<string, Spread>>()
  for (const [variant, list] of runs) {
    for (const bench of joinRuns(list)) {
      const metric = Object.values(bench.metrics)[0]
      if (!metric || metric.runs.length < 2) continue
      const medians = metric.runs.map(r => median(r))
      const perBench = out.get(bench.key) ?? new Map<string, Spread>()
      perBench.set(variant, { median: median(medians), runToRunCv: cv(medians), withinCv: median(metric.runs.map(r => r.length > 1 ? cv(r) : 0)) })
      out.set(bench.key, perBench)
    }
  }
  return out
}

/**
 * Per benchmark, the run-to-run CV within blocks: the CV of run medians inside each block of
 * `windows` (index lists into `list`, e.g. from `blockWindows`), and its median over the blocks.
 * This is the spread one gate run sees; {@link spreads} gives the spread over the whole pool.
 */
export function blockCvs(list: readonly PoolRun[], windows: readonly (readonly number[])[]): Map<string, number> {
  const perKey = new Map<string, number[]>()
  for (const w of windows) {
    for (const bench of joinRuns(w.map(i => list[i]!))) {
      const metric = Object.values(bench.metrics)[0]
      if (!metric || metric.runs.length < 2) continue
      perKey.set(bench.key, [...perKey.get(bench.key) ?? [], cv(metric.runs.map(r => median(r)))])
    }
  }
  return new Map([...perKey].map(([key, cvs]) => [key, median(cvs)]))
}

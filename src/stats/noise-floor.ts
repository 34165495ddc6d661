/**
 * The noise floor of repeated runs of a nearly deterministic metric (instruction counts): how far
 * one run strays from the others, aligned round by round where the runs have the same rounds.
 * Recorded in the baseline, and used by the decision on such metrics (src/compare/deterministic.ts).
 */
import { median } from './summary.ts'

/**
 * Each round position's median across runs, when every run has the same number of rounds (and
 * `undefined` otherwise). Unchanged code repeats its rounds' counts in every process (the JIT warms
 * up and the collector runs at the same points), so round i of one run is comparable with round i
 * of another, even where the rounds of one run differ from each other.
 */
export function roundProfile(runs: readonly (readonly number[])[]): number[] | undefined {
  const length = runs[0]?.length ?? 0
  if (length === 0 || runs.some(run => run.length !== length)) return undefined
  return Array.from({ length }, (_, i) => median(runs.map(run => run[i]!)))
}

/** The median over round positions of `values[i] / reference[i]`, minus 1 (positions where the reference is 0 are skipped). */
export function alignedChange(values: readonly number[], reference: readonly number[]): number | undefined {
  const ratios = values.flatMap((v, i) => (reference[i]! > 0 ? [v / reference[i]!] : []))
  return ratios.length ? median(ratios) - 1 : undefined
}

/**
 * The noise floor of repeated runs: how far one run strays from the others. With aligned rounds
 * ({@link roundProfile}), the largest |median over rounds of run[i] / profile[i] - 1| over runs, so a
 * single round disturbed by the event loop (a timer of the test runner firing during an async body)
 * does not count; otherwise the largest relative deviation of a run's median from the median of
 * run medians. 0 with fewer than two runs. Cost: O(runs x rounds).
 */
export function noiseFloor(runs: readonly (readonly number[])[]): number {
  if (runs.length < 2) return 0
  const profile = roundProfile(runs)
  if (profile) return Math.max(...runs.map(run => Math.abs(alignedChange(run, profile) ?? 0)))
  const medians = runs.map(run => median(run))
  const center = median(medians)
  if (!(center > 0)) return 0
  return Math.max(...medians.map(m => Math.abs(m / center - 1)))
}

/**
 * The last check on what a run measured before it is compared or written: a value that is not a
 * finite number (Infinity from a division by zero, NaN from a native bench) makes its benchmark an
 * `error` naming the metric, the run and the round, instead of ending the whole run in the
 * statistics. Everything else is compared and written as usual.
 */
import type { MeasuredBenchmark } from '../scenario/measured.ts'

/** The first non-finite value of a benchmark's metrics, described, or `undefined` when all are finite. */
export function nonFiniteValue(bench: Pick<MeasuredBenchmark, 'metrics'>): string | undefined {
  for (const [name, metric] of Object.entries(bench.metrics)) {
    for (const [r, run] of metric.runs.entries()) {
      const round = run.findIndex(v => typeof v !== 'number' || !Number.isFinite(v))
      if (round >= 0) return `metric "${name}" recorded ${String(run[round])} in run ${r + 1}, round ${round + 1}: expected a finite number`
    }
  }
  return undefined
}

/** The measured benchmarks with every one that holds a non-finite value turned into an error (new objects; the input is not changed). */
export function screenMeasured(measured: readonly MeasuredBenchmark[]): MeasuredBenchmark[] {
  return measured.map((bench) => {
    if (bench.error) return bench
    const problem = nonFiniteValue(bench)
    return problem ? { ...bench, error: { message: `${bench.name}: ${problem}` } } : bench
  })
}

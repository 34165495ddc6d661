import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { INSTRUCTIONS_METRIC, INSTRUCTIONS_SPEC } from '../../src/measure/mode.ts'

/** Adds one run of a plain bench's instruction counts (one value per round) as its `instructions` metric. */
export function addInstructionsRun(bench: MeasuredBenchmark, values: readonly number[], replica: number): void {
  if (values.length === 0) return
  bench.rounds = Math.max(bench.rounds, values.length)
  const metric = bench.metrics[INSTRUCTIONS_METRIC] ??= { spec: { ...INSTRUCTIONS_SPEC }, runs: [] }
  metric.runs[replica] = [...values]
}

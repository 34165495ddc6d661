import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { INSTRUCTIONS_METRIC, INSTRUCTIONS_SPEC } from '../../src/measure/mode.ts'

/** Adds one run of a plain bench's instruction counts (one value per round) as its `instructions` metric. */
export function addInstructionsRun(bench: MeasuredBenchmark, values: readonly number[], replica: number): void {
  if (values.length === 0) return
  bench.rounds = Math.max(bench.rounds, values.length)
  const metric = bench.metrics[INSTRUCTIONS_METRIC] ??= { spec: { ...INSTRUCTIONS_SPEC }, runs: [] }
  metric.runs[replica] = [...values]
}

/**
 * Instruction mode: a benchmark that came back with wall time instead of counts (a vitest 5
 * hand-written `bench()` test, vitest 4's own `bench()` in a project with a runner of its own)
 * was timed under Valgrind, which says nothing about the code; storing or comparing it as a count
 * would be wrong. Each becomes an `error` saying so (`-u` keeps its entry), in place.
 */
export function refuseUncounted(measured: MeasuredBenchmark[]): void {
  for (const bench of measured) {
    if (bench.kind !== 'bench' || bench.error || !bench.metrics.time || bench.metrics[INSTRUCTIONS_METRIC]) continue
    bench.error = { message: 'timed, not counted: instruction mode counts benchgate\'s bench() and bench.scenario(), and vitest 4\'s bench() under benchgate\'s worker runner; this one (a vitest 5 bench test, or a project with a runner of its own) only had its wall time under Valgrind taken: use bench from \'benchgate\', or time mode' }
    bench.metrics = { [INSTRUCTIONS_METRIC]: { spec: { ...INSTRUCTIONS_SPEC }, runs: [] } }
  }
}

/**
 * benchgate: a performance-regression gate for Vitest. The package's main entry (`benchgate`).
 *
 * `import { bench } from 'benchgate'` gives Vitest's `bench` with `bench.scenario({...})` added. It
 * lives beside the plugin because `bench` is Vitest's: nothing in src/ imports vitest.
 */
export { bench } from './api.ts'
export type { BenchgateBench, BenchgateBenchOptions } from './api.ts'
export type {
  DecisionOptions,
  Direction,
  FailOn,
  MetricDefinition,
  MetricSpec,
  ScenarioContext,
  ScenarioDefinition,
  Thresholds,
} from '../src/scenario/types.ts'
export type { BenchgateOptions, ReporterName } from '../src/config/gate.ts'
export type { RunReport, BenchmarkReport, MetricReport, Verdict } from '../src/report/types.generated.ts'
export type { BaselineFile, BaselineEntry } from '../src/baseline/types.generated.ts'

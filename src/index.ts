/**
 * benchgate: a performance-regression gate for Vitest.
 *
 * `import { bench } from 'benchgate'` gives Vitest's `bench` with `bench.scenario({...})` added.
 */
export { bench } from '../plugin/api.ts'
export type { BenchgateBench, BenchgateBenchOptions } from '../plugin/api.ts'
export type {
  DecisionOptions,
  Direction,
  FailOn,
  MetricDefinition,
  MetricSpec,
  ScenarioContext,
  ScenarioDefinition,
  Thresholds,
} from './scenario/types.ts'
export type { BenchgateOptions, ReporterName } from './config/gate.ts'
export type { RunReport, BenchmarkReport, MetricReport, Verdict } from './report/types.generated.ts'
export type { BaselineFile, BaselineEntry } from './baseline/types.generated.ts'

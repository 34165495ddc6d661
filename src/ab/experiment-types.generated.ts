/* eslint-disable */
/**
 * GENERATED from src/ab/experiment.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

/**
 * An override's value: an environment variable's text (a number or boolean is written as its JSON text; null leaves the variable unset), or a config value checked by the experiment's config target when the experiment is created.
 */
export type OverrideValue = string | number | boolean | null
export type Direction = 'lower' | 'higher'

/**
 * An A/B experiment on configuration overrides as the JSON store keeps it (.benchgate/experiments/<name>.json): the definition and every sample batch collected so far, each with the environment it was measured on. The SQLite store holds the same data in the ab_* tables.
 */
export interface ExperimentFile {
  schemaVersion: 1
  experiment: Experiment
  /**
   * In the order they were collected (seq ascending).
   */
  batches: SampleBatch[]
}
export interface Experiment {
  name: string
  createdAt: string
  status: 'active' | 'finalized'
  finalizedAt?: string
  /**
   * Family-wise error rate of the always-valid test (Holm across metrics and treatments).
   */
  alpha: number
  /**
   * Scenario tag filter (empty: every scenario).
   */
  tags: string[]
  /**
   * Metric names tracked (empty: every metric the scenarios record).
   */
  metrics: string[]
  /**
   * Vitest file filters (empty: every bench file).
   */
  files: string[]
  /**
   * The control first, then the treatments.
   *
   * @minItems 2
   */
  variants: Variant[]
}
export interface Variant {
  name: string
  role: 'control' | 'treatment'
  /**
   * A plain override set: environment variable names (UV_THREADPOOL_SIZE) and dotted config keys (FRAME_CACHE.memory_limit_mb, given to the experiment's config target), each with its value.
   */
  overrides: {
    [k: string]: OverrideValue
  }
}
export interface SampleBatch {
  /**
   * 1-based position in the experiment's collection order.
   */
  seq: number
  variant: string
  /**
   * Identifies the `ab run` invocation that collected the batch.
   */
  runId: string
  startedAt: string
  finishedAt: string
  environment: Environment
  benchmarks: BatchBenchmark[]
}
export interface Environment {
  cpuModel: string
  cores: number
  os: string
  node: string
  vitest: string
  benchgate: string
  tinybench?: string
}
export interface BatchBenchmark {
  /**
   * The benchmark's stable name: `file > describe > bench`.
   */
  key: string
  metrics: {
    [k: string]: BatchMetric
  }
}
export interface BatchMetric {
  direction: Direction
  unit: string
  /**
   * Per-round values, in round order.
   *
   * @minItems 1
   */
  values: number[]
}

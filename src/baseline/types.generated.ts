/* eslint-disable */
/**
 * GENERATED from src/baseline/baseline.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

export type Direction = 'lower' | 'higher'

/**
 * benchgate baseline snapshot: per benchmark and metric, the per-round values of every recorded run, their summary, the scenario's config hash and the environment it was measured on.
 */
export interface BaselineFile {
  schemaVersion: 1
  /**
   * What the file's values measure; absent means time. Wall-time and instruction baselines live in separate files (current_baselines.json, current_baselines.instructions.json).
   */
  measure?: 'time' | 'instructions'
  /**
   * Keyed by the benchmark's stable name: `file > describe > bench`.
   */
  entries: {
    [k: string]: BaselineEntry
  }
}
export interface BaselineEntry {
  key: string
  file: string
  name: string
  kind: 'scenario' | 'bench'
  description?: string
  configHash: string
  tags: string[]
  /**
   * Measured rounds per run.
   */
  rounds: number
  updatedAt: string
  commit?: string
  environment: Environment
  /**
   * The machine probes of the runs that recorded this entry, one per run (absent in baselines recorded before benchgate took them).
   */
  probes?: MachineProbe[]
  metrics: {
    [k: string]: BaselineMetric
  }
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
/**
 * The machine probes of one measured process: milliseconds per fixed reference workload (the median of its repetitions), timed on the CPU the process measured on. Comparing them across time says how far the machine moved.
 */
export interface MachineProbe {
  /**
   * A floating-point loop: the CPU's speed.
   */
  compute: number
  /**
   * A streaming copy larger than the last-level cache: memory bandwidth.
   */
  memory: number
  /**
   * Short-lived object churn: allocation and the young-generation collector.
   */
  alloc: number
}
export interface BaselineMetric {
  direction: Direction
  unit: string
  min?: number
  max?: number
  thresholds?: Thresholds
  /**
   * One array per independent run (separate worker process), each holding that run's per-round values.
   *
   * @minItems 1
   */
  runs: number[][]
  /**
   * The median of each run, in run order.
   *
   * @minItems 1
   */
  runMedians: number[]
  /**
   * Coefficient of variation of the run medians: the run-to-run noise this baseline saw (absent with one run).
   */
  runToRunCv?: number
  /**
   * Deterministic metrics (instructions, unit Ir): the largest relative deviation of a run median from the median of the run medians, measured from this baseline's repeated runs (absent with one run). The decision treats changes within a margin of it as noise.
   */
  noiseFloor?: number
  summary: Summary
}
export interface Thresholds {
  warning?: number
  critical?: number
}
export interface Summary {
  n: number
  median: number
  mean: number
  mad: number
  cv: number
  min: number
  max: number
}

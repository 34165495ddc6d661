/* eslint-disable */
/**
 * GENERATED from src/ab/results.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

/**
 * An override's value: an environment variable's text (a number or boolean is written as its JSON text; null leaves the variable unset), or a config value checked by the experiment's config target when the experiment is created.
 */
export type OverrideValue = string | number | boolean | null
export type Direction = 'lower' | 'higher'
/**
 * The runbook's decision-table row: latency (> 10 % reduction, 1000+ samples), cache hit rate (> 5 point increase, 500+), memory (< 20 % increase, 200+); other metrics are tracked but decide nothing.
 */
export type MetricKind = 'latency' | 'hit_rate' | 'memory' | 'other'

/**
 * What `benchgate ab finalize` writes to benchmark_results/ab_<name>_results.json: the frozen experiment, the environments its samples came from, and the final analysis. Deterministic: the same stored samples give the same file. The Direction, OverrideValue, Variant, Experiment and Environment definitions are experiment.schema.json's, by reference.
 */
export interface ExperimentResults {
  schemaVersion: 1
  tool: {
    name: 'benchgate'
    version: string
  }
  experiment: Experiment
  /**
   * The distinct environments the samples were measured on, with their batch counts.
   */
  environments: EnvironmentCount[]
  analysis: ExperimentAnalysis
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
export interface EnvironmentCount {
  environment: Environment
  /**
   * Batches per variant on this environment.
   */
  batches: {
    [k: string]: number
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
export interface ExperimentAnalysis {
  alpha: number
  /**
   * The sequential test, in words.
   */
  method: string
  /**
   * Size of the Holm family (tested metrics x treatments).
   */
  comparisons: number
  variants: VariantSummary[]
  metrics: MetricAnalysis[]
  treatments: TreatmentDecision[]
  /**
   * The best deployable treatment, or null when none met the criteria.
   */
  winner: string | null
  recommendation: string
  warnings: string[]
}
export interface VariantSummary {
  name: string
  role: 'control' | 'treatment'
  overrides: {
    [k: string]: OverrideValue
  }
  batches: number
  /**
   * Distinct machines (CPU model and core count) the batches ran on.
   */
  machines: number
}
export interface MetricAnalysis {
  scenario: string
  metric: string
  direction: Direction
  unit: string
  kind: MetricKind
  role: 'goal' | 'guardrail' | 'info'
  scale: 'log' | 'difference'
  /**
   * The practical criterion in words.
   */
  criterion: string
  note?: string
  arms: ArmSummary[]
  comparisons: Comparison[]
}
export interface ArmSummary {
  variant: string
  /**
   * Samples (per-round values).
   */
  n: number
  batches: number
  median?: number
  mean?: number
  cv?: number
  min?: number
  max?: number
}
/**
 * One treatment against the control on one metric. `interval` is the always-valid (1 - alpha) confidence interval of `change` (a confidence sequence: valid whenever you look).
 */
export interface Comparison {
  treatment: string
  /**
   * The smaller of the two arms' sample counts.
   */
  samples: number
  /**
   * The runbook's minimum sample size for this kind of metric.
   */
  requiredSamples: number
  samplesReached: boolean
  /**
   * The effect on the test's scale: log ratio of geometric means (scale log) or difference of means (scale difference).
   */
  estimate?: number
  /**
   * Treatment against control: relative change (scale log, -0.15 = 15 % lower) or absolute difference (scale difference).
   */
  change?: number
  interval?: Interval
  /**
   * Always-valid p-value of the mSPRT (1 until both arms have enough batches).
   */
  pAlwaysValid: number
  /**
   * Holm-adjusted across every metric and treatment of the experiment.
   */
  pAlwaysValidAdjusted: number
  /**
   * Welch t test on the scale's values: fixed-horizon, for reference only (not valid under repeated looks).
   */
  pWelch?: number
  pWelchAdjusted?: number
  /**
   * better / worse: the always-valid test rejects (Holm-adjusted) in the metric's good / bad direction; not-tested: too few samples or batches yet.
   */
  verdict: 'better' | 'worse' | 'no-difference' | 'not-tested'
  /**
   * The estimate meets the runbook's practical criterion (goal: improvement beyond the threshold; guardrail: worsening below it).
   */
  criterionMet: boolean
}
export interface Interval {
  lower: number
  upper: number
}
export interface TreatmentDecision {
  name: string
  recommendation: 'deploy' | 'keep-control' | 'continue'
  reasons: string[]
  /**
   * Mean criterion-normalised improvement over the goal metrics (ranks deployable treatments).
   */
  score?: number
}

/* eslint-disable */
/**
 * GENERATED from src/report/report.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

export type Direction = 'lower' | 'higher'
export type Verdict =
  'ok' | 'improved' | 'warning' | 'critical' | 'new' | 'missing' | 'stale' | 'unstable' | 'error'

/**
 * One benchgate run: every benchmark and metric with baseline and current summaries, the change with its interval, the p-value and the verdict. Every reporter renders this object and computes nothing itself.
 */
export interface RunReport {
  schemaVersion: 1
  tool: {
    name: 'benchgate'
    version: string
  }
  timestamp: string
  /**
   * compare: gate against the baseline; update: -u, the baseline was (re)written.
   */
  mode: 'compare' | 'update'
  /**
   * What the run measured; absent in reports written before measure modes existed (time).
   */
  measurement?: {
    /**
     * time: wall time per round; instructions: instructions executed by the benchmark body per round (Valgrind Callgrind, unit Ir).
     */
    measure: 'time' | 'instructions'
    /**
     * The counting tool and its version, e.g. valgrind-3.19.0 callgrind.
     */
    tool?: string
    /**
     * What the measure does not see, in one sentence.
     */
    limits?: string
  }
  git?: {
    commit?: string
    branch?: string
  }
  environment: Environment
  baselineFile: string
  options: {
    tags: string[]
    /**
     * Independent runs (worker processes) per benchmark in this run.
     */
    runs: number
    /**
     * Rounds override (--measurement-rounds), when given.
     */
    rounds?: number
    thresholds: Thresholds
    alpha: number
    failOn: 'critical' | 'warning' | 'never'
  }
  /**
   * Run-level warnings, e.g. a baseline recorded on another machine.
   */
  warnings: string[]
  benchmarks: BenchmarkReport[]
  counts: {
    total: number
    passed: number
    failed: number
    ok: number
    improved: number
    warning: number
    critical: number
    new: number
    missing: number
    stale: number
    unstable: number
    error: number
  }
  passed: boolean
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
export interface Thresholds {
  warning: number
  critical: number
}
export interface BenchmarkReport {
  key: string
  file: string
  name: string
  kind: 'scenario' | 'bench'
  description?: string
  tags: string[]
  location?: {
    file: string
    line: number
    column: number
  }
  configHash: string
  baselineConfigHash?: string
  baselineEnvironment?: Environment
  error?: {
    message: string
    stack?: string
  }
  /**
   * `rounds: 'auto'` scenarios: the measured rounds each run took, and how many runs decided (the interval of their change cleared every threshold) before the budget ended.
   */
  autoRounds?: {
    /**
     * The time metric that was auto-sampled.
     */
    metric: string
    perRun: number[]
    decidedRuns: number
    budgetMs: number
  }
  metrics: MetricReport[]
}
export interface MetricReport {
  metric: string
  direction: Direction
  unit: string
  verdict: Verdict
  /**
   * True when this comparison fails the run (per failOn).
   */
  failed: boolean
  /**
   * One human sentence explaining the verdict.
   */
  message: string
  baseline?: Sample
  current?: Sample
  change?: Interval
  /**
   * Unadjusted decision p-value (the larger of the rank test's and the run-to-run test's).
   */
  pValue?: number
  /**
   * Holm-adjusted across all comparisons of the run.
   */
  pAdjusted?: number
  pMannWhitney?: number
  noise?: {
    /**
     * Run-to-run noise used as the floor (moderated CV of run medians).
     */
    runToRunCv: number
    df: number
  }
  /**
   * Deterministic metrics (instructions): the relative noise floor measured from repeated runs (baseline's and this run's); changes within 3 times it are noise.
   */
  noiseFloor?: number
  bounds?: {
    min?: number
    max?: number
    violated: boolean
  }
  thresholds: Thresholds
}
export interface Sample {
  summary: Summary
  runMedians: number[]
  /**
   * Raw per-round values, one array per run.
   */
  runs: number[][]
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
/**
 * Relative change of the median, current vs baseline (+0.12 = 12 % larger value), with its 95 % interval.
 */
export interface Interval {
  estimate: number
  lower: number
  upper: number
}

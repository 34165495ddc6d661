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
   * Where the measured processes ran (each calibrates, pins itself to the fastest CPU, or the one asked for, and moves the orchestrating process off it), and how far the machine moved since the baseline.
   */
  machine?: {
    /**
     * auto (the fastest CPU, chosen by each process), off, or a CPU number.
     */
    mode: string
    /**
     * Measured processes that reported their placement.
     */
    runs: number
    pinnedRuns: number
    /**
     * How many processes measured on each CPU.
     */
    cpus?: {
      [k: string]: number
    }
    /**
     * Why processes were not pinned, when they were not.
     */
    unpinned?: string
    /**
     * Current / baseline machine probe time per kind of work, the median over benchmarks whose baseline has probes (1 = unchanged, 2 = twice as slow).
     */
    drift?: {
      compute: number
      memory: number
      alloc: number
    }
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
  /**
   * The run's outcome, decided once (src/report/outcome.ts) from every metric's verdict and failed flag (which honours failOn). Reporters render it and decide nothing.
   */
  outcome: {
    /**
     * fail: a metric failed the run (exit 1, merge blocked); warn: the run passes with regressions to justify (warnings, or criticals that failOn lets pass); pass: nothing is worse beyond the warning threshold; update: a -u run; empty: nothing was compared.
     */
    level: 'fail' | 'warn' | 'pass' | 'update' | 'empty'
    /**
     * How many metrics failed the run, by verdict (only verdicts that failed some).
     */
    failedBy: {
      [k: string]: number
    }
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
   * The machine probes of each side's runs, the CPU each current run measured on, and how far the machine moved in between.
   */
  machine?: {
    baseline?: MachineProbe[]
    current?: MachineProbe[]
    /**
     * The CPU each current run measured on (null: not pinned).
     */
    cpus?: (number | null)[]
    /**
     * Current probe time / baseline probe time per kind of work (1 = unchanged, 2 = twice as slow).
     */
    drift?: {
      compute: number
      memory: number
      alloc: number
    }
    /**
     * The kind of work whose move stands out most from the probes' noise, and by how much beyond it (relative; 0: no move beyond noise). Time metrics add it to their noise.
     */
    move?: {
      kind: 'compute' | 'memory' | 'alloc'
      beyondNoise: number
    }
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
/**
 * The machine probes of one measured process: milliseconds per fixed reference workload (the median of its repetitions), timed on the CPU the process measured on.
 */
export interface MachineProbe {
  compute: number
  memory: number
  alloc: number
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
    /**
     * How far the machine moved since the baseline (relative, its most-moved kind of work), added to the noise of a time metric; absent when both sides were measured together.
     */
    drift?: number
  }
  /**
   * The smallest change (relative) this comparison would have found significant 4 times in 5, given the noise it saw.
   */
  detectable?: number
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

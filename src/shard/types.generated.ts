/* eslint-disable */
/**
 * GENERATED from src/shard/shard-report.schema.json by scripts/generate-types.mjs. Do not edit by hand:
 * change the schema and run `npm run generate:types`.
 */

/**
 * What one shard of a sharded run (`benchgate test|baseline|compare --shard <index>/<count>`) hands to `benchgate merge`: its run report (every comparison with its raw p-value, decided with Holm over this shard alone), what merge needs to apply Holm's correction across every shard's comparisons, and, with -u, the shard's baseline changes.
 */
export interface ShardReport {
  schemaVersion: 1
  shard: {
    index: number
    count: number
  }
  /**
   * What the shard compared with; every shard of one merge must have compared with the same.
   */
  reference:
    | {
        kind: 'baseline'
        /**
         * The baseline file, relative to the project root.
         */
        file: string
        /**
         * SHA-256 of the baseline file as the shard read it; null when there was none.
         */
        sha256: string | null
      }
    | {
        kind: 'against'
        /**
         * The git ref given to compare --against.
         */
        ref: string
        /**
         * The commit that ref resolved to.
         */
        commit: string
      }
  /**
   * The benchmark files this shard ran (as benchmark keys name them, `[project] path` in a workspace).
   */
  filesRun: string[]
  /**
   * Per benchmark key, the significance level and failOn it was decided with, where a scenario overrides the run's (report.options).
   */
  decisions: {
    [k: string]: {
      alpha?: number
      failOn?: 'critical' | 'warning' | 'never'
    }
  }
  report: RunReport
  /**
   * -u: the shard's baseline: the entries it measured (each stamped with this shard's machine), and the keys it found gone from files it ran.
   */
  update?: {
    entries: {
      [k: string]: BaselineEntry
    }
    remove: string[]
  }
}
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
  direction: 'lower' | 'higher'
  unit: string
  verdict: 'ok' | 'improved' | 'warning' | 'critical' | 'new' | 'missing' | 'stale' | 'unstable' | 'error'
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
  environment: Environment1
  /**
   * The machine probes of the runs that recorded this entry, one per run (absent in baselines recorded before benchgate took them).
   */
  probes?: MachineProbe1[]
  metrics: {
    [k: string]: BaselineMetric
  }
}
export interface Environment1 {
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
export interface MachineProbe1 {
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
  direction: 'lower' | 'higher'
  unit: string
  min?: number
  max?: number
  thresholds?: Thresholds1
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
  summary: Summary1
}
export interface Thresholds1 {
  warning?: number
  critical?: number
}
export interface Summary1 {
  n: number
  median: number
  mean: number
  mad: number
  cv: number
  min: number
  max: number
}

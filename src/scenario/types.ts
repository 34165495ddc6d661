/**
 * The scenario model: what a user declares with `bench.scenario({...})`.
 * Framework-free: nothing here knows about Vitest.
 */

/** Which way a metric is better. Time and memory: `lower`; hit rates and speed-ups: `higher`. */
export type Direction = 'lower' | 'higher'

/** Thresholds on the estimated relative change (0.05 = 5 %). */
export interface Thresholds {
  /**
   * A change worse than this is a warning (annotated, passes).
   * @default 0.05
   */
  warning?: number
  /**
   * A change worse than this is critical (fails the run).
   * @default 0.10
   */
  critical?: number
}

/** What fails the run. */
export type FailOn = 'critical' | 'warning' | 'never'

/** The gate's decision settings; every field is optional and falls back to the run's options. */
export interface DecisionOptions {
  /** @default { warning: 0.05, critical: 0.10 } */
  thresholds?: Thresholds
  /**
   * Family-wise significance level (Holm-corrected across all comparisons of a run).
   * @default 0.05
   */
  alpha?: number
  /** @default 'critical' */
  failOn?: FailOn
}

/** Passed to `setup`, `run`, `teardown` and every metric's `collect`. */
export interface ScenarioContext<State, Params> {
  /** The scenario's `params`, frozen. */
  readonly params: Params
  /** What `setup` returned (undefined before setup ran, or when there is none). */
  readonly state: State
  /** 0-based index of the current round; warm-up rounds are negative (-warmupRounds .. -1). */
  readonly round: number
  /** True during warm-up rounds (metrics are not recorded). */
  readonly warmup: boolean
  /** Wall time of the round that just ran, in ms (inside `collect`; NaN before the first round). */
  readonly lastRoundMs: number
}

/** A custom metric, collected after each round outside the timed region. */
export interface MetricDefinition<State = unknown, Params = unknown> {
  /** Which way is better. Required: a metric without a direction cannot be judged. */
  direction: Direction
  /** Display unit, e.g. `ms`, `MB`, `ratio`, `x`. */
  unit?: string
  /** Absolute lower bound: a round median below it is critical (e.g. a hit rate >= 0.6). */
  min?: number
  /** Absolute upper bound: a round median above it is critical. */
  max?: number
  /** Per-metric decision overrides. */
  thresholds?: Thresholds
  /** Returns this round's value. Runs after the timed body; may be async. */
  collect: (ctx: ScenarioContext<State, Params>) => number | Promise<number>
}

/** Limits of `rounds: 'auto'`, per run. */
export interface AutoRoundsLimits {
  /** Rounds before the first check. @default 5 */
  minRounds?: number
  /** Cap on measured rounds. @default 1000 */
  maxRounds?: number
  /** Time budget of the measured rounds (their timed bodies), ms. @default 10000 */
  budgetMs?: number
}

/** What `bench.scenario({...})` accepts. */
export interface ScenarioDefinition<State = undefined, Params extends Record<string, unknown> = Record<string, unknown>> extends DecisionOptions {
  /** Unique within its file and describe block. */
  name: string
  description?: string
  /** A scenario runs when it has any of the requested tags (`BENCHGATE_TAGS=ci,quick`). */
  tags?: readonly string[]
  /**
   * Measured rounds per run, or `'auto'`: each run adds rounds until the 95 % interval of its
   * change against the baseline lies on one side of every threshold, or `autoRounds.budgetMs`
   * ends (then the run is undecided); without a baseline, until its median is known to within a
   * quarter of the warning threshold. The report says how many rounds each run took.
   * @default 10
   */
  rounds?: number | 'auto'
  /** Limits of `rounds: 'auto'`, per run. @default { minRounds: 5, maxRounds: 1000, budgetMs: 10000 } */
  autoRounds?: AutoRoundsLimits
  /**
   * Unmeasured rounds before the measured ones.
   * @default 3
   */
  warmupRounds?: number
  /**
   * At most this many independent runs (worker processes) of this scenario, whatever the gate's
   * `runs` / `baselineRuns`: for a heavy scenario that cannot afford the default within the CI time
   * budget. Fewer runs give a wider interval, so such a scenario is more often `unstable`; it does
   * not make the baseline stale.
   * @default the gate's runs
   */
  maxRuns?: number
  /** Parameters, part of the config hash: changing them makes the baseline stale. */
  params?: Params
  /** Outside timing, once per run, before the first warm-up round. */
  setup?: (ctx: ScenarioContext<undefined, Params>) => State | Promise<State>
  /**
   * Outside timing, before every round (warm-up rounds too): e.g. release the previous round's
   * resources or reset a peak-memory window, so that the round measures only itself.
   */
  beforeRound?: (ctx: ScenarioContext<State, Params>) => unknown
  /** The timed body of one round. */
  run: (ctx: ScenarioContext<State, Params>) => unknown
  /** Outside timing, once per run, after the last round (also after an error). */
  teardown?: (ctx: ScenarioContext<State, Params>) => unknown
  /**
   * Name under which the round's wall time is recorded.
   * @default 'time'
   */
  timeMetric?: string
  /** Custom metrics collected after every round. */
  metrics?: Record<string, MetricDefinition<State, Params>>
}

/** The declaration of a metric as stored in baselines and reports (no functions). */
export interface MetricSpec {
  direction: Direction
  unit: string
  min?: number
  max?: number
  thresholds?: Thresholds
}

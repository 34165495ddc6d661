/**
 * The measured-benchmark model: what a run hands to the gate (per metric, one array of rounds per
 * run, with where each process ran) and the decision settings it is judged with. Shared by the
 * baseline (what -u records), the comparison and the adapters.
 */
import type { MachineProbe } from '../machine/probes.ts'
import type { DecisionOptions, Direction, FailOn, MetricSpec, Thresholds } from './types.ts'

/** How a run's auto-sampling ended. */
export interface AutoRoundsOutcome {
  /** Measured rounds the run took. */
  rounds: number
  /** True when the interval cleared every threshold (or reached the precision target). */
  decided: boolean
  /** Why sampling stopped. */
  stop: 'decided' | 'budget' | 'max-rounds'
}

/** Where a benchmark is declared, for annotations. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

/** One metric of one benchmark as measured in this run: the per-round values of each independent run. */
export interface MeasuredMetric {
  spec: MetricSpec
  /** One array per run (worker process), each with that run's per-round values. */
  runs: number[][]
}

/** What one measured process reported about the machine: where it ran and its probes. */
export interface RunMachine {
  /** The CPU it measured on, when pinned. */
  cpu?: number
  /** Why it was not pinned, when it was not. */
  unpinned?: string
  /** Absent when the probes were off (the `probes` option). */
  probe?: MachineProbe
}

/** Everything the plugin measured for one benchmark (possibly over several runs). */
export interface MeasuredBenchmark {
  /** Stable name: `file > describe > bench`. */
  key: string
  /** File path relative to the project root, POSIX separators. */
  file: string
  name: string
  kind: 'scenario' | 'bench'
  description?: string
  tags: string[]
  /** Hash of params, rounds and metric declarations. */
  configHash: string
  /** Measured rounds per run. */
  rounds: number
  location?: SourceLocation
  /** Per-scenario decision overrides. */
  decision?: DecisionOptions
  metrics: Record<string, MeasuredMetric>
  /** `rounds: 'auto'` scenarios: how each run's sampling of its time metric ended. */
  autoRounds?: { metric: string, budgetMs: number, runs: AutoRoundsOutcome[] }
  /** Set when the scenario threw: its message (and stack when known). */
  error?: { message: string, stack?: string }
  /** Per run that measured it, where the process ran and its machine probes (absent where not reported). */
  machine?: RunMachine[]
}

/** The verdict of one comparison. */
export type Verdict = 'ok' | 'improved' | 'warning' | 'critical' | 'new' | 'missing' | 'stale' | 'unstable' | 'error'

/** Resolved decision settings. */
export interface ResolvedDecision {
  thresholds: Required<Thresholds>
  alpha: number
  failOn: FailOn
  /** Run-to-run noise assumed before any is observed (CV of run medians), and its weight in runs. */
  noisePrior: { cv: number, weight: number }
  /** Bootstrap resamples for the interval. */
  resamples: number
  /**
   * How far a benchmark's speed moves between sessions in ways no machine probe sees (a CV), added
   * to the noise of time metrics when the baseline was recorded in another session (with the
   * machine probes' measured move, when both sides have probes). 0 (or absent) when both sides ran
   * in the same job (`compare --against`).
   */
  sessionDrift?: number
  /**
   * Past this move of the machine since the baseline (relative, its most-moved kind of work), time
   * metrics are not judged against the baseline (verdict `unstable`, with the move named).
   */
  maxDrift?: number
  /**
   * Whether the drift allowance of time metrics adds the machine probes' measured move to
   * `sessionDrift` (`probes`) or is `sessionDrift` alone (`assumed`, the decision before probes
   * existed; kept for the detector harness).
   * @default 'probes'
   */
  driftFrom?: 'probes' | 'assumed'
  /**
   * Keep each side's fast cluster of runs (see `withoutBurstRuns`). Off: with each measured process
   * pinned to the fastest CPU, the rule dropped more honest runs than slow ones and raised false
   * alarms (docs/detection.md); kept for the detector harness.
   * @default false
   */
  fastCluster?: boolean
}

export type { Direction }

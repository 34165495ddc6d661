import type { MachineProbe } from '../src/machine/probes.ts'
import type { PlacementRequest } from '../src/machine/placement.ts'
import type { DecisionOptions, MetricSpec } from '../src/scenario/types.ts'
import type { InstructionsWorkerOptions } from './instructions/counter.ts'

/** Key under which the plugin provides {@link WorkerOptions} to workers (`provide`/`inject`). */
export const PROVIDE_KEY = 'benchgate'

/**
 * Which run (1-based) a project is: the plugin injects the replicas `benchgate-run-2` ...
 * `benchgate-run-<runs>` beside the project itself (run 1); vitest 5 names their bench twins
 * `benchgate-run-N (bench)`.
 */
export function runNumber(projectName: string | undefined): number {
  const m = /(?:^|:)benchgate-run-(\d+)(?: \(bench\))?$/.exec(projectName ?? '')
  return m ? Number(m[1]) : 1
}

/** What workers need to know: the tag filter and the rounds override, and what `rounds: 'auto'` compares with. */
export interface WorkerOptions {
  tags: string[]
  rounds?: number
  /** The project root: benchmark keys are file paths relative to it. */
  root?: string
  /** The gate's thresholds (a scenario's own override them). */
  thresholds?: { warning: number, critical: number }
  /**
   * For `rounds: 'auto'`: the baseline's per-round values of each scenario metric (runs pooled,
   * at most 200 order statistics), by benchmark key and metric. Absent in update mode (`-u`).
   */
  references?: Record<string, Record<string, number[]>>
  /**
   * The share of a plain bench's tinybench `time` and `warmupTime` each run measures for
   * (`timeBudget / runs`; see the option); absent: the full time.
   */
  timeShare?: number
  /** Where measured processes run (see src/machine/placement.ts); absent: they are not placed. */
  placement?: PlacementRequest
  /** `false`: measured processes skip the machine probes (the `probes` option). Absent: they time them. */
  probes?: false
  /** `--measure instructions`: count instructions per round under Callgrind (plugin/instructions/). Absent: wall time. */
  measure?: InstructionsWorkerOptions
}

/**
 * What a measured process reports about the machine, on its test file's `meta.benchgateMachine`
 * (set by the worker setup file before the benchmarks run): where it ran and its machine probes.
 */
export interface MachineMeta {
  v: 1
  /** The CPU it measured on, when pinned. */
  cpu?: number
  /** Calibration: the compute probe's time (ms) on each CPU tried. */
  speeds?: Record<string, number>
  /** Why it is not pinned, when it is not. */
  unpinned?: string
  /** Absent when the probes are off. */
  probe?: MachineProbe
}

/** How a `rounds: 'auto'` run ended (see src/compare/auto-rounds.ts). */
export interface AutoRoundsMeta {
  rounds: number
  decided: boolean
  stop: 'decided' | 'budget' | 'max-rounds'
  budgetMs: number
}

/** What a scenario leaves on its task's `meta.benchgate` for the reporter (JSON only). */
export interface ScenarioMeta {
  v: 1
  kind: 'scenario'
  description?: string
  tags: string[]
  configHash: string
  rounds: number
  warmupRounds: number
  timeMetric: string
  metrics: Record<string, MetricSpec>
  decision?: DecisionOptions
  /** Per-round values by metric name, filled while the scenario runs. */
  values: Record<string, number[]>
  /** Set by a `rounds: 'auto'` scenario when its run stops. */
  auto?: AutoRoundsMeta
  error?: { message: string, stack?: string }
}

/** What a benchgate `bench(name, fn, { tags })` leaves on its task's `meta.benchgate`. */
export interface BenchMeta {
  v: 1
  kind: 'bench'
  tags: string[]
  /** Instruction mode: instructions per call, one value per measured round (each round a batch of `batch` calls). */
  instructions?: { values: number[], batch: number }
}

export type TaskMeta = ScenarioMeta | BenchMeta

declare module 'vitest' {
  interface ProvidedContext {
    benchgate: WorkerOptions
  }
  interface TaskMeta {
    benchgate?: import('./protocol.ts').TaskMeta
    benchgateMachine?: import('./protocol.ts').MachineMeta
    /** The tags of a benchmark that was registered as skipped (tag filter, `maxRuns`). */
    benchgateTags?: string[]
  }
}

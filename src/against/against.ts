/**
 * `benchgate compare --against <ref>`: a same-machine comparison of the checked-out code (head)
 * with a git ref (base), measured now, in alternating independent runs (base, head, base, head ...)
 * so that drift in the machine's load hits both sides alike, and decided by the gate's own
 * `compareWithBaseline()` with the base runs as the baseline (or, with `paired`, on the per-pair ratios of
 * run medians). With `runs: 'auto'` it keeps adding run pairs
 * until every comparison's interval clears every threshold, the budget ends, or `maxRuns` is reached.
 */
import { mergeBaseline } from '../baseline/merge.ts'
import { gateDefaults } from '../config/gate.ts'
import type { RunReport } from '../report/types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import { gitInfo } from '../util/git.ts'
import { updateAuto, type AutoState } from '../compare/auto-runs.ts'
import type { CpuMode } from '../machine/placement.ts'
import { summarizeMachines } from '../machine/summary.ts'
import { joinRuns, measureInChild, type MeasuredRun, type RunRequest } from './child-run.ts'
import { noiseWarnings, readCpuStates } from '../compare/noise.ts'
import { compareWithBaseline, type BaselineComparison } from '../compare/verdicts.ts'
import type { ResolvedDecision } from '../scenario/measured.ts'
import { prepareWorktree, type PreparedWorktree } from './worktree.ts'
import { signedPercent } from '../util/format.ts'

/** Runs per side when neither `runs` nor auto-sampling says otherwise. */
export const DEFAULT_AGAINST_RUNS = 5
/** Auto-sampling: run pairs before the first check, the cap, and the default budget. */
export const AUTO_DEFAULTS = { minRuns: 3, maxRuns: 30, budgetMs: 300_000 } as const

/** What {@link compareAgainst} needs. */
export interface AgainstOptions {
  /** The head project's root (the current checkout). */
  root: string
  /** The git ref to compare against (branch, tag, commit, `HEAD~1`, a merge base ...). */
  ref: string
  tags?: string[]
  filters?: string[]
  vitestConfig?: string
  /** Measured rounds per scenario per run (`--measurement-rounds`). */
  rounds?: number
  /** Runs per side, or `auto`. @default DEFAULT_AGAINST_RUNS */
  runs?: number | 'auto'
  /** Auto-sampling budget in ms (measuring only; the worktree setup is not counted). */
  budgetMs?: number
  minRuns?: number
  maxRuns?: number
  /**
   * Where each run's measured processes run (`BENCHGATE_CPU`): `auto` (the default) pins each to the
   * fastest CPU it finds and moves the orchestrating process off it; a number pins to that CPU;
   * `off` leaves placement to the OS.
   */
  cpu?: CpuMode
  /**
   * Decide on the per-pair ratios of neighbouring base and head runs instead of the two sides' runs
   * as samples. Pairing removes slow drift of the machine's speed (over minutes), not noise that is
   * per process; where the noise is per process it gains nothing (docs/detection.md).
   * @default false
   */
  paired?: boolean
  /** `--shard <index>/<count>`: only this shard's files, on both sides (see `benchgate merge`). */
  shard?: { index: number, count: number }
  log?: (line: string) => void
  /** Measures one run (tests substitute a fake). @default measureInChild */
  measure?: (request: RunRequest) => Promise<MeasuredRun>
  /** Prepares the base checkout (tests substitute a fake). @default prepareWorktree */
  prepare?: typeof prepareWorktree
  /** ms clock. @default performance.now */
  clock?: () => number
}

/** The outcome of {@link compareAgainst}. */
export interface AgainstResult {
  report: RunReport
  worktree: PreparedWorktree
  /** Runs measured per side. */
  runsPerSide: number
  /** Auto-sampling only: per `benchmark key [metric]`, when it was decided; and why sampling stopped. */
  auto?: { states: Map<string, AutoState>, stop: 'decided' | 'budget' | 'max-runs' }
  /** Wall time of the measuring, ms. */
  measureMs: number
}

/** Files under benchgate's own directory: the base worktree, which a head's `**` include glob also reaches. */
const OWN_DIR = /^(?:\.\.\/)*\.benchgate\//

/** The decision settings: the head project's own (from its run report) plus the gate's noise prior. */
export function decisionOf(run: Pick<MeasuredRun, 'options'>): ResolvedDecision {
  return {
    thresholds: { ...run.options.thresholds },
    alpha: run.options.alpha,
    failOn: run.options.failOn,
    noisePrior: { ...gateDefaults.noisePrior },
    resamples: gateDefaults.resamples,
  }
}

/**
 * Compares head runs with base runs through `compareWithBaseline()`: the base runs become the baseline.
 * `paired`: run i of each side (measured one after the other) form a pair (`comparePairedRuns`).
 */
export function decideAgainst(baseRuns: readonly MeasuredRun[], headRuns: readonly MeasuredRun[], sha?: string, paired = false): BaselineComparison {
  const head = joinRuns(headRuns)
  const context = { environment: baseRuns[0]!.environment, now: new Date().toISOString(), ...(sha ? { commit: sha } : {}) }
  const baseline = mergeBaseline(undefined, joinRuns(baseRuns), context)
  // both sides were measured now, next to each other: the machine cannot have moved in between
  return compareWithBaseline(head, baseline, { decision: decisionOf(headRuns[0]!), mode: 'compare', filesRun: new Set(head.map(b => b.file)), paired, sameSession: true })
}

function metricsOf(result: BaselineComparison) {
  return new Map(result.benchmarks.flatMap(b => b.metrics.map(m => [`${b.key} [${m.metric}]`, m] as const)))
}

function positive(flag: string, n: number | undefined, fallback: number): number {
  const v = n ?? fallback
  if (!Number.isInteger(v) || v < 1) throw new BenchgateError(`${flag}: expected an integer >= 1 but received ${JSON.stringify(n)}`, 2)
  return v
}

/**
 * Prepares the base worktree, measures base and head in alternating runs, and decides. Errors name
 * the ref or the side whose run failed.
 */
export async function compareAgainst(options: AgainstOptions): Promise<AgainstResult> {
  const log = options.log ?? (() => {})
  const measure = options.measure ?? measureInChild
  const clock = options.clock ?? (() => performance.now())
  const paired = options.paired ?? false
  const auto = options.runs === 'auto'
  const fixedRuns = auto ? 0 : positive('--runs', options.runs as number | undefined, DEFAULT_AGAINST_RUNS)
  const minRuns = auto ? positive('--min-runs', options.minRuns, AUTO_DEFAULTS.minRuns) : fixedRuns
  const maxRuns = auto ? Math.max(minRuns, positive('--max-runs', options.maxRuns, AUTO_DEFAULTS.maxRuns)) : fixedRuns
  const budgetMs = options.budgetMs ?? AUTO_DEFAULTS.budgetMs
  if (!(budgetMs > 0)) throw new BenchgateError(`--budget: expected a number of seconds > 0 but received ${budgetMs / 1000}`, 2)

  const worktree = (options.prepare ?? prepareWorktree)(options.root, options.ref, log)
  const short = worktree.sha.slice(0, 10)
  const warnings: string[] = []
  const common = {
    ...(options.vitestConfig ? { vitestConfig: options.vitestConfig } : {}),
    ...(options.filters?.length ? { filters: options.filters } : {}),
    ...(options.tags?.length ? { tags: options.tags } : {}),
    ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
  }
  const cpuBefore = readCpuStates()
  const baseRuns: MeasuredRun[] = []
  const headRuns: MeasuredRun[] = []
  let ownDirSeen = false
  const states = new Map<string, AutoState>()
  let stop: 'decided' | 'budget' | 'max-runs' = 'max-runs'
  const started = clock()
  log(`benchgate: measuring ${options.ref} (${short}) and the working tree in alternating runs${auto ? ` until decided (budget ${Math.round(budgetMs / 1000)} s, at most ${maxRuns} per side)` : `, ${fixedRuns} per side`}`)
  for (let pair = 0; pair < maxRuns; pair++) {
    baseRuns.push(await measure({ root: worktree.root, label: `base ${options.ref} (${short}) run ${pair + 1}`, ...common }))
    const head = await measure({ root: options.root, label: `head run ${pair + 1}`, ...common })
    const before = head.benchmarks.length
    head.benchmarks = head.benchmarks.filter(b => !OWN_DIR.test(b.file))
    ownDirSeen ||= head.benchmarks.length < before
    headRuns.push(head)
    const n = pair + 1
    log(`benchgate: ${n} run${n === 1 ? '' : 's'} per side (${((clock() - started) / 1000).toFixed(0)} s)`)
    if (!auto || n < minRuns) continue
    if (updateAuto(states, metricsOf(decideAgainst(baseRuns, headRuns, worktree.sha, paired)), n)) {
      stop = 'decided'
      break
    }
    const elapsed = clock() - started
    if (elapsed + elapsed / n > budgetMs) {
      stop = 'budget'
      break
    }
  }
  const measureMs = clock() - started
  if (baseRuns.length === 0) throw new BenchgateError(`--against ${options.ref}: nothing was measured`)
  if (ownDirSeen) warnings.push('the benchmark include glob reaches .benchgate/ (the base worktree): those files were left out of the head\'s results; add \'**/.benchgate/**\' to benchmark.exclude in the vitest config to stop measuring them twice')

  const result = decideAgainst(baseRuns, headRuns, worktree.sha, paired)
  const runsPerSide = baseRuns.length
  if (auto) {
    const undecided: string[] = []
    for (const bench of result.benchmarks) {
      for (const metric of bench.metrics) {
        const state = states.get(`${bench.key} [${metric.metric}]`)
        if (!state) continue
        if (state.straddles !== undefined) {
          const at = signedPercent(state.straddles, { digits: 0 })
          metric.message = `undecided after ${runsPerSide} runs per side (the interval still straddles ${at}): ${metric.message}`
          undecided.push(`${bench.key} [${metric.metric}]`)
        }
        else if (state.decidedAt !== undefined) {
          metric.message = `${metric.message} (decided after ${state.decidedAt} runs per side)`
        }
      }
    }
    if (undecided.length) warnings.push(`undecided: ${undecided.join(', ')}: the ${stop === 'budget' ? 'budget' : 'run limit'} ended before the interval cleared every threshold; the verdict shown is the gate's on the data so far (a true change close to a threshold never decides)`)
  }
  warnings.push(...noiseWarnings(result.benchmarks, cpuBefore))
  const machines = [...baseRuns, ...headRuns].flatMap(run => run.benchmarks.flatMap(b => b.machine ? [b.machine] : []))
  const machine = summarizeMachines(options.cpu ?? 'auto', machines)
  if (machine.unpinned && options.cpu !== 'off') warnings.push(`${machine.runs - machine.pinnedRuns} of ${machine.runs} measured processes were not pinned to a CPU (${machine.unpinned}): where CPUs differ in speed, runs vary more`)

  const first = headRuns[0]!
  const git = gitInfo(options.root)
  const report: RunReport = {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: first.environment.benchgate },
    timestamp: new Date().toISOString(),
    mode: 'compare',
    environment: first.environment,
    baselineFile: `${options.ref} (${short}), measured now in alternating runs${paired ? ', decided on per-pair ratios' : ''}`,
    options: {
      tags: options.tags ?? [],
      runs: runsPerSide,
      thresholds: { ...first.options.thresholds },
      alpha: first.options.alpha,
      failOn: first.options.failOn,
      ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
    },
    machine,
    warnings,
    benchmarks: result.benchmarks,
    counts: result.counts,
    passed: result.passed,
    outcome: result.outcome,
  }
  if (git.commit || git.branch) report.git = git
  return { report, worktree, runsPerSide, measureMs, ...(auto ? { auto: { states, stop } } : {}) }
}

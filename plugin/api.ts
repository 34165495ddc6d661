import { relative } from 'node:path'
import * as vitest from 'vitest'
import type { BenchFunction, BenchOptions } from 'vitest'
import type { MetricSpec, ScenarioContext, ScenarioDefinition } from '../src/scenario/types.ts'
import { validateScenario } from '../src/scenario/validate.ts'
import { AUTO_ROUNDS_DEFAULTS, autoRoundsRule } from '../src/compare/auto-rounds.ts'
import { configHash } from '../src/scenario/hash.ts'
import { matchesTags } from '../src/scenario/tags.ts'
import { BenchgateError, toError } from '../src/util/errors.ts'
import { INSTRUCTIONS_METRIC } from '../src/measure/mode.ts'
import { getCurrentSuite } from './current-suite.ts'
import { runNumber, type BenchMeta, type ScenarioMeta, type WorkerOptions } from './protocol.ts'
import { instructionCounter, type InstructionCounter } from './instructions/counter.ts'
import { ONE_CALL, plainInstructionsBody } from './instructions/plain.ts'
import { measuredSpecs } from './instructions/specs.ts'
import { benchChainV5, registerBenchV5, registerScenarioV5, skipV5 } from './v5/worker.ts'
import { injectedWorkerOptions } from './worker-options.ts'

/** Default measured rounds of a scenario. */
export const DEFAULT_ROUNDS = 10
/** Thresholds when the plugin provides none (a scenario run outside it). */
const DEFAULT_THRESHOLDS = { warning: 0.05, critical: 0.10 }
/** Default warm-up rounds of a scenario. */
export const DEFAULT_WARMUP_ROUNDS = 3

/** `bench()` options: Vitest's (tinybench's) plus `tags` for the tag filter. */
export type BenchgateBenchOptions = BenchOptions & { tags?: string[] }

type VitestBench = typeof vitest.bench

/**
 * Vitest 4's top-level `bench`, or `undefined` under vitest 5 (there `bench` is a test-context
 * fixture and `plugin/v5/worker.ts` registers tests instead). Read lazily: importing this module
 * must work under either major.
 */
function v4Bench(): VitestBench | undefined {
  const candidate = (vitest as { bench?: VitestBench }).bench
  return typeof candidate === 'function' ? candidate : undefined
}

function workerOptions(): WorkerOptions {
  return injectedWorkerOptions() ?? { tags: [] }
}

/** The task `bench()` / `test()` just registered in the current suite. */
function currentTask(): { meta: import('vitest').TaskMeta, file?: { filepath: string }, fullTestName?: string, name: string } | undefined {
  const task = getCurrentSuite().tasks.at(-1)
  return task && 'type' in task && task.type === 'test' ? task : undefined
}

/** Which of the plugin's independent runs this worker is (1-based; 1 outside the plugin). */
function currentRun(): number {
  const file = (getCurrentSuite() as { file?: { projectName?: string } }).file
  return runNumber(file?.projectName)
}

/** Benchmarks are keyed by name: a second one with the same name in the same block is an error. */
function assertUniqueName(name: string, what: string): void {
  const taken = getCurrentSuite().tasks.some(task => task.name === name)
  if (taken) throw new BenchgateError(`${what} "${name}": another benchmark in the same file and describe block has this name (benchmarks are keyed by name)`)
}

/**
 * Leaves a skipped benchmark's tags on its task (`meta.benchgateTags`), so that the gate knows every
 * tag of the project, also those a tag filter skipped: a filter that matches none of them fails.
 */
function markSkippedTags(tags: readonly string[]): void {
  const task = currentTask()
  if (task && tags.length) task.meta.benchgateTags = [...tags]
}

/** Registers a scenario: a benchmark measured in rounds, with custom metrics collected after each round. */
function scenario<State = undefined, Params extends Record<string, unknown> = Record<string, unknown>>(def: ScenarioDefinition<State, Params>): void {
  validateScenario(def)
  assertUniqueName(def.name, 'scenario')
  const options = workerOptions()
  const tags = [...(def.tags ?? [])]
  const vitestBench = v4Bench()
  if (!matchesTags(tags, options.tags) || (def.maxRuns !== undefined && currentRun() > def.maxRuns)) {
    if (vitestBench) vitestBench.skip(def.name, () => {})
    else skipV5(def.name)
    markSkippedTags(tags)
    return
  }
  // --measurement-rounds changes precision, not what is measured: the hash keeps the declared rounds.
  const declaredRounds = def.rounds ?? DEFAULT_ROUNDS
  // --measurement-rounds also overrides 'auto'; an auto run is registered for its cap and stops early.
  // Instruction counts are deterministic: there, 'auto' is its minRounds.
  const measure = options.measure
  const auto = options.rounds === undefined && declaredRounds === 'auto' && !measure
  const autoLimits = { ...AUTO_ROUNDS_DEFAULTS, ...def.autoRounds }
  const rounds = options.rounds ?? (declaredRounds === 'auto' ? (measure ? autoLimits.minRounds : autoLimits.maxRounds) : declaredRounds)
  const warmupRounds = def.warmupRounds ?? DEFAULT_WARMUP_ROUNDS
  const timeMetric = def.timeMetric ?? 'time'
  const custom = Object.entries(def.metrics ?? {})
  const specs: Record<string, MetricSpec> = { [timeMetric]: { direction: 'lower', unit: 'ms' } }
  for (const [name, m] of custom) {
    const spec: MetricSpec = { direction: m.direction, unit: m.unit ?? '' }
    if (m.min !== undefined) spec.min = m.min
    if (m.max !== undefined) spec.max = m.max
    if (m.thresholds) spec.thresholds = { ...m.thresholds }
    specs[name] = spec
  }
  const params = Object.freeze({ ...(def.params ?? {}) }) as Params
  // the hash is of what was declared (time metric included), whatever this run measures
  const measuredMetrics = measure ? measuredSpecs(specs, timeMetric) : specs
  const meta: ScenarioMeta = {
    v: 1,
    kind: 'scenario',
    tags,
    configHash: configHash({ params, rounds: declaredRounds, warmupRounds, metrics: specs }),
    rounds,
    warmupRounds,
    timeMetric,
    metrics: measuredMetrics,
    values: Object.fromEntries(Object.keys(measuredMetrics).map(name => [name, [] as number[]])),
  }
  if (def.description) meta.description = def.description
  const decision = { ...(def.thresholds ? { thresholds: { ...def.thresholds } } : {}), ...(def.alpha !== undefined ? { alpha: def.alpha } : {}), ...(def.failOn ? { failOn: def.failOn } : {}) }
  if (Object.keys(decision).length) meta.decision = decision

  let rule: ReturnType<typeof autoRoundsRule> | undefined
  let autoElapsed = 0
  let task: ReturnType<typeof currentTask>
  const startAuto = () => {
    const key = task?.file ? `${relative(options.root ?? process.cwd(), task.file.filepath).split('\\').join('/')} > ${task.fullTestName ?? task.name}` : undefined
    const reference = key ? options.references?.[key]?.[timeMetric] : undefined
    const thresholds = { ...(options.thresholds ?? DEFAULT_THRESHOLDS), ...def.thresholds, ...def.metrics?.[timeMetric]?.thresholds }
    return autoRoundsRule({ ...autoLimits, thresholds, ...(reference ? { reference } : {}) })
  }

  let state: State | undefined
  let counter: InstructionCounter | undefined
  let started = false
  let finished = false
  let round = -warmupRounds
  let lastRoundMs = Number.NaN
  const context = (): ScenarioContext<State, Params> => ({ params, state: state as State, round, warmup: round < 0, lastRoundMs })

  const finish = async () => {
    finished = true
    counter?.end()
    if (started && def.teardown) await def.teardown(context())
  }
  const fail = async (error: unknown) => {
    const err = toError(error)
    meta.error = err.stack ? { message: err.message, stack: err.stack } : { message: err.message }
    try {
      if (!finished) await finish()
    }
    catch {}
  }

  // One call = one round. Our own clock times `run` alone; metrics are collected after it.
  const fn = async () => {
    if (finished) return
    try {
      if (!started) {
        started = true
        state = (await def.setup?.(context() as unknown as ScenarioContext<undefined, Params>)) as State
        if (measure) counter = await instructionCounter(measure)
      }
      const ctx = context()
      await def.beforeRound?.(ctx)
      let counted: number | undefined
      const t0 = performance.now()
      // warm-up rounds run uncounted, before Callgrind's instrumentation is on (5-10x cheaper)
      if (counter && round >= 0) counted = await counter.count(() => def.run(ctx))
      else await def.run(ctx)
      lastRoundMs = performance.now() - t0
      if (round >= 0) {
        if (counted !== undefined) meta.values[INSTRUCTIONS_METRIC]!.push(counted)
        else meta.values[timeMetric]!.push(lastRoundMs)
        autoElapsed += lastRoundMs
        for (const [name, m] of custom) {
          const value = await m.collect(context())
          if (typeof value !== 'number' || !Number.isFinite(value))
            throw new TypeError(`metric "${name}" of scenario "${def.name}": collect() returned ${String(value)}, expected a finite number`)
          meta.values[name]!.push(value)
        }
      }
      round++
      if (auto && round > 0) {
        rule ??= startAuto()
        const outcome = rule.check(meta.values[timeMetric]!, autoElapsed)
        if (outcome) {
          meta.auto = { ...outcome, budgetMs: autoLimits.budgetMs }
          meta.rounds = outcome.rounds
          await finish()
          return
        }
      }
      if (round >= rounds) await finish()
    }
    catch (error) {
      await fail(error)
    }
  }

  if (!vitestBench) {
    registerScenarioV5(def.name, fn, meta)
    task = currentTask()
    return
  }
  vitestBench(def.name, fn, {
    time: 0,
    iterations: rounds,
    warmupTime: 0,
    warmupIterations: warmupRounds,
  })
  task = currentTask()
  if (task) task.meta.benchgate = meta
}

function plainBench(name: string | Function, fn?: BenchFunction, options?: BenchgateBenchOptions): void {
  const { tags = [], ...rest } = options ?? {}
  assertUniqueName(typeof name === 'string' ? name : name.name || '<anonymous>', 'bench')
  const vitestBench = v4Bench()
  if (!matchesTags(tags, workerOptions().tags)) {
    if (vitestBench) vitestBench.skip(name, fn, rest)
    else skipV5(name)
    markSkippedTags(tags)
    return
  }
  const meta: BenchMeta = { v: 1, kind: 'bench', tags: [...tags] }
  // instruction mode: a fixed number of counted calls, all in one tinybench call (plugin/instructions/plain.ts)
  const { measure, rounds } = workerOptions()
  const [body, runOptions] = measure && typeof fn === 'function'
    ? [plainInstructionsBody(fn as () => unknown, meta, measure, { rounds: rounds ?? DEFAULT_ROUNDS, warmupRounds: DEFAULT_WARMUP_ROUNDS }), { ...rest, ...ONE_CALL } as BenchOptions]
    : [fn, rest]
  if (!vitestBench) {
    registerBenchV5(typeof name === 'string' ? name : name.name || '<anonymous>', body, runOptions, meta)
    return
  }
  vitestBench(name, body, runOptions)
  const task = currentTask()
  if (task) task.meta.benchgate = meta
}

/** `bench` with its chain (`skip`, `only`, `todo`, `skipIf`, `runIf`) and `scenario`. */
export type BenchgateBench = ((name: string | Function, fn?: BenchFunction, options?: BenchgateBenchOptions) => void)
  & Pick<VitestBench, 'skip' | 'only' | 'todo' | 'skipIf' | 'runIf'>
  & { scenario: typeof scenario }

type ChainKey = 'skip' | 'only' | 'todo' | 'skipIf' | 'runIf'

/** `bench.skip` and the rest: vitest 4's own, or their vitest 5 equivalents built on `test`. */
function chain<K extends ChainKey>(key: K): VitestBench[K] {
  const vitestBench = v4Bench()
  return vitestBench ? vitestBench[key] : benchChainV5(plainBench)[key] as unknown as VitestBench[K]
}

/**
 * Vitest's `bench`, unchanged for plain benchmarks (plus an optional `tags` option), with
 * `bench.scenario({...})` added. Under vitest 5 each benchmark is registered as a test that uses
 * the `bench` fixture, with the same name and the same `meta.benchgate`.
 */
export const bench: BenchgateBench = Object.assign(plainBench, { scenario }) as BenchgateBench
for (const key of ['skip', 'only', 'todo', 'skipIf', 'runIf'] as const)
  Object.defineProperty(bench, key, { get: () => chain(key), enumerable: true })

import type { BenchMeta } from '../protocol.ts'
import type { InstructionsWorkerOptions } from './counter.ts'
import { ONE_CALL, plainInstructionsBody } from './plain.ts'

/** A task of a vitest 4 suite, as far as counting its own `bench()` needs it. */
interface SuiteTask {
  type: string
  name: string
  mode: string
  meta?: { benchmark?: boolean, benchgate?: unknown }
  result?: { state?: string }
  tasks?: SuiteTask[]
}

/** The fields of a tinybench 2 `Bench` that decide how often a task's function is called. */
interface TinybenchLoop {
  iterations: number
  time: number
  warmupIterations: number
  warmupTime: number
}

/**
 * Instruction mode for vitest 4's own `bench(name, fn)` (imported from 'vitest', as a suite that
 * does not know benchgate writes it): its function is counted as benchgate's plain `bench` counts
 * one (plugin/instructions/plain.ts: a fixed number of counted calls, once, instead of tinybench's
 * timed loop), and the counts travel on the task's `meta.benchgate`, so the reporter stores
 * instructions, not the wall time of code running under Valgrind.
 *
 * Vitest builds one tinybench `Bench` and `Task` per benchmark when its suite runs
 * (`new Task(bench, name, getBenchFn(benchmark))`, right after setting the benchmark's
 * `result.state` to `run`); the worker runner (plugin/v4/runner.ts) hands each `Task` construction
 * to {@link NativeBenchCounting.wrap}, which finds the benchmark by that name, function and state.
 */
export class NativeBenchCounting {
  #pending: SuiteTask[] = []

  constructor(
    private readonly measure: InstructionsWorkerOptions,
    private readonly plan: { rounds: number, warmupRounds: number },
    private readonly benchFn: (task: SuiteTask) => unknown,
  ) {}

  /** Before a file's suite runs: every vitest `bench()` in it (any describe) that benchgate did not register. */
  prepare(suite: SuiteTask): void {
    for (const task of suite.tasks ?? []) {
      if (task.type === 'suite') this.prepare(task)
      else if (task.meta?.benchmark && !task.meta.benchgate && (task.mode === 'run' || task.mode === 'queued')) this.#pending.push(task)
    }
  }

  /**
   * The function a tinybench `Task` for `name` should run: for a vitest bench found by
   * {@link prepare}, the counting body (and `bench` set to call it once, without warm-up), else `fn`.
   */
  wrap(bench: TinybenchLoop, name: string, fn: unknown): unknown {
    const i = this.#pending.findIndex(task => task.name === name && this.benchFn(task) === fn && task.result?.state === 'run')
    if (i < 0 || typeof fn !== 'function') return fn
    const [task] = this.#pending.splice(i, 1)
    const meta: BenchMeta = { v: 1, kind: 'bench', tags: [] }
    task!.meta!.benchgate = meta
    Object.assign(bench, { iterations: ONE_CALL.iterations, time: ONE_CALL.time, warmupIterations: ONE_CALL.warmupIterations, warmupTime: ONE_CALL.warmupTime })
    return plainInstructionsBody(fn as () => unknown, meta, this.measure, this.plan)
  }
}

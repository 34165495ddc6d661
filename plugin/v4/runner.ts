/**
 * The benchmark runner of vitest 4 workers, with two changes. Each run measures a plain bench for
 * its share of the time budget (`WorkerOptions.timeShare`: tinybench's `time` and `warmupTime`
 * scaled, plugin/time-share.ts), so that a gate's runs together cost about what `timeBudget`
 * says rather than `runs` full runs. And a bench's samples are thinned, in place,
 * to the order statistics the gate uses (`thinSamples`) right after tinybench's `complete` event, in
 * which vitest computes its own statistics (sample count, median) from all of them and queues the
 * result to be sent (sent later, in a batch: thinned). The gate needs samples (`includeSamples`), and vitest
 * keeps and sends each bench's raw samples: hundreds of thousands per run for a fast function. A
 * worker holding a file's worth of them reached 2.8 GB (20 no-op benches); with the threads pool
 * (vue core's) every worker's share adds up in the main process, which ran out of its 4 GB heap.
 * The plugin sets it as a project's `runner` unless the project has its own.
 *
 * In instruction mode it also counts vitest's own `bench()` (plugin/instructions/native.ts).
 */
import * as vitest from 'vitest'
import { DEFAULT_ROUNDS, DEFAULT_WARMUP_ROUNDS } from '../api.ts'
import { thinSamples, MAX_PLAIN_SAMPLES } from '../collect.ts'
import { NativeBenchCounting } from '../instructions/native.ts'
import { shareBenchTime, type TimedBench } from '../time-share.ts'
import { injectedWorkerOptions } from '../worker-options.ts'

/** tinybench 2's module, as far as it matters here (vitest's dependency, not benchgate's). */
interface Tinybench {
  Task: new (...args: any[]) => { result?: { samples?: number[] }, dispatchEvent(event: Event): boolean }
  Bench: new (...args: any[]) => TimedBench
  [name: string]: unknown
}

interface BenchmarkRunnerClass {
  new (...args: any[]): { importTinybench(): Promise<Tinybench>, runSuite(suite: unknown): Promise<void> }
}
type GetBenchFn = (task: unknown) => unknown

// vitest 4.1 exports the runner as `BenchmarkRunner`; 4.0 only from `vitest/runners` (deprecated, with a warning, since 4.1)
const Base: BenchmarkRunnerClass = (vitest as unknown as { BenchmarkRunner?: BenchmarkRunnerClass }).BenchmarkRunner
  ?? (await import('vitest/runners') as unknown as { NodeBenchmarkRunner: BenchmarkRunnerClass }).NodeBenchmarkRunner

// the function a vitest bench registered: vitest 4.1 `TestRunner.getBenchFn`, 4.0 `vitest/suite` (deprecated since 4.1)
const TestRunner = (vitest as unknown as { TestRunner?: { getBenchFn: GetBenchFn } }).TestRunner
const getBenchFn: GetBenchFn = TestRunner ? task => TestRunner.getBenchFn(task) : (await import('vitest/suite') as unknown as { getBenchFn: GetBenchFn }).getBenchFn

/**
 * Instruction mode's counting of vitest's own benches, when this worker counts and no tag filter is
 * set (a tag filter leaves vitest's untagged benches out of the gate: they run as they are).
 */
function nativeCounting(): NativeBenchCounting | undefined {
  const options = injectedWorkerOptions()
  if (!options?.measure || options.tags.length > 0) return undefined
  return new NativeBenchCounting(options.measure, { rounds: options.rounds ?? DEFAULT_ROUNDS, warmupRounds: DEFAULT_WARMUP_ROUNDS }, getBenchFn)
}

/** vitest's benchmark runner whose benches measure for their share of the time and whose tinybench tasks keep at most `MAX_PLAIN_SAMPLES` samples. */
export default class ThinSamplesRunner extends Base {
  #native: NativeBenchCounting | undefined | null = null

  override async runSuite(suite: unknown): Promise<void> {
    if (this.#native === null) this.#native = nativeCounting()
    this.#native?.prepare(suite as Parameters<NativeBenchCounting['prepare']>[0])
    return super.runSuite(suite)
  }

  override async importTinybench(): Promise<Tinybench> {
    const tinybench = await super.importTinybench()
    const share = injectedWorkerOptions()?.timeShare
    class Bench extends tinybench.Bench {
      constructor(...args: any[]) {
        super(...args)
        shareBenchTime(this, share)
      }
    }
    const runner = this
    class Task extends tinybench.Task {
      constructor(...args: any[]) {
        const [bench, name, fn, ...rest] = args
        super(bench, name, runner.#native ? runner.#native.wrap(bench, name, fn) : fn, ...rest)
      }

      override dispatchEvent(event: Event): boolean {
        const dispatched = super.dispatchEvent(event)
        // the result object is frozen, its samples array is not (and is the one vitest's result holds)
        const samples = this.result?.samples
        if (event.type === 'complete' && samples && samples.length > MAX_PLAIN_SAMPLES) samples.splice(0, samples.length, ...thinSamples(samples))
        return dispatched
      }
    }
    return { ...tinybench, Bench, Task } as Tinybench
  }
}

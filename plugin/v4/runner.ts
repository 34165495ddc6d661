/**
 * The benchmark runner of vitest 4 workers, with one change: a bench's samples are thinned, in place,
 * to the order statistics the gate uses (`thinSamples`) right after tinybench's `complete` event, in
 * which vitest computes its own statistics (sample count, median) from all of them and queues the
 * result to be sent (sent later, in a batch: thinned). The gate needs samples (`includeSamples`), and vitest
 * keeps and sends each bench's raw samples: hundreds of thousands per run for a fast function. A
 * worker holding a file's worth of them reached 2.8 GB (20 no-op benches); with the threads pool
 * (vue core's) every worker's share adds up in the main process, which ran out of its 4 GB heap.
 * The plugin sets it as a project's `runner` unless the project has its own.
 */
import * as vitest from 'vitest'
import { thinSamples, MAX_PLAIN_SAMPLES } from '../collect.ts'

/** tinybench 2's module, as far as it matters here (vitest's dependency, not benchgate's). */
interface Tinybench {
  Task: new (...args: any[]) => { result?: { samples?: number[] }, dispatchEvent(event: Event): boolean }
  [name: string]: unknown
}
interface BenchmarkRunnerClass {
  new (...args: any[]): { importTinybench(): Promise<Tinybench> }
}

// vitest 4.1 exports the runner as `BenchmarkRunner`; 4.0 only from `vitest/runners` (deprecated, with a warning, since 4.1)
const Base: BenchmarkRunnerClass = (vitest as unknown as { BenchmarkRunner?: BenchmarkRunnerClass }).BenchmarkRunner
  ?? (await import('vitest/runners') as unknown as { NodeBenchmarkRunner: BenchmarkRunnerClass }).NodeBenchmarkRunner

/** vitest's benchmark runner whose tinybench tasks keep at most `MAX_PLAIN_SAMPLES` samples. */
export default class ThinSamplesRunner extends Base {
  override async importTinybench(): Promise<Tinybench> {
    const tinybench = await super.importTinybench()
    class Task extends tinybench.Task {
      override dispatchEvent(event: Event): boolean {
        const dispatched = super.dispatchEvent(event)
        // the result object is frozen, its samples array is not (and is the one vitest's result holds)
        const samples = this.result?.samples
        if (event.type === 'complete' && samples && samples.length > MAX_PLAIN_SAMPLES) samples.splice(0, samples.length, ...thinSamples(samples))
        return dispatched
      }
    }
    return { ...tinybench, Task } as Tinybench
  }
}

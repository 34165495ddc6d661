/**
 * The benchmark runner of vitest 4 workers, with two changes. Each run measures a plain bench for
 * its share of the time budget (`WorkerOptions.timeShare`: tinybench's `time` and `warmupTime`
 * scaled, see the `timeBudget` option), so that a gate's runs together cost about what `timeBudget`
 * says rather than `runs` full runs. And a bench's samples are thinned, in place,
 * to the order statistics the gate uses (`thinSamples`) right after tinybench's `complete` event, in
 * which vitest computes its own statistics (sample count, median) from all of them and queues the
 * result to be sent (sent later, in a batch: thinned). The gate needs samples (`includeSamples`), and vitest
 * keeps and sends each bench's raw samples: hundreds of thousands per run for a fast function. A
 * worker holding a file's worth of them reached 2.8 GB (20 no-op benches); with the threads pool
 * (vue core's) every worker's share adds up in the main process, which ran out of its 4 GB heap.
 * The plugin sets it as a project's `runner` unless the project has its own.
 */
import * as vitest from 'vitest'
import { inject } from 'vitest'
import { thinSamples, MAX_PLAIN_SAMPLES } from '../collect.ts'
import { PROVIDE_KEY, type WorkerOptions } from '../protocol.ts'

/** tinybench 2's module, as far as it matters here (vitest's dependency, not benchgate's). */
interface Tinybench {
  Task: new (...args: any[]) => { result?: { samples?: number[] }, dispatchEvent(event: Event): boolean }
  Bench: new (...args: any[]) => TimedBench
  [name: string]: unknown
}

/** The run options of a tinybench 2 `Bench`, once its constructor applied the defaults. */
export interface TimedBench {
  time: number
  warmupTime: number
}

/**
 * Gives a bench `share` of its time budget: its measuring and its warm-up time (defaults included).
 * A share of 1, or none, leaves it as it is. A scenario's bench (time 0, counted rounds) stays 0.
 */
export function shareBenchTime(bench: TimedBench, share: number | undefined): void {
  if (share === undefined || !(share > 0) || share === 1) return
  bench.time *= share
  bench.warmupTime *= share
}

function timeShare(): number | undefined {
  try {
    return (inject(PROVIDE_KEY) as WorkerOptions | undefined)?.timeShare
  }
  catch {
    return undefined
  }
}
interface BenchmarkRunnerClass {
  new (...args: any[]): { importTinybench(): Promise<Tinybench> }
}

// vitest 4.1 exports the runner as `BenchmarkRunner`; 4.0 only from `vitest/runners` (deprecated, with a warning, since 4.1)
const Base: BenchmarkRunnerClass = (vitest as unknown as { BenchmarkRunner?: BenchmarkRunnerClass }).BenchmarkRunner
  ?? (await import('vitest/runners') as unknown as { NodeBenchmarkRunner: BenchmarkRunnerClass }).NodeBenchmarkRunner

/** vitest's benchmark runner whose benches measure for their share of the time and whose tinybench tasks keep at most `MAX_PLAIN_SAMPLES` samples. */
export default class ThinSamplesRunner extends Base {
  override async importTinybench(): Promise<Tinybench> {
    const tinybench = await super.importTinybench()
    const share = timeShare()
    class Bench extends tinybench.Bench {
      constructor(...args: any[]) {
        super(...args)
        shareBenchTime(this, share)
      }
    }
    class Task extends tinybench.Task {
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

/**
 * A run's share of a plain bench's tinybench time (`WorkerOptions.timeShare`, see the `timeBudget`
 * option): its measuring and its warm-up time scaled, so that a gate's runs together cost about
 * what `timeBudget` says rather than `runs` full runs. Applied by vitest 4's runner to every bench
 * (plugin/v4/runner.ts) and by benchgate's `bench()` under vitest 5 (plugin/v5/worker.ts).
 */

/** The run options of a tinybench `Bench` that the share scales (ms). */
export interface TimedBench {
  time: number
  warmupTime: number
}

/** The share to apply: none, one that is not > 0, or 1 leaves a bench's time as it is. */
function effectiveShare(share: number | undefined): number | undefined {
  return share === undefined || !(share > 0) || share === 1 ? undefined : share
}

/**
 * Gives a bench `share` of its time budget: its measuring and its warm-up time (defaults included).
 * A scenario's bench (time 0, counted rounds) stays 0.
 */
export function shareBenchTime(bench: TimedBench, share: number | undefined): void {
  const s = effectiveShare(share)
  if (s === undefined) return
  bench.time *= s
  bench.warmupTime *= s
}

/**
 * The run options of a bench, with `share` of its `time` and `warmupTime`, `defaults` where the
 * options set none (the engine's own). Without a share to apply, the options themselves.
 */
export function shareRunOptions<O extends Record<string, unknown>>(options: O, share: number | undefined, defaults: Readonly<TimedBench>): O | (O & TimedBench) {
  if (effectiveShare(share) === undefined) return options
  const times: TimedBench = {
    time: typeof options.time === 'number' ? options.time : defaults.time,
    warmupTime: typeof options.warmupTime === 'number' ? options.warmupTime : defaults.warmupTime,
  }
  shareBenchTime(times, share)
  return { ...options, ...times }
}

import { test } from 'vitest'
import type { BenchMeta, ScenarioMeta } from '../protocol.ts'
import { shareRunOptions } from '../time-share.ts'
import { injectedWorkerOptions } from '../worker-options.ts'
import type { V5RunOptions, V5TestApi, V5TestContext, V5TestFn } from './types.ts'

/**
 * Worker side of the vitest 5 adapter. Vitest 5 has no top-level `bench`: a benchmark is a test that
 * uses the `bench` fixture, `test(name, async ({ bench }) => bench(name, fn).run(options))`. Each
 * benchgate benchmark becomes one such test with the same name, so the key stays
 * `file > describe > name`, and its `meta.benchgate` carries the same protocol as under vitest 4.
 */

function testApi(): V5TestApi {
  return test as unknown as V5TestApi
}

/** Options of a vitest 4 style `bench(name, fn, options)` (tinybench 2 names), as far as they carry over. */
export type PlainBenchOptions = Record<string, unknown>

const isAsyncFunction = (fn: Function) => fn.constructor.name === 'AsyncFunction'

/**
 * tinybench 6's `time` and `warmupTime` (ms) for a bench whose options leave them out: vitest 5's
 * default provider passes the caller's options over them. test/v5/time-share-v5.test.ts checks
 * them against the tinybench vitest 5 installs.
 */
export const TINYBENCH6_TIMES = { time: 1000, warmupTime: 250 } as const

/**
 * Registers a scenario as a vitest 5 test. `fn` is one round (the adapter's own clock times it and
 * collects metrics into `meta.values`); tinybench calls it `warmupRounds + rounds` times: `async` is
 * passed explicitly, else tinybench would call it once more to find out.
 */
export function registerScenarioV5(name: string, fn: () => Promise<void>, meta: ScenarioMeta): void {
  const run: V5RunOptions = {
    iterations: meta.rounds,
    time: 0,
    warmup: meta.warmupRounds > 0,
    warmupIterations: meta.warmupRounds,
    warmupTime: 0,
  }
  testApi()(name, { meta: { benchgate: meta } }, async ({ bench, task }: V5TestContext) => {
    task.meta.benchgate = meta
    await bench(name, { async: true }, fn).run(run)
    task.meta.benchgate = meta
  })
}

/**
 * Registers a plain benchmark as a vitest 5 test. The vitest 4 options (`time`, `iterations`,
 * `warmupTime`, `warmupIterations`, `setup`, `teardown`, ...) are tinybench's run options in both
 * majors and go to `.run()`, with the run's share of the time (plugin/time-share.ts); samples
 * are retained so the reporter can compare distributions.
 */
export function registerBenchV5(name: string, fn: Function | undefined, options: PlainBenchOptions, meta: BenchMeta, modifier?: 'only'): void {
  if (typeof fn !== 'function') throw new TypeError(`bench "${name}": expected a function as the second argument but received ${fn === null ? 'null' : typeof fn}`)
  const register: V5TestFn = modifier === 'only' ? testApi().only : testApi()
  const body = fn as () => unknown
  register(name, { meta: { benchgate: meta } }, async ({ bench, task }: V5TestContext) => {
    task.meta.benchgate = meta
    const registration = isAsyncFunction(fn) ? bench(name, { async: true }, body) : bench(name, {}, body)
    await registration.run({ ...shareRunOptions(options, injectedWorkerOptions()?.timeShare, TINYBENCH6_TIMES), retainSamples: true })
  })
}

/** `bench.skip` under vitest 5: a skipped test of that name. */
export function skipV5(name: string | Function): void {
  testApi().skip(typeof name === 'string' ? name : name.name || '<anonymous>', () => {})
}

/** The chain of `bench` (`skip`, `only`, `todo`, `skipIf`, `runIf`) under vitest 5, built on `test`'s. */
export function benchChainV5<B extends (name: string | Function, fn?: any, options?: any) => void>(plain: B) {
  const only = (name: string | Function, fn?: Function, options?: PlainBenchOptions) => {
    const { tags: _tags, ...rest } = options ?? {}
    registerBenchV5(typeof name === 'string' ? name : name.name || '<anonymous>', fn, rest, { v: 1, kind: 'bench', tags: [] }, 'only')
  }
  const todo = (name: string | Function) => testApi().todo(typeof name === 'string' ? name : name.name || '<anonymous>')
  return {
    skip: skipV5,
    only,
    todo,
    skipIf: (condition: unknown) => (condition ? skipV5 : plain),
    runIf: (condition: unknown) => (condition ? plain : skipV5),
  }
}

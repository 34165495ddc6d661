/**
 * The small part of Vitest 5's API that the v5 adapter uses, described locally: the repo's own
 * `node_modules` hold vitest 4, whose types describe another API. Verified against vitest 5.1.1
 * (tinybench 6.2.5) on Node 22.23.3; names and shapes follow its `dist/*.d.ts`.
 */

/** tinybench 6 statistics of one task (`latency` in ms, `throughput` in ops/s); `samples` only with `retainSamples`, sorted ascending. */
export interface V5Statistics {
  mean: number
  p50?: number
  samplesCount: number
  samples?: number[]
}

/** One measured task as the reporter sees it (`TestBenchmarkTask`). */
export interface V5BenchmarkTask {
  name: string
  latency: V5Statistics
  throughput: V5Statistics
  rank: number
  /** Set for `bench.from()` rows: read from a file, not measured. */
  fromStore?: boolean
}

/** One `.run()` / `bench.compare()` of a test (`TestBenchmark`). */
export interface V5TestBenchmark {
  name: string
  tasks: V5BenchmarkTask[]
}

/** tinybench 6 run options, given to `registration.run(options)` (`BenchRunOptions`). */
export interface V5RunOptions {
  iterations?: number
  time?: number
  warmup?: boolean
  warmupIterations?: number
  warmupTime?: number
  retainSamples?: boolean
  [option: string]: unknown
}

/** Per-benchmark options, the second argument of `bench(name, options, fn)` (`BenchFnOptions`). */
export interface V5BenchFnOptions {
  /** Whether `fn` is async; without it tinybench calls `fn` once more to find out. */
  async?: boolean
}

/** What `bench(name, [options,] fn)` returns (`BenchRegistration`). */
export interface V5BenchRegistration {
  name: string
  run(options?: V5RunOptions): Promise<unknown>
}

/** The `bench` test-context fixture (`Bench`); it exists only in benchmark projects. */
export interface V5BenchFixture {
  (name: string, options: V5BenchFnOptions, fn: () => unknown): V5BenchRegistration
}

/** The test context a benchgate test uses. */
export interface V5TestContext {
  bench: V5BenchFixture
  task: { meta: Record<string, unknown> }
}

/** Test options benchgate passes (`TestOptions`). */
export interface V5TestOptions {
  meta?: Record<string, unknown>
}

/** A `test()` function of vitest 5 (`test`, `test.only`). */
export type V5TestFn = (name: string, options: V5TestOptions, fn: (context: V5TestContext) => Promise<void>) => void

/** vitest 5's `test`, with the modifiers benchgate uses. */
export interface V5TestApi {
  (name: string, options: V5TestOptions, fn: (context: V5TestContext) => Promise<void>): void
  only: V5TestFn
  skip: (name: string, fn?: () => void) => void
  todo: (name: string) => void
}

/** A test case in the reporter (`TestCase`). */
export interface V5TestCase {
  name: string
  fullName: string
  location?: { line: number, column: number }
  meta(): Record<string, unknown>
  result(): { state: string, errors?: ReadonlyArray<{ message: string, stack?: string }> }
  /** The benchmarks the test ran, in order. */
  benchmarks(): ReadonlyArray<V5TestBenchmark>
}

/** A project as benchgate needs it (`TestProject`). */
export interface V5Project {
  name: string
  config: {
    root: string
    /** `projectName`: the name of the project a bench twin was made of (`''` for an unnamed one). */
    benchmark: { enabled: boolean, retainSamples?: boolean, projectName?: string }
    includeTaskLocation?: boolean
    setupFiles?: string[]
  }
  /** The project's Vite server; inline projects of a workspace share the root's. */
  vite: { config: { configFile?: string | undefined } }
  /** Provides a value to this project's tests (`inject`). */
  provide(key: string, value: unknown): void
}

/** A test module in the reporter (`TestModule`). */
export interface V5TestModule {
  moduleId: string
  project: Pick<V5Project, 'name'> & { config: Pick<V5Project['config'], 'benchmark'> }
  meta(): Record<string, unknown>
  children: {
    allTests(): Iterable<V5TestCase>
    /** Every suite of the module (errors of a throwing describe callback are on its suite). */
    allSuites?(): Iterable<{ errors?(): ReadonlyArray<{ message?: string }> }>
  }
  /** Errors outside any test: an import error, a top-level throw, a hook that threw. */
  errors?(): ReadonlyArray<{ message: string, stack?: string }>
  /** `queued`, `pending`, `passed`, `failed` or `skipped`. */
  state?(): string
}

/** `-u` / `--update[=all|new|none]` as vitest 5 resolves it (`false` without the flag). */
export type V5UpdateFlag = boolean | 'all' | 'new' | 'none' | undefined

/** The Vitest instance, as far as the v5 adapter uses it. */
export interface V5Vitest {
  version: string
  /** The running vitest's `dist` directory. */
  distPath: string
  config: {
    root: string
    update?: V5UpdateFlag
    testNamePattern?: RegExp
    /** Reporter instances may be pushed here in `configureVitest` (reporters are created after it). */
    reporters: unknown[]
    /** The workspace's project definitions as written (`test.projects`: inline objects, globs, config files). */
    projects?: unknown[]
    /** `--project` filters. */
    project?: string[]
    /** `--shard <index>/<count>`, resolved. */
    shard?: { index: number, count: number }
    /** The sequencer class (`sequence.sequencer`), instantiated when the run starts. */
    sequence: { sequencer?: unknown }
    includeTaskLocation?: boolean
  }
  projects: V5Project[]
  /** The root Vite server. */
  vite: unknown
  /** The reporters, created after `configureVitest` (a reporter's `onInit` may wrap the others). */
  reporters: unknown[]
  /** Task state: every task by id. */
  state: { idMap: Map<string, unknown> }
}

/** `injectTestProjects` of `configureVitest`: the projects it created (a `<name> (bench)` twin for each in a bench run). */
export type V5InjectTestProjects = (config: Array<Record<string, unknown>>) => Promise<V5Project[]>

/** The CLI options benchgate passes to vitest 5's `startVitest` (`CliOptions`). */
export interface V5CliOptions {
  root: string
  run: boolean
  watch: boolean
  update: boolean
  config?: string
  /** What `vitest bench` sets: only the benchmark (`bench`) projects run. */
  benchmarkOnly: boolean
  coverage: { enabled: boolean }
}

/** vitest 5's Node API (`vitest/node`), as far as the CLI uses it. */
export interface V5NodeApi {
  /** The non-deprecated signature: no `mode` argument (vitest 5 ignores one). */
  startVitest(cliFilters: string[], options: V5CliOptions, viteOverrides: { plugins: unknown[] }): Promise<{ close(): Promise<void> }>
}

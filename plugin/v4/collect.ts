import { relative } from 'node:path'
import type { TestCase, TestModule } from 'vitest/node'
import type { MeasuredBenchmark } from '../../src/compare/types.ts'
import { configHash } from '../../src/scenario/hash.ts'
import type { MetricSpec } from '../../src/scenario/types.ts'
import type { TaskMeta } from '../protocol.ts'

/** At most this many values per run are kept for a plain bench (evenly spaced order statistics). */
export const MAX_PLAIN_SAMPLES = 200

const TIME_SPEC: MetricSpec = { direction: 'lower', unit: 'ms' }
const PLAIN_HASH = configHash({ rounds: 0, warmupRounds: 0, metrics: { time: TIME_SPEC } })

/** Keeps the distribution of a large sample in `max` evenly spaced order statistics. */
export function thinSamples(samples: readonly number[], max = MAX_PLAIN_SAMPLES): number[] {
  const sorted = [...samples].sort((a, b) => a - b)
  if (sorted.length <= max) return sorted
  const out: number[] = []
  for (let i = 0; i < max; i++) out.push(sorted[Math.floor(((i + 0.5) / max) * sorted.length)]!)
  return out
}

interface BenchResult {
  samples?: number[]
  sampleCount?: number
}

function benchmarkResult(testCase: TestCase): BenchResult | undefined {
  // vitest 4 keeps tinybench's result on the task; `task` is internal but stable across 4.x.
  return (testCase as unknown as { task: { result?: { benchmark?: BenchResult } } }).task.result?.benchmark
}

function errorOf(testCase: TestCase): { message: string, stack?: string } | undefined {
  const errors = testCase.result().errors
  const first = errors?.[0]
  if (!first) return undefined
  return first.stack ? { message: first.message, stack: first.stack } : { message: first.message }
}

/** Which replica (0-based) a project is: replicas are injected as `benchgate-run-N`. */
export function replicaIndex(projectName: string): number {
  const m = /(?:^|:)benchgate-run-(\d+)$/.exec(projectName)
  return m ? Number(m[1]) - 1 : 0
}

/** Collects what every bench task measured, grouped by stable key, one run per replica project. */
export function collectV4(testModules: readonly TestModule[], root: string, tagFilter: readonly string[]): { measured: MeasuredBenchmark[], filesRun: Set<string>, runs: number } {
  const byKey = new Map<string, MeasuredBenchmark>()
  const filesRun = new Set<string>()
  let runs = 1
  for (const module of testModules) {
    const file = relative(root, module.moduleId).split('\\').join('/')
    filesRun.add(file)
    const replica = replicaIndex(module.project.name)
    runs = Math.max(runs, replica + 1)
    for (const testCase of module.children.allTests()) {
      const state = testCase.result().state
      if (state === 'skipped' || state === 'pending') continue
      const meta = testCase.meta().benchgate as TaskMeta | undefined
      if (!meta && tagFilter.length > 0) continue
      const key = `${file} > ${testCase.fullName}`
      let bench = byKey.get(key)
      if (!bench) {
        const location = testCase.location ? { file, line: testCase.location.line, column: testCase.location.column } : undefined
        bench = {
          key,
          file,
          name: testCase.name,
          kind: meta?.kind ?? 'bench',
          tags: meta?.tags ?? [],
          configHash: meta?.kind === 'scenario' ? meta.configHash : PLAIN_HASH,
          rounds: meta?.kind === 'scenario' ? meta.rounds : 0,
          metrics: {},
        }
        if (location) bench.location = location
        if (meta?.kind === 'scenario') {
          if (meta.description) bench.description = meta.description
          if (meta.decision) bench.decision = meta.decision
        }
        byKey.set(key, bench)
      }
      if (bench.error) continue
      const error = meta?.kind === 'scenario' ? meta.error ?? errorOf(testCase) : errorOf(testCase)
      if (error) {
        bench.error = error
        continue
      }
      if (meta?.kind === 'scenario') {
        for (const [name, spec] of Object.entries(meta.metrics)) {
          const values = meta.values[name] ?? []
          if (values.length === 0) continue
          const metric = bench.metrics[name] ??= { spec, runs: [] }
          metric.runs[replica] = values
        }
      }
      else {
        const result = benchmarkResult(testCase)
        const samples = result?.samples ?? []
        if (samples.length === 0) continue
        const thinned = thinSamples(samples)
        bench.rounds = Math.max(bench.rounds, thinned.length)
        const metric = bench.metrics.time ??= { spec: TIME_SPEC, runs: [] }
        metric.runs[replica] = thinned
      }
    }
  }
  const measured = [...byKey.values()]
  for (const bench of measured) {
    for (const metric of Object.values(bench.metrics)) metric.runs = metric.runs.filter(run => run !== undefined && run.length > 0)
    if (!bench.error && Object.keys(bench.metrics).length === 0)
      bench.error = { message: 'no measurements were recorded (did the benchmark run?)' }
  }
  return { measured, filesRun, runs }
}

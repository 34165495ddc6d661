import { relative } from 'node:path'
import type { TestCase, TestModule } from 'vitest/node'
import type { MeasuredBenchmark } from '../../src/compare/types.ts'
import { addRun, closeMeasured, newMeasured } from '../collect.ts'
import { runNumber, type TaskMeta } from '../protocol.ts'

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

/** Collects what every bench task measured, grouped by stable key, one run per replica project. */
export function collectV4(testModules: readonly TestModule[], root: string, tagFilter: readonly string[]): { measured: MeasuredBenchmark[], filesRun: Set<string>, runs: number } {
  const byKey = new Map<string, MeasuredBenchmark>()
  const filesRun = new Set<string>()
  let runs = 1
  for (const module of testModules) {
    const file = relative(root, module.moduleId).split('\\').join('/')
    filesRun.add(file)
    const replica = runNumber(module.project.name) - 1
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
        bench = newMeasured(key, file, testCase.name, meta, location)
        byKey.set(key, bench)
      }
      if (bench.error) continue
      const error = meta?.kind === 'scenario' ? meta.error ?? errorOf(testCase) : errorOf(testCase)
      if (error) {
        bench.error = error
        continue
      }
      addRun(bench, meta, meta?.kind === 'scenario' ? undefined : benchmarkResult(testCase)?.samples, replica)
    }
  }
  const measured = closeMeasured([...byKey.values()], 'no measurements were recorded (did the benchmark run?)')
  return { measured, filesRun, runs }
}

import type { TestCase, TestModule } from 'vitest/node'
import type { MeasuredBenchmark } from '../../src/compare/types.ts'
import { firstError, runError, RunCollector } from '../collect.ts'
import type { TaskMeta } from '../protocol.ts'

interface BenchResult {
  samples?: number[]
  sampleCount?: number
}

function benchmarkResult(testCase: TestCase): BenchResult | undefined {
  // vitest 4 keeps tinybench's result on the task; `task` is internal but stable across 4.x.
  return (testCase as unknown as { task: { result?: { benchmark?: BenchResult } } }).task.result?.benchmark
}

/**
 * Collects what every bench task measured, grouped by stable key, one run per replica project.
 * `labelOf` names the workspace project a project stands for (see `projectLabel`; none: the root).
 */
export function collectV4(testModules: readonly TestModule[], root: string, tagFilter: readonly string[], labelOf: (projectName: string) => string | undefined = () => undefined): { measured: MeasuredBenchmark[], filesRun: Set<string>, runs: number } {
  const collector = new RunCollector(root)
  for (const module of testModules) {
    const tests = [...module.children.allTests()]
    const loadError = tests.length === 0 ? firstError(module.errors()) : undefined
    const { file, path, replica } = collector.module(module.moduleId, module.project.name, labelOf(module.project.name), loadError)
    for (const testCase of tests) {
      const state = testCase.result().state
      if (state === 'skipped' || state === 'pending') continue
      const meta = testCase.meta().benchgate as TaskMeta | undefined
      if (!meta && tagFilter.length > 0) continue
      collector.add(file, replica, {
        key: `${file} > ${testCase.fullName}`,
        name: testCase.name,
        meta,
        location: testCase.location ? { file: path, line: testCase.location.line, column: testCase.location.column } : undefined,
        error: runError(meta, firstError(testCase.result().errors)),
        samples: benchmarkResult(testCase)?.samples,
      })
    }
  }
  return collector.close('no measurements were recorded (did the benchmark run?)')
}

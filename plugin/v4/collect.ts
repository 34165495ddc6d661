import type { TestCase, TestModule } from 'vitest/node'
import { firstError, moduleLoadError, runError, RunCollector, type CollectedBenchmarks } from '../collect.ts'
import type { TaskMeta } from '../protocol.ts'

interface BenchResult {
  samples?: number[]
  sampleCount?: number
}

function benchmarkResult(testCase: TestCase): BenchResult | undefined {
  // vitest 4 keeps tinybench's result on the task; `task` is internal but stable across 4.x.
  return (testCase as unknown as { task: { result?: { benchmark?: BenchResult } } }).task.result?.benchmark
}

/** Collects what every bench task measured, grouped by stable key, one run per replica project. */
export function collectV4(testModules: readonly TestModule[], root: string, tagFilter: readonly string[]): CollectedBenchmarks {
  const collector = new RunCollector(root)
  for (const module of testModules) {
    const started = collector.module(module.moduleId, module.project.name, moduleLoadError(module))
    if (!started) continue
    const { file, replica } = started
    for (const testCase of module.children.allTests()) {
      const key = `${file} > ${testCase.fullName}`
      const state = testCase.result().state
      const meta = testCase.meta().benchgate as TaskMeta | undefined
      if (state === 'skipped' || state === 'pending') {
        collector.present(key, meta?.tags ?? testCase.meta().benchgateTags)
        continue
      }
      if (!meta && tagFilter.length > 0) {
        collector.present(key)
        continue
      }
      collector.add(file, replica, {
        key,
        name: testCase.name,
        meta,
        location: testCase.location ? { file, line: testCase.location.line, column: testCase.location.column } : undefined,
        error: runError(meta, firstError(testCase.result().errors)),
        samples: benchmarkResult(testCase)?.samples,
      })
    }
  }
  return collector.close('no measurements were recorded (did the benchmark run?)')
}

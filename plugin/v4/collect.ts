import type { TestCase, TestModule } from 'vitest/node'
import { firstError, runError, RunCollector } from '../collect.ts'
import { CoverageRecorder, type CollectedCoverage } from '../coverage.ts'
import type { MachineMeta, TaskMeta } from '../protocol.ts'

interface BenchResult {
  samples?: number[]
  sampleCount?: number
}

function benchmarkResult(testCase: TestCase): BenchResult | undefined {
  // vitest 4 keeps tinybench's result on the task; `task` is internal but stable across 4.x.
  return (testCase as unknown as { task: { result?: { benchmark?: BenchResult } } }).task.result?.benchmark
}

/**
 * Collects what every bench task measured, grouped by stable key, one run per replica project, and
 * the run's coverage: which files loaded, every benchmark collected (skipped ones too), every tag.
 * `labelOf` names the workspace project a project stands for (see `projectLabel`; none: the root).
 */
export function collectV4(testModules: readonly TestModule[], root: string, tagFilter: readonly string[], labelOf: (projectName: string) => string | undefined = () => undefined): Omit<ReturnType<RunCollector['close']>, 'filesRun'> & CollectedCoverage {
  const collector = new RunCollector(root)
  const coverage = new CoverageRecorder(root)
  for (const module of testModules) {
    const label = labelOf(module.project.name)
    if (coverage.module(module.moduleId, module, label) === undefined) continue
    const tests = [...module.children.allTests()]
    const loadError = tests.length === 0 ? firstError(module.errors()) : undefined
    const machine = module.meta().benchgateMachine as MachineMeta | undefined
    const { file, path, replica } = collector.module(module.moduleId, module.project.name, { label, loadError, machine })
    for (const testCase of tests) {
      const key = `${file} > ${testCase.fullName}`
      const state = testCase.result().state
      const meta = testCase.meta().benchgate as TaskMeta | undefined
      if (state === 'skipped' || state === 'pending') {
        coverage.present(key, meta?.tags ?? testCase.meta().benchgateTags)
        continue
      }
      if (!meta && tagFilter.length > 0) {
        coverage.present(key)
        continue
      }
      const collision = coverage.measured(key, replica, meta?.tags)
      collector.add(file, replica, {
        key,
        name: testCase.name,
        meta,
        location: testCase.location ? { file: path, line: testCase.location.line, column: testCase.location.column } : undefined,
        error: collision ?? runError(meta, firstError(testCase.result().errors)),
        samples: benchmarkResult(testCase)?.samples,
      })
    }
  }
  return { ...collector.close('no measurements were recorded (did the benchmark run?)'), ...coverage.close() }
}

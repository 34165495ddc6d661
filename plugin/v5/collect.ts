import type { MachineMeta, TaskMeta } from '../protocol.ts'
import { firstError, runError, RunCollector } from '../collect.ts'
import { CoverageRecorder, type CollectedCoverage } from '../coverage.ts'
import type { V5BenchmarkTask, V5TestCase, V5TestModule } from './types.ts'

/** One benchmark measured by one test: a benchgate scenario or bench, or a native `bench()` of a hand-written test. */
interface Found {
  key: string
  name: string
  meta?: TaskMeta
  task?: V5BenchmarkTask
}

/**
 * What a test measured. A benchgate benchmark is one test with one bench of the same name:
 * key `file > describe > name`, as under vitest 4. A hand-written test may run several benches
 * (`bench(...).run()`, `bench.compare(...)`): each is keyed `file > describe > test > bench`.
 * `bench.from()` rows are stored data, not measurements, and are left out.
 */
function found(file: string, testCase: V5TestCase): Found[] {
  const meta = testCase.meta().benchgate as TaskMeta | undefined
  const tasks = testCase.benchmarks().flatMap(group => group.tasks).filter(task => !task.fromStore)
  if (meta) {
    const own = tasks.find(task => task.name === testCase.name) ?? tasks[0]
    return [{ key: `${file} > ${testCase.fullName}`, name: testCase.name, meta, ...(own ? { task: own } : {}) }]
  }
  return tasks.map(task => ({ key: `${file} > ${testCase.fullName} > ${task.name}`, name: `${testCase.name} > ${task.name}`, task }))
}

/**
 * Collects what every benchmark of a vitest 5 bench run measured, grouped by stable key, one run
 * per replica project (`labelOf`: see `collectV4`), and the run's coverage (see plugin/coverage.ts).
 * Modules of non-benchmark projects (unit tests run beside benchmarks with `benchmark.enabled`) are ignored.
 */
export function collectV5(testModules: readonly V5TestModule[], root: string, tagFilter: readonly string[], labelOf: (projectName: string) => string | undefined = () => undefined): Omit<ReturnType<RunCollector['close']>, 'filesRun'> & CollectedCoverage {
  const collector = new RunCollector(root)
  const coverage = new CoverageRecorder(root)
  const seen = new Set<string>()
  for (const module of testModules) {
    if (!module.project.config.benchmark.enabled) continue
    const label = labelOf(module.project.name)
    if (coverage.module(module.moduleId, module, label) === undefined) continue
    const tests = [...module.children.allTests()]
    const loadError = tests.length === 0 ? firstError(module.errors?.()) : undefined
    const machine = module.meta().benchgateMachine as MachineMeta | undefined
    const { file, path, replica } = collector.module(module.moduleId, module.project.name, { label, loadError, machine })
    for (const testCase of tests) {
      const state = testCase.result().state
      const testKey = `${file} > ${testCase.fullName}`
      if (state === 'skipped' || state === 'pending') {
        // a benchgate bench is keyed by its test; a hand-written test's benches sit under it
        const meta = testCase.meta()
        coverage.present(testKey, (meta.benchgate as TaskMeta | undefined)?.tags ?? (meta.benchgateTags as string[] | undefined))
        coverage.presentPrefix(testKey)
        continue
      }
      const testError = firstError(testCase.result().errors)
      // a test that threw may not have reached all of its benches
      if (testError) coverage.presentPrefix(testKey)
      const location = testCase.location ? { file: path, line: testCase.location.line, column: testCase.location.column } : undefined
      for (const { key, name, meta, task } of found(file, testCase)) {
        if (!meta && tagFilter.length > 0) {
          coverage.present(key)
          continue
        }
        const twice = seen.has(`${replica}\0${key}`)
        seen.add(`${replica}\0${key}`)
        const collision = coverage.measured(key, replica, meta?.tags)
        const error = twice
          ? { message: `measured twice in one run: give each bench of test "${testCase.fullName}" its own name (benchmarks are keyed by name)` }
          : collision ?? runError(meta, testError)
        collector.add(file, replica, { key, name, meta, location, error, samples: task?.latency.samples })
      }
    }
  }
  return { ...collector.close('no measurements were recorded (did the benchmark run? with vitest 5, benchmark.retainSamples must stay on)'), ...coverage.close() }
}

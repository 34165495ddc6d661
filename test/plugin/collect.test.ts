import { describe, expect, it } from 'vitest'
import { MAX_PLAIN_SAMPLES, RunCollector, thinInPlace, thinSamples } from '../../plugin/collect.ts'
import { GateReporterV4 } from '../../plugin/v4/reporter.ts'
import { GateReporterV5 } from '../../plugin/v5/reporter.ts'
import type { ScenarioMeta } from '../../plugin/protocol.ts'
import { collectV5 } from '../../plugin/v5/collect.ts'
import type { V5BenchmarkTask, V5TestCase, V5TestModule } from '../../plugin/v5/types.ts'

const stats = (samples: number[]) => ({ mean: 1, samplesCount: samples.length, samples })
const task = (name: string, samples: number[]): V5BenchmarkTask => ({ name, latency: stats(samples), throughput: stats([]), rank: 1 })

function testCase(name: string, tasks: V5BenchmarkTask[], errors?: Array<{ message: string }>): V5TestCase {
  return {
    name,
    fullName: `suite > ${name}`,
    location: { line: 3, column: 1 },
    meta: () => ({}),
    result: () => ({ state: errors ? 'failed' : 'passed', ...(errors ? { errors } : {}) }),
    benchmarks: () => [{ name, tasks }],
  }
}

function module(project: string, tests: V5TestCase[]): V5TestModule {
  return { moduleId: '/root/bench/a.bench.ts', project: { name: project, config: { benchmark: { enabled: true } } }, meta: () => ({}), children: { allTests: () => tests } }
}

describe('RunCollector', () => {
  const scenario = (values: number[], error?: { message: string }): ScenarioMeta => ({
    v: 1, kind: 'scenario', tags: [], configHash: 'h', rounds: values.length, warmupRounds: 0, timeMetric: 'time',
    metrics: { time: { direction: 'lower', unit: 'ms' } }, values: { time: values }, ...(error ? { error } : {}),
  })

  it('groups runs by key, one per replica, and keeps the first error of any run', () => {
    const c = new RunCollector('/root')
    const one = c.module('/root/bench/a.bench.ts', 'app')
    const three = c.module('/root/bench/a.bench.ts', 'benchgate-run-3 (bench)')
    expect(one).toEqual({ file: 'bench/a.bench.ts', path: 'bench/a.bench.ts', replica: 0 })
    expect(three).toEqual({ file: 'bench/a.bench.ts', path: 'bench/a.bench.ts', replica: 2 })
    const found = (meta: ScenarioMeta, error?: { message: string }) => ({ key: 'k', name: 'n', meta, location: undefined, error, samples: undefined })
    c.add('bench/a.bench.ts', 0, found(scenario([1, 2])))
    c.add('bench/a.bench.ts', 2, found(scenario([3, 4])))
    const ok = c.close('empty')
    expect(ok.runs).toBe(3)
    expect([...ok.filesRun]).toEqual(['bench/a.bench.ts'])
    expect(ok.measured[0]!.metrics.time!.runs).toEqual([[1, 2], [3, 4]])

    const failing = new RunCollector('/root')
    failing.add('f', 0, found(scenario([1]), { message: 'first' }))
    failing.add('f', 1, found(scenario([2]), { message: 'second' }))
    expect(failing.close('empty').measured[0]!.error).toEqual({ message: 'first' })
  })

  it('reports a file that failed to load as one failing row, and does not count it as run', () => {
    const c = new RunCollector('/root')
    c.module('/root/bench/a.bench.ts', 'app', { loadError: { message: 'Cannot find package x' } })
    c.module('/root/bench/a.bench.ts', 'benchgate-run-2', { loadError: { message: 'Cannot find package x' } })
    const { measured, filesRun } = c.close('empty')
    expect([...filesRun]).toEqual([])
    expect(measured.map(b => [b.key, b.error?.message])).toEqual([['bench/a.bench.ts', 'the file failed to load: Cannot find package x']])
  })

  it('fails a plain bench found in fewer runs than its file ran in: a name that changes from run to run', () => {
    const c = new RunCollector('/root')
    const plain = (key: string) => ({ key, name: key, meta: undefined, location: undefined, error: undefined, samples: [1, 2, 3] })
    for (const replica of [0, 1, 2]) {
      const { file } = c.module('/root/bench/a.bench.ts', replica ? `benchgate-run-${replica + 1}` : 'app')
      c.add(file, replica, plain(`bench/a.bench.ts > stable`))
      c.add(file, replica, plain(`bench/a.bench.ts > random ${replica}`))
    }
    const byKey = new Map(c.close('empty').measured.map(b => [b.key, b]))
    expect(byKey.get('bench/a.bench.ts > stable')!.error).toBeUndefined()
    expect(byKey.get('bench/a.bench.ts > stable')!.metrics.time!.runs).toHaveLength(3)
    expect(byKey.get('bench/a.bench.ts > random 1')!.error!.message).toMatch(/^measured in 1 of the 3 runs of its file: its name changes from run to run/)
  })

  it('fails a plain bench whose run reported no samples, naming the run, instead of dropping that run', () => {
    const c = new RunCollector('/root')
    const plain = (samples: number[] | undefined) => ({ key: 'k', name: 'n', meta: undefined, location: undefined, error: undefined, samples })
    c.add('f', 0, plain([1, 2, 3]))
    c.add('f', 1, plain([]))
    c.add('f', 2, plain(undefined))
    const { measured } = c.close('empty')
    expect(measured[0]!.error!.message).toMatch(/^runs 2, 3 of 3 reported no samples/)
    expect(measured[0]!.error!.message).toContain('includeSamples')
  })
})

describe('samples as they arrive', () => {
  it('the reporters keep the order statistics the gate uses, in place, not the hundreds of thousands of samples of a fast bench', () => {
    const samples = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000)
    const result = { benchmark: { samples: [...samples], sampleCount: samples.length } }
    new GateReporterV4({} as never).onTaskUpdate([['id', result, {}]])
    expect(result.benchmark.samples).toEqual(thinSamples(samples))
    expect(result.benchmark.samples).toHaveLength(MAX_PLAIN_SAMPLES)
    expect(result.benchmark.sampleCount).toBe(100_000)
    const latency = { mean: 1, samplesCount: samples.length, samples: [...samples].sort((a, b) => a - b) }
    new GateReporterV5({} as never).onTestCaseBenchmark(undefined, { name: 'x', tasks: [{ name: 'x', latency, throughput: latency, rank: 1 }] })
    expect(latency.samples).toEqual(thinSamples(samples))
    // what was already thin stays as it is
    const small = { samples: [3, 1, 2] }
    thinInPlace(small)
    expect(small.samples).toEqual([3, 1, 2])
  })
})

describe('collectV5', () => {
  it('keys a native bench file > test > bench, with its samples, one run per replica', () => {
    const { measured, runs } = collectV5([
      module('app (bench)', [testCase('single', [task('spin', [1, 2, 3])])]),
      module('benchgate-run-2 (bench)', [testCase('single', [task('spin', [4, 5])])]),
    ], '/root', [])
    expect(runs).toBe(2)
    expect(measured.map(b => b.key)).toEqual(['bench/a.bench.ts > suite > single > spin'])
    expect(measured[0]!.metrics.time!.runs).toEqual([[1, 2, 3], [4, 5]])
  })

  it('fails a bench measured twice in one run under one name, and reports a failing test with its error', () => {
    const { measured } = collectV5([
      module('app (bench)', [testCase('twice', [task('spin', [1]), task('spin', [2])]), testCase('broken', [task('spin', [1])], [{ message: 'boom' }])]),
    ], '/root', [])
    const byKey = new Map(measured.map(b => [b.key, b]))
    expect(byKey.get('bench/a.bench.ts > suite > twice > spin')!.error!.message).toBe('measured twice in one run: give each bench of test "suite > twice" its own name (benchmarks are keyed by name)')
    expect(byKey.get('bench/a.bench.ts > suite > broken > spin')!.error).toEqual({ message: 'boom' })
  })
})

describe('CoverageRecorder', () => {
  const loaded = { errors: () => [], state: () => 'passed', children: { allSuites: () => [] } }
  it('records files that loaded, what was collected, and refuses two benchmarks with one key in one run', async () => {
    const { CoverageRecorder } = await import('../../plugin/coverage.ts')
    const c = new CoverageRecorder('/root')
    expect(c.module('/root/.benchgate/worktrees/abc/bench/a.bench.ts', loaded)).toBeUndefined()
    expect(c.module('/root/bench/a.bench.ts', loaded)).toBe('bench/a.bench.ts')
    expect(c.module('/root/bench/b.bench.ts', { ...loaded, errors: () => [{ message: 'Cannot find module ./x\nstack' }] })).toBe('bench/b.bench.ts')
    expect(c.module('/root/bench/c.bench.ts', { ...loaded, children: { allSuites: () => [{ errors: () => [{ message: 'describe threw' }] }] } })).toBe('bench/c.bench.ts')
    c.present('bench/a.bench.ts > skipped', ['ci'])
    expect(c.measured('bench/a.bench.ts > k', 0, ['quick'])).toBeUndefined()
    expect(c.measured('bench/a.bench.ts > k', 1)).toBeUndefined()
    expect(c.measured('bench/a.bench.ts > k', 1)!.message).toContain('two benchmarks have the key "bench/a.bench.ts > k"')
    const { filesRun, coverage, knownTags } = c.close()
    expect([...filesRun]).toEqual(['bench/a.bench.ts'])
    expect([...coverage.failedFiles]).toEqual([['bench/b.bench.ts', 'Cannot find module ./x'], ['bench/c.bench.ts', 'describe threw']])
    expect([...coverage.collected].sort()).toEqual(['bench/a.bench.ts > k', 'bench/a.bench.ts > skipped'])
    expect([...knownTags].sort()).toEqual(['ci', 'quick'])
  })
})

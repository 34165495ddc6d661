import { describe, expect, it } from 'vitest'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { refuseUncounted } from '../../plugin/instructions/collect.ts'
import { NativeBenchCounting } from '../../plugin/instructions/native.ts'
import { callsFor, MAX_CALLS, ONE_CALL } from '../../plugin/instructions/plain.ts'
import { measuredSpecs } from '../../plugin/instructions/specs.ts'

// The worker-side pieces of --measure instructions that need no Valgrind (the counting itself is
// tested end to end in test/instructions/instructions.test.ts).
const measured = (key: string, kind: 'bench' | 'scenario', metrics: MeasuredBenchmark['metrics']): MeasuredBenchmark =>
  ({ key, file: 'bench/a.bench.ts', name: key, kind, tags: [], configHash: 'h', rounds: 3, metrics })

describe('instruction mode, worker side', () => {
  it('sizes batches in powers of two, at most MAX_CALLS calls', () => {
    expect(callsFor(1_000_000, 15_000)).toBe(128)
    expect(callsFor(1_000_000, 2_000_000)).toBe(1)
    expect(callsFor(1_000_000, 1)).toBe(MAX_CALLS)
    expect(callsFor(1_000_000, 0)).toBe(MAX_CALLS)
  })

  it('a scenario measures instructions in place of its time metric and keeps its custom metrics', () => {
    const specs = measuredSpecs({ time_ms: { direction: 'lower', unit: 'ms' }, hit_rate: { direction: 'higher', unit: 'ratio' } }, 'time_ms')
    expect(specs).toEqual({ instructions: { direction: 'lower', unit: 'Ir' }, hit_rate: { direction: 'higher', unit: 'ratio' } })
  })

  it('a benchmark that came back timed, not counted, is an error (never stored as a count); counted ones and scenarios stay', () => {
    const timed = measured('timed', 'bench', { time: { spec: { direction: 'lower', unit: 'ms' }, runs: [[1, 2]] } })
    const counted = measured('counted', 'bench', { instructions: { spec: { direction: 'lower', unit: 'Ir' }, runs: [[5, 5]] } })
    const scenario = measured('scenario', 'scenario', { instructions: { spec: { direction: 'lower', unit: 'Ir' }, runs: [[5]] }, time: { spec: { direction: 'lower', unit: 'ms' }, runs: [[1]] } })
    refuseUncounted([timed, counted, scenario])
    expect(timed.error?.message).toMatch(/^timed, not counted: .*vitest 5 bench test/)
    expect(Object.keys(timed.metrics)).toEqual(['instructions'])
    expect(counted.error).toBeUndefined()
    expect(scenario.error).toBeUndefined()
  })

  it('vitest 4\'s own bench(): the Task being built for a prepared benchmark (same name, function, state run) gets the counting body and one call', () => {
    const fnA = () => 1
    const fnB = () => 2
    const fns = new Map<unknown, unknown>()
    const task = (name: string, fn: unknown, extra: object = {}) => {
      const t = { type: 'test', name, mode: 'run', meta: { benchmark: true } as Record<string, unknown>, ...extra }
      fns.set(t, fn)
      return t
    }
    const a = task('a', fnA)
    const b = task('b', fnB)
    const ours = task('ours', fnA, { meta: { benchmark: true, benchgate: { kind: 'bench' } } })
    const skipped = task('skipped', fnB, { mode: 'skip' })
    const suite = { type: 'suite', name: 'file', mode: 'run', tasks: [ours, skipped, { type: 'suite', name: 'inner', mode: 'run', tasks: [a, b] }] }
    const native = new NativeBenchCounting({ mode: 'instructions', addon: '/nowhere.node', outDir: '/tmp' }, { rounds: 10, warmupRounds: 3 }, t => fns.get(t))
    native.prepare(suite)
    const loop = () => ({ iterations: 10, time: 500, warmupIterations: 5, warmupTime: 100 })
    // not running yet (vitest sets result.state just before it builds the Task): left alone
    const early = loop()
    expect(native.wrap(early, 'a', fnA)).toBe(fnA)
    Object.assign(a, { result: { state: 'run' } })
    // another function under the same name is not this benchmark
    expect(native.wrap(loop(), 'a', fnB)).toBe(fnB)
    const bench = loop()
    const body = native.wrap(bench, 'a', fnA)
    expect(body).not.toBe(fnA)
    expect(typeof body).toBe('function')
    expect(bench).toEqual({ iterations: ONE_CALL.iterations, time: ONE_CALL.time, warmupIterations: ONE_CALL.warmupIterations, warmupTime: ONE_CALL.warmupTime })
    expect(a.meta.benchgate).toEqual({ v: 1, kind: 'bench', tags: [] })
    // claimed once; benchgate's own benches and skipped ones are never claimed
    expect(native.wrap(loop(), 'a', fnA)).toBe(fnA)
    Object.assign(ours, { result: { state: 'run' } })
    Object.assign(skipped, { result: { state: 'run' } })
    expect(native.wrap(loop(), 'ours', fnA)).toBe(fnA)
    expect(native.wrap(loop(), 'skipped', fnB)).toBe(fnB)
  })
})

import { describe, expect, it } from 'vitest'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import { isProvablyGone, nextBaseline, type RunCoverage } from '../../src/baseline/update.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'

const environment = { cpuModel: 'cpu', cores: 2, os: 'linux', node: 'v20', vitest: '4.1.0', benchgate: '0.1.0' }
const context = { environment, now: '2026-02-02T00:00:00.000Z' }
const measured = (key: string, extra: Partial<MeasuredBenchmark> = {}): MeasuredBenchmark => ({
  key, file: key.split(' > ')[0]!, name: key.split(' > ').at(-1)!, kind: 'scenario', tags: [], configHash: '0123456789abcdef', rounds: 3,
  metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: [[1, 2, 3], [1, 2, 4]] } }, ...extra,
})
const old = mergeBaseline(undefined, ['a.bench.ts > x', 'a.bench.ts > y', 'a.bench.ts > t > one', 'b.bench.ts > z'].map(k => measured(k)), { environment, now: '2026-01-01T00:00:00.000Z' })
const coverage = (over: Partial<RunCoverage> = {}): RunCoverage => ({
  completeFiles: new Set(['a.bench.ts']), failedFiles: new Map(), collected: new Set(['a.bench.ts > x']), collectedPrefixes: new Set(), ...over,
})

describe('isProvablyGone', () => {
  it('is true only for an entry of a complete file that the run did not collect', () => {
    const c = coverage()
    expect(isProvablyGone(old.entries['a.bench.ts > y']!, c)).toBe(true)
    expect(isProvablyGone(old.entries['a.bench.ts > x']!, c)).toBe(false) // collected (measured or skipped)
    expect(isProvablyGone(old.entries['b.bench.ts > z']!, c)).toBe(false) // its file did not run
    expect(isProvablyGone(old.entries['a.bench.ts > y']!, coverage({ failedFiles: new Map([['a.bench.ts', 'boom']]) }))).toBe(false)
    expect(isProvablyGone(old.entries['a.bench.ts > t > one']!, coverage({ collectedPrefixes: new Set(['a.bench.ts > t']) }))).toBe(false)
  })
})

describe('nextBaseline', () => {
  it('refreshes what was measured, drops only what is gone, keeps errors and the rest as they were', () => {
    const next = nextBaseline(old, [measured('a.bench.ts > x'), measured('a.bench.ts > t > one', { error: { message: 'boom' } }), measured('c.bench.ts > new')], context, e => isProvablyGone(e, coverage({ collected: new Set(['a.bench.ts > x', 'a.bench.ts > t > one', 'c.bench.ts > new']) })))
    expect(Object.keys(next.file.entries).sort()).toEqual(['a.bench.ts > t > one', 'a.bench.ts > x', 'b.bench.ts > z', 'c.bench.ts > new'])
    expect(next.removed).toEqual(['a.bench.ts > y'])
    expect(next.file.entries['a.bench.ts > x']!.updatedAt).toBe(context.now)
    expect(next.file.entries['a.bench.ts > t > one']).toEqual(old.entries['a.bench.ts > t > one'])
    expect(next.file.entries['b.bench.ts > z']).toEqual(old.entries['b.bench.ts > z'])
  })

  it('never drops an entry that was measured, whatever the rule says', () => {
    const next = nextBaseline(old, [measured('a.bench.ts > y')], context, () => true)
    expect(next.file.entries['a.bench.ts > y']!.updatedAt).toBe(context.now)
    expect(next.removed).not.toContain('a.bench.ts > y')
  })
})

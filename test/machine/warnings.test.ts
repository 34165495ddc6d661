import { describe, expect, it } from 'vitest'
import { resolveGateOptions } from '../../src/config/gate.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import { machineWarnings } from '../../src/gate.ts'
import { decision, environment, measured, runs } from '../reporters/fixture.ts'

describe('run-level machine warnings', () => {
  const key = 'bench/a.bench.ts > x'
  // a baseline without probes (an older benchgate's, or one recorded with the probes off)
  const base = mergeBaseline(undefined, [measured(key, runs(10, { seed: 1, runCount: 5 }))], { environment, now: '2026-01-01T00:00:00.000Z' })
  const result = compareWithBaseline([measured(key, runs(10, { seed: 2, runCount: 5 }))], base, { decision: { ...decision, sessionDrift: 0.04 }, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) })

  it('names a baseline without probes, unless this run turned the probes off itself', () => {
    const on = machineWarnings(resolveGateOptions({}, {}), undefined, result.benchmarks, false)
    expect(on).toEqual([expect.stringContaining('the baseline has no machine probes')])
    expect(on[0]).toContain('assume a 4 % drift')
    expect(machineWarnings(resolveGateOptions({ probes: false }, {}), undefined, result.benchmarks, false)).toEqual([])
    expect(machineWarnings(resolveGateOptions({}, {}), undefined, result.benchmarks, true)).toEqual([])
  })
})

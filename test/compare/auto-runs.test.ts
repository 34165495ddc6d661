import { describe, expect, it } from 'vitest'
import { straddled, updateAuto, worseInterval, type AutoState } from '../../src/compare/auto-runs.ts'
import type { MetricReport } from '../../src/report/types.generated.ts'

const thresholds = { warning: 0.05, critical: 0.10 }
const metric = (lower: number, upper: number, direction: 'lower' | 'higher' = 'lower', verdict: MetricReport['verdict'] = 'ok') =>
  ({ change: { estimate: (lower + upper) / 2, lower, upper }, direction, thresholds, verdict })

describe('auto-sampling stopping rule', () => {
  it('turns a higher-is-better change into "worse by"', () => {
    expect(worseInterval({ estimate: 0.1, lower: 0.05, upper: 0.2 }, 'higher')).toEqual({ lower: -0.2, upper: -0.05 })
    expect(worseInterval({ estimate: 0.1, lower: 0.05, upper: 0.2 }, 'lower')).toEqual({ lower: 0.05, upper: 0.2 })
  })

  it('is decided when the interval clears -warning, warning and critical', () => {
    expect(straddled(metric(-0.02, 0.03))).toBeUndefined()
    expect(straddled(metric(0.12, 0.3))).toBeUndefined()
    expect(straddled(metric(0.06, 0.09))).toBeUndefined()
    expect(straddled(metric(-0.2, -0.06))).toBeUndefined()
  })

  it('names the threshold an interval straddles', () => {
    expect(straddled(metric(0.02, 0.07))).toBe(0.05)
    expect(straddled(metric(0.08, 0.15))).toBe(0.10)
    expect(straddled(metric(-0.08, 0.01))).toBe(-0.05)
    // a faster "higher is better" metric is an improvement: -warning is the point in question
    expect(straddled(metric(0.02, 0.08, 'higher'))).toBe(-0.05)
  })

  it('treats comparisons more runs cannot change as decided', () => {
    expect(straddled(metric(0.02, 0.07, 'lower', 'stale'))).toBeUndefined()
    expect(straddled({ direction: 'lower', thresholds, verdict: 'new' })).toBeUndefined()
  })

  it('records when each metric was decided, and forgets it when the interval widens again', () => {
    const states = new Map<string, AutoState>()
    expect(updateAuto(states, new Map([['a', metric(0.12, 0.3)], ['b', metric(0.02, 0.07)]]), 3)).toBe(false)
    expect(states.get('a')).toEqual({ decidedAt: 3 })
    expect(states.get('b')).toEqual({ straddles: 0.05 })
    expect(updateAuto(states, new Map([['a', metric(0.12, 0.3)], ['b', metric(0.01, 0.04)]]), 4)).toBe(true)
    expect(states.get('a')).toEqual({ decidedAt: 3 })
    expect(states.get('b')).toEqual({ decidedAt: 4 })
    expect(updateAuto(states, new Map([['a', metric(0.09, 0.3)]]), 5)).toBe(false)
    expect(states.get('a')).toEqual({ straddles: 0.10 })
  })
})

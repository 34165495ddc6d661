import { describe, expect, it } from 'vitest'
import { resolveGateOptions } from '../../src/config/gate.ts'
import { shareBenchTime, shareRunOptions } from '../../plugin/time-share.ts'
import { TINYBENCH6_TIMES } from '../../plugin/v5/worker.ts'

describe('a run\'s share of a plain bench\'s time (timeBudget)', () => {
  it('scales tinybench\'s measuring and warm-up time, defaults included, and leaves a scenario\'s zero time alone', () => {
    const bench = { time: 500, warmupTime: 100 }
    shareBenchTime(bench, 0.3)
    expect(bench).toEqual({ time: 150, warmupTime: 30 })
    const scenario = { time: 0, warmupTime: 0 }
    shareBenchTime(scenario, 0.3)
    expect(scenario).toEqual({ time: 0, warmupTime: 0 })
    const untouched = { time: 500, warmupTime: 100 }
    shareBenchTime(untouched, undefined)
    shareBenchTime(untouched, 1)
    expect(untouched).toEqual({ time: 500, warmupTime: 100 })
  })

  it('under vitest 5, scales the run options benchgate\'s bench() passes, tinybench 6\'s defaults where they set none', () => {
    expect(shareRunOptions({ time: 400, warmupTime: 100, iterations: 3 }, 0.3, TINYBENCH6_TIMES)).toEqual({ time: 120, warmupTime: 30, iterations: 3 })
    expect(shareRunOptions({ iterations: 3 }, 0.3, TINYBENCH6_TIMES)).toEqual({ time: 300, warmupTime: 75, iterations: 3 })
    const options = { time: 400 }
    expect(shareRunOptions(options, undefined, TINYBENCH6_TIMES)).toBe(options)
    expect(shareRunOptions(options, 1, TINYBENCH6_TIMES)).toBe(options)
  })

  it('defaults to 1.5, reads BENCHGATE_TIME_BUDGET, and refuses anything but a number > 0', () => {
    expect(resolveGateOptions({}, {}).timeBudget).toBe(1.5)
    expect(resolveGateOptions({ timeBudget: 5 }, {}).timeBudget).toBe(5)
    expect(resolveGateOptions({ timeBudget: 5 }, { BENCHGATE_TIME_BUDGET: '0.5' }).timeBudget).toBe(0.5)
    expect(() => resolveGateOptions({}, { BENCHGATE_TIME_BUDGET: 'fast' })).toThrow('BENCHGATE_TIME_BUDGET: expected a number > 0 but received "fast"')
    expect(() => resolveGateOptions({ timeBudget: 0 }, {})).toThrow('benchgate option timeBudget: expected a number > 0 but received 0')
  })
})

describe('the probes option', () => {
  it('defaults to on, reads BENCHGATE_PROBES over the option, and refuses anything else', () => {
    expect(resolveGateOptions({}, {}).probes).toBe(true)
    expect(resolveGateOptions({ probes: false }, {}).probes).toBe(false)
    expect(resolveGateOptions({ probes: false }, { BENCHGATE_PROBES: 'on' }).probes).toBe(true)
    expect(resolveGateOptions({}, { BENCHGATE_PROBES: 'off' }).probes).toBe(false)
    expect(resolveGateOptions({ probes: false }, { BENCHGATE_PROBES: '' }).probes).toBe(false)
    expect(() => resolveGateOptions({}, { BENCHGATE_PROBES: 'later' })).toThrow('BENCHGATE_PROBES: expected 1 or 0 (true/false, on/off) but received "later"')
    expect(() => resolveGateOptions({ probes: 'no' as unknown as boolean }, {})).toThrow('benchgate option probes: expected true or false but received "no"')
  })
})

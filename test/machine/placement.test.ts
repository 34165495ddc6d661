import { describe, expect, it } from 'vitest'
import { fastestCpu, placementUnavailable } from '../../src/machine/placement.ts'
import { allocProbe, combineProbes, computeProbe, fastestTime, measureProbes, medianTime, memoryProbe } from '../../src/machine/probes.ts'

describe('fastestCpu', () => {
  it('picks the CPU whose best pass was fastest, and reports every CPU\'s best pass', () => {
    const samples = new Map([[0, [1.6, 1.55]], [1, [1.02, 1.9]], [2, [1.1, 1.05]]])
    expect(fastestCpu(samples)).toEqual({ cpu: 1, speeds: { 0: 1.55, 1: 1.02, 2: 1.05 } })
  })

  it('breaks ties towards the lower CPU number and skips CPUs never timed', () => {
    expect(fastestCpu(new Map([[3, [1]], [1, [1]], [0, []]])).cpu).toBe(1)
    expect(() => fastestCpu(new Map([[0, []]]))).toThrow(/no CPU was timed/)
  })
})

describe('placementUnavailable', () => {
  it('says why a process cannot be placed, naming the option', () => {
    expect(placementUnavailable({ mode: 'off', cpus: [0, 1] })).toMatch(/off/)
    if (process.platform === 'linux') {
      expect(placementUnavailable({ mode: 5, cpus: [0, 1] })).toBe('CPU 5 is not among the CPUs this run may use (0, 1)')
      expect(placementUnavailable({ mode: 'auto', cpus: [3] })).toMatch(/only one CPU \(3\)/)
    }
  })
})

describe('machine probes', () => {
  it('do a fixed amount of work per call', () => {
    expect(computeProbe(1000)).toBe(computeProbe(1000))
    expect(memoryProbe()).toBe(3 << 20)
    expect(allocProbe(500)).toBe(500)
  })

  it('time the fastest and the median of their repetitions', () => {
    let calls = 0
    const fn = () => { calls++ }
    expect(fastestTime(fn, 5, 2)).toBeGreaterThanOrEqual(0)
    expect(calls).toBe(7)
    calls = 0
    expect(medianTime(fn, 4, 1)).toBeGreaterThanOrEqual(0)
    expect(calls).toBe(5)
  })

  it('combine the probes before and after the benchmarks per kind, as a geometric mean', () => {
    expect(combineProbes({ compute: 1, memory: 2, alloc: 4 }, { compute: 4, memory: 2, alloc: 1 })).toEqual({ compute: 2, memory: 2, alloc: 2 })
  })

  it('report a positive time for every kind', () => {
    const probe = measureProbes(3)
    expect(Object.keys(probe).sort()).toEqual(['alloc', 'compute', 'memory'])
    for (const value of Object.values(probe)) expect(value).toBeGreaterThan(0)
  })
})

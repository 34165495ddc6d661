import { describe, expect, it } from 'vitest'
import { describeMove, machineDrift } from '../../src/machine/drift.ts'

const probe = (compute: number, memory: number, alloc: number) => ({ compute, memory, alloc })

describe('machineDrift', () => {
  it('compares the median probe of each side per kind and names the kind that moved most', () => {
    const baseline = [probe(1, 2, 1), probe(1.1, 2, 1), probe(0.9, 2.2, 1)]
    const current = [probe(1, 6, 1.1), probe(1, 5.8, 1.1), probe(1.02, 6.2, 1.1)]
    const drift = machineDrift(baseline, current)!
    expect(drift.ratios.compute).toBeCloseTo(1, 10)
    expect(drift.ratios.memory).toBeCloseTo(3, 10)
    expect(drift.ratios.alloc).toBeCloseTo(1.1, 10)
    expect(drift.kind).toBe('memory')
    // the move beyond noise: the log ratio less twice its standard error (steady probes: the prior's)
    expect(drift.move).toBeCloseTo(Math.log(3) - 2 * drift.se.memory, 10)
    expect(drift.move).toBeGreaterThan(Math.log(2.8))
  })

  it('counts no move that the probes\' own noise explains', () => {
    // memory probes scatter by 15 % between processes on both sides; their medians differ by 10 %
    const noisy = (scale: number) => [0.8, 1, 1.2, 0.85, 1.15].map(m => probe(1, 2 * m * scale, 1))
    const drift = machineDrift(noisy(1), noisy(1.1))!
    expect(drift.ratios.memory).toBeCloseTo(1.1, 10)
    expect(drift.move).toBe(0)
  })

  it('has a floor on the noise, so a few identical probes do not make any tiny move count in full', () => {
    const drift = machineDrift([probe(1, 1, 1)], [probe(1.03, 1, 1)])!
    expect(drift.se.compute).toBeGreaterThan(0.02)
    expect(drift.move).toBe(0)
  })

  it('treats a faster machine as a move of the same size', () => {
    const drift = machineDrift([probe(2, 2, 2)], [probe(1, 2, 2)])!
    expect(drift.kind).toBe('compute')
    expect(drift.move).toBeCloseTo(Math.log(2) - 2 * drift.se.compute, 10)
  })

  it('is undefined when either side has no probes', () => {
    expect(machineDrift([], [probe(1, 1, 1)])).toBeUndefined()
    expect(machineDrift([probe(1, 1, 1)], [])).toBeUndefined()
  })
})

describe('describeMove', () => {
  it('says large moves as a factor and small ones as a percentage', () => {
    expect(describeMove(2.94)).toBe('2.9x slower')
    expect(describeMove(1 / 3)).toBe('3.0x faster')
    expect(describeMove(1.12)).toBe('12 % slower')
    expect(describeMove(0.92)).toBe('8 % faster')
  })
})

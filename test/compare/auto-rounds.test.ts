import { describe, expect, it } from 'vitest'
import { autoRoundsRule, medianInterval, type AutoRoundsOptions } from '../../src/compare/auto-rounds.ts'
import type { AutoRoundsOutcome } from '../../src/scenario/measured.ts'
import { createRng } from '../../src/stats/random.ts'

const thresholds = { warning: 0.05, critical: 0.10 }

/** Values around `center` with relative uniform noise of ±`spread`, seeded. */
function sample(n: number, center: number, spread: number, seed: number): number[] {
  const rng = createRng(seed)
  return Array.from({ length: n }, () => center * (1 + spread * (2 * rng() - 1)))
}

/** Feeds rounds one at a time, each taking `msPerRound`, until the rule stops (or 5000 rounds). */
function drive(options: AutoRoundsOptions, next: (i: number) => number, msPerRound = 1): AutoRoundsOutcome | undefined {
  const rule = autoRoundsRule(options)
  const values: number[] = []
  for (let i = 0; i < 5000; i++) {
    values.push(next(i))
    const outcome = rule.check(values, values.length * msPerRound)
    if (outcome) return outcome
  }
  return undefined
}

describe('rounds: auto, without a baseline (precision rule)', () => {
  it('stops at minRounds once the median is known to a quarter of the warning threshold', () => {
    const steady = sample(100, 10, 0.002, 1)
    expect(drive({ thresholds }, i => steady[i]!)).toEqual({ rounds: 5, decided: true, stop: 'decided' })
  })

  it('keeps going while the median is imprecise, and says so when the budget ends', () => {
    const noisy = sample(5000, 10, 0.5, 2)
    const outcome = drive({ thresholds, budgetMs: 200 }, i => noisy[i]!)
    expect(outcome).toEqual({ rounds: 200, decided: false, stop: 'budget' })
  })

  it('decides a noisy run once enough rounds pin its median down', () => {
    const noisy = sample(5000, 10, 0.2, 3)
    const outcome = drive({ thresholds, budgetMs: 1e9, maxRounds: 5000 }, i => noisy[i]!)!
    expect(outcome.decided).toBe(true)
    // ±20 % uniform noise: the median's 95 % half-width falls under 1.25 % only after hundreds of rounds
    expect(outcome.rounds).toBeGreaterThan(100)
    expect(outcome.rounds).toBeLessThan(2000)
  })

  it('stops at maxRounds', () => {
    const noisy = sample(5000, 10, 0.5, 4)
    expect(drive({ thresholds, budgetMs: 1e9, maxRounds: 40 }, i => noisy[i]!)).toEqual({ rounds: 40, decided: false, stop: 'max-rounds' })
  })
})

describe('rounds: auto, against a baseline', () => {
  const reference = sample(50, 10, 0.01, 10)

  it('decides quickly when the change is far from every threshold', () => {
    const same = sample(100, 10, 0.01, 11)
    expect(drive({ thresholds, reference }, i => same[i]!)).toEqual({ rounds: 5, decided: true, stop: 'decided' })
    const slower = sample(100, 20, 0.3, 12)
    expect(drive({ thresholds, reference }, i => slower[i]!)?.decided).toBe(true)
  })

  it('needs more rounds for a noisy run than the precision rule would at a large change', () => {
    // +100 % with ±30 % noise: clear of every threshold after a few rounds, although the median is
    // far from the ±1.25 % precision that a run without a baseline waits for
    const slower = sample(5000, 20, 0.3, 13)
    const withBaseline = drive({ thresholds, reference, budgetMs: 1e9 }, i => slower[i]!)!
    const without = drive({ thresholds, budgetMs: 1e9 }, i => slower[i]!)!
    expect(withBaseline.rounds).toBeLessThan(20)
    expect(without.rounds).toBeGreaterThan(5 * withBaseline.rounds)
  })

  it('stays undecided on a change that sits on a threshold, until the budget', () => {
    const onWarning = sample(5000, 10.5, 0.05, 14)
    const outcome = drive({ thresholds, reference, budgetMs: 300 }, i => onWarning[i]!)
    expect(outcome).toEqual({ rounds: 300, decided: false, stop: 'budget' })
  })
})

describe('medianInterval', () => {
  it('takes the binomial ranks of a 99 % interval, and the whole range for 5 values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(medianInterval(values)).toEqual({ lower: 37, median: 50.5, upper: 64 })
    expect(medianInterval([5, 1, 4, 2, 3])).toEqual({ lower: 1, median: 3, upper: 5 })
  })
})

import { describe, expect, it } from 'vitest'
import { armMoments, armValues } from '../../src/ab/arm.ts'
import { alwaysValidPValue, confidenceSequenceHalfWidth, msprtLogLikelihoodRatio, normalToStudent, studentizedMsprt, studentToNormal } from '../../src/ab/sequential.ts'

describe('mSPRT (normal mixture)', () => {
  it('matches the closed form: log Λ = ½ log(V/(V+τ²)) + τ²θ̂²/(2V(V+τ²))', () => {
    expect(msprtLogLikelihoodRatio(0.1, 0.01, 0.1)).toBeCloseTo(-0.0965735902799727, 12)
    expect(msprtLogLikelihoodRatio(0.3, 0.01, 0.1)).toBeCloseTo(1.9034264097200273, 12)
    expect(alwaysValidPValue(0.3, 0.01, 0.1)).toBeCloseTo(0.149057012838996, 12)
    // no evidence yet: the p-value is capped at 1
    expect(alwaysValidPValue(0.1, 0.01, 0.1)).toBe(1)
    expect(confidenceSequenceHalfWidth(0.0004, 0.1, 0.05)).toBeCloseTo(0.06203077793655225, 12)
  })

  it('the confidence sequence is the set the test does not reject: p = alpha on its edge', () => {
    for (const [variance, tau, alpha] of [[0.0004, 0.1, 0.05], [1e-6, 0.05, 0.01], [0.02, 0.2, 0.1]] as const) {
      const half = confidenceSequenceHalfWidth(variance, tau, alpha)
      expect(alwaysValidPValue(half, variance, tau)).toBeCloseTo(alpha, 10)
      expect(alwaysValidPValue(-half, variance, tau)).toBeCloseTo(alpha, 10)
      expect(alwaysValidPValue(half * 0.99, variance, tau)).toBeGreaterThan(alpha)
    }
  })

  it('is symmetric in the sign of the estimate and stricter than a fixed-horizon z test', () => {
    expect(alwaysValidPValue(-0.3, 0.01, 0.1)).toBe(alwaysValidPValue(0.3, 0.01, 0.1))
    // z = 3 gives a two-sided fixed-horizon p of 0.0027; the always-valid p pays for optional stopping
    expect(alwaysValidPValue(0.3, 0.01, 0.1)).toBeGreaterThan(0.0027)
  })

  it('treats a zero variance as certainty and refuses bad parameters', () => {
    expect(alwaysValidPValue(0, 0, 0.1)).toBe(1)
    expect(alwaysValidPValue(0.01, 0, 0.1)).toBe(0)
    expect(() => msprtLogLikelihoodRatio(0.1, 0.01, 0)).toThrow('msprtLogLikelihoodRatio: tau must be > 0, received 0')
    expect(() => confidenceSequenceHalfWidth(0.01, 0.1, 1)).toThrow('confidenceSequenceHalfWidth: alpha must be in (0, 1), received 1')
  })
})

describe('studentized mSPRT (variance estimated with df degrees of freedom)', () => {
  it('maps t to the normal deviate with the same tail, and back', () => {
    // t = 10 with 2 df has the two-sided tail of z = 2.581 (scipy: norm.isf(t.sf(10, 2)) = 2.58096)
    expect(studentToNormal(10, 2)).toBeCloseTo(2.5809649991772, 8)
    expect(normalToStudent(2.5809649991772, 2)).toBeCloseTo(10, 6)
    expect(studentToNormal(-3, Number.POSITIVE_INFINITY)).toBe(3)
    for (const df of [1, 3, 30, 1000]) expect(normalToStudent(studentToNormal(4.2, df), df)).toBeCloseTo(4.2, 6)
  })

  it('few degrees of freedom: wider intervals and larger p-values; many: the plain mSPRT', () => {
    const plain = { p: alwaysValidPValue(0.3, 0.01, 0.1), halfWidth: confidenceSequenceHalfWidth(0.01, 0.1, 0.05) }
    const few = studentizedMsprt(0.3, 0.01, 2, 0.1, 0.05)
    const many = studentizedMsprt(0.3, 0.01, 1e6, 0.1, 0.05)
    expect(few.p).toBeGreaterThan(plain.p)
    expect(few.halfWidth).toBeGreaterThan(plain.halfWidth)
    expect(many.p).toBeCloseTo(plain.p, 4)
    expect(many.halfWidth).toBeCloseTo(plain.halfWidth, 4)
    // the interval's edge is exactly where the test rejects
    expect(studentizedMsprt(few.halfWidth, 0.01, 2, 0.1, 0.05).p).toBeCloseTo(0.05, 8)
  })
})

describe('armMoments', () => {
  it('uses the cluster-robust variance when batches differ (rounds of one process are not independent)', () => {
    const m = armMoments([[1, 2, 3], [4, 5, 6]])
    expect(m).toEqual({ n: 6, batches: 2, mean: 3.5, varianceOfMean: 2.25, df: 1 })
  })

  it('keeps s²/N when batches agree (with batches - 1 degrees of freedom), and transforms values first', () => {
    const m = armMoments([[1, 3], [1, 3], [1, 3]])
    expect(m.mean).toBe(2)
    expect(m.varianceOfMean).toBeCloseTo((6 / 5) / 6, 12)
    expect(m.df).toBe(2)
    const logs = armMoments([[Math.E, Math.E ** 3]], Math.log)
    expect(logs.mean).toBeCloseTo(2, 12)
  })

  it('has no variance below two values', () => {
    expect(armMoments([[5]]).varianceOfMean).toBeNaN()
    expect(armMoments([]).n).toBe(0)
  })
})

describe('armValues', () => {
  it('joins the batches in order, as flat() does, empty batches included', () => {
    for (const batches of [[], [[]], [[1, 2], [], [3], [4, 5, 6]], [[0.5]]]) expect(armValues(batches)).toEqual(batches.flat())
  })
})

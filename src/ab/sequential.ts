/**
 * The mixture sequential probability ratio test (mSPRT) with a normal mixing prior: always-valid
 * p-values and confidence sequences for a difference θ between two arms (Robbins 1970; Johari,
 * Koomen, Pekelis and Walsh, "Always valid inference", Operations Research 2022).
 *
 * Given an estimate θ̂ of θ with variance V (V shrinks as samples accumulate), the likelihood ratio
 * of "θ ~ N(θ0, τ²)" against "θ = θ0" is
 *
 *   Λ = sqrt(V / (V + τ²)) · exp(τ² (θ̂ - θ0)² / (2 V (V + τ²))).
 *
 * Under θ = θ0, Λ is a non-negative martingale in the information 1/V, so by Ville's inequality
 * P(Λ ever reaches 1/α) ≤ α: rejecting when Λ ≥ 1/α is valid however often, and whenever, the data
 * are looked at. Exact for Gaussian estimates with known variance; with the variance estimated
 * (as here) it holds asymptotically, which is why callers wait for a minimum of samples.
 * Every function is O(1).
 */
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '../stats/distributions.ts'

/**
 * log Λ for the estimate `estimate` (θ̂ - θ0) with variance `variance` and prior sd `tau`.
 * A zero variance is certainty: 0 for a zero estimate, +Infinity otherwise.
 */
export function msprtLogLikelihoodRatio(estimate: number, variance: number, tau: number): number {
  if (!(tau > 0)) throw new RangeError(`msprtLogLikelihoodRatio: tau must be > 0, received ${tau}`)
  if (!(variance >= 0)) throw new RangeError(`msprtLogLikelihoodRatio: variance must be >= 0, received ${variance}`)
  if (variance === 0) return estimate === 0 ? 0 : Number.POSITIVE_INFINITY
  const t2 = tau * tau
  return 0.5 * Math.log(variance / (variance + t2)) + (t2 * estimate * estimate) / (2 * variance * (variance + t2))
}

/** The always-valid p-value min(1, 1/Λ) of "θ = θ0" (pass θ̂ - θ0 as `estimate`). */
export function alwaysValidPValue(estimate: number, variance: number, tau: number): number {
  return Math.min(1, Math.exp(-msprtLogLikelihoodRatio(estimate, variance, tau)))
}

/**
 * Half-width of the (1 - alpha) confidence sequence: every θ0 with Λ(θ̂ - θ0) < 1/α, that is
 * |θ̂ - θ0| < sqrt(V (V + τ²) / τ² · (2 log(1/α) + log((V + τ²) / V))).
 */
export function confidenceSequenceHalfWidth(variance: number, tau: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`confidenceSequenceHalfWidth: alpha must be in (0, 1), received ${alpha}`)
  if (!(tau > 0)) throw new RangeError(`confidenceSequenceHalfWidth: tau must be > 0, received ${tau}`)
  if (!(variance >= 0)) throw new RangeError(`confidenceSequenceHalfWidth: variance must be >= 0, received ${variance}`)
  if (variance === 0) return 0
  const t2 = tau * tau
  return Math.sqrt((variance * (variance + t2) / t2) * (2 * Math.log(1 / alpha) + Math.log((variance + t2) / variance)))
}

/**
 * The normal deviate with the same two-sided tail probability as Student's t with `df` degrees of
 * freedom (`|t|` for infinite df; tails that underflow keep `|t|`).
 */
export function studentToNormal(t: number, df: number): number {
  if (!(df < Number.POSITIVE_INFINITY) || !Number.isFinite(t)) return Math.abs(t)
  const tail = studentTCdf(-Math.abs(t), df)
  return tail > 0 ? -normalQuantile(tail) : Math.abs(t)
}

/** The inverse of {@link studentToNormal}: |t| with the same two-sided tail probability as `z`. */
export function normalToStudent(z: number, df: number): number {
  if (!(df < Number.POSITIVE_INFINITY) || !Number.isFinite(z)) return Math.abs(z)
  const tail = normalCdf(-Math.abs(z))
  return tail > 0 ? -studentTQuantile(tail, df) : Number.POSITIVE_INFINITY
}

/** The always-valid p-value and confidence half-width of a studentized mSPRT. */
export interface StudentizedMsprt {
  p: number
  halfWidth: number
}

/**
 * The mSPRT when the variance is itself estimated, with `df` degrees of freedom: the statistic
 * θ̂/√V is a Student t, so it is mapped to the normal deviate with the same tail probability before
 * the mixture ratio is taken, and the confidence sequence's edge is mapped back the same way. Few
 * degrees of freedom (few batches): harder rejections and wider intervals, at every level rather
 * than only at 1 - alpha/2; many: the plain mSPRT. The interval edge has p = alpha exactly.
 */
export function studentizedMsprt(estimate: number, variance: number, df: number, tau: number, alpha: number): StudentizedMsprt {
  const halfWidthZ = confidenceSequenceHalfWidth(variance, tau, alpha)
  if (variance === 0) return { p: alwaysValidPValue(estimate, 0, tau), halfWidth: 0 }
  const se = Math.sqrt(variance)
  const z = studentToNormal(estimate / se, df)
  return { p: alwaysValidPValue(z * se, variance, tau), halfWidth: normalToStudent(halfWidthZ / se, df) * se }
}

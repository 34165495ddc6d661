import { normalQuantile } from './distributions.ts'

/** A proportion with its confidence interval. */
export interface ProportionInterval {
  estimate: number
  lower: number
  upper: number
}

/**
 * Wilson score interval of a binomial proportion (`successes` of `n`), two-sided at `confidence`
 * (default 95 %). Unlike the normal approximation it stays inside [0, 1] and is informative at 0 of
 * n: 0 of 400 gives [0, 0.95 %]. Assumes independent trials.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): ProportionInterval {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`wilsonInterval: n must be an integer >= 1, received ${n}`)
  if (!Number.isInteger(successes) || successes < 0 || successes > n) throw new RangeError(`wilsonInterval: successes must be an integer in 0..${n}, received ${successes}`)
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`wilsonInterval: confidence must be in (0, 1), received ${confidence}`)
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const p = successes / n
  const z2n = (z * z) / n
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n))
  return { estimate: p, lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === n ? 1 : Math.min(1, centre + half) }
}

/**
 * The alternative hypothesis of a test, spelled as in scipy.
 */

import { oneOf } from './validate.ts'

/** Which way the alternative hypothesis points: x differs from y, x tends to be less, or greater. */
export type Alternative = 'two-sided' | 'less' | 'greater'

const ALTERNATIVES = ['two-sided', 'less', 'greater'] as const

/** Validates an `alternative` option (default 'two-sided'); throws a RangeError naming the value otherwise. */
export function parseAlternative(fn: string, value: unknown): Alternative {
  return oneOf(fn, 'alternative', value, ALTERNATIVES, 'two-sided')
}

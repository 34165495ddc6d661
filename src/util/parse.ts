/**
 * Parsers of numbers that people type (CLI flags, environment variables, plugin options): each
 * failure is one {@link BenchgateError} line naming where the value came from, exit code 2.
 */
import { BenchgateError } from './errors.ts'

/** An integer >= 1, from a number or its text; `name` is the flag, variable or option it came from. */
export function positiveInt(name: string, value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1)
    throw new BenchgateError(`${name}: expected an integer >= 1 but received ${JSON.stringify(value)}`)
  return n
}

/** A finite number > 0, from a number or its text; `name` is the flag, variable or option it came from. */
export function positiveNumber(name: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof n !== 'number' || !Number.isFinite(n) || !(n > 0))
    throw new BenchgateError(`${name}: expected a number > 0 but received ${JSON.stringify(value)}`)
  return n
}

/** {@link positiveInt} of an optional flag: `undefined` when it was not given. */
export function optionalPositiveInt(name: string, value: number | string | undefined): number | undefined {
  return value === undefined ? undefined : positiveInt(name, value)
}

/** A finite number > 0 (an integer when `integer`) of an optional flag: `undefined` when it was not given. */
export function optionalPositive(name: string, value: number | string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new BenchgateError(`${name}: expected ${integer ? 'an integer' : 'a number'} > 0 but received ${JSON.stringify(value)}`)
  return n
}

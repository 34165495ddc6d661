/**
 * Argument checks shared by src/stats (private: not re-exported from index.ts). Every message names
 * the function, the argument and the value received, so a failing gate says what it was fed.
 */

/** Renders a received value for an error message: short, never a whole long array. */
export function show(value: unknown): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const head = value.slice(0, 5).map(v => show(v)).join(', ')
    return value.length > 5 ? `[${head}, … (${value.length} values)]` : `[${head}]`
  }
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  return Object.prototype.toString.call(value)
}

/**
 * Throws unless `xs` is an array of at least `minLength` finite numbers.
 * TypeError for a non-array or a non-number element; RangeError for too few values or NaN/±Infinity.
 */
export function assertSample(fn: string, name: string, xs: unknown, minLength = 1): asserts xs is readonly number[] {
  if (!Array.isArray(xs)) throw new TypeError(`${fn}: ${name} must be an array of numbers, received ${show(xs)}`)
  if (xs.length < minLength) {
    throw new RangeError(minLength === 1
      ? `${fn}: ${name} must not be empty, received []`
      : `${fn}: ${name} must have at least ${minLength} values, received ${xs.length}: ${show(xs)}`)
  }
  for (let i = 0; i < xs.length; i++) {
    const v: unknown = xs[i]
    if (typeof v !== 'number') throw new TypeError(`${fn}: ${name}[${i}] must be a number, received ${show(v)}`)
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name}[${i}] must be finite, received ${v}`)
  }
}

/** Throws unless every value of an already checked sample is `> 0` (or `>= 0` when `allowZero`). */
export function assertPositive(fn: string, name: string, xs: readonly number[], allowZero = false): void {
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i] as number
    if (v < 0 || (v === 0 && !allowZero)) {
      throw new RangeError(`${fn}: ${name}[${i}] must be ${allowZero ? '>= 0' : '> 0'}, received ${v}`)
    }
  }
}

/** Throws unless `value` is a number that is not NaN (infinities pass). */
export function assertNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${fn}: ${name} must be a number, received ${show(value)}`)
  if (Number.isNaN(value)) throw new RangeError(`${fn}: ${name} must not be NaN, received NaN`)
}

/** Throws unless `value` is a finite number. */
export function assertFinite(fn: string, name: string, value: unknown): asserts value is number {
  assertNumber(fn, name, value)
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite, received ${value}`)
}

/** Throws unless `value` is a probability in [0, 1]. */
export function assertProbability(fn: string, name: string, value: unknown): asserts value is number {
  assertNumber(fn, name, value)
  if (value < 0 || value > 1) throw new RangeError(`${fn}: ${name} must be in [0, 1], received ${value}`)
}

/** Throws unless `value` is an integer >= `min`. */
export function assertInteger(fn: string, name: string, value: unknown, min: number): asserts value is number {
  assertNumber(fn, name, value)
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, received ${value}`)
  }
}

/** Returns `value` if it is one of `allowed` (the default when undefined), else throws a RangeError. */
export function oneOf<const T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  throw new RangeError(`${fn}: ${name} must be one of ${allowed.map(a => `'${a}'`).join(', ')}, received ${show(value)}`)
}

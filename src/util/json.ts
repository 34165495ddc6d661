/**
 * Deterministic JSON: object keys sorted, floats rounded to a fixed number of significant digits,
 * two-space indentation and a final newline, so committed files diff cleanly.
 */

/** Significant digits kept for non-integer numbers. */
export const FLOAT_DIGITS = 6

/** Rounds a finite float to {@link FLOAT_DIGITS} significant digits; integers and non-finite values pass through. */
export function roundFloat(value: number, digits = FLOAT_DIGITS): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value
  return Number(value.toPrecision(digits))
}

function normalise(value: unknown, digits: number): unknown {
  if (typeof value === 'number') return roundFloat(value, digits)
  if (Array.isArray(value)) return value.map(v => normalise(v, digits))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== undefined) out[key] = normalise(v, digits)
    }
    return out
  }
  return value
}

/** Serialises `value` deterministically (sorted keys, rounded floats, trailing newline). */
export function stableStringify(value: unknown, options: { digits?: number } = {}): string {
  return `${JSON.stringify(normalise(value, options.digits ?? FLOAT_DIGITS), null, 2)}\n`
}

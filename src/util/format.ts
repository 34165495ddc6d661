/**
 * How benchgate writes numbers for people: metric values, percentages, intervals and p-values. One
 * module, so that a change reads the same in a verdict's message, the console table, every report
 * and the CLI's summaries.
 */

/** A metric value with 4 significant digits (exponent notation below 0.001 and from a million): `12.35`. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  const abs = Math.abs(value)
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3)
  return Number(value.toPrecision(4)).toString()
}

/** A value with its unit: `12.35 ms`, or the value alone without a unit (`space` separates them). */
export function valueWithUnit(value: number, unit: string, space = ' '): string {
  return unit ? `${formatValue(value)}${space}${unit}` : formatValue(value)
}

/** How a percentage is written: decimals, and what separates the number from `%`. */
export interface PercentStyle {
  /** @default 1 */
  digits?: number
  /** @default ' ' */
  space?: string
}

/** A relative change as a signed percentage: `+12.3 %`, `-4.0 %`. */
export function signedPercent(x: number, { digits = 1, space = ' ' }: PercentStyle = {}): string {
  return `${x >= 0 ? '+' : '-'}${Math.abs(x * 100).toFixed(digits)}${space}%`
}

/** A fraction as a percentage, unsigned: `12.3 %` (a CV, a rate, a threshold with `digits: 0`). */
export function percent(x: number, { digits = 1, space = ' ' }: PercentStyle = {}): string {
  return `${(x * 100).toFixed(digits)}${space}%`
}

/** A threshold as a percentage with up to 3 significant digits: `10 %`, `12.5 %`. */
export function thresholdPercent(x: number, space = ' '): string {
  return `${Number((x * 100).toPrecision(3))}${space}%`
}

/** A change with its interval, `+30.0 % [+28.1, +31.9]`, or `–` when none was computed. */
export function intervalText(change: { estimate: number, lower: number, upper: number } | undefined, space = ' '): string {
  if (!change) return '–'
  const est = signedPercent(change.estimate, { space })
  if (change.lower === change.upper) return est
  const bare = (x: number) => signedPercent(x, { space }).slice(0, -(space.length + 1))
  return `${est}${space}[${bare(change.lower)},${space}${bare(change.upper)}]`
}

/** A p-value with 2 significant digits, `< 0.001` below that, `–` when there is none. */
export function pValueText(p: number | undefined): string {
  if (p === undefined) return '–'
  if (p < 0.001) return '< 0.001'
  return Number(p.toPrecision(2)).toString()
}

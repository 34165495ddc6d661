import { describe, expect, it } from 'vitest'
import { formatValue, intervalText, percent, pValueText, signedPercent, thresholdPercent, valueWithUnit } from '../../src/util/format.ts'
import { optionalPositive, optionalPositiveInt, positiveInt } from '../../src/util/parse.ts'

describe('formatting numbers for people (one module for messages, tables and reports)', () => {
  it('writes values with 4 significant digits, exponents for the very small and the very large', () => {
    expect(formatValue(12.3456)).toBe('12.35')
    expect(formatValue(0)).toBe('0')
    expect(formatValue(0.0001234)).toBe('1.234e-4')
    expect(formatValue(12_345_678)).toBe('1.235e+7')
    expect(formatValue(Number.NaN)).toBe('NaN')
    expect(valueWithUnit(12.3456, 'ms')).toBe('12.35 ms')
    expect(valueWithUnit(12.3456, 'ms', '\u00a0')).toBe('12.35\u00a0ms')
    expect(valueWithUnit(3, '')).toBe('3')
  })

  it('writes changes signed and fractions unsigned, with the decimals and separator asked for', () => {
    expect(signedPercent(0.123)).toBe('+12.3 %')
    expect(signedPercent(-0.04)).toBe('-4.0 %')
    expect(signedPercent(0)).toBe('+0.0 %')
    expect(signedPercent(-0.0001)).toBe('-0.0 %')
    expect(signedPercent(0.4, { digits: 0 })).toBe('+40 %')
    expect(signedPercent(0.00123, { digits: 2 })).toBe('+0.12 %')
    expect(signedPercent(0.3, { space: '' })).toBe('+30.0%')
    expect(percent(0.042)).toBe('4.2 %')
    expect(percent(0.1, { digits: 0 })).toBe('10 %')
    expect(thresholdPercent(0.1)).toBe('10 %')
    expect(thresholdPercent(0.125)).toBe('12.5 %')
  })

  it('writes an interval after its estimate, and a p-value with 2 significant digits', () => {
    expect(intervalText({ estimate: 0.3, lower: 0.281, upper: 0.319 })).toBe('+30.0 % [+28.1, +31.9]')
    expect(intervalText({ estimate: -0.05, lower: -0.05, upper: -0.05 })).toBe('-5.0 %')
    expect(intervalText(undefined)).toBe('–')
    expect(pValueText(0.0123)).toBe('0.012')
    expect(pValueText(0.0001)).toBe('< 0.001')
    expect(pValueText(undefined)).toBe('–')
  })
})

describe('parsing numbers people type', () => {
  it('takes integers >= 1 from numbers or text, naming the source on anything else', () => {
    expect(positiveInt('--runs', '3')).toBe(3)
    expect(positiveInt('BENCHGATE_RUNS', 5)).toBe(5)
    for (const bad of ['0', '1.5', 'x', '', -2, true])
      expect(() => positiveInt('--runs', bad)).toThrow(`--runs: expected an integer >= 1 but received ${JSON.stringify(bad)}`)
    expect(optionalPositiveInt('--runs', undefined)).toBeUndefined()
    expect(optionalPositiveInt('--runs', '2')).toBe(2)
  })

  it('takes finite numbers > 0, integers when asked', () => {
    expect(optionalPositive('--days-back', '1.5', false)).toBe(1.5)
    expect(optionalPositive('--limit', undefined, true)).toBeUndefined()
    expect(() => optionalPositive('--limit', '1.5', true)).toThrow('--limit: expected an integer > 0 but received "1.5"')
    expect(() => optionalPositive('--days-back', 'Infinity', false)).toThrow('--days-back: expected a number > 0 but received "Infinity"')
    expect(() => optionalPositive('--days-back', '0', false)).toThrow('--days-back: expected a number > 0')
  })
})

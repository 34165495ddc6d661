/**
 * The runbook's A/B decision table ("A/B Test Decision Criteria"), as data: which kind of metric a
 * metric is, what change counts, how many samples are required, and the scale and prior scale of
 * its sequential test.
 */
import type { Direction } from './experiment-types.generated.ts'
import type { MetricKind } from './results-types.generated.ts'

export type { MetricKind }

/** What a metric does in the decision: a goal to improve, a guardrail not to break, or information. */
export type MetricRole = 'goal' | 'guardrail' | 'info'

/** The scale a metric is tested on: log ratio of geometric means, or difference of means. */
export type TestScale = 'log' | 'difference'

/** One row of the decision table. */
export interface Criterion {
  kind: MetricKind
  role: MetricRole
  /** Preferred test scale (`log` falls back to `difference` when a value is not positive). */
  scale: TestScale
  /**
   * Goal: the improvement must exceed this (relative on the log scale, absolute on the difference
   * scale). Guardrail: the worsening must stay below it (relative). Info: unused.
   */
  threshold: number
  /** The runbook's minimum samples per variant before a decision. */
  requiredSamples: number
  /**
   * Standard deviation of the mSPRT's normal mixing prior on the effect (on the test scale): the
   * size of effect the test is most sensitive to, fixed before any data is seen.
   */
  tau: number
  /** The criterion in words. */
  text: string
}

/**
 * The decision table. Latency and memory are relative changes of the geometric mean; the cache hit
 * rate is a proportion, often 0 in a control with the cache off, so its "5 % increase" is read as
 * 5 percentage points (a relative change from 0 is undefined).
 */
export const CRITERIA: Readonly<Record<MetricKind, Readonly<Criterion>>> = Object.freeze({
  latency: { kind: 'latency', role: 'goal', scale: 'log', threshold: 0.10, requiredSamples: 1000, tau: 0.1, text: '> 10 % reduction' },
  hit_rate: { kind: 'hit_rate', role: 'goal', scale: 'difference', threshold: 0.05, requiredSamples: 500, tau: 0.05, text: '> 5 point increase' },
  memory: { kind: 'memory', role: 'guardrail', scale: 'log', threshold: 0.20, requiredSamples: 200, tau: 0.2, text: '< 20 % increase' },
  other: { kind: 'other', role: 'info', scale: 'log', threshold: 0, requiredSamples: 0, tau: 0.1, text: 'informational (no criterion)' },
})

const TIME_UNITS = new Set(['ns', 'us', 'µs', 'ms', 's'])
const MEMORY_UNITS = new Set(['b', 'bytes', 'kb', 'kib', 'mb', 'mib', 'gb', 'gib'])

/**
 * Classifies a metric by name, unit and direction: `*hit_rate*` is a cache hit rate; a name with
 * memory / rss / heap, or a byte unit, is memory; a lower-is-better time unit or a name with time /
 * latency / duration is latency; anything else is `other`.
 */
export function metricKind(name: string, spec: { direction: Direction, unit: string }): MetricKind {
  const n = name.toLowerCase()
  const unit = spec.unit.trim().toLowerCase()
  if (/hit[_-]?rate/.test(n)) return 'hit_rate'
  if (/mem|rss|heap/.test(n) || MEMORY_UNITS.has(unit)) return 'memory'
  if (spec.direction === 'lower' && (TIME_UNITS.has(unit) || /time|latency|duration/.test(n))) return 'latency'
  return 'other'
}

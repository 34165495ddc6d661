import { BenchgateError } from '../util/errors.ts'
import type { MetricDefinition, ScenarioDefinition } from './types.ts'

const SCENARIO_KEYS = new Set(['name', 'description', 'tags', 'rounds', 'warmupRounds', 'autoRounds', 'maxRuns', 'params', 'setup', 'beforeRound', 'run', 'teardown', 'metrics', 'timeMetric', 'thresholds', 'alpha', 'failOn'])
const METRIC_KEYS = new Set(['direction', 'unit', 'min', 'max', 'thresholds', 'collect'])
const THRESHOLD_KEYS = new Set(['warning', 'critical'])

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `"${value}" of type string`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  return `${String(value)} of type ${typeof value}`
}

function fail(where: string, message: string): never {
  throw new BenchgateError(`${where}: ${message}`)
}

function checkThresholds(where: string, value: unknown): void {
  if (value === undefined) return
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `expected thresholds to be an object like { warning: 0.05, critical: 0.1 } but received ${describe(value)}`)
  for (const [key, v] of Object.entries(value)) {
    if (!THRESHOLD_KEYS.has(key)) fail(where, `unknown option thresholds.${key} (expected warning or critical)`)
    if (typeof v !== 'number' || !(v > 0)) fail(where, `expected thresholds.${key} to be a number > 0 but received ${describe(v)}`)
  }
  const t = value as { warning?: number, critical?: number }
  if (t.warning !== undefined && t.critical !== undefined && t.warning > t.critical)
    fail(where, `thresholds.warning (${t.warning}) must not exceed thresholds.critical (${t.critical})`)
}

function checkMetric(where: string, name: string, metric: unknown): void {
  const at = `${where} metric "${name}"`
  if (typeof metric !== 'object' || metric === null) fail(at, `expected an object with direction and collect but received ${describe(metric)}`)
  for (const key of Object.keys(metric)) {
    if (!METRIC_KEYS.has(key)) fail(at, `unknown option "${key}" (expected one of ${[...METRIC_KEYS].join(', ')})`)
  }
  const m = metric as Partial<MetricDefinition>
  if (m.direction !== 'lower' && m.direction !== 'higher') fail(at, `expected direction to be 'lower' or 'higher' but received ${describe(m.direction)}`)
  if (typeof m.collect !== 'function') fail(at, `expected collect to be a function but received ${describe(m.collect)}`)
  if (m.unit !== undefined && typeof m.unit !== 'string') fail(at, `expected unit to be a string but received ${describe(m.unit)}`)
  for (const bound of ['min', 'max'] as const) {
    if (m[bound] !== undefined && (typeof m[bound] !== 'number' || !Number.isFinite(m[bound]))) fail(at, `expected ${bound} to be a finite number but received ${describe(m[bound])}`)
  }
  if (m.min !== undefined && m.max !== undefined && m.min > m.max) fail(at, `min (${m.min}) must not exceed max (${m.max})`)
  checkThresholds(at, m.thresholds)
}

/**
 * Checks a scenario definition at collection time; throws a {@link BenchgateError} whose message
 * names the scenario, the option, what was expected and what was received.
 */
export function validateScenario(def: unknown): asserts def is ScenarioDefinition<unknown, Record<string, unknown>> {
  if (typeof def !== 'object' || def === null) fail('bench.scenario()', `expected a definition object but received ${describe(def)}`)
  const d = def as Record<string, unknown>
  if (typeof d.name !== 'string' || d.name.trim() === '') fail('bench.scenario()', `expected name to be a non-empty string but received ${describe(d.name)}`)
  const where = `scenario "${d.name}"`
  for (const key of Object.keys(d)) {
    if (!SCENARIO_KEYS.has(key)) fail(where, `unknown option "${key}" (expected one of ${[...SCENARIO_KEYS].join(', ')})`)
  }
  if (typeof d.run !== 'function') fail(where, `expected run to be a function but received ${describe(d.run)}`)
  for (const hook of ['setup', 'beforeRound', 'teardown'] as const) {
    if (d[hook] !== undefined && typeof d[hook] !== 'function') fail(where, `expected ${hook} to be a function but received ${describe(d[hook])}`)
  }
  if (d.rounds !== undefined && d.rounds !== 'auto' && (!Number.isInteger(d.rounds) || (d.rounds as number) < 1)) fail(where, `expected rounds to be an integer >= 1 or 'auto' but received ${describe(d.rounds)}`)
  if (d.autoRounds !== undefined) {
    if (d.rounds !== 'auto') fail(where, `autoRounds is set but rounds is ${describe(d.rounds)}, not 'auto'`)
    if (d.autoRounds === null || typeof d.autoRounds !== 'object') fail(where, `expected autoRounds to be an object but received ${describe(d.autoRounds)}`)
    const limits = d.autoRounds as Record<string, unknown>
    for (const key of Object.keys(limits)) {
      if (key !== 'minRounds' && key !== 'maxRounds' && key !== 'budgetMs') fail(where, `unknown autoRounds option "${key}" (expected minRounds, maxRounds, budgetMs)`)
    }
    for (const key of ['minRounds', 'maxRounds'] as const) {
      if (limits[key] !== undefined && (!Number.isInteger(limits[key]) || (limits[key] as number) < 2)) fail(where, `expected autoRounds.${key} to be an integer >= 2 but received ${describe(limits[key])}`)
    }
    if (limits.budgetMs !== undefined && !(typeof limits.budgetMs === 'number' && limits.budgetMs > 0)) fail(where, `expected autoRounds.budgetMs to be a number > 0 but received ${describe(limits.budgetMs)}`)
  }
  if (d.warmupRounds !== undefined && (!Number.isInteger(d.warmupRounds) || (d.warmupRounds as number) < 0)) fail(where, `expected warmupRounds to be an integer >= 0 but received ${describe(d.warmupRounds)}`)
  if (d.maxRuns !== undefined && (!Number.isInteger(d.maxRuns) || (d.maxRuns as number) < 1)) fail(where, `expected maxRuns to be an integer >= 1 but received ${describe(d.maxRuns)}`)
  if (d.description !== undefined && typeof d.description !== 'string') fail(where, `expected description to be a string but received ${describe(d.description)}`)
  if (d.tags !== undefined && (!Array.isArray(d.tags) || d.tags.some(t => typeof t !== 'string' || t === ''))) fail(where, `expected tags to be an array of non-empty strings but received ${describe(d.tags)}`)
  if (d.params !== undefined && (typeof d.params !== 'object' || d.params === null || Array.isArray(d.params))) fail(where, `expected params to be an object but received ${describe(d.params)}`)
  if (d.timeMetric !== undefined && (typeof d.timeMetric !== 'string' || d.timeMetric === '')) fail(where, `expected timeMetric to be a non-empty string but received ${describe(d.timeMetric)}`)
  if (d.alpha !== undefined && (typeof d.alpha !== 'number' || !(d.alpha > 0 && d.alpha < 1))) fail(where, `expected alpha to be a number between 0 and 1 but received ${describe(d.alpha)}`)
  if (d.failOn !== undefined && !['critical', 'warning', 'never'].includes(d.failOn as string)) fail(where, `expected failOn to be 'critical', 'warning' or 'never' but received ${describe(d.failOn)}`)
  checkThresholds(where, d.thresholds)
  if (d.metrics !== undefined) {
    if (typeof d.metrics !== 'object' || d.metrics === null || Array.isArray(d.metrics)) fail(where, `expected metrics to be an object keyed by metric name but received ${describe(d.metrics)}`)
    const timeMetric = (d.timeMetric as string | undefined) ?? 'time'
    for (const [name, metric] of Object.entries(d.metrics)) {
      if (name === timeMetric) fail(where, `metric "${name}" clashes with the round's wall time, which is recorded as "${timeMetric}" (rename the metric or set timeMetric)`)
      checkMetric(where, name, metric)
    }
  }
}

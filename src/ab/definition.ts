/**
 * Defining an experiment: the name, the variants' config overrides (validated against the workload
 * config schema), and how an override reaches a child process (`BENCHGATE_CONFIG_<SECTION>__<KEY>`).
 */
import { isDeepStrictEqual } from 'node:util'
import { ENV_PREFIX, loadWorkloadSchema, parseConfigValue, resolveWorkloadConfig } from '../config/workload.ts'
import { BenchgateError } from '../util/errors.ts'
import { parseJson } from '../util/schema.ts'
import type { Experiment, OverrideValue, Variant } from './experiment-types.generated.ts'

/** Dotted workload config keys and their values. */
export type Overrides = Record<string, OverrideValue>

/** The control variant's name. */
export const CONTROL_NAME = 'control'

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/
const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const NAMED_CONFIG = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})=(\{[\s\S]*)$/

/** Checks an experiment name (it names a file): 1-100 letters, digits, `_`, `.`, `-`. */
export function validateExperimentName(name: unknown, flag = '--name'): string {
  if (typeof name === 'number') name = String(name)
  if (typeof name !== 'string' || !NAME.test(name))
    throw new BenchgateError(`${flag}: expected 1-100 letters, digits, "_", "." or "-" starting with a letter or digit, received ${JSON.stringify(name)}`)
  return name
}

/** `BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB` for `FRAME_CACHE.memory_limit_mb`. */
export function envName(key: string): string {
  const dot = key.indexOf('.')
  return `${ENV_PREFIX}${key.slice(0, dot)}__${key.slice(dot + 1).toUpperCase()}`
}

function envText(value: OverrideValue): string {
  return value === null ? 'null' : String(value)
}

/** The environment that gives a child process the variant's config. */
export function variantEnv(overrides: Readonly<Overrides>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(overrides)) env[envName(key)] = envText(value)
  return env
}

/** Dotted keys only: a section object (`{"FRAME_CACHE": {"enabled": false}}`) becomes `FRAME_CACHE.enabled`. */
export function flattenOverrides(overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const sections = loadWorkloadSchema().properties ?? {}
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(overrides)) {
    if (!key.includes('.') && key in sections && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) out[`${key}.${name}`] = v
    }
    else out[key] = value
  }
  return out
}

/**
 * Parses and validates one variant's `--control-config` / `--treatment-config` JSON: an object of
 * dotted keys (a section object such as `{"FRAME_CACHE": {"enabled": false}}` is flattened), every
 * key known to the workload schema and every value of the type it expects, and each value able to
 * travel through its environment variable unchanged.
 * @throws {BenchgateError} one line per problem, naming the flag, the key and the expected type
 */
export function parseOverrides(flag: string, text: string): Overrides {
  const data = parseJson(text, flag)
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new BenchgateError(`${flag}: expected a JSON object of dotted config keys, e.g. {"FRAME_CACHE.memory_limit_mb": 500}, received ${JSON.stringify(data)}`)
  const overrides = flattenOverrides(data as Record<string, unknown>) as Overrides
  try {
    resolveWorkloadConfig({ overrides, env: {}, file: null })
  }
  catch (error) {
    if (error instanceof BenchgateError) throw new BenchgateError(error.message.split('\n').map(line => `${flag}: ${line}`).join('\n'))
    throw error
  }
  for (const [key, value] of Object.entries(overrides)) {
    const text = envText(value)
    if (!isDeepStrictEqual(parseConfigValue(key, text), value))
      throw new BenchgateError(`${flag}: "${key}": the string ${JSON.stringify(value)} would read back as ${JSON.stringify(parseConfigValue(key, text))} through ${envName(key)}; use null or another value`)
  }
  return overrides
}

/** What `ab create` asks for. */
export interface CreateExperimentOptions {
  name: string
  /** The control's overrides as JSON text (`{}` runs the project's config unchanged). */
  control: string
  /** Each treatment's overrides as JSON text, optionally named: `big_cache={"FRAME_CACHE.memory_limit_mb": 1000}`. */
  treatments: readonly string[]
  tags?: readonly string[]
  metrics?: readonly string[]
  files?: readonly string[]
  /** @default 0.05 */
  alpha?: number
  now?: Date
}

/**
 * Builds a validated experiment definition. Treatments are named `treatment-1`, `treatment-2`, ...
 * unless given as `name={...}`.
 * @throws {BenchgateError} for a bad name, config, duplicate variant name or alpha (exit code 2)
 */
export function defineExperiment(options: CreateExperimentOptions): Experiment {
  const name = validateExperimentName(options.name)
  if (options.treatments.length === 0)
    throw new BenchgateError('--treatment-config: at least one treatment is required, e.g. --treatment-config \'{"FRAME_CACHE.memory_limit_mb": 1000}\'')
  const alpha = options.alpha ?? 0.05
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 0.5))
    throw new BenchgateError(`--alpha: expected a number in (0, 0.5], received ${JSON.stringify(options.alpha)}`)
  const variants: Variant[] = [{ name: CONTROL_NAME, role: 'control', overrides: parseOverrides('--control-config', options.control) }]
  options.treatments.forEach((raw, i) => {
    const named = NAMED_CONFIG.exec(raw.trim())
    const variantName = named ? named[1]! : `treatment-${i + 1}`
    const flag = `--treatment-config ${variantName}`
    if (!VARIANT_NAME.test(variantName)) throw new BenchgateError(`${flag}: invalid variant name`)
    if (variants.some(v => v.name === variantName))
      throw new BenchgateError(`--treatment-config: variant name "${variantName}" is used twice${variantName === CONTROL_NAME ? ' ("control" is the control\'s)' : ''}; name treatments with name={...}`)
    variants.push({ name: variantName, role: 'treatment', overrides: parseOverrides(flag, named ? named[2]! : raw) })
  })
  return {
    name,
    createdAt: (options.now ?? new Date()).toISOString(),
    status: 'active',
    alpha,
    tags: [...new Set(options.tags ?? [])],
    metrics: [...new Set(options.metrics ?? [])],
    files: [...(options.files ?? [])],
    variants,
  }
}

/** Treatments whose overrides equal the control's (an A/A comparison: fine, but worth a word). */
export function sameAsControl(experiment: Experiment): string[] {
  const control = experiment.variants[0]!
  return experiment.variants.slice(1).filter(v => isDeepStrictEqual(v.overrides, control.overrides)).map(v => v.name)
}

/**
 * Parses a time budget: `90s`, `5m`, `1h30m`, `500ms`, or a plain number of seconds.
 * @throws {BenchgateError} naming the flag and the value
 */
export function parseDuration(flag: string, value: unknown): number {
  const text = String(value).trim()
  let ms = 0
  if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000
  else if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
    const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * unit[m[2]!]!
  }
  else ms = Number.NaN
  if (!(ms > 0)) throw new BenchgateError(`${flag}: expected a duration like 90s, 5m or 1h30m, received ${JSON.stringify(value)}`)
  return ms
}

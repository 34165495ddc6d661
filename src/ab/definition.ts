/**
 * Defining an experiment: the name and the variants, each a plain set of overrides (environment
 * variables and config keys, see overrides.ts) checked when the experiment is created.
 */
import { isDeepStrictEqual } from 'node:util'
import { BenchgateError } from '../util/errors.ts'
import { parseJson } from '../util/schema.ts'
import type { Experiment, Variant } from './experiment-types.generated.ts'
import { checkOverrides, envOnlyTarget, type ConfigTarget, type Overrides } from './overrides.ts'

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

/**
 * Parses and checks one variant's `--control-config` / `--treatment-config` JSON: an object of
 * environment variables and config keys (see {@link checkOverrides}).
 * @throws {BenchgateError} one line per problem, naming the flag and the key
 */
export function parseOverrides(flag: string, text: string, target: ConfigTarget = envOnlyTarget): Overrides {
  return checkOverrides(flag, parseJson(text, flag), target)
}

/** A `--treatment-config` value split into its optional name (`name={...}`) and its JSON text. */
export function namedConfig(raw: string): { name?: string, text: string } {
  const named = NAMED_CONFIG.exec(raw.trim())
  return named ? { name: named[1]!, text: named[2]! } : { text: raw }
}

/** What `ab create` asks for. */
export interface CreateExperimentOptions {
  name: string
  /** The control's overrides as JSON text (`{}` runs the project's config unchanged). */
  control: string
  /** Each treatment's overrides as JSON text, optionally named: `big_threads={"UV_THREADPOOL_SIZE": "16"}`. */
  treatments: readonly string[]
  /** Checks the variants' config keys. @default envOnlyTarget (environment variables only) */
  target?: ConfigTarget
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
  const target = options.target ?? envOnlyTarget
  if (options.treatments.length === 0)
    throw new BenchgateError(`--treatment-config: at least one treatment is required, e.g. --treatment-config '${target.example}'`)
  const alpha = options.alpha ?? 0.05
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha <= 0.5))
    throw new BenchgateError(`--alpha: expected a number in (0, 0.5], received ${JSON.stringify(options.alpha)}`)
  const variants: Variant[] = [{ name: CONTROL_NAME, role: 'control', overrides: parseOverrides('--control-config', options.control, target) }]
  options.treatments.forEach((raw, i) => {
    const named = namedConfig(raw)
    const variantName = named.name ?? `treatment-${i + 1}`
    const flag = `--treatment-config ${variantName}`
    if (!VARIANT_NAME.test(variantName)) throw new BenchgateError(`${flag}: invalid variant name`)
    if (variants.some(v => v.name === variantName))
      throw new BenchgateError(`--treatment-config: variant name "${variantName}" is used twice${variantName === CONTROL_NAME ? ' ("control" is the control\'s)' : ''}; name treatments with name={...}`)
    variants.push({ name: variantName, role: 'treatment', overrides: parseOverrides(flag, named.text, target) })
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

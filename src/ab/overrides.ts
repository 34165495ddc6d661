/**
 * A variant is a plain set of overrides, usable by any project: environment variables
 * (`UV_THREADPOOL_SIZE`) and dotted config keys (`cache.size_mb`), each with a JSON scalar value.
 *
 * The engine sets environment variables itself. A config key means something only to a project's
 * own config, so the experiment's {@link ConfigTarget} checks config keys, turns them into the
 * child's environment and deploys a winner's. {@link envOnlyTarget} is the default: it takes no
 * config keys, so an experiment on it needs nothing from the project but its benchmarks.
 */
import { BenchgateError } from '../util/errors.ts'
import type { OverrideValue } from './experiment-types.generated.ts'

/** A variant's overrides: environment variable names and dotted config keys, with their values. */
export type Overrides = Record<string, OverrideValue>

/** What deploying a winner did. */
export interface DeployResult {
  /** The file written, or null when nothing was written. */
  path: string | null
  /** Lines for the CLI: what was written (or what to set by hand). */
  summary: string[]
}

/**
 * Where an experiment's config keys go. Implemented by a project's config (the GifLab workload's
 * lives in `src/gif/workload-target.ts`); the engine never looks inside a config key.
 */
export interface ConfigTarget {
  /** Names the target in messages, e.g. `environment variables only`. */
  readonly name: string
  /** An override object for messages, e.g. `{"FRAME_CACHE.memory_limit_mb": 500}`. */
  readonly example: string
  /** What the target's keys are called in messages, e.g. `dotted config keys`. */
  readonly keys: string
  /** The file a deploy writes, for "unchanged" messages; undefined when deploying writes nothing. */
  readonly deploysTo?: string
  /** Rewrites shorthand before anything is checked (e.g. section objects into dotted keys). */
  normalize?(data: Readonly<Record<string, unknown>>): Record<string, unknown>
  /** Whether `key` is a config key (default: it contains a dot); every other key names an environment variable. */
  isConfigKey?(key: string): boolean
  /**
   * Checks one variant's config keys (called with at least one).
   * @throws {BenchgateError} one line per problem, naming the key (the caller prefixes the flag)
   */
  check(config: Readonly<Record<string, unknown>>): void
  /** The child environment that gives a process these (checked) config keys. */
  env(config: Readonly<Overrides>): Record<string, string>
  /** Writes a winner's config keys (possibly none) where the project reads them. */
  deploy(root: string, variant: string, config: Readonly<Overrides>): DeployResult
}

function noConfigKeys(config: Readonly<Record<string, unknown>>): never {
  throw new BenchgateError(Object.keys(config).map(key => `override ${JSON.stringify(key)}: a dotted config key, but this experiment's overrides are environment variables only; name a variable, e.g. {"UV_THREADPOOL_SIZE": "8"}`).join('\n'))
}

/** The default target: overrides are environment variables; a config key is refused (also at run and deploy, for an experiment stored with some). */
export const envOnlyTarget: ConfigTarget = {
  name: 'environment variables only',
  example: '{"UV_THREADPOOL_SIZE": "8"}',
  keys: 'environment variable names',
  check: noConfigKeys,
  env: noConfigKeys,
  deploy: (_root, _variant, config) => Object.keys(config).length > 0 ? noConfigKeys(config) : { path: null, summary: [] },
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)+$/

const isConfigKey = (target: ConfigTarget, key: string) => target.isConfigKey?.(key) ?? key.includes('.')

/** The overrides split into environment variables and config keys. */
export function splitOverrides<T>(overrides: Readonly<Record<string, T>>, target: ConfigTarget): { env: Record<string, T>, config: Record<string, T> } {
  const env: Record<string, T> = {}
  const config: Record<string, T> = {}
  for (const [key, value] of Object.entries(overrides)) (isConfigKey(target, key) ? config : env)[key] = value
  return { env, config }
}

const scalar = (value: unknown): value is OverrideValue => value === null || ['string', 'number', 'boolean'].includes(typeof value)

/** The text an environment override sets (null: the variable is left unset). */
function envText(value: Exclude<OverrideValue, null>): string {
  return String(value)
}

/**
 * Checks one variant's overrides, already parsed from JSON: environment variable names of
 * letters, digits and `_` (not `BENCHGATE_*`: each batch sets those) with scalar values, and config
 * keys checked by `target`.
 * @throws {BenchgateError} one line per problem, each starting with `flag`
 */
export function checkOverrides(flag: string, data: unknown, target: ConfigTarget = envOnlyTarget): Overrides {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw new BenchgateError(`${flag}: expected a JSON object of ${target.keys}, e.g. ${target.example}, received ${JSON.stringify(data)}`)
  const overrides = target.normalize?.(data as Record<string, unknown>) ?? { ...(data as Record<string, unknown>) }
  const { env, config } = splitOverrides(overrides, target)
  const problems: string[] = []
  for (const [key, value] of Object.entries(env)) {
    if (!ENV_NAME.test(key)) problems.push(`override ${JSON.stringify(key)}: expected an environment variable name (letters, digits and "_") or a dotted config key`)
    else if (key.toUpperCase().startsWith('BENCHGATE_')) problems.push(`override ${JSON.stringify(key)}: benchgate's own variables are set by each batch, not by a variant`)
    else if (!scalar(value)) problems.push(`override ${JSON.stringify(key)}: expected a string, number, boolean or null (unset) for the environment variable, received ${JSON.stringify(value)}`)
  }
  if (problems.length === 0 && Object.keys(config).length > 0) {
    try {
      target.check(config)
    }
    catch (error) {
      if (!(error instanceof BenchgateError)) throw error
      problems.push(...error.message.split('\n'))
    }
    // what the target accepted must still be storable (experiment.schema.json)
    for (const [key, value] of Object.entries(config)) {
      if (problems.length > 0) break
      if (!CONFIG_KEY.test(key)) problems.push(`override ${JSON.stringify(key)}: expected a dotted config key (letters, digits, "_" or "-" between dots)`)
      else if (!scalar(value)) problems.push(`override ${JSON.stringify(key)}: expected a string, number, boolean or null, received ${JSON.stringify(value)}`)
    }
  }
  if (problems.length > 0) throw new BenchgateError(problems.map(line => `${flag}: ${line}`).join('\n'))
  return overrides as Overrides
}

/**
 * Every environment variable any variant sets or unsets, itself or through its config keys: no
 * batch inherits these from the parent, so a variant that does not set one runs without it.
 */
export function variantEnvNames(variants: ReadonlyArray<{ overrides: Readonly<Overrides> }>, target: ConfigTarget = envOnlyTarget): string[] {
  const names = new Set<string>()
  for (const v of variants) {
    const { env, config } = splitOverrides(v.overrides, target)
    for (const key of Object.keys(env)) names.add(key)
    if (Object.keys(config).length > 0) for (const key of Object.keys(target.env(config))) names.add(key)
  }
  return [...names].sort()
}

/** The environment that gives a child process the variant's overrides (null-valued variables are left out). */
export function variantEnv(overrides: Readonly<Overrides>, target: ConfigTarget = envOnlyTarget): Record<string, string> {
  const { env, config } = splitOverrides(overrides, target)
  const out: Record<string, string> = Object.keys(config).length > 0 ? target.env(config) : {}
  for (const [key, value] of Object.entries(env)) if (value !== null) out[key] = envText(value)
  return out
}

/**
 * Deploys a winner: its config keys through the target, and its environment variables printed
 * for the project to set where it runs (benchgate does not know where a project keeps them).
 */
export function deployVariant(root: string, variant: string, overrides: Readonly<Overrides>, target: ConfigTarget = envOnlyTarget): DeployResult {
  const { env, config } = splitOverrides(overrides, target)
  const result = target.deploy(root, variant, config)
  const names = Object.keys(env).sort()
  if (names.length > 0) {
    result.summary.push(`Set the environment of ${variant} where the project runs (benchgate writes no file for environment variables):`)
    for (const name of names) {
      const value = env[name]!
      result.summary.push(value === null ? `  unset ${name}` : `  ${name}=${envText(value)}`)
    }
  }
  if (result.summary.length === 0) result.summary.push(`${variant} has no overrides (the project's own settings won): nothing to deploy`)
  return result
}

/**
 * Resolution, validation and persistence of the workload configuration
 * (caches, frame sampling, the perceptual metric, SSIM settings).
 *
 * Precedence, lowest first: defaults <- profile <- config file (`benchgate.config.json`) <-
 * environment (`BENCHGATE_CONFIG_<SECTION>__<KEY>`) <- explicit overrides. The schema
 * (`workload.schema.json`) is the source of truth; the result is validated with ajv and every error
 * is one line naming where the value came from, its JSON path, what was expected and what was
 * received.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import {
  DEFAULT_WORKLOAD_CONFIG,
  PROFILE_NAMES,
  getProfile,
  type ProfileName,
  type WorkloadConfigPatch,
} from './profiles.ts'
import type { WorkloadConfig } from './workload-types.generated.ts'

export type { WorkloadConfig } from './workload-types.generated.ts'

/** Name of the config file looked up in the current directory. */
export const CONFIG_FILE_NAME = 'benchgate.config.json'

/** Prefix of the environment overrides: `BENCHGATE_CONFIG_<SECTION>__<KEY>`. */
export const ENV_PREFIX = 'BENCHGATE_CONFIG_'

/** A JSON Schema node, as far as this module reads it. */
interface SchemaNode {
  type?: string | string[]
  enum?: unknown[]
  properties?: Record<string, SchemaNode>
  [keyword: string]: unknown
}

let schemaCache: SchemaNode | undefined

/**
 * The workload JSON Schema. Read next to this module (src/config, or dist/src/config when the build
 * copies it) and, failing that, from the package's `src/config/`.
 */
export function loadWorkloadSchema(): SchemaNode {
  if (schemaCache) return schemaCache
  const candidates = [
    new URL('./workload.schema.json', import.meta.url),
    new URL('../../../src/config/workload.schema.json', import.meta.url),
  ]
  for (const url of candidates) {
    if (existsSync(url)) {
      schemaCache = JSON.parse(readFileSync(url, 'utf8')) as SchemaNode
      return schemaCache
    }
  }
  throw new BenchgateError(`workload.schema.json not found next to ${new URL('.', import.meta.url).pathname}`)
}

/** Section names (`FRAME_CACHE`, ...) in schema order. */
export function workloadSections(): string[] {
  return Object.keys(loadWorkloadSchema().properties ?? {})
}

/** Every valid dotted key (`FRAME_CACHE.memory_limit_mb`, ...) in schema order. */
export function workloadKeys(): string[] {
  const out: string[] = []
  for (const [section, node] of Object.entries(loadWorkloadSchema().properties ?? {}))
    for (const key of Object.keys(node.properties ?? {})) out.push(`${section}.${key}`)
  return out
}

/** Looks a dotted key up in the schema; throws listing the valid sections / keys. */
function keySchema(key: string, source: string): { section: string, name: string, node: SchemaNode } {
  const sections = loadWorkloadSchema().properties ?? {}
  const dot = key.indexOf('.')
  const section = dot < 0 ? key : key.slice(0, dot)
  const name = dot < 0 ? '' : key.slice(dot + 1)
  const sectionNode = sections[section]
  if (!sectionNode) {
    throw new BenchgateError(
      `${source}: unknown config section ${JSON.stringify(section)} (in key ${JSON.stringify(key)}); valid sections: ${Object.keys(sections).join(', ')}`,
    )
  }
  const node = sectionNode.properties?.[name]
  if (dot < 0 || !node) {
    throw new BenchgateError(
      `${source}: unknown config key ${JSON.stringify(key)}; valid keys of ${section}: ${Object.keys(sectionNode.properties ?? {}).join(', ')}`,
    )
  }
  return { section, name, node }
}

/**
 * Returns a copy of `config` with the dotted `key` (e.g. `FRAME_CACHE.memory_limit_mb`) set to
 * `value`; `config` itself is not changed. The value is not type-checked here (validation happens
 * on the resolved config).
 * @param source quoted in errors (e.g. an env var name or an override key)
 * @throws {BenchgateError} for an unknown section or key, listing the valid ones
 */
export function setDotted<T extends WorkloadConfig | WorkloadConfigPatch>(config: T, key: string, value: unknown, source = `key ${JSON.stringify(key)}`): T {
  const { section, name } = keySchema(key, source)
  const out = { ...(config as Record<string, Record<string, unknown> | undefined>) }
  out[section] = { ...(out[section] ?? {}), [name]: value }
  return out as T
}

/** Reads a dotted key of a resolved config. */
export function getDotted(config: WorkloadConfig, key: string): unknown {
  const { section, name } = keySchema(key, `key ${JSON.stringify(key)}`)
  return (config as unknown as Record<string, Record<string, unknown>>)[section]![name]
}

function typesOf(node: SchemaNode): string[] {
  if (Array.isArray(node.type)) return node.type
  return node.type ? [node.type] : []
}

function invalid(source: string, key: string, expected: string, received: unknown): BenchgateError {
  return new BenchgateError(
    `Invalid workload config: ${source} at /${key.replace('.', '/')}: expected ${expected}, received ${JSON.stringify(received)}`,
  )
}

/**
 * Parses a string (an environment variable or a CLI argument) by the schema type of `key`:
 * booleans accept true/false/1/0 (any case), numbers any finite numeric literal, nullable strings
 * `null` (any case) or the empty string as null; other strings pass unchanged.
 * @throws {BenchgateError} naming the source, the JSON path, the expected type and the value
 */
export function parseConfigValue(key: string, raw: string, source = `value for ${key}`): unknown {
  const { node } = keySchema(key, source)
  const types = typesOf(node)
  const text = raw.trim()
  if (types.includes('boolean')) {
    if (/^(true|1)$/i.test(text)) return true
    if (/^(false|0)$/i.test(text)) return false
    throw invalid(source, key, 'a boolean (true, false, 1 or 0)', raw)
  }
  if (types.includes('number') || types.includes('integer')) {
    const n = text === '' ? Number.NaN : Number(text)
    if (!Number.isFinite(n)) throw invalid(source, key, types.includes('integer') ? 'an integer' : 'a number', raw)
    return n
  }
  if (types.includes('null') && (text === '' || text.toLowerCase() === 'null')) return null
  return raw
}

/** One value and where it came from. */
interface Layer {
  key: string
  value: unknown
  source: string
}

function patchLayers(patch: Readonly<WorkloadConfigPatch>, source: string): Layer[] {
  const out: Layer[] = []
  for (const [section, values] of Object.entries(patch))
    for (const [name, value] of Object.entries(values ?? {})) out.push({ key: `${section}.${name}`, value, source })
  return out
}

/**
 * Turns an overrides object into layers. Keys are dotted (`"FRAME_CACHE.memory_limit_mb": 100`);
 * a section name with an object value (`"FRAME_CACHE": { "memory_limit_mb": 100 }`) is accepted too.
 * `undefined` values are skipped.
 */
function overrideLayers(overrides: Record<string, unknown>, source: (key: string) => string): Layer[] {
  const out: Layer[] = []
  const sections = loadWorkloadSchema().properties ?? {}
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue
    if (!key.includes('.') && key in sections && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined) out.push({ key: `${key}.${name}`, value: v, source: source(`${key}.${name}`) })
      }
    }
    else out.push({ key, value, source: source(key) })
  }
  return out
}

/** The variable that sets a dotted key: `BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB` for `FRAME_CACHE.memory_limit_mb`. */
export function workloadEnvName(key: string): string {
  const dot = key.indexOf('.')
  return `${ENV_PREFIX}${key.slice(0, dot)}__${key.slice(dot + 1).toUpperCase()}`
}

/** Layers from `BENCHGATE_CONFIG_<SECTION>__<KEY>` variables, sorted by variable name. */
function envLayers(env: NodeJS.ProcessEnv): Layer[] {
  const out: Layer[] = []
  const names = Object.keys(env).filter(n => n.startsWith(ENV_PREFIX)).sort()
  for (const name of names) {
    const raw = env[name]
    if (raw === undefined) continue
    const rest = name.slice(ENV_PREFIX.length)
    const split = rest.indexOf('__')
    const source = `env ${name}`
    if (split < 0) {
      const hint = workloadKeys().find(k => k.replace('.', '_').toUpperCase() === rest)
      throw new BenchgateError(
        `${source}: expected ${ENV_PREFIX}<SECTION>__<KEY> with a double underscore between section and key`
        + (hint ? `; did you mean ${ENV_PREFIX}${hint.replace('.', '__').toUpperCase()}?` : `; valid keys: ${workloadKeys().join(', ')}`),
      )
    }
    const key = `${rest.slice(0, split)}.${rest.slice(split + 2).toLowerCase()}`
    out.push({ key, value: parseConfigValue(key, raw, source), source })
  }
  return out
}

/** What `benchgate.config.json` holds. */
export interface WorkloadConfigFile {
  /** A built-in profile name. */
  profile?: string
  /** Dotted keys (or section objects) laid over the profile. */
  overrides?: Record<string, unknown>
}

function readConfigFile(path: string): WorkloadConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  }
  catch (error) {
    throw new BenchgateError(`Config file ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  }
  catch (error) {
    throw new BenchgateError(`Config file ${path}: malformed JSON (${(error as Error).message})`)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new BenchgateError(`Config file ${path}: expected an object { "profile": ..., "overrides": {...} }, received ${JSON.stringify(data)}`)
  }
  const file = data as Record<string, unknown>
  const unknownKeys = Object.keys(file).filter(k => k !== 'profile' && k !== 'overrides')
  if (unknownKeys.length > 0) {
    throw new BenchgateError(`Config file ${path}: unknown key ${JSON.stringify(unknownKeys[0])}; valid keys: profile, overrides`)
  }
  if (file.profile !== undefined && typeof file.profile !== 'string') {
    throw new BenchgateError(`Config file ${path} at /profile: expected a profile name (${PROFILE_NAMES.join(', ')}), received ${JSON.stringify(file.profile)}`)
  }
  if (file.overrides !== undefined && (file.overrides === null || typeof file.overrides !== 'object' || Array.isArray(file.overrides))) {
    throw new BenchgateError(`Config file ${path} at /overrides: expected an object of dotted keys, received ${JSON.stringify(file.overrides)}`)
  }
  return file as WorkloadConfigFile
}

let validator: ValidateFunction<WorkloadConfig> | undefined

function validate(config: unknown): ValidateFunction<WorkloadConfig> {
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile<WorkloadConfig>(loadWorkloadSchema())
  validator(config)
  return validator
}

function expectedText(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'type': return String(p.type).split(',').join(' or ')
    case 'enum': return `one of ${(p.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'maximum': return `a number ${String(p.comparison)} ${String(p.limit)}`
    case 'additionalProperties': return `no property ${JSON.stringify(p.additionalProperty)}`
    case 'required': return `property ${JSON.stringify(p.missingProperty)}`
    default: return error.message ?? 'a valid value'
  }
}

/** Options of {@link resolveWorkloadConfig}. */
export interface ResolveWorkloadOptions {
  /** Profile name; default: the config file's `profile`, else `default`. */
  profile?: string
  /** Explicit overrides (dotted keys), applied last. */
  overrides?: Record<string, unknown>
  /** Environment to read `BENCHGATE_CONFIG_*` from. @default process.env */
  env?: NodeJS.ProcessEnv
  /**
   * Config file. A path must exist; `null` reads no file; `undefined` reads
   * `benchgate.config.json` in `cwd` when present.
   */
  file?: string | null
  /** Directory for the default config file. @default process.cwd() */
  cwd?: string
}

/** A resolved config together with where each value came from. */
export interface ResolvedWorkloadConfig {
  config: WorkloadConfig
  /** The profile applied. */
  profile: ProfileName
  /** The config file read, or null. */
  file: string | null
  /** Source of every dotted key: `default`, `profile <name>`, `file <path>`, `env <NAME>` or `override "<key>"`. */
  sources: Record<string, string>
}

function resolveLayers(
  options: ResolveWorkloadOptions,
  fileOverride?: { path: string, content: WorkloadConfigFile },
): ResolvedWorkloadConfig {
  const cwd = options.cwd ?? process.cwd()
  let filePath: string | null = null
  let content: WorkloadConfigFile = {}
  if (fileOverride) {
    filePath = fileOverride.path
    content = fileOverride.content
  }
  else if (typeof options.file === 'string') {
    filePath = resolve(cwd, options.file)
    if (!existsSync(filePath)) throw new BenchgateError(`Config file ${filePath} (option file) does not exist`)
    content = readConfigFile(filePath)
  }
  else if (options.file === undefined) {
    const candidate = join(cwd, CONFIG_FILE_NAME)
    if (existsSync(candidate)) {
      filePath = candidate
      content = readConfigFile(candidate)
    }
  }
  const profileSource = options.profile !== undefined ? 'option profile' : `Config file ${filePath ?? ''} at /profile`
  const profileName = (options.profile ?? content.profile ?? 'default')
  const patch = getProfile(profileName, profileSource)

  const layers: Layer[] = [
    ...patchLayers(patch, `profile ${profileName}`),
    ...overrideLayers(content.overrides ?? {}, key => `file ${filePath ?? ''} (overrides ${JSON.stringify(key)})`),
    ...envLayers(options.env ?? process.env),
    ...overrideLayers(options.overrides ?? {}, key => `override ${JSON.stringify(key)}`),
  ]
  let config = structuredClone(DEFAULT_WORKLOAD_CONFIG) as WorkloadConfig
  const sources: Record<string, string> = {}
  for (const key of workloadKeys()) sources[key] = 'default'
  for (const layer of layers) {
    config = setDotted(config, layer.key, layer.value, layer.source)
    sources[layer.key] = layer.source
  }

  const check = validate(config)
  if (check.errors && check.errors.length > 0) {
    const seen = new Set<string>()
    const lines: string[] = []
    for (const error of check.errors) {
      if (seen.has(error.instancePath)) continue
      seen.add(error.instancePath)
      const key = error.instancePath.slice(1).replace('/', '.')
      const received = key.includes('.') ? getDotted(config, key) : undefined
      lines.push(`Invalid workload config: ${sources[key] ?? 'config'} at ${error.instancePath || '/'}: expected ${expectedText(error)}, received ${JSON.stringify(received)}`)
    }
    throw new BenchgateError(lines.join('\n'))
  }
  return { config, profile: profileName as ProfileName, file: filePath, sources }
}

/**
 * Resolves the workload config: defaults <- profile <- config file <- env <- overrides, validated
 * against the schema.
 * @throws {BenchgateError} one line per problem, naming the source (env var, file, override key),
 *   the JSON path and the expected type / value; unknown sections and keys list the valid ones
 */
export function resolveWorkloadConfig(options: ResolveWorkloadOptions = {}): WorkloadConfig {
  return resolveLayers(options).config
}

/**
 * `benchgate config current`: the resolved config (same precedence as
 * {@link resolveWorkloadConfig}) with its profile, file and the source of every key.
 */
export function configCurrent(options: ResolveWorkloadOptions = {}): ResolvedWorkloadConfig {
  return resolveLayers(options)
}

/** One changed key. */
export interface ConfigChange {
  key: string
  from: unknown
  to: unknown
}

/** What {@link configLoadProfile} did. */
export interface LoadProfileResult {
  /** The file written. */
  path: string
  profile: ProfileName
  /** The profile the file named before (null when there was no file or no profile). */
  previousProfile: string | null
  /** Keys whose resolved value changed (environment ignored), sorted by key. */
  changes: ConfigChange[]
  /** Overrides that were in the file and were dropped (unless keepOverrides). */
  droppedOverrides: string[]
  /** Human-readable lines for the CLI. */
  summary: string[]
}

/**
 * `benchgate config load-profile <name>`: writes `benchgate.config.json` in `cwd` (atomically,
 * sorted keys) selecting the profile, and reports which resolved values changed. The file's
 * overrides are dropped unless `keepOverrides`, so the profile takes effect as documented.
 * @throws {BenchgateError} for an unknown profile (listing the valid ones) or an invalid result
 */
export function configLoadProfile(name: string, options: { cwd?: string, keepOverrides?: boolean } = {}): LoadProfileResult {
  getProfile(name, 'load-profile')
  const cwd = options.cwd ?? process.cwd()
  const path = join(cwd, CONFIG_FILE_NAME)
  // A broken existing file must not block loading a profile (it is the way out of a bad config).
  let previous: WorkloadConfigFile = {}
  let before: ResolvedWorkloadConfig
  let replacedInvalid: string | null = null
  try {
    previous = existsSync(path) ? readConfigFile(path) : {}
    before = resolveLayers({ env: {}, cwd, file: existsSync(path) ? path : null })
  }
  catch (error) {
    replacedInvalid = (error as Error).message.split('\n')[0]!
    previous = {}
    before = resolveLayers({ env: {}, cwd, file: null })
  }
  const overrides = options.keepOverrides ? (previous.overrides ?? {}) : {}
  const next: WorkloadConfigFile = Object.keys(overrides).length > 0 ? { profile: name, overrides } : { profile: name }
  const after = resolveLayers({ env: {}, cwd }, { path, content: next })
  const changes: ConfigChange[] = []
  for (const key of workloadKeys()) {
    const from = getDotted(before.config, key)
    const to = getDotted(after.config, key)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ key, from, to })
  }
  changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  writeFileAtomic(path, stableStringify(next))
  const droppedOverrides = options.keepOverrides ? [] : Object.keys(previous.overrides ?? {}).sort()
  const summary = [
    `Wrote ${path}: profile ${name}${previous.profile ? ` (was ${previous.profile})` : ''}`,
    ...(replacedInvalid ? [`Replaced an invalid config file (${replacedInvalid}); changes are relative to the defaults`] : []),
    ...(changes.length === 0 ? ['No resolved value changed'] : changes.map(c => `  ${c.key}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`)),
    ...(droppedOverrides.length > 0 ? [`Dropped overrides: ${droppedOverrides.join(', ')}`] : []),
  ]
  return { path, profile: name as ProfileName, previousProfile: previous.profile ?? null, changes, droppedOverrides, summary }
}

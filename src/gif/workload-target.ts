/**
 * The GifLab workload config as an A/B config target: an experiment's dotted keys
 * (`FRAME_CACHE.memory_limit_mb`) are checked against `workload.schema.json`, reach each batch as
 * `BENCHGATE_CONFIG_<SECTION>__<KEY>` variables, and a winner is deployed into the project's
 * `benchgate.config.json`. The A/B engine knows none of this: the CLI hands this target to it.
 */
import { existsSync, readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { join } from 'node:path'
import type { ConfigTarget, DeployResult, Overrides } from '../ab/index.ts'
import {
  CONFIG_FILE_NAME,
  configCurrent,
  getDotted,
  loadWorkloadSchema,
  parseConfigValue,
  resolveWorkloadConfig,
  workloadEnvName,
  workloadKeys,
  type ConfigChange,
  type WorkloadConfigFile,
} from '../config/workload.ts'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'

const isSection = (key: string) => Object.hasOwn(loadWorkloadSchema().properties ?? {}, key)

/** Dotted keys only: a section object (`{"FRAME_CACHE": {"enabled": false}}`) becomes `FRAME_CACHE.enabled`. */
export function flattenOverrides(overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(overrides)) {
    if (!key.includes('.') && isSection(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [name, v] of Object.entries(value as Record<string, unknown>)) out[`${key}.${name}`] = v
    }
    else out[key] = value
  }
  return out
}

const envText = (value: Overrides[string]) => (value === null ? 'null' : String(value))

/** What deploying a winner did to `benchgate.config.json`. */
export interface WorkloadDeployResult extends DeployResult {
  path: string
  /** Resolved values that changed (environment ignored), sorted by key. */
  changes: ConfigChange[]
}

/**
 * Writes `overrides` into `<root>/benchgate.config.json` (kept profile, merged overrides, sorted
 * keys, atomic), after checking the result against the workload schema, and reports each resolved
 * value that changed.
 * @throws {BenchgateError} when the existing file is invalid or the result would be
 */
export function deployOverrides(root: string, variant: string, overrides: Readonly<Overrides>): WorkloadDeployResult {
  const path = join(root, CONFIG_FILE_NAME)
  const before = configCurrent({ cwd: root, env: {} })
  const content: WorkloadConfigFile = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as WorkloadConfigFile : {}
  const merged = { ...flattenOverrides(content.overrides ?? {}), ...overrides }
  const after = resolveWorkloadConfig({ ...(content.profile ? { profile: content.profile } : {}), overrides: merged, env: {}, file: null, cwd: root })
  const changes: ConfigChange[] = []
  for (const key of workloadKeys()) {
    const from = getDotted(before.config, key)
    const to = getDotted(after, key)
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ key, from, to })
  }
  changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const next: WorkloadConfigFile = content.profile ? { profile: content.profile, overrides: merged } : { overrides: merged }
  writeFileAtomic(path, stableStringify(next))
  const summary = [
    `Wrote ${path}: the overrides of ${variant}`,
    ...(changes.length === 0 ? ['  no resolved value changed (the project already runs this config)'] : changes.map(c => `  ${c.key}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`)),
  ]
  return { path, changes, summary }
}

/** The GifLab workload config (`benchgate.config.json`, `BENCHGATE_CONFIG_*`) as an A/B config target. */
export const workloadTarget: ConfigTarget = {
  name: 'the GifLab workload config',
  example: '{"FRAME_CACHE.memory_limit_mb": 500}',
  keys: 'dotted config keys',
  deploysTo: CONFIG_FILE_NAME,
  normalize: flattenOverrides,
  // a bare section name is a (mistyped) config key, not an environment variable
  isConfigKey: key => key.includes('.') || isSection(key),
  /** Every key known to the workload schema, every value of its type, each able to travel through its variable unchanged. */
  check(config) {
    resolveWorkloadConfig({ overrides: { ...config }, env: {}, file: null })
    for (const [key, value] of Object.entries(config)) {
      const text = envText(value as Overrides[string])
      if (!isDeepStrictEqual(parseConfigValue(key, text), value))
        throw new BenchgateError(`"${key}": the string ${JSON.stringify(value)} would read back as ${JSON.stringify(parseConfigValue(key, text))} through ${workloadEnvName(key)}; use null or another value`)
    }
  },
  env(config) {
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(config)) env[workloadEnvName(key)] = envText(value)
    return env
  },
  deploy: deployOverrides,
}

/**
 * Workload configuration defaults and named profiles. A profile is a partial config laid over the
 * defaults (see `resolveWorkloadConfig` in workload.ts for the full precedence).
 */
import { BenchgateError } from '../util/errors.ts'
import type { WorkloadConfig } from './workload-types.generated.ts'

/** A partial workload config: any subset of sections, and of keys within a section. */
export type WorkloadConfigPatch = { [S in keyof WorkloadConfig]?: Partial<WorkloadConfig[S]> }

/** Names of the built-in profiles. */
export type ProfileName = 'default' | 'low_memory' | 'high_throughput'

/** The built-in profile names, in display order. */
export const PROFILE_NAMES: readonly ProfileName[] = Object.freeze(['default', 'low_memory', 'high_throughput'])

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/**
 * The defaults (kept equal to the schema's `default` keywords by a test). Frozen: clone before
 * changing.
 */
export const DEFAULT_WORKLOAD_CONFIG: Readonly<WorkloadConfig> = deepFreeze({
  FRAME_CACHE: {
    enabled: true,
    memory_limit_mb: 500,
    disk_enabled: false,
    disk_path: null,
    disk_limit_mb: 2048,
    ttl_seconds: 86_400,
  },
  VALIDATION_CACHE: {
    enabled: true,
    memory_limit_mb: 100,
    disk_enabled: false,
    disk_path: null,
    disk_limit_mb: 1024,
    ttl_seconds: 172_800,
  },
  FRAME_SAMPLING: {
    enabled: false,
    strategy: 'adaptive',
    rate: 0.3,
    min_frames_for_sampling: 30,
    change_threshold: 0.02,
    max_rate: 0.8,
    scene_threshold: 0.3,
    scene_window: 1,
    min_frames_per_scene: 3,
  },
  PERCEPTUAL: {
    enabled: true,
    model_path: null,
    threads: 1,
  },
  METRICS: {
    window: 'uniform7',
    max_frames: 30,
  },
})

/**
 * The profiles, as patches over {@link DEFAULT_WORKLOAD_CONFIG}:
 * - `default`: the defaults.
 * - `low_memory`: frame cache 100 MB in memory (500 MB on disk, 1 h TTL), validation cache 25 MB,
 *   uniform sampling of 20 % of the frames.
 * - `high_throughput`: frame cache 2000 MB, validation cache 500 MB, sampling on (adaptive).
 */
export const PROFILES: Readonly<Record<ProfileName, Readonly<WorkloadConfigPatch>>> = deepFreeze({
  default: {},
  low_memory: {
    FRAME_CACHE: { memory_limit_mb: 100, disk_limit_mb: 500, ttl_seconds: 3600 },
    VALIDATION_CACHE: { memory_limit_mb: 25 },
    FRAME_SAMPLING: { enabled: true, strategy: 'uniform', rate: 0.2 },
  },
  high_throughput: {
    FRAME_CACHE: { memory_limit_mb: 2000 },
    VALIDATION_CACHE: { memory_limit_mb: 500 },
    FRAME_SAMPLING: { enabled: true, strategy: 'adaptive' },
  },
})

/** True when `name` is a built-in profile. */
export function isProfileName(name: unknown): name is ProfileName {
  return typeof name === 'string' && (PROFILE_NAMES as readonly string[]).includes(name)
}

/**
 * Returns the patch of a profile.
 * @param source where the name came from, quoted in the error (e.g. a file path or `--profile`)
 * @throws {BenchgateError} for an unknown name, listing the valid ones
 */
export function getProfile(name: string, source = 'profile'): Readonly<WorkloadConfigPatch> {
  if (!isProfileName(name)) {
    throw new BenchgateError(
      `${source}: unknown profile ${JSON.stringify(name)}; valid profiles: ${PROFILE_NAMES.join(', ')}`,
    )
  }
  return PROFILES[name]
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_WORKLOAD_CONFIG, PROFILE_NAMES, PROFILES, getProfile } from '../../src/config/profiles.ts'
import {
  CONFIG_FILE_NAME,
  configCurrent,
  configLoadProfile,
  loadWorkloadSchema,
  parseConfigValue,
  resolveWorkloadConfig,
  setDotted,
  workloadKeys,
} from '../../src/config/workload.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-config-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Resolve in an empty temp dir with no environment unless given. */
const resolveIn = (opts: Parameters<typeof resolveWorkloadConfig>[0] = {}) =>
  resolveWorkloadConfig({ cwd: dir, env: {}, ...opts })

describe('defaults and profiles', () => {
  it('defaults match the schema defaults and the documented values', () => {
    const schema = loadWorkloadSchema()
    for (const key of workloadKeys()) {
      const [section, name] = key.split('.') as [string, string]
      const node = schema.properties![section]!.properties![name]!
      expect(node.default, key).toEqual((DEFAULT_WORKLOAD_CONFIG as unknown as Record<string, Record<string, unknown>>)[section]![name])
    }
    const config = resolveIn()
    expect(config.FRAME_CACHE.memory_limit_mb).toBe(500)
    expect(config.VALIDATION_CACHE.memory_limit_mb).toBe(100)
    expect(config.FRAME_SAMPLING.min_frames_for_sampling).toBe(30)
    expect(config.PERCEPTUAL.model_path).toBeNull()
  })

  it('low_memory: frame cache 100 MB, validation 25 MB, uniform sampling 20 %', () => {
    const config = resolveIn({ profile: 'low_memory' })
    expect(config.FRAME_CACHE.memory_limit_mb).toBe(100)
    expect(config.VALIDATION_CACHE.memory_limit_mb).toBe(25)
    expect(config.FRAME_SAMPLING).toMatchObject({ enabled: true, strategy: 'uniform', rate: 0.2 })
  })

  it('high_throughput: bigger caches, sampling on', () => {
    const config = resolveIn({ profile: 'high_throughput' })
    expect(config.FRAME_CACHE.memory_limit_mb).toBeGreaterThan(500)
    expect(config.VALIDATION_CACHE.memory_limit_mb).toBeGreaterThan(100)
    expect(config.FRAME_SAMPLING.enabled).toBe(true)
  })

  it('every profile resolves to a valid config', () => {
    for (const name of PROFILE_NAMES) expect(() => resolveIn({ profile: name })).not.toThrow()
    expect(Object.keys(PROFILES).sort()).toEqual([...PROFILE_NAMES].sort())
  })

  it('an unknown profile lists the valid ones', () => {
    expect(() => getProfile('tiny')).toThrow('unknown profile "tiny"; valid profiles: default, low_memory, high_throughput')
    expect(() => resolveIn({ profile: 'tiny' })).toThrow('option profile: unknown profile "tiny"')
  })
})

describe('precedence: defaults <- profile <- file <- env <- overrides', () => {
  it('each layer beats the one before and sources are reported', () => {
    writeFileSync(join(dir, CONFIG_FILE_NAME), JSON.stringify({
      profile: 'low_memory',
      overrides: { 'FRAME_CACHE.memory_limit_mb': 150, 'VALIDATION_CACHE.memory_limit_mb': 30, 'METRICS.max_frames': 10 },
    }))
    const env = {
      BENCHGATE_CONFIG_VALIDATION_CACHE__MEMORY_LIMIT_MB: '40',
      BENCHGATE_CONFIG_METRICS__MAX_FRAMES: '12',
      UNRELATED: 'x',
    }
    const current = configCurrent({ cwd: dir, env, overrides: { 'METRICS.max_frames': 20 } })
    expect(current.profile).toBe('low_memory')
    expect(current.file).toBe(join(dir, CONFIG_FILE_NAME))
    expect(current.config.FRAME_SAMPLING.rate).toBe(0.2) // profile
    expect(current.config.FRAME_CACHE.memory_limit_mb).toBe(150) // file beats profile
    expect(current.config.VALIDATION_CACHE.memory_limit_mb).toBe(40) // env beats file
    expect(current.config.METRICS.max_frames).toBe(20) // override beats env
    expect(current.sources['FRAME_SAMPLING.rate']).toBe('profile low_memory')
    expect(current.sources['FRAME_CACHE.memory_limit_mb']).toContain('file ')
    expect(current.sources['VALIDATION_CACHE.memory_limit_mb']).toBe('env BENCHGATE_CONFIG_VALIDATION_CACHE__MEMORY_LIMIT_MB')
    expect(current.sources['METRICS.max_frames']).toBe('override "METRICS.max_frames"')
    expect(current.sources['PERCEPTUAL.threads']).toBe('default')
  })

  it('an explicit profile beats the file\'s, the file\'s overrides still apply', () => {
    writeFileSync(join(dir, CONFIG_FILE_NAME), JSON.stringify({ profile: 'low_memory', overrides: { FRAME_CACHE: { ttl_seconds: 60 } } }))
    const config = resolveIn({ profile: 'high_throughput' })
    expect(config.FRAME_CACHE.memory_limit_mb).toBe(2000)
    expect(config.FRAME_CACHE.ttl_seconds).toBe(60)
  })

  it('file: null ignores the config file; an explicit missing file is an error', () => {
    writeFileSync(join(dir, CONFIG_FILE_NAME), JSON.stringify({ profile: 'low_memory' }))
    expect(resolveIn({ file: null }).FRAME_CACHE.memory_limit_mb).toBe(500)
    expect(() => resolveIn({ file: 'nope.json' })).toThrow(`Config file ${join(dir, 'nope.json')} (option file) does not exist`)
  })

  it('a malformed or unknown-keyed config file names the file', () => {
    const path = join(dir, CONFIG_FILE_NAME)
    writeFileSync(path, '{ "profile": ')
    expect(() => resolveIn()).toThrow(`Config file ${path}: malformed JSON`)
    writeFileSync(path, JSON.stringify({ profil: 'low_memory' }))
    expect(() => resolveIn()).toThrow(`Config file ${path}: unknown key "profil"; valid keys: profile, overrides`)
  })
})

describe('environment overrides', () => {
  it('uses a double underscore so FRAME_CACHE survives', () => {
    const config = resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: '100', BENCHGATE_CONFIG_FRAME_CACHE__ENABLED: 'false' } })
    expect(config.FRAME_CACHE.memory_limit_mb).toBe(100)
    expect(config.FRAME_CACHE.enabled).toBe(false)
    expect(config.VALIDATION_CACHE.enabled).toBe(true)
  })

  it('parses booleans true/false/1/0, numbers and null by the schema type', () => {
    const config = resolveIn({
      env: {
        BENCHGATE_CONFIG_VALIDATION_CACHE__ENABLED: '0',
        BENCHGATE_CONFIG_FRAME_SAMPLING__ENABLED: 'TRUE',
        BENCHGATE_CONFIG_FRAME_SAMPLING__RATE: '0.25',
        BENCHGATE_CONFIG_FRAME_SAMPLING__STRATEGY: 'scene-aware',
        BENCHGATE_CONFIG_PERCEPTUAL__MODEL_PATH: 'null',
      },
    })
    expect(config.VALIDATION_CACHE.enabled).toBe(false)
    expect(config.FRAME_SAMPLING).toMatchObject({ enabled: true, rate: 0.25, strategy: 'scene-aware' })
    expect(config.PERCEPTUAL.model_path).toBeNull()
    expect(parseConfigValue('PERCEPTUAL.model_path', 'models/lpips.onnx')).toBe('models/lpips.onnx')
    expect(parseConfigValue('FRAME_CACHE.enabled', '1')).toBe(true)
  })

  it('a bad value is one line naming the variable, the JSON path, expected and received', () => {
    expect(() => resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE__ENABLED: 'yes' } })).toThrow(
      'Invalid workload config: env BENCHGATE_CONFIG_FRAME_CACHE__ENABLED at /FRAME_CACHE/enabled: expected a boolean (true, false, 1 or 0), received "yes"',
    )
    expect(() => resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: 'lots' } })).toThrow(
      'env BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB at /FRAME_CACHE/memory_limit_mb: expected a number, received "lots"',
    )
    let message = ''
    try {
      resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: '-5' } })
    }
    catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(
      'Invalid workload config: env BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB at /FRAME_CACHE/memory_limit_mb: expected a number > 0, received -5',
    )
    expect(message.split('\n')).toHaveLength(1)
  })

  it('the single-underscore GifLab spelling is refused with the right name', () => {
    expect(() => resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE_MEMORY_LIMIT_MB: '100' } })).toThrow(
      'did you mean BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB?',
    )
  })

  it('unknown sections and keys list the valid ones', () => {
    expect(() => resolveIn({ env: { BENCHGATE_CONFIG_RESIZE_CACHE__ENABLED: 'true' } })).toThrow(
      'env BENCHGATE_CONFIG_RESIZE_CACHE__ENABLED: unknown config section "RESIZE_CACHE" (in key "RESIZE_CACHE.enabled"); valid sections: FRAME_CACHE, VALIDATION_CACHE, FRAME_SAMPLING, PERCEPTUAL, METRICS',
    )
    expect(() => resolveIn({ env: { BENCHGATE_CONFIG_FRAME_CACHE__SIZE: '1' } })).toThrow(
      'unknown config key "FRAME_CACHE.size"; valid keys of FRAME_CACHE: enabled, memory_limit_mb, disk_enabled, disk_path, disk_limit_mb, ttl_seconds',
    )
  })
})

describe('explicit overrides and setDotted', () => {
  it('validates override values, naming the key', () => {
    expect(() => resolveIn({ overrides: { 'FRAME_SAMPLING.strategy': 'random' } })).toThrow(
      'Invalid workload config: override "FRAME_SAMPLING.strategy" at /FRAME_SAMPLING/strategy: expected one of "full", "uniform", "adaptive", "scene-aware", received "random"',
    )
    expect(() => resolveIn({ overrides: { 'PERCEPTUAL.threads': 1.5 } })).toThrow(
      'override "PERCEPTUAL.threads" at /PERCEPTUAL/threads: expected integer, received 1.5',
    )
    expect(() => resolveIn({ overrides: { 'PERCEPTUAL.model_path': 3 } })).toThrow('expected string or null, received 3')
  })

  it('reports every invalid value, one line each', () => {
    let lines: string[] = []
    try {
      resolveIn({ overrides: { 'FRAME_SAMPLING.rate': 2, 'METRICS.window': 'box' } })
    }
    catch (error) {
      lines = (error as Error).message.split('\n')
    }
    expect(lines).toHaveLength(2)
    expect(lines.every(l => l.startsWith('Invalid workload config: override "'))).toBe(true)
  })

  it('setDotted returns a changed copy and refuses unknown keys', () => {
    const base = resolveIn()
    const next = setDotted(base, 'FRAME_CACHE.memory_limit_mb', 1000)
    expect(next.FRAME_CACHE.memory_limit_mb).toBe(1000)
    expect(base.FRAME_CACHE.memory_limit_mb).toBe(500)
    expect(next.VALIDATION_CACHE).toBe(base.VALIDATION_CACHE)
    expect(() => setDotted(base, 'FRAME_CACHE', 1)).toThrow('unknown config key "FRAME_CACHE"; valid keys of FRAME_CACHE:')
    expect(() => setDotted(base, 'CACHE.enabled', true)).toThrow('unknown config section "CACHE"')
  })
})

describe('configLoadProfile', () => {
  it('writes the config file with sorted keys and reports what changed', () => {
    const path = join(dir, CONFIG_FILE_NAME)
    writeFileSync(path, JSON.stringify({ overrides: { 'METRICS.max_frames': 5 } }))
    const result = configLoadProfile('low_memory', { cwd: dir })
    expect(result.path).toBe(path)
    expect(readFileSync(path, 'utf8')).toBe('{\n  "profile": "low_memory"\n}\n')
    expect(result.previousProfile).toBeNull()
    expect(result.droppedOverrides).toEqual(['METRICS.max_frames'])
    expect(result.changes).toContainEqual({ key: 'FRAME_CACHE.memory_limit_mb', from: 500, to: 100 })
    expect(result.changes).toContainEqual({ key: 'METRICS.max_frames', from: 5, to: 30 })
    expect(result.changes.map(c => c.key)).toEqual([...result.changes.map(c => c.key)].sort())
    expect(resolveIn().VALIDATION_CACHE.memory_limit_mb).toBe(25)

    const again = configLoadProfile('low_memory', { cwd: dir })
    expect(again.changes).toEqual([])
    expect(again.previousProfile).toBe('low_memory')
  })

  it('keepOverrides keeps the file\'s overrides', () => {
    const path = join(dir, CONFIG_FILE_NAME)
    writeFileSync(path, JSON.stringify({ profile: 'default', overrides: { 'METRICS.max_frames': 5 } }))
    configLoadProfile('high_throughput', { cwd: dir, keepOverrides: true })
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ overrides: { 'METRICS.max_frames': 5 }, profile: 'high_throughput' })
  })

  it('replaces an invalid config file instead of failing on it', () => {
    const path = join(dir, CONFIG_FILE_NAME)
    writeFileSync(path, JSON.stringify({ profile: 'gone', overrides: { 'FRAME_CACHE.memory_limit_mb': -1 } }))
    expect(() => resolveIn()).toThrow('unknown profile "gone"')
    const result = configLoadProfile('low_memory', { cwd: dir })
    expect(result.summary[1]).toContain('Replaced an invalid config file')
    expect(result.changes).toContainEqual({ key: 'FRAME_CACHE.memory_limit_mb', from: 500, to: 100 })
    expect(resolveIn().FRAME_CACHE.memory_limit_mb).toBe(100)
  })

  it('an unknown profile lists the valid ones and writes nothing', () => {
    expect(() => configLoadProfile('turbo', { cwd: dir })).toThrow('load-profile: unknown profile "turbo"; valid profiles: default, low_memory, high_throughput')
    expect(() => readFileSync(join(dir, CONFIG_FILE_NAME))).toThrow()
  })
})

import { describe, expect, it } from 'vitest'
import { defineExperiment, parseDuration, sameAsControl } from '../../src/ab/definition.ts'
import { variantEnv } from '../../src/ab/overrides.ts'
import { resolveWorkloadConfig, workloadEnvName as envName } from '../../src/config/workload.ts'
import { workloadTarget } from '../../src/gif/workload-target.ts'

const define = (control: string, ...treatments: string[]) => defineExperiment({ name: 'cache_size_test', control, treatments, target: workloadTarget, now: new Date('2025-01-02T03:04:05Z') })

describe('ab create: variant configs are dotted overrides checked against the workload schema', () => {
  it('builds the runbook\'s experiment', () => {
    const e = define('{"FRAME_CACHE.memory_limit_mb": 500}', '{"FRAME_CACHE.memory_limit_mb": 1000}')
    expect(e).toEqual({
      name: 'cache_size_test',
      createdAt: '2025-01-02T03:04:05.000Z',
      status: 'active',
      alpha: 0.05,
      tags: [],
      metrics: [],
      files: [],
      variants: [
        { name: 'control', role: 'control', overrides: { 'FRAME_CACHE.memory_limit_mb': 500 } },
        { name: 'treatment-1', role: 'treatment', overrides: { 'FRAME_CACHE.memory_limit_mb': 1000 } },
      ],
    })
  })

  it('takes several treatments, named treatment-N or name={...}, and flattens section objects', () => {
    const e = define('{}', '{"FRAME_CACHE": {"enabled": false}}', 'big_cache={"FRAME_CACHE.memory_limit_mb": 2000, "FRAME_SAMPLING.strategy": "uniform"}')
    expect(e.variants.map(v => [v.name, v.overrides])).toEqual([
      ['control', {}],
      ['treatment-1', { 'FRAME_CACHE.enabled': false }],
      ['big_cache', { 'FRAME_CACHE.memory_limit_mb': 2000, 'FRAME_SAMPLING.strategy': 'uniform' }],
    ])
    expect(sameAsControl(define('{"FRAME_CACHE.enabled": true}', '{"FRAME_CACHE.enabled": true}'))).toEqual(['treatment-1'])
  })

  it('refuses an unknown key, naming the flag, the key and the valid keys', () => {
    expect(() => define('{"FRAME_CACHE.bogus": 1}', '{}')).toThrow(
      '--control-config: override "FRAME_CACHE.bogus": unknown config key "FRAME_CACHE.bogus"; valid keys of FRAME_CACHE: enabled, memory_limit_mb, disk_enabled, disk_path, disk_limit_mb, ttl_seconds',
    )
    expect(() => define('{}', '{"BOGUS.x": 1}')).toThrow(
      '--treatment-config treatment-1: override "BOGUS.x": unknown config section "BOGUS" (in key "BOGUS.x"); valid sections: FRAME_CACHE, VALIDATION_CACHE, FRAME_SAMPLING, PERCEPTUAL, METRICS',
    )
  })

  it('refuses a value of the wrong type or out of range, naming the key and the expected type', () => {
    expect(() => define('{"FRAME_CACHE.memory_limit_mb": "big"}', '{}')).toThrow(
      '--control-config: Invalid workload config: override "FRAME_CACHE.memory_limit_mb" at /FRAME_CACHE/memory_limit_mb: expected number, received "big"',
    )
    expect(() => define('{}', 'fast={"FRAME_CACHE.enabled": "yes"}')).toThrow(
      '--treatment-config fast: Invalid workload config: override "FRAME_CACHE.enabled" at /FRAME_CACHE/enabled: expected boolean, received "yes"',
    )
    expect(() => define('{}', '{"METRICS.max_frames": 1.5}')).toThrow(
      '--treatment-config treatment-1: Invalid workload config: override "METRICS.max_frames" at /METRICS/max_frames: expected integer, received 1.5',
    )
    expect(() => define('{}', '{"FRAME_SAMPLING.strategy": "random"}')).toThrow(
      'expected one of "full", "uniform", "adaptive", "scene-aware", received "random"',
    )
  })

  it('refuses malformed JSON, a non-object, a value that cannot travel through its variable, and clashing names', () => {
    expect(() => define('{', '{}')).toThrow(/^--control-config: malformed JSON at line 1, column 2/)
    expect(() => define('[1]', '{}')).toThrow('--control-config: expected a JSON object of dotted config keys, e.g. {"FRAME_CACHE.memory_limit_mb": 500}, received [1]')
    expect(() => define('{"FRAME_CACHE.disk_path": "null"}', '{}')).toThrow(
      '--control-config: "FRAME_CACHE.disk_path": the string "null" would read back as null through BENCHGATE_CONFIG_FRAME_CACHE__DISK_PATH; use null or another value',
    )
    expect(() => define('{}', 'a={}', 'a={}')).toThrow('--treatment-config: variant name "a" is used twice; name treatments with name={...}')
    expect(() => define('{}', 'control={}')).toThrow('variant name "control" is used twice ("control" is the control\'s)')
    expect(() => define('{}')).toThrow('--treatment-config: at least one treatment is required')
    expect(() => defineExperiment({ name: 'a b', control: '{}', treatments: ['{}'] })).toThrow('--name: expected 1-100 letters, digits, "_", "." or "-" starting with a letter or digit, received "a b"')
    expect(() => defineExperiment({ name: 'x', control: '{}', treatments: ['{}'], alpha: 0.9 })).toThrow('--alpha: expected a number in (0, 0.5], received 0.9')
  })
})

describe('variant environment', () => {
  it('reaches resolveWorkloadConfig in a child unchanged', () => {
    const overrides = { 'FRAME_CACHE.memory_limit_mb': 1000, 'FRAME_CACHE.enabled': false, 'FRAME_CACHE.disk_path': null, 'FRAME_SAMPLING.strategy': 'scene-aware', 'METRICS.max_frames': 12 }
    const env = variantEnv(overrides, workloadTarget)
    expect(env).toEqual({
      BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB: '1000',
      BENCHGATE_CONFIG_FRAME_CACHE__ENABLED: 'false',
      BENCHGATE_CONFIG_FRAME_CACHE__DISK_PATH: 'null',
      BENCHGATE_CONFIG_FRAME_SAMPLING__STRATEGY: 'scene-aware',
      BENCHGATE_CONFIG_METRICS__MAX_FRAMES: '12',
    })
    const config = resolveWorkloadConfig({ env, file: null })
    expect(config.FRAME_CACHE).toMatchObject({ memory_limit_mb: 1000, enabled: false, disk_path: null })
    expect(config.FRAME_SAMPLING.strategy).toBe('scene-aware')
    expect(config.METRICS.max_frames).toBe(12)
    expect(envName('VALIDATION_CACHE.ttl_seconds')).toBe('BENCHGATE_CONFIG_VALIDATION_CACHE__TTL_SECONDS')
  })
})

describe('parseDuration (--budget)', () => {
  it('reads 90s, 5m, 1h30m, 500ms and plain seconds', () => {
    expect(parseDuration('--budget', '90s')).toBe(90_000)
    expect(parseDuration('--budget', '5m')).toBe(300_000)
    expect(parseDuration('--budget', '1h30m')).toBe(5_400_000)
    expect(parseDuration('--budget', '500ms')).toBe(500)
    expect(parseDuration('--budget', 20)).toBe(20_000)
  })

  it('refuses anything else, naming the flag', () => {
    for (const bad of ['5 minutes', '', 'm5', '0s', '-3']) expect(() => parseDuration('--budget', bad)).toThrow(`--budget: expected a duration like 90s, 5m or 1h30m, received ${JSON.stringify(bad)}`)
  })
})

import { describe, expect, it } from 'vitest'
import { describeRuns } from '../../src/compare/metric.ts'
import { benchmarksOfReport, joinRuns, runEnv, vitestEntry } from '../../src/against/child-run.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { repoRoot } from '../helpers/run.ts'

const thresholds = { warning: 0.05, critical: 0.1 }

function report(): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: '0.1.0' },
    timestamp: '2026-01-01T00:00:00.000Z',
    mode: 'compare',
    environment: { cpuModel: 'cpu', cores: 2, os: 'linux', node: 'v20', vitest: '4.1.12', benchgate: '0.1.0' },
    baselineFile: 'baselines/current_baselines.json',
    options: { tags: [], runs: 1, thresholds, alpha: 0.05, failOn: 'critical' },
    warnings: [],
    counts: { total: 3, passed: 2, failed: 1, ok: 0, improved: 0, warning: 0, critical: 0, new: 2, missing: 0, stale: 0, unstable: 0, error: 1 },
    passed: false,
    outcome: { level: 'fail', failedBy: { error: 1 } },
    benchmarks: [
      {
        key: 'a.bench.ts > cache', file: 'a.bench.ts', name: 'cache', kind: 'scenario', tags: ['ci'], configHash: 'h1',
        metrics: [
          { metric: 'time', direction: 'lower', unit: 'ms', verdict: 'new', failed: false, message: '', thresholds, current: describeRuns([[2, 3, 4]]) },
          { metric: 'hit_rate', direction: 'higher', unit: 'ratio', verdict: 'new', failed: false, message: '', thresholds: { warning: 0.02, critical: 0.1 }, bounds: { min: 0.5, violated: false }, current: describeRuns([[0.6, 0.7]]) },
        ],
      },
      {
        key: 'a.bench.ts > broken', file: 'a.bench.ts', name: 'broken', kind: 'scenario', tags: [], configHash: 'h2', error: { message: 'boom' },
        metrics: [{ metric: 'time', direction: 'lower', unit: 'ms', verdict: 'error', failed: true, message: 'scenario threw: boom', thresholds }],
      },
    ],
  }
}

describe('one independent run', () => {
  it('gives the child one run, the JSON reporter, an empty baseline and no history, and drops inherited BENCHGATE_ settings', () => {
    const env = runEnv({ PATH: '/bin', BENCHGATE_RUNS: '5', BENCHGATE_TAGS: 'x', VITEST_POOL_ID: '1', HOME: '/h' }, { root: '/p', label: 'x', tags: ['ci'], rounds: 7, env: { FIXTURE_FACTOR: '1.1' } }, '/tmp/out')
    expect(env).toMatchObject({ PATH: '/bin', HOME: '/h', BENCHGATE_RUNS: '1', BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: '/tmp/out', BENCHGATE_BASELINE_DIR: '/tmp/out/baselines', BENCHGATE_HISTORY: 'off', BENCHGATE_ALLOW_NO_TAG_MATCH: '1', BENCHGATE_TAGS: 'ci', BENCHGATE_ROUNDS: '7', FIXTURE_FACTOR: '1.1' })
    expect(env.VITEST_POOL_ID).toBeUndefined()
    expect(runEnv({ BENCHGATE_TAGS: 'x', BENCHGATE_ROUNDS: '3' }, { root: '/p', label: 'x' }, '/o')).not.toHaveProperty('BENCHGATE_TAGS')
    // the probes setting is the whole command's: every child takes it
    expect(runEnv({ BENCHGATE_PROBES: 'off', BENCHGATE_RUNS: '5' }, { root: '/p', label: 'x' }, '/o')).toMatchObject({ BENCHGATE_PROBES: 'off', BENCHGATE_RUNS: '1' })
  })

  it('reads per-round values, bounds, own thresholds and errors back from the run report', () => {
    const [cache, broken] = benchmarksOfReport(report())
    expect(cache!.metrics.time).toEqual({ spec: { direction: 'lower', unit: 'ms' }, values: [2, 3, 4] })
    expect(cache!.metrics.hit_rate).toEqual({ spec: { direction: 'higher', unit: 'ratio', min: 0.5, thresholds: { warning: 0.02, critical: 0.1 } }, values: [0.6, 0.7] })
    expect(broken!.error).toEqual({ message: 'boom' })
    expect(broken!.metrics).toEqual({})
  })

  it('joins single runs into one benchmark with one run per measured process, in order', () => {
    const one = { benchmarks: benchmarksOfReport(report()) }
    const two = { benchmarks: benchmarksOfReport(report()).map(b => ({ ...b, metrics: Object.fromEntries(Object.entries(b.metrics).map(([k, m]) => [k, { ...m, values: m.values.map(v => v * 2) }])) })) }
    const joined = joinRuns([one, two])
    const cache = joined.find(b => b.name === 'cache')!
    expect(cache.metrics.time!.runs).toEqual([[2, 3, 4], [4, 6, 8]])
    expect(cache.rounds).toBe(3)
    expect(joined.find(b => b.name === 'broken')!.error).toEqual({ message: 'boom' })
  })

  it('finds the vitest the project resolves', () => {
    expect(vitestEntry(repoRoot)).toMatch(/node_modules\/vitest\/vitest\.mjs$/)
  })
})

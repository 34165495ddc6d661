import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import type { MeasuredBenchmark, ResolvedDecision } from '../../src/scenario/measured.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { createRng } from '../../src/stats/random.ts'

// Synthetic reports built with the real compareWithBaseline, so reporters see what the gate produces.

export const decision: ResolvedDecision = {
  thresholds: { warning: 0.05, critical: 0.10 },
  alpha: 0.05,
  failOn: 'critical',
  noisePrior: { cv: 0.02, weight: 3 },
  resamples: 300,
}

export const environment = { cpuModel: 'Test CPU @ 3.0GHz', cores: 4, os: 'linux-x64 6.1.0', node: 'v20.20.2', vitest: '4.1.12', benchgate: '0.1.0', tinybench: '2.9.0' }

/** A name with every character that needs escaping somewhere (XML, HTML, Markdown, workflow commands). */
export const WEIRD_NAME = 'weird <name> & "quotes" | pipe, colon: 100% </script><!-- `tick` *star* _under_'

/** Runs of log-normal noise around `center`, each run with its own offset. */
export function runs(center: number, { seed, runCount = 3, rounds = 15, within = 0.01, between = 0.005 }: { seed: number, runCount?: number, rounds?: number, within?: number, between?: number }): number[][] {
  const rng = createRng(seed)
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  return Array.from({ length: runCount }, () => {
    const offset = between * normal()
    return Array.from({ length: rounds }, () => center * Math.exp(offset + within * normal()))
  })
}

/** A measured benchmark with a `time` metric in ms. */
export function measured(key: string, time: number[][], extra: Partial<MeasuredBenchmark> = {}): MeasuredBenchmark {
  const [file, ...rest] = key.split(' > ')
  return {
    key,
    file: file!,
    name: rest.at(-1)!,
    kind: 'scenario',
    tags: ['ci'],
    configHash: '0123456789abcdef',
    rounds: time[0]!.length,
    location: { file: file!, line: 10 + key.length % 50, column: 3 },
    metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: time } },
    ...extra,
  }
}

const spread = (center: number) => [0.9, 1, 1.1].map((f, i) => Array.from({ length: 15 }, (_, j) => center * f * (1 + 0.002 * ((i * 7 + j) % 5))))

function baselineOf(benches: MeasuredBenchmark[]): BaselineFile {
  return mergeBaseline(undefined, benches, { environment, now: '2026-01-01T00:00:00.000Z' })
}

/** Wraps a compareWithBaseline result in a full report, the way `finishRun` does. */
export function wrap(result: ReturnType<typeof compareWithBaseline>, extra: Partial<RunReport> = {}): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: '0.1.0' },
    timestamp: '2026-03-04T05:06:07.890Z',
    mode: 'compare',
    git: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'feature/faster' },
    environment,
    baselineFile: 'baselines/current_baselines.json',
    options: { tags: ['ci'], runs: 3, thresholds: decision.thresholds, alpha: decision.alpha, failOn: decision.failOn },
    warnings: [],
    benchmarks: result.benchmarks,
    counts: result.counts,
    passed: result.passed,
    outcome: result.outcome,
    ...extra,
  }
}

/**
 * A report with every verdict: ok (two metrics), critical, warning, improved, new, missing, stale,
 * unstable, error, a broken bound, and a benchmark whose name needs escaping everywhere.
 */
export function fullReport(extra: Partial<RunReport> = {}): RunReport {
  const hit = (center: number, seed: number) => ({ spec: { direction: 'higher' as const, unit: 'ratio' }, runs: runs(center, { seed }) })
  const base = baselineOf([
    measured('bench/a.bench.ts > group > steady', runs(10, { seed: 1, runCount: 5 }), { metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: runs(10, { seed: 1, runCount: 5 }) }, hit_rate: hit(0.8, 2) } }),
    measured('bench/a.bench.ts > group > slow', runs(10, { seed: 1, runCount: 5 })),
    measured('bench/a.bench.ts > warm', runs(10, { seed: 1, runCount: 5 })),
    measured('bench/a.bench.ts > faster', runs(10, { seed: 1, runCount: 5 })),
    measured(`bench/a.bench.ts > ${WEIRD_NAME}`, runs(2, { seed: 9, runCount: 3 })),
    measured('bench/b.bench.ts > gone', runs(5, { seed: 1 })),
    measured('bench/b.bench.ts > changed', runs(5, { seed: 1 })),
    measured('bench/b.bench.ts > noisy', spread(10)),
    measured('bench/b.bench.ts > boom', runs(5, { seed: 1 })),
  ])
  const result = compareWithBaseline([
    measured('bench/a.bench.ts > group > steady', runs(10, { seed: 2 }), { metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: runs(10, { seed: 2 }) }, hit_rate: hit(0.8, 3) } }),
    measured('bench/a.bench.ts > group > slow', runs(13, { seed: 3 })),
    measured('bench/a.bench.ts > warm', runs(10.7, { seed: 4 })),
    measured('bench/a.bench.ts > faster', runs(7, { seed: 5 })),
    measured(`bench/a.bench.ts > ${WEIRD_NAME}`, runs(2, { seed: 10 })),
    measured('bench/b.bench.ts > fresh', runs(3, { seed: 8 })),
    measured('bench/b.bench.ts > changed', runs(5, { seed: 7 }), { configHash: 'fedcba9876543210' }),
    measured('bench/b.bench.ts > noisy', spread(10.3)),
    measured('bench/b.bench.ts > boom', runs(5, { seed: 2 }), { error: { message: 'boom: <oops> & "bad"', stack: 'Error: boom\n    at run (bench/b.bench.ts:12:9)' } }),
    measured('bench/b.bench.ts > cache', runs(4, { seed: 6 }), {
      kind: 'scenario',
      metrics: {
        time: { spec: { direction: 'lower', unit: 'ms' }, runs: runs(4, { seed: 6 }) },
        hit_rate: { spec: { direction: 'higher', unit: 'ratio', min: 0.6 }, runs: [[0.4, 0.41, 0.39]] },
      },
    }),
  ], base, { decision, mode: 'compare', filesRun: new Set(['bench/a.bench.ts', 'bench/b.bench.ts']) })
  return wrap(result, {
    warnings: ['baseline was recorded on a different environment (cpuModel: Other CPU -> Test CPU @ 3.0GHz): differences may come from the machine, not the code'],
    ...extra,
  })
}

/** A clean run: every metric ok. */
export function okReport(): RunReport {
  const keys = ['bench/a.bench.ts > one', 'bench/a.bench.ts > two']
  const base = baselineOf(keys.map((k, i) => measured(k, runs(10, { seed: 20 + i, runCount: 5 }))))
  return wrap(compareWithBaseline(keys.map((k, i) => measured(k, runs(10, { seed: 30 + i }))), base, { decision, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) }))
}

/** A run in which no benchmark ran. */
export function emptyReport(): RunReport {
  return wrap(compareWithBaseline([], undefined, { decision, mode: 'compare', filesRun: new Set() }), { git: {} })
}

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { environmentFingerprint } from '../../src/baseline/fingerprint.ts'
import { readBaseline } from '../../src/baseline/io.ts'
import { screenMeasured } from '../../src/compare/screen.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { resolveGateOptions } from '../../src/config/gate.ts'
import { finishRun } from '../../src/gate.ts'

const bench = (name: string, runs: number[][]): MeasuredBenchmark => ({
  key: `bench/a.bench.ts > ${name}`, file: 'bench/a.bench.ts', name, kind: 'bench', tags: [], configHash: '0123456789abcdef', rounds: 3,
  metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs } },
})

describe('values that are not finite numbers', () => {
  it('make their benchmark an error naming the metric, the run and the round', () => {
    const [bad, good] = screenMeasured([bench('bad', [[1, 2, 3], [1, Number.POSITIVE_INFINITY, 3]]), bench('good', [[1, 2, 3]])])
    expect(bad!.error).toEqual({ message: 'bad: metric "time" recorded Infinity in run 2, round 2: expected a finite number' })
    expect(good!.error).toBeUndefined()
  })

  it('end in the report and out of the baseline, not in a crash of the whole run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchgate-screen-'))
    try {
      const result = finishRun({ root: dir, mode: 'update', options: resolveGateOptions({}, {}), environment: environmentFingerprint({ vitest: '4.1.0', benchgate: '0.1.0' }), measured: [bench('bad', [[1, Number.NaN, 3]]), bench('good', [[1, 2, 3], [1, 2, 4]])], filesRun: new Set(['bench/a.bench.ts']), runs: 2, version: '0.1.0' })
      expect(result.report.benchmarks.find(b => b.name === 'bad')!.metrics[0]!.verdict).toBe('error')
      expect(result.report.passed).toBe(false)
      expect(Object.keys(readBaseline(join(dir, 'baselines/current_baselines.json'))!.entries)).toEqual(['bench/a.bench.ts > good'])
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

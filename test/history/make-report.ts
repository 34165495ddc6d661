/** Builds valid run reports for the history tests. */

import { runResult } from '../../src/report/outcome.ts'
import type { MetricReport, RunReport } from '../../src/report/types.generated.ts'

export interface MetricInput {
  metric: string
  value?: number
  unit?: string
  direction?: 'lower' | 'higher'
  verdict?: MetricReport['verdict']
  baseline?: number
  change?: number
}

export interface BenchInput {
  name: string
  file?: string
  metrics: MetricInput[]
}

export interface ReportInput {
  timestamp: string
  commit?: string
  branch?: string
  cpuModel?: string
  benchmarks: BenchInput[]
  mode?: 'compare' | 'update'
}

const sample = (v: number) => ({
  summary: { n: 3, median: v, mean: v, mad: 0, cv: 0, min: v, max: v },
  runMedians: [v],
  runs: [[v, v, v]],
})

/** A schema-valid report with the given medians (every run's rounds equal to the median). */
export function makeReport(input: ReportInput): RunReport {
  const benchmarks = input.benchmarks.map((b) => {
    const file = b.file ?? 'bench/x.bench.ts'
    return {
      key: `${file} > ${b.name}`,
      file,
      name: b.name,
      kind: 'scenario' as const,
      tags: ['ci'],
      configHash: 'abc123',
      metrics: b.metrics.map((m): MetricReport => {
        const out: MetricReport = {
          metric: m.metric,
          direction: m.direction ?? (/hit_rate|speedup/.test(m.metric) ? 'higher' : 'lower'),
          unit: m.unit ?? (m.metric === 'time' || m.metric.endsWith('_ms') ? 'ms' : m.metric.endsWith('_mb') ? 'MB' : 'ratio'),
          verdict: m.verdict ?? 'ok',
          failed: m.verdict === 'critical',
          message: 'within noise',
          thresholds: { warning: 0.05, critical: 0.1 },
        }
        if (m.value !== undefined) out.current = sample(m.value)
        if (m.baseline !== undefined) out.baseline = sample(m.baseline)
        if (m.change !== undefined) {
          out.change = { estimate: m.change, lower: m.change - 0.01, upper: m.change + 0.01 }
          out.pValue = 0.01
          out.pAdjusted = 0.02
        }
        return out
      }),
    }
  })
  const report: RunReport = {
    schemaVersion: 1,
    tool: { name: 'benchgate', version: '0.1.0' },
    timestamp: input.timestamp,
    mode: input.mode ?? 'compare',
    environment: { cpuModel: input.cpuModel ?? 'Test CPU @ 2.0GHz', cores: 2, os: 'linux-x64 6.0', node: 'v20.20.2', vitest: '4.1.12', benchgate: '0.1.0' },
    baselineFile: 'baselines/current_baselines.json',
    options: { tags: ['ci'], runs: 3, thresholds: { warning: 0.05, critical: 0.1 }, alpha: 0.05, failOn: 'critical' },
    warnings: [],
    benchmarks,
    ...runResult(benchmarks, input.mode ?? 'compare'),
  }
  if (input.commit || input.branch) {
    report.git = {}
    if (input.commit) report.git.commit = input.commit
    if (input.branch) report.git.branch = input.branch
  }
  return report
}

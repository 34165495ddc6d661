import type { Thresholds } from '../scenario/types.ts'
import type { MeasuredBenchmark } from '../scenario/measured.ts'

/**
 * Applies the gate's per-metric thresholds (option `metricThresholds`, by metric name, e.g.
 * `{ instructions: { warning: 0.005, critical: 0.01 } }`) to a copy of the measured benchmarks:
 * they replace the run's and the scenario's thresholds for that metric; a metric's own declared
 * thresholds still win. The baseline keeps what the scenarios declared.
 */
export function withMetricThresholds(measured: readonly MeasuredBenchmark[], byMetric: Readonly<Record<string, Thresholds>> | undefined): MeasuredBenchmark[] {
  if (!byMetric || Object.keys(byMetric).length === 0) return [...measured]
  return measured.map((bench) => {
    const metrics = Object.fromEntries(Object.entries(bench.metrics).map(([name, metric]) => {
      const gate = byMetric[name]
      return [name, gate ? { ...metric, spec: { ...metric.spec, thresholds: { ...gate, ...metric.spec.thresholds } } } : metric]
    }))
    return { ...bench, metrics }
  })
}

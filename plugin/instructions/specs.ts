import type { MetricSpec } from '../../src/scenario/types.ts'
import { INSTRUCTIONS_METRIC, INSTRUCTIONS_SPEC } from '../../src/measure/mode.ts'

/**
 * A scenario's metrics in instruction mode: `instructions` in place of its time metric (wall time
 * under Valgrind says nothing about the code), its custom metrics as declared.
 */
export function measuredSpecs(declared: Readonly<Record<string, MetricSpec>>, timeMetric: string): Record<string, MetricSpec> {
  const out: Record<string, MetricSpec> = { [INSTRUCTIONS_METRIC]: { ...INSTRUCTIONS_SPEC } }
  for (const [name, spec] of Object.entries(declared)) if (name !== timeMetric) out[name] = spec
  return out
}

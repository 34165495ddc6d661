import type { BaselineFile } from '../src/baseline/types.generated.ts'
import { thinSamples } from './collect.ts'

/**
 * What `rounds: 'auto'` scenarios compare each run with: per scenario entry of the baseline and per
 * metric, the per-round values of all its runs pooled (thinned to 200 order statistics, so that the
 * payload handed to every worker stays small). Plain benches have no auto rounds and are left out.
 */
export function autoReferences(baseline: BaselineFile | undefined): Record<string, Record<string, number[]>> {
  const out: Record<string, Record<string, number[]>> = {}
  for (const [key, entry] of Object.entries(baseline?.entries ?? {})) {
    if (entry.kind !== 'scenario') continue
    out[key] = Object.fromEntries(Object.entries(entry.metrics).map(([name, metric]) => [name, thinSamples(metric.runs.flat())]))
  }
  return out
}

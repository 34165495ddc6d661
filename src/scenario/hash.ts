import { createHash } from 'node:crypto'
import { stableStringify } from '../util/json.ts'
import type { MetricSpec } from './types.ts'

/** What identifies a scenario's configuration: a change here makes its baseline stale. */
export interface ConfigIdentity {
  params?: Record<string, unknown>
  rounds: number | 'auto'
  warmupRounds: number
  metrics: Record<string, MetricSpec>
}

/** A 16-hex-digit hash of params, rounds and metric declarations (stable key order). */
export function configHash(identity: ConfigIdentity): string {
  return createHash('sha256').update(stableStringify(identity, { digits: 12 })).digest('hex').slice(0, 16)
}

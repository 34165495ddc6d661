/**
 * How far the machine moved between a baseline and a later run, from the machine probes both
 * sides took in every measured process (see probes.ts). Pure.
 */
import { median } from '../stats/summary.ts'
import { PROBE_KINDS, type MachineProbe, type ProbeKind } from './probes.ts'

/** The machine's move between two sets of runs, per kind of work. */
export interface MachineDrift {
  /** Current probe time / baseline probe time, per kind (medians over runs); 1 = unchanged, 2 = twice as slow. */
  ratios: Record<ProbeKind, number>
  /** The kind that moved most, and by how much (|log ratio|). */
  kind: ProbeKind
  maxLog: number
}

/** Compares two sides' probes; `undefined` when either side has none. */
export function machineDrift(baseline: readonly MachineProbe[], current: readonly MachineProbe[]): MachineDrift | undefined {
  if (baseline.length === 0 || current.length === 0) return undefined
  const ratios = {} as Record<ProbeKind, number>
  let kind: ProbeKind = PROBE_KINDS[0]
  let maxLog = -1
  for (const k of PROBE_KINDS) {
    const b = median(baseline.map(p => p[k]))
    const c = median(current.map(p => p[k]))
    if (!(b > 0) || !(c > 0)) return undefined
    ratios[k] = c / b
    const log = Math.abs(Math.log(c / b))
    if (log > maxLog) {
      maxLog = log
      kind = k
    }
  }
  return { ratios, kind, maxLog }
}

/** "2.9x slower", "8 % faster": how the machine moved on its most-moved kind of work. */
export function describeMove(ratio: number): string {
  if (ratio >= 1.5) return `${ratio.toFixed(1)}x slower`
  if (ratio <= 1 / 1.5) return `${(1 / ratio).toFixed(1)}x faster`
  const pct = Math.round(Math.abs(ratio - 1) * 100)
  return `${pct} % ${ratio >= 1 ? 'slower' : 'faster'}`
}

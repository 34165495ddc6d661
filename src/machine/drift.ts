/**
 * How far the machine moved between a baseline and a later run, from the machine probes both
 * sides took in every measured process (see probes.ts). Pure.
 *
 * Probes are short, so they are noisy too, most of all beside other work that competes for memory
 * bandwidth. A move counts only as far as it stands out of that noise: per kind of work, the log
 * ratio of the two sides' median probe, less twice its standard error (from the probes' own spread
 * between processes, moderated by a prior so that a few quiet processes cannot claim no noise).
 */
import { median } from '../stats/summary.ts'
import { PROBE_KINDS, type MachineProbe, type ProbeKind } from './probes.ts'

/** The machine's move between two sets of runs, per kind of work. */
export interface MachineDrift {
  /** Current probe time / baseline probe time, per kind (medians over runs); 1 = unchanged, 2 = twice as slow. */
  ratios: Record<ProbeKind, number>
  /** Standard error of each kind's log ratio. */
  se: Record<ProbeKind, number>
  /** The kind whose move stands out most from its noise. */
  kind: ProbeKind
  /**
   * The move beyond the probes' noise, on a log scale: the largest over kinds of
   * `max(0, |log ratio| - 2 se)`. 0 when no kind moved beyond its noise.
   */
  move: number
}

/** Prior noise of one process's probe: a CV of 2 %, worth 3 processes (as the decision's noise prior). */
export const PROBE_NOISE_PRIOR = { cv: 0.02, weight: 3 } as const

/** The normal distribution's MAD-to-SD factor. */
const MAD_SD = 1.4826
/** The standard error of a median, relative to a mean's, for normal data (sqrt(pi / 2)). */
const MEDIAN_SE = 1.2533

/** Standard error of the log median of one side's probes of one kind (moderated by the prior). */
function logMedianSe(values: readonly number[]): number {
  const logs = values.map(v => Math.log(v))
  const m = median(logs)
  const own = values.length > 1 ? MAD_SD * median(logs.map(v => Math.abs(v - m))) : 0
  const prior = Math.log1p(PROBE_NOISE_PRIOR.cv)
  const w = PROBE_NOISE_PRIOR.weight
  const variance = (w * prior ** 2 + (values.length - 1) * own ** 2) / (w + values.length - 1)
  return MEDIAN_SE * Math.sqrt(variance / values.length)
}

/** Compares two sides' probes; `undefined` when either side has none. */
export function machineDrift(baseline: readonly MachineProbe[], current: readonly MachineProbe[]): MachineDrift | undefined {
  if (baseline.length === 0 || current.length === 0) return undefined
  const ratios = {} as Record<ProbeKind, number>
  const se = {} as Record<ProbeKind, number>
  let kind: ProbeKind = PROBE_KINDS[0]
  let move = 0
  let best = Number.NEGATIVE_INFINITY
  for (const k of PROBE_KINDS) {
    const b = baseline.map(p => p[k])
    const c = current.map(p => p[k])
    if (!b.every(v => v > 0) || !c.every(v => v > 0)) return undefined
    ratios[k] = median(c) / median(b)
    se[k] = Math.hypot(logMedianSe(b), logMedianSe(c))
    const beyond = Math.abs(Math.log(ratios[k])) - 2 * se[k]
    if (beyond > best) {
      best = beyond
      kind = k
    }
    move = Math.max(move, beyond)
  }
  return { ratios, se, kind, move }
}

/** "2.9x slower", "8 % faster": how the machine moved on one kind of work. */
export function describeMove(ratio: number): string {
  if (ratio >= 1.5) return `${ratio.toFixed(1)}x slower`
  if (ratio <= 1 / 1.5) return `${(1 / ratio).toFixed(1)}x faster`
  const pct = Math.round(Math.abs(ratio - 1) * 100)
  return `${pct} % ${ratio >= 1 ? 'slower' : 'faster'}`
}

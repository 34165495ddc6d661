/** The report's summary of where a run's measured processes ran. Pure. */
import type { CpuMode } from './placement.ts'

/** What one measured process reported about its placement. */
export interface PlacedRun {
  cpu?: number
  unpinned?: string
}

/** Counts of pinned processes per CPU, and why any were not pinned. */
export interface MachineSummary {
  mode: string
  runs: number
  pinnedRuns: number
  cpus?: Record<string, number>
  unpinned?: string
}

/** Summarizes the placement of every measured process of a run (a file in one run is one process). */
export function summarizeMachines(mode: CpuMode, runs: readonly PlacedRun[]): MachineSummary {
  const out: MachineSummary = { mode: typeof mode === 'number' ? `cpu ${mode}` : mode, runs: runs.length, pinnedRuns: runs.filter(m => m.cpu !== undefined).length }
  const cpus: Record<string, number> = {}
  for (const m of runs) if (m.cpu !== undefined) cpus[String(m.cpu)] = (cpus[String(m.cpu)] ?? 0) + 1
  if (Object.keys(cpus).length) out.cpus = cpus
  const reason = runs.find(m => m.unpinned)?.unpinned
  if (reason) out.unpinned = reason
  return out
}

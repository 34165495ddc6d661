/**
 * Where a measured process runs. On machines whose CPUs do not run at the same speed (virtual
 * CPUs sharing a host, SMT siblings, a neighbour's load), a process that lands on a slow CPU
 * measures slow as a whole, and which mix of fast and slow processes a baseline and a later run
 * catch is chance. So each measured process first times a short compute probe on every allowed
 * CPU, pins itself to the fastest, and moves the process that orchestrates the run (its parent)
 * to the other CPUs, off the one it measures on. Every run is then measured at the machine's best
 * speed at that moment, whichever CPU provides it.
 */
import { isMainThread } from 'node:worker_threads'
import { affinityAvailable, currentThreadId, initialCpus, setProcessAffinity, setThreadAffinity } from './affinity.ts'
import { computeProbe, JIT_WARMUP_CALLS, medianTime } from './probes.ts'

/** How the gate places measured processes: on the fastest CPU (`auto`), on a given one, or not at all. */
export type CpuMode = 'auto' | 'off' | number

/** What the orchestrating process hands to each measured process. */
export interface PlacementRequest {
  mode: CpuMode
  /** The CPUs the run may use (the orchestrator's own mask before it moved itself). */
  cpus: number[]
}

/** What one measured process did about its placement. */
export interface Placement {
  /** The CPU it measured on, when pinned. */
  cpu?: number
  /** Calibration: the compute probe's time (ms) on each CPU tried, when it chose by speed. */
  speeds?: Record<string, number>
  /** Why it is not pinned, when it is not. */
  unpinned?: string
}

/** Calibration passes over the CPUs (alternating order), and timed probe calls per CPU per pass. */
const CALIBRATION = { passes: 2, reps: 5 } as const

/**
 * Picks the CPU with the lowest probe time: per CPU, the best of its passes (a pass disturbed by
 * a burst of other work should not condemn a CPU). Ties go to the lower CPU number, so the choice
 * is deterministic.
 */
export function fastestCpu(samples: ReadonlyMap<number, readonly number[]>): { cpu: number, speeds: Record<string, number> } {
  const speeds: Record<string, number> = {}
  let best: number | undefined
  for (const [cpu, times] of [...samples].sort((a, b) => a[0] - b[0])) {
    if (times.length === 0) continue
    const t = Math.min(...times)
    speeds[String(cpu)] = t
    if (best === undefined || t < speeds[String(best)]!) best = cpu
  }
  if (best === undefined) throw new RangeError('fastestCpu: no CPU was timed')
  return { cpu: best, speeds }
}

/** Why placement cannot be done here, or `undefined` when it can. */
export function placementUnavailable(request: PlacementRequest): string | undefined {
  if (request.mode === 'off') return 'CPU pinning is off (cpu: \'off\')'
  if (process.platform !== 'linux') return `CPU pinning needs Linux (this is ${process.platform})`
  if (!affinityAvailable()) return 'CPU pinning needs taskset (util-linux), which is not available here'
  if (typeof request.mode === 'number') {
    return request.cpus.includes(request.mode) ? undefined : `CPU ${request.mode} is not among the CPUs this run may use (${request.cpus.join(', ')})`
  }
  if (request.cpus.length < 2) return `only one CPU (${request.cpus.join('')}) is available: nothing to choose from`
  return undefined
}

/** The CPUs the orchestrator may hand out: its own mask, read once at start. */
export function placementRequest(mode: CpuMode): PlacementRequest {
  return { mode, cpus: initialCpus() ?? [] }
}

/**
 * Places the calling process (or, in a worker thread, the calling thread): calibrates and pins it
 * to the fastest CPU (`auto`) or the given one, and moves the parent process off that CPU when
 * there are others. Never throws: where it cannot pin, it says why in the result.
 */
export function placeThisProcess(request: PlacementRequest): Placement {
  const reason = placementUnavailable(request)
  if (reason) return { unpinned: reason }
  const thread = isMainThread ? undefined : currentThreadId()
  if (!isMainThread && thread === undefined) return { unpinned: 'this worker thread cannot be pinned (no /proc/thread-self)' }
  const pin = (cpus: number[]) => thread === undefined ? setProcessAffinity(process.pid, cpus) : setThreadAffinity(thread, cpus)

  let cpu: number
  const placement: Placement = {}
  if (typeof request.mode === 'number') {
    cpu = request.mode
  }
  else {
    const samples = new Map<number, number[]>(request.cpus.map(c => [c, []]))
    // compiled before any CPU is timed, or the first CPU timed pays for the compiler (probes.ts)
    for (let i = 0; i < JIT_WARMUP_CALLS; i++) computeProbe()
    for (let pass = 0; pass < CALIBRATION.passes; pass++) {
      const order = pass % 2 === 0 ? request.cpus : [...request.cpus].reverse()
      for (const c of order) {
        if (!pin([c])) continue
        // the median, not the fastest: a CPU shared with another busy process is slow for us too
        samples.get(c)!.push(medianTime(() => computeProbe(), CALIBRATION.reps, 1))
      }
    }
    if ([...samples.values()].every(t => t.length === 0)) return { unpinned: 'taskset refused to move this process' }
    const chosen = fastestCpu(samples)
    cpu = chosen.cpu
    placement.speeds = chosen.speeds
  }
  if (!pin([cpu])) return { unpinned: `taskset refused to pin this process to CPU ${cpu}` }
  placement.cpu = cpu
  // The orchestrator (Vitest's main process) goes to the other CPUs; a worker thread shares its
  // process with the orchestrator and leaves it where it is.
  const others = request.cpus.filter(c => c !== cpu)
  if (thread === undefined && others.length > 0 && process.ppid > 1) setProcessAffinity(process.ppid, others)
  return placement
}

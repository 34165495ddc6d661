/**
 * Machine probes: short reference workloads of fixed work, timed in every measured process, so
 * that a run knows how fast this machine was when it measured, for each kind of work. A baseline
 * stores them beside its values; comparing a later run's probes with the baseline's says how far
 * the machine moved in between, which a benchmark's own numbers cannot tell apart from a change
 * in the code. Kinds move independently (a compute loop can stay put while memory-bound work
 * slows threefold), so there is one probe per kind:
 * - `compute`: a floating-point loop (the CPU's speed),
 * - `memory`: a streaming copy of a buffer larger than common last-level caches (memory bandwidth),
 * - `alloc`: short-lived object churn (allocation and the young-generation collector).
 */

/**
 * Milliseconds per probe workload: the median of its repetitions in one process. The median, not
 * the fastest: the fastest repetition is the machine's capacity, which stays put while a
 * neighbour on the same core (an SMT sibling, another VM's vCPU) or on the memory bus slows every
 * repetition alike; the median is the speed work actually got at that time, which is what the
 * benchmarks got too. A whole session can run that much slower (every benchmark of a run +60 to
 * +90 % while the fastest repetitions did not move: docs/detection.md); the drift between probe
 * sets must see it.
 */
export interface MachineProbe {
  compute: number
  memory: number
  alloc: number
}

/** The probe kinds, in a fixed order. */
export const PROBE_KINDS = ['compute', 'memory', 'alloc'] as const
export type ProbeKind = typeof PROBE_KINDS[number]

let sink = 0

/** About 1 ms of floating-point work on a current server core. */
export function computeProbe(iterations = 100_000): number {
  let s = 0
  for (let i = 0; i < iterations; i++) s += Math.sqrt(i) * Math.sin(i)
  sink += s
  return s
}

/** 2 x 24 MB: larger than the last-level cache of most machines, so the copy streams from memory. */
const MEMORY_DOUBLES = 3 << 20
let memoryBuffers: [Float64Array, Float64Array] | undefined

/** Copies a 24 MB buffer (read 24 MB, write 24 MB). The buffers are made once per process. */
export function memoryProbe(): number {
  memoryBuffers ??= [new Float64Array(MEMORY_DOUBLES).fill(1), new Float64Array(MEMORY_DOUBLES)]
  const [from, to] = memoryBuffers
  to.set(from)
  sink += to[to.length - 1]!
  return to.length
}

const ring: ({ i: number, a: number[] } | undefined)[] = new Array(64)

/**
 * Allocates 100,000 small objects (an object and an array each) that die young: only the last 64
 * stay reachable, so each scavenge has almost nothing to copy and the time is the allocator's and
 * the young-generation collector's, not the heap's history.
 */
export function allocProbe(count = 100_000): number {
  for (let i = 0; i < count; i++) ring[i & 63] = { i, a: [i, i + 1] }
  sink += ring[count & 63]?.i ?? 0
  return count
}

/** Releases the memory probe's buffers (48 MB) once a process has taken its probes. */
export function releaseProbeMemory(): void {
  memoryBuffers = undefined
}

/** The median of `reps` timed calls of `fn` after `warmup` untimed ones, in ms. */
export function medianTime(fn: () => unknown, reps: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn()
  const times: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  const mid = times.length >> 1
  return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2
}

/** The fastest of `reps` timed calls of `fn` after `warmup` untimed ones, in ms. */
export function fastestTime(fn: () => unknown, reps: number, warmup = 2): number {
  for (let i = 0; i < warmup; i++) fn()
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    fn()
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

/**
 * Untimed calls of a JavaScript probe before its timed ones. V8 compiles a hot function's optimized
 * code on a background thread, and in a worker that has just loaded its modules that thread has a
 * queue: the allocation probe can run at the interpreter's speed, ten times slower, for its first
 * several calls in one process and not in the next. Those calls time the compiler's queue, not the
 * machine; the median of the timed calls after this many tolerates a few more of them.
 */
export const JIT_WARMUP_CALLS = 12

/**
 * Times every probe kind in this process: medians of `reps` calls, the JavaScript probes after
 * {@link JIT_WARMUP_CALLS} untimed ones (the memory probe is a builtin copy, with nothing to
 * compile). The timed work is a few tens of ms; the memory probe's 48 MB are allocated, faulted in
 * and released on every call, which can cost more than the timing itself where page faults are slow
 * (virtual machines).
 */
export function measureProbes(reps = 7): MachineProbe {
  const probe: MachineProbe = {
    compute: medianTime(() => computeProbe(), reps, JIT_WARMUP_CALLS),
    memory: medianTime(() => memoryProbe(), Math.max(3, reps - 2), 1),
    alloc: medianTime(() => allocProbe(), reps, JIT_WARMUP_CALLS),
  }
  releaseProbeMemory()
  return probe
}

/** Copies of the probes of the processes that took them, in order (none took any with the probes off). */
export function probesOf(runs: readonly { probe?: MachineProbe }[] = []): MachineProbe[] {
  return runs.flatMap(run => run.probe ? [{ ...run.probe }] : [])
}

/**
 * The probes of a process taken before and after its benchmarks, as one: per kind the geometric
 * mean, so that a neighbour that arrives (or leaves) halfway through the benchmarks counts half.
 */
export function combineProbes(before: MachineProbe, after: MachineProbe): MachineProbe {
  return {
    compute: Math.sqrt(before.compute * after.compute),
    memory: Math.sqrt(before.memory * after.memory),
    alloc: Math.sqrt(before.alloc * after.alloc),
  }
}

/** Keeps the optimiser from dropping the probes' work (never read in a decision). */
export function probeSink(): number {
  return sink
}

/**
 * CPU affinity on Linux, through `taskset` (util-linux): which CPUs a process may run on, and
 * moving a process (all its threads) or one thread to a set of CPUs. Node has no API for
 * `sched_setaffinity`; `taskset` is on every common Linux image. Elsewhere every function reports
 * "not available" instead of throwing.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, readlinkSync } from 'node:fs'

/** Parses a kernel CPU list such as `0-3,8,10-11` into sorted CPU numbers. */
export function parseCpuList(list: string): number[] {
  const out = new Set<number>()
  for (const part of list.trim().split(',').map(s => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!m) throw new RangeError(`not a CPU list: ${JSON.stringify(list)}`)
    const lo = Number(m[1])
    const hi = m[2] === undefined ? lo : Number(m[2])
    for (let cpu = lo; cpu <= hi; cpu++) out.add(cpu)
  }
  return [...out].sort((a, b) => a - b)
}

/** Formats CPU numbers as a list `taskset -c` accepts. */
export function formatCpuList(cpus: readonly number[]): string {
  return [...cpus].sort((a, b) => a - b).join(',')
}

/**
 * The CPUs this process may run on (`Cpus_allowed_list` of `/proc/self/status`), or `undefined`
 * where the kernel does not say (not Linux).
 */
export function allowedCpus(status = '/proc/self/status'): number[] | undefined {
  try {
    const line = readFileSync(status, 'utf8').split('\n').find(l => l.startsWith('Cpus_allowed_list:'))
    return line ? parseCpuList(line.slice('Cpus_allowed_list:'.length)) : undefined
  }
  catch {
    return undefined
  }
}

let initial: number[] | undefined | null = null

/**
 * The CPUs this process could use when first asked (the orchestrator asks before any measured
 * process moves it off the CPU it measures on), or `undefined` where the kernel does not say.
 */
export function initialCpus(): number[] | undefined {
  if (initial === null) initial = allowedCpus()
  return initial
}

let tasksetWorks: boolean | undefined

/** True when this is Linux and `taskset` can change a process's affinity here (checked once). */
export function affinityAvailable(): boolean {
  if (tasksetWorks === undefined) {
    tasksetWorks = process.platform === 'linux'
      && spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status === 0
  }
  return tasksetWorks
}

/**
 * Moves a process, with every thread it has now (`taskset -a`), to `cpus`. Threads it starts later
 * inherit the mask of the thread that starts them. Returns false when the kernel or `taskset`
 * refused (the process keeps its old mask).
 */
export function setProcessAffinity(pid: number, cpus: readonly number[]): boolean {
  if (cpus.length === 0) return false
  return spawnSync('taskset', ['-a', '-p', '-c', formatCpuList(cpus), String(pid)], { stdio: 'ignore' }).status === 0
}

/**
 * The kernel id of the calling thread (`/proc/thread-self`), for pinning one thread of a process
 * (a Vitest worker thread) without moving the rest; `undefined` where there is no such link.
 */
export function currentThreadId(): number | undefined {
  try {
    const m = /task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))
    return m ? Number(m[1]) : undefined
  }
  catch {
    return undefined
  }
}

/** Moves one thread (by kernel thread id) to `cpus`. */
export function setThreadAffinity(tid: number, cpus: readonly number[]): boolean {
  if (cpus.length === 0) return false
  return spawnSync('taskset', ['-p', '-c', formatCpuList(cpus), String(tid)], { stdio: 'ignore' }).status === 0
}

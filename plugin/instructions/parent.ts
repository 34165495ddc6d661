import { createRequire } from 'node:module'

/**
 * Set in every worker the Callgrind pool starts (plugin/instructions/pool.ts): the path of the
 * client-request addon, which can ask the kernel to end the worker with its parent.
 */
export const CALLGRIND_ADDON_ENV = 'BENCHGATE_CALLGRIND_ADDON'

/**
 * In a worker under Callgrind: asks the kernel to kill this process when its parent (the Vitest
 * process) dies (`PR_SET_PDEATHSIG`, through the addon), and kills it now when the parent is
 * already gone. Returns false elsewhere (no addon in the environment, or a kernel without that
 * signal), where plugin/parent-watch.ts starts its watchdog thread instead.
 *
 * Why not that thread here: under Callgrind every thread's instructions count while a round runs,
 * and a thread that woke every 200 ms landed inside rounds (a CPU loop's unchanged rounds moved by
 * up to 0.4 %, its run median by 0.07 %, against 1 instruction in 29.6 M without it).
 */
export function dieWithParentUnderCallgrind(env: NodeJS.ProcessEnv = process.env): boolean {
  const addon = env[CALLGRIND_ADDON_ENV]
  if (!addon) return false
  const { dieWithParent } = createRequire(import.meta.url)(addon) as { dieWithParent(ppid: number): boolean }
  return dieWithParent(process.ppid)
}

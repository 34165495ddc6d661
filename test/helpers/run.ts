import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const vitestBin = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to completion with a clean, colourless environment plus `env`. */
export function run(command: string, args: string[], options: { cwd?: string, env?: Record<string, string | undefined>, timeout?: number } = {}): RunResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' }
  for (const key of Object.keys(env)) {
    if (key.startsWith('BENCHGATE_') || key.startsWith('FIXTURE_') || key === 'VITEST' || key.startsWith('VITEST_') || key === 'TEST' || key === 'NODE_ENV') delete env[key]
  }
  // Spawned runs keep no run history unless a test asks for one (no .benchgate/ left in fixtures).
  if (options.env?.BENCHGATE_HISTORY_DB === undefined) env.BENCHGATE_HISTORY = 'off'
  Object.assign(env, options.env)
  const result = spawnSync(command, args, { cwd: options.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: options.timeout ?? 240_000 })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** `vitest bench --run` in a fixture project. */
export function vitestBench(root: string, args: string[] = [], env: Record<string, string | undefined> = {}): RunResult {
  return run(process.execPath, [vitestBin, 'bench', '--run', '--root', root, ...args], { env })
}

/**
 * A retry of a timing test re-records the baseline first (`record`, an `-u` run): this machine's
 * speed changes in phases (several consecutive processes all fast or all ~1.6x slow), and a retry
 * against a baseline from the other phase would fail for the same reason as the first attempt. A
 * broken gate still fails every attempt.
 */
export function rerecordOnRetry(task: { result?: { retryCount?: number } }, record: () => RunResult): void {
  if ((task.result?.retryCount ?? 0) === 0) return
  const r = record()
  if (r.code !== 0) throw new Error(`re-recording the baseline before a retry failed (exit ${r.code}):\n${r.stdout}${r.stderr}`)
}

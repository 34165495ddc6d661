import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const vitestBin = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * The tier's settings for spawned benchmark processes, under whatever a test passes in `env`
 * (vitest.config.ts sets them for the default tier, whose verdicts never depend on speed; the timing
 * tier leaves the product's defaults):
 * - `BENCHGATE_CPU` from `TEST_SPAWN_CPU`: pinned, the measured processes of every test file running
 *   in parallel would queue on the one fastest CPU;
 * - `BENCHGATE_PROBES` from `TEST_SPAWN_PROBES`: the probes' two 48 MB buffers per measured process
 *   were a third of the spawned runs' time;
 * - `BENCHGATE_TIME_BUDGET` from `TEST_SPAWN_TIME_BUDGET`: a plain bench's tinybench time, shared
 *   over the runs, was most of what a measured process did after it started.
 */
const TIER_SETTINGS: Record<string, string | undefined> = {
  BENCHGATE_CPU: process.env.TEST_SPAWN_CPU,
  BENCHGATE_PROBES: process.env.TEST_SPAWN_PROBES,
  BENCHGATE_TIME_BUDGET: process.env.TEST_SPAWN_TIME_BUDGET,
}

/**
 * Whether a project a test writes runs each of its test files in a process of its own, as Vitest
 * does by default (`test.isolate`), or each run's files in one process: `TEST_SPAWN_ISOLATE=off`
 * (the default tier, vitest.config.ts) for tests whose verdicts do not depend on process isolation.
 * A process per file and run was most of what a spawned run of a multi-file project cost. The
 * fixture configs in test/fixtures read the same variable.
 */
export function isolated(): boolean {
  return process.env.TEST_SPAWN_ISOLATE !== 'off'
}

/** Runs a command to completion with a clean, colourless environment plus `env`. */
export function run(command: string, args: string[], options: { cwd?: string, env?: Record<string, string | undefined>, timeout?: number } = {}): RunResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true' }
  for (const key of Object.keys(env)) {
    if (key.startsWith('BENCHGATE_') || key.startsWith('FIXTURE_') || key === 'VITEST' || key.startsWith('VITEST_') || key === 'TEST' || key === 'NODE_ENV') delete env[key]
  }
  // Spawned runs keep no run history unless a test asks for one (no .benchgate/ left in fixtures).
  if (options.env?.BENCHGATE_HISTORY_DB === undefined) env.BENCHGATE_HISTORY = 'off'
  for (const [key, value] of Object.entries(TIER_SETTINGS)) if (value) env[key] = value
  Object.assign(env, options.env)
  const result = spawnSync(command, args, { cwd: options.cwd ?? repoRoot, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: options.timeout ?? 240_000 })
  if (result.error) throw result.error
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

/** `vitest bench --run` in a fixture project. */
export function vitestBench(root: string, args: string[] = [], env: Record<string, string | undefined> = {}, timeout?: number): RunResult {
  return run(process.execPath, [vitestBin, 'bench', '--run', '--root', root, ...args], { env, timeout })
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

/**
 * Bad input must stop a gate run before it measures: breaks the baseline `file` (a schema-invalid
 * direction, then malformed JSON) and checks that `bench(args)` exits 2 for every `args`, with one
 * line naming the file and the JSON path, and leaves the file untouched. Restores it afterwards.
 */
export function expectCorruptBaselineRefused(file: string, bench: (args: string[]) => RunResult, argsList: readonly string[][]): void {
  const original = readFileSync(file, 'utf8')
  const broken = original.replace('"direction": "lower"', '"direction": "sideways"')
  writeFileSync(file, broken)
  try {
    for (const args of argsList) {
      const r = bench(args)
      expect(r.code, r.stdout + r.stderr).toBe(2)
      const line = r.stderr.split('\n').find(l => l.startsWith('benchgate:'))
      expect(line).toContain(file)
      expect(line).toMatch(/\/entries\/.+\/metrics\/.+\/direction: must be one of "lower", "higher"/)
      expect(readFileSync(file, 'utf8')).toBe(broken)
    }
    writeFileSync(file, '{ "schemaVersion": 1, "entries": { ')
    const r = bench([])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/current_baselines\.json: malformed JSON at line 1/)
  }
  finally {
    writeFileSync(file, original)
  }
}

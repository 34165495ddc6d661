import { startVitestBench, type BenchRunRequest } from '../../plugin/start-vitest.ts'

/** What `benchgate test` and `benchgate baseline` hand to Vitest. */
export interface RunBenchOptions extends BenchRunRequest {
  /** Environment overrides the plugin reads (tags, rounds, runs, baseline directory). */
  env: Record<string, string>
}

/**
 * Runs the project's benchmarks once, like `vitest bench --run`, with the benchgate plugin added on
 * top of the project's own config (or none), and returns the exit code the run asked for. Which
 * vitest runs, and how it is started, is the plugin's business (`plugin/start-vitest.ts`): the project's own
 * install, whatever its supported major.
 */
export async function runVitestBench(options: RunBenchOptions): Promise<number> {
  const { env, ...request } = options
  Object.assign(process.env, env)
  return startVitestBench(request)
}

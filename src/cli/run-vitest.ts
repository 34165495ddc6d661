import { BenchgateError } from '../util/errors.ts'

/** What `benchgate test` and `benchgate baseline` hand to Vitest. */
export interface RunBenchOptions {
  root: string
  update: boolean
  filters: string[]
  config?: string
  /** Environment overrides the plugin reads (tags, rounds, runs, baseline directory). */
  env: Record<string, string>
}

/**
 * Runs `vitest bench` through Vitest's Node API with the benchgate plugin added on top of the
 * project's own config (or none), and returns the exit code the run asked for.
 */
export async function runVitestBench(options: RunBenchOptions): Promise<number> {
  Object.assign(process.env, options.env)
  let vitestNode: typeof import('vitest/node')
  try {
    vitestNode = await import('vitest/node')
  }
  catch {
    throw new BenchgateError('cannot load vitest: install it in this project (npm install -D vitest@4)')
  }
  const { benchgate } = await import('../../plugin/index.ts')
  const cliOptions: Record<string, unknown> = { root: options.root, run: true, watch: false, update: options.update }
  if (options.config) cliOptions.config = options.config
  const vitest = await vitestNode.startVitest('benchmark', options.filters, cliOptions, {
    plugins: [benchgate({}, { fromCli: true })],
  })
  await vitest.close()
  return typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0)
}

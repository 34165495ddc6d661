import type { Plugin } from 'vite'
import { BenchgateError } from '../src/util/errors.ts'
import { benchgate, isConfigured } from './index.ts'
import { locateVitest } from './locate.ts'
import type { BenchRunRequest } from './start-options.ts'
import { startV4 } from './v4/start.ts'
import { startV5 } from './v5/start.ts'

export type { BenchRunRequest }

/**
 * Runs the project's benchmarks once with the benchgate plugin added on top of its own config (a
 * benchgate plugin in that config wins), through the Node API of the vitest the project has
 * installed: vitest 4 in its benchmark mode, vitest 5 with its bench projects only (as `vitest
 * bench`). Resolves to the exit code the run asked for (0 pass, 1 failed gate or run, 2 bad input).
 * Throws a one-line `BenchgateError` when vitest is missing or its major is not supported.
 */
export async function startVitestBench(request: BenchRunRequest): Promise<number> {
  const install = locateVitest(request.root)
  const plugins: Plugin[] = [benchgate({}, { fromCli: true })]
  let vitest: unknown
  try {
    switch (install.major) {
      case 4: vitest = await startV4(install, request, plugins); break
      case 5: vitest = await startV5(install, request, plugins); break
      default: throw new BenchgateError(`vitest ${install.version}: no start-up for this major`)
    }
  }
  catch (error) {
    if (error instanceof BenchgateError) throw error
    // a config that does not load (a syntax error, a missing import) ends here: one line, not a bundler's stack
    const message = (error instanceof Error ? error.message : String(error)).trim().split('\n')[0]
    throw new BenchgateError(`vitest ${install.version} could not start${request.config ? ` with --config ${request.config}` : ''}: ${message}`, 2, { cause: error })
  }
  const code = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0)
  // A run the gate never joined must not pass as a gated one (exit 0 with nothing compared).
  if (!isConfigured(vitest) && code !== 2) throw new BenchgateError(`vitest ${install.version} ran without the benchgate plugin: none of the project's Vitest projects loaded it, so nothing was measured or compared${code ? ` (vitest exited with ${code})` : ''}; please report this with your vitest config`)
  return code
}

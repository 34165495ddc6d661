import type { Plugin } from 'vite'
import { BenchgateError } from '../../src/util/errors.ts'
import type { VitestInstall } from '../locate.ts'
import { baseCliOptions, type BenchRunRequest } from '../start-options.ts'
import type { V5NodeApi } from './types.ts'

function isNodeApi(module: unknown): module is V5NodeApi {
  return typeof module === 'object' && module !== null && typeof (module as { startVitest?: unknown }).startVitest === 'function'
}

/**
 * Starts vitest 5 as `vitest bench --run` does. Vitest 5 has no benchmark mode: `vitest bench` sets
 * `benchmarkOnly`, so only the `bench` projects it derives from `benchmark.include` run (one worker
 * each), and turns coverage off. Closes it at the end and resolves to the Vitest instance.
 */
export async function startV5(install: VitestInstall, request: BenchRunRequest, plugins: Plugin[]): Promise<unknown> {
  const module: unknown = await import(install.nodeApiUrl)
  if (!isNodeApi(module)) throw new BenchgateError(`vitest ${install.version} (${install.packageJson}) has no startVitest in its Node API`)
  const vitest = await module.startVitest(request.filters, { ...baseCliOptions(request), benchmarkOnly: true, coverage: { enabled: false } }, { plugins })
  await vitest.close()
  return vitest
}

import type { Plugin } from 'vite'
import type * as VitestNode from 'vitest/node'
import type { VitestInstall } from '../locate.ts'
import { baseCliOptions, type BenchRunRequest } from '../start-options.ts'

/** Starts vitest 4 as `vitest bench --run` does: its `benchmark` mode, then closes it. Resolves to the Vitest instance. */
export async function startV4(install: VitestInstall, request: BenchRunRequest, plugins: Plugin[]): Promise<unknown> {
  const { startVitest } = await import(install.nodeApiUrl) as typeof VitestNode
  const vitest = await startVitest('benchmark', request.filters, baseCliOptions(request), { plugins })
  await vitest.close()
  return vitest
}

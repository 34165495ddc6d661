import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * What the plugin adds to the Vitest config besides the benchmark options: a worker setup file that
 * ends workers whose Vitest process is gone, and benchgate's own directory excluded from the
 * benchmark files (`benchgate compare --against` checks the base commit out under
 * `.benchgate/worktrees/<sha>/`, where a project's default include glob `**\/*.bench.ts` would find a
 * second copy of every bench file, and `-u` would record it).
 */

/** The worker setup file that ends a worker whose Vitest process is gone (plugin/parent-watch.ts, or .js when built). */
export const PARENT_WATCH_FILE = fileURLToPath(new URL(`./parent-watch${extname(fileURLToPath(import.meta.url))}`, import.meta.url))

/** The glob of benchgate's own directory. */
export const OWN_DIR_GLOB = '**/.benchgate/**'

/** Vitest's own default exclude (`defaultExclude`, the same in vitest 4 and 5). */
export const VITEST_DEFAULT_EXCLUDE: readonly string[] = ['**/node_modules/**', '**/.git/**']

/**
 * `test.benchmark.exclude` for the plugin's config hook. Vite concatenates arrays when it merges
 * plugin config into the user's: with an exclude of the user's own, adding the glob is enough;
 * without one, Vitest's defaults would be replaced, so they are added too. (Not read from
 * 'vitest/config': from where benchgate is installed that could be another major than the one running.)
 */
export function benchmarkExclude(userConfig: { test?: { benchmark?: { exclude?: unknown } } }): string[] {
  if (userConfig.test?.benchmark?.exclude !== undefined) return [OWN_DIR_GLOB]
  return [...VITEST_DEFAULT_EXCLUDE, OWN_DIR_GLOB]
}

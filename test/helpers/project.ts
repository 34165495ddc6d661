import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { builtEntries } from './build.ts'
import { isolated, repoRoot, run, vitestBench, type RunResult } from './run.ts'

/**
 * A throw-away consumer project in a temp directory: a vitest config with the benchgate plugin
 * and `benchgate` from the compiled package by absolute path (test/helpers/build.ts), this repo's
 * node_modules linked in, and bench files written by the test. Tests that must break files (an
 * import error, a skipped bench) write their own instead of editing the shared fixtures.
 */
export interface TempProject {
  root: string
  /** Writes a file relative to the root (creating its directory). */
  write: (path: string, text: string) => void
  /** `vitest bench --run` in the project (on its vitest); the plugin runs `runs`/`baselineRuns` from FIXTURE_RUNS (default 2). */
  bench: (args?: string[], env?: Record<string, string | undefined>) => RunResult
  /** The baseline file's path. */
  baselineFile: string
  /** The parsed baseline file. */
  baseline: () => BaselineFile
  /** The keys of the baseline's entries, sorted. */
  keys: () => string[]
  remove: () => void
}

/** A scenario with cheap deterministic rounds, as one line of a bench file. */
export function scenario(name: string, extra = ''): string {
  return `bench.scenario({ name: ${JSON.stringify(name)}, rounds: 3, warmupRounds: 1, run: () => { spin(2000) }${extra ? `, ${extra}` : ''} })\n`
}

/** The head of a bench file: imports and the `spin` work function. */
export const BENCH_HEAD = `import { describe } from 'vitest'
import { bench } from 'benchgate'
const spin = (n: number) => { let a = 0; for (let i = 0; i < n; i++) a += Math.sqrt(i); return a }
`

/** A vitest install a temp project runs on: its node_modules, and `bin` (vitest's CLI) run by `node`. */
export interface VitestInstall {
  modules: string
  node: string
  bin: string
}

/**
 * Creates a temp project. `pluginOptions` is the source of the `benchgate({...})` argument; `vitest`
 * the install it runs on (default: this repo's vitest 4 on the Node running the tests).
 */
export function tempProject(prefix: string, options: { pluginOptions?: string, vitest?: VitestInstall } = {}): TempProject {
  const pluginOptions = options.pluginOptions ?? '{ runs: Number(process.env.FIXTURE_RUNS ?? 2), baselineRuns: Number(process.env.FIXTURE_RUNS ?? 2) }'
  const vitest = options.vitest
  const root = mkdtempSync(join(tmpdir(), `benchgate-${prefix}-`))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  write('package.json', `${JSON.stringify({ name: `${prefix}-fixture`, private: true, type: 'module' }, null, 2)}\n`)
  write('vitest.config.ts', `import { defineConfig } from 'vitest/config'
import { benchgate } from ${JSON.stringify(builtEntries().plugin)}

export default defineConfig({
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },
  plugins: [benchgate(${pluginOptions})],
  test: { isolate: ${isolated()} },
})
`)
  symlinkSync(vitest?.modules ?? join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir')
  const baselineFile = join(root, 'baselines/current_baselines.json')
  const baseline = () => JSON.parse(readFileSync(baselineFile, 'utf8')) as BaselineFile
  return {
    root,
    write,
    bench: (args = [], env = {}) => vitest
      ? run(vitest.node, [vitest.bin, 'bench', '--run', '--root', root, ...args], { env })
      : vitestBench(root, args, env),
    baselineFile,
    baseline,
    keys: () => Object.keys(baseline().entries).sort(),
    remove: () => rmSync(root, { recursive: true, force: true }),
  }
}

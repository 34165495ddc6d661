import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { withFileLock } from '../../src/util/lock.ts'
import { repoRoot, run } from './run.ts'

// One compiled benchgate per state of the sources, shared by every test that needs a build other
// than the repo's dist/ (which `npm test` rebuilds and others may be rebuilding): the CLI on other
// Node versions, `npm pack`, `git bisect run`. Compiling takes tsc 20-40 s of CPU; test files
// running in parallel would otherwise each compile the same sources.

const BUILDS = join(repoRoot, '.tmp', 'test-build')
const SOURCES = ['src', 'plugin', 'reporters']

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'native' ? [] : sourceFiles(path)
    return /\.(ts|json)$/.test(entry.name) ? [path] : []
  })
}

/** Everything the build depends on: the sources and the build's tsconfig files. */
function buildInputs(): string[] {
  return [...SOURCES.flatMap(d => sourceFiles(join(repoRoot, d))), join(repoRoot, 'tsconfig.json'), join(repoRoot, 'tsconfig.build.json')].sort()
}

/** A hash of the build's inputs. */
function sourceHash(inputs: readonly string[]): string {
  const hash = createHash('sha256')
  for (const file of inputs) hash.update(relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0')
  return hash.digest('hex').slice(0, 16)
}

const DIST = join(repoRoot, 'dist')

/** Every compiled module of `dir` (a build's output) that the sources call for is there. */
function isComplete(dir: string, inputs: readonly string[]): boolean {
  return inputs
    .filter(file => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .every(file => existsSync(join(dir, relative(repoRoot, file)).replace(/\.ts$/, '.js')))
}

/**
 * When the repo's dist/ is a complete build made after every input last changed (`npm test` builds
 * it just before the tests), the time it was built; otherwise undefined (a newer input, a missing
 * module: a build under way or never made).
 */
function distBuiltAt(inputs: readonly string[]): number | undefined {
  const cli = join(DIST, 'src/cli/bin.js')
  if (!existsSync(cli)) return undefined
  const built = statSync(cli).mtimeMs
  return inputs.every(file => statSync(file).mtimeMs <= built) && isComplete(DIST, inputs) ? built : undefined
}

/**
 * Copies dist/ to `to` when it is the current build (compiling the same sources again would cost
 * tsc's 20-40 s of CPU). False, and nothing to rely on in `to`, when it is not, or when a build
 * started while it was copied (`npm test` builds dist/ while the instruction tier, beside it, may
 * already be asking for a build).
 */
function copyOfCurrentDist(to: string, inputs: readonly string[]): boolean {
  const built = distBuiltAt(inputs)
  if (built === undefined) return false
  try {
    cpSync(DIST, to, { recursive: true })
  }
  catch {
    return false
  }
  return distBuiltAt(inputs) === built && isComplete(to, inputs)
}

/**
 * Compiles benchgate (src, plugin, reporters) into `outDir` with the repo's TypeScript. Others'
 * work in progress may not type-check; tsc still emits, so this checks the output instead.
 */
export function compileBenchgate(outDir: string): void {
  run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', join(repoRoot, 'tsconfig.build.json'), '--outDir', outDir], { timeout: 300_000 })
  if (!existsSync(join(outDir, 'src/cli/bin.js'))) throw new Error(`tsc did not emit ${join(outDir, 'src/cli/bin.js')}`)
}

/** This process's answer of {@link builtBenchgate}: no test edits the sources it was built from. */
let thisProcessBuild: string | undefined

/**
 * The compiled benchgate for the current sources (`<dir>/src/cli/bin.js` is the CLI), in the repo's
 * `.tmp/test-build/` so that it resolves benchgate's dependencies from the repo's node_modules.
 * Compiled once under a lock by whichever test asks first; later callers (other processes
 * included) reuse it, and a test file that asks again gets it without hashing the sources again.
 * Builds of other source states older than an hour are removed.
 */
export function builtBenchgate(): string {
  if (thisProcessBuild !== undefined && existsSync(join(thisProcessBuild, 'src/cli/bin.js'))) return thisProcessBuild
  thisProcessBuild = buildFor(buildInputs())
  return thisProcessBuild
}

function buildFor(inputs: readonly string[]): string {
  const dir = join(BUILDS, sourceHash(inputs))
  if (existsSync(join(dir, 'src/cli/bin.js'))) return dir
  mkdirSync(BUILDS, { recursive: true })
  return withFileLock(dir, () => {
    if (existsSync(join(dir, 'src/cli/bin.js'))) return dir
    const partial = `${dir}.partial-${process.pid}`
    rmSync(partial, { recursive: true, force: true })
    if (!copyOfCurrentDist(partial, inputs)) {
      rmSync(partial, { recursive: true, force: true })
      compileBenchgate(partial)
    }
    renameSync(partial, dir)
    for (const name of readdirSync(BUILDS)) {
      const path = join(BUILDS, name)
      if (path !== dir && !name.endsWith('.lock') && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true })
    }
    return dir
  }, { waitMs: 600_000, what: 'the shared test build' })
}

/** The CLI of {@link builtBenchgate}: `node <it> <args>` runs the current sources' CLI, compiled. */
export function builtCli(): string {
  return join(builtBenchgate(), 'src/cli/bin.js')
}

/**
 * The compiled package's entry points ({@link builtBenchgate}) by absolute path: a project outside
 * this repo imports `benchgate` and `benchgate/plugin` from them as from an installed copy. Compiled
 * JavaScript, not the sources: every spawned Vitest would otherwise transform the plugin's sources
 * again, in its main process and through it for every benchmark process.
 */
export function builtEntries(): { entry: string, plugin: string } {
  const dir = builtBenchgate()
  return { entry: join(dir, 'plugin/entry.js'), plugin: join(dir, 'plugin/index.js') }
}

/** Builds dist/ (`npm run build`) unless it was built after every source last changed. */
export function ensureDist(): void {
  const inputs = buildInputs()
  if (distBuiltAt(inputs) !== undefined) return
  const build = run('npm', ['run', 'build'], { timeout: 300_000 })
  if (distBuiltAt(inputs) === undefined) throw new Error(`npm run build did not leave a current dist/ (exit ${build.code}):\n${build.stdout}${build.stderr}`)
}

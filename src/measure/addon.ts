/**
 * The Valgrind client-request addon of `--measure instructions` (`native/`): built from source with
 * node-gyp the first time the mode runs in a project, into `.benchgate/native/`, and reused after.
 * It is a Node-API addon, so one build serves every Node version; nothing is committed or shipped
 * prebuilt, and nothing but the instruction mode's workers loads it.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BenchgateError } from '../util/errors.ts'

const ADDON_NAME = 'benchgate_valgrind'
const SOURCES = ['binding.gyp', `${ADDON_NAME}.c`] as const

/** What the build needs, for the one-line error. */
const TOOLCHAIN = 'it needs python3, make, a C and C++ compiler (node-gyp links with g++) and Valgrind\'s headers (Debian/Ubuntu: sudo apt-get install python3 make gcc g++ valgrind; Fedora: sudo dnf install python3 make gcc gcc-c++ valgrind-devel)'

/** The addon's sources: `native/` beside this module (sources), or in the package's `src/measure/native` (built). */
export function addonSourceDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, 'native'), resolve(here, '../../../src/measure/native')]
  const found = candidates.find(dir => SOURCES.every(file => existsSync(join(dir, file))))
  if (!found) throw new BenchgateError(`--measure instructions: the Valgrind addon's sources are missing (looked in ${candidates.join(', ')}); reinstall benchgate`)
  return found
}

/** Where the build for these sources is kept in a project: the sources' hash names it, so an edit rebuilds. */
export function addonPath(root: string, sourceDir = addonSourceDir()): string {
  const hash = createHash('sha256')
  for (const file of SOURCES) hash.update(readFileSync(join(sourceDir, file)))
  hash.update(`${process.platform}-${process.arch}`)
  return join(resolve(root), '.benchgate', 'native', `valgrind-${hash.digest('hex').slice(0, 12)}`, `${ADDON_NAME}.node`)
}

/**
 * node-gyp's entry script: npm's own (`npm_config_node_gyp` under npm scripts, or the copy npm
 * bundles beside the running Node or on the PATH), else one the project installed.
 */
export function findNodeGyp(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = []
  if (env.npm_config_node_gyp) candidates.push(env.npm_config_node_gyp)
  const prefix = resolve(dirname(process.execPath), '..')
  candidates.push(join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'))
  for (const dir of (env.PATH ?? '').split(':').filter(Boolean)) {
    const npm = join(dir, 'npm')
    if (!existsSync(npm)) continue
    try {
      // bin/npm -> lib/node_modules/npm/bin/npm-cli.js: node-gyp sits in npm's own node_modules
      candidates.push(resolve(dirname(realpathSync(npm)), '../node_modules/node-gyp/bin/node-gyp.js'))
    }
    catch {}
  }
  for (const from of [join(resolve(root), 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      candidates.push(createRequire(from).resolve('node-gyp/bin/node-gyp.js'))
    }
    catch {}
  }
  return candidates.find(path => existsSync(path))
}

/**
 * A directory with Node's headers (`include/node/node_api.h`), so that node-gyp need not download
 * them: the running Node's prefix, or a system Node's (any Node >= 16 has the Node-API this uses).
 */
export function findNodeHeaders(): string | undefined {
  const configured = (process.config.variables as { node_prefix?: string }).node_prefix
  const candidates = [resolve(dirname(process.execPath), '..'), configured, '/usr', '/usr/local'].filter((d): d is string => !!d)
  return candidates.find(dir => existsSync(join(dir, 'include/node/node_api.h')))
}

/** The first line of node-gyp's output that says what went wrong. */
function buildFailure(output: string): string {
  const lines = output.split('\n').map(l => l.trim()).filter(Boolean)
  const line = lines.find(l => /fatal error|error:|not found|find Python|ERR! stack Error/.test(l)) ?? lines.at(-1) ?? 'no output'
  return line.replace(/^gyp ERR! (stack )?/, '').slice(0, 200)
}

/**
 * The addon for the project at `root`, built first when there is none yet for these sources
 * (`log` gets one line then). Throws a one-line {@link BenchgateError} (exit 2) when node-gyp or
 * the toolchain is missing or the build fails.
 */
export function ensureValgrindAddon(root: string, log: (line: string) => void = () => {}, env: NodeJS.ProcessEnv = process.env): string {
  const sourceDir = addonSourceDir()
  const target = addonPath(root, sourceDir)
  if (existsSync(target)) return target
  const nodeGyp = findNodeGyp(root, env)
  if (!nodeGyp) throw new BenchgateError(`--measure instructions builds a small Valgrind addon with node-gyp, which comes with npm, but none was found: install npm, or node-gyp in the project (npm install -D node-gyp); ${TOOLCHAIN}`)
  log(`benchgate: building the Valgrind client-request addon (first use of --measure instructions in this project) into ${dirname(target)}`)
  const work = `${dirname(target)}.build-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  try {
    for (const file of SOURCES) cpSync(join(sourceDir, file), join(work, file))
    const headers = findNodeHeaders()
    const args = [nodeGyp, 'rebuild', '--directory', work, ...(headers ? [`--nodedir=${headers}`] : [])]
    const build = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env }, timeout: 300_000 })
    const built = join(work, 'build/Release', `${ADDON_NAME}.node`)
    if (build.error || build.status !== 0 || !existsSync(built)) {
      const why = build.error ? build.error.message : buildFailure(`${build.stderr ?? ''}\n${build.stdout ?? ''}`)
      throw new BenchgateError(`--measure instructions: building the Valgrind addon with node-gyp failed (${why}); ${TOOLCHAIN}`)
    }
    mkdirSync(dirname(target), { recursive: true })
    // a copy beside the target, then a rename: a concurrent run sees no addon or a whole one
    const staged = `${target}.${process.pid}.tmp`
    copyFileSync(built, staged)
    renameSync(staged, target)
    return target
  }
  finally {
    rmSync(work, { recursive: true, force: true })
  }
}

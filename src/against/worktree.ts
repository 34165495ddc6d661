/**
 * A ready-to-run checkout of a git ref for `benchgate compare --against`: a detached git worktree in
 * `<repository>/.benchgate/worktrees/<sha>`, with dependencies installed and the package built,
 * cached by commit (a marker file records that install and build finished).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { BenchgateError } from '../util/errors.ts'
import { withFileLock } from '../util/lock.ts'

/** The marker written once a worktree is installed and built. */
export const READY_MARKER = '.benchgate-ready'

/** What {@link prepareWorktree} did, for the log line. */
export interface PreparedWorktree {
  sha: string
  /** The worktree's top level. */
  dir: string
  /** The project root inside the worktree (same relative path as in the head checkout). */
  root: string
  /** True when a ready worktree of this commit was reused. */
  cached: boolean
  /** How dependencies were provided: `cached`, `symlink` (identical lockfile), `npm ci`, or `none`. */
  install: 'cached' | 'symlink' | 'npm ci' | 'none'
  built: boolean
}

function git(cwd: string, args: string[], what: string): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()
  }
  catch (error) {
    const e = error as { stderr?: string, status?: number | null, code?: string }
    const cause = String(e.stderr ?? '').trim().split('\n')[0] || (e.code === 'ENOENT' ? 'git is not installed' : `exit ${e.status ?? '?'}`)
    throw new BenchgateError(`${what} (git ${args.join(' ')}: ${cause})`)
  }
}

/** The repository top level of `root` and the commit `ref` names there. Errors name the ref and the cause. */
export function resolveRef(root: string, ref: string): { top: string, sha: string } {
  if (ref.trim() === '' || ref.startsWith('-')) throw new BenchgateError(`--against: expected a git ref (a branch, tag or commit) but received ${JSON.stringify(ref)}`)
  const top = git(root, ['rev-parse', '--show-toplevel'], `--against ${ref}: ${root} is not inside a git repository`)
  const sha = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], `--against ${ref}: not a commit in ${top}`)
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new BenchgateError(`--against ${ref}: not a commit in ${top}`)
  return { top, sha }
}

/** Runs a setup command (npm ci, the build) in the worktree; a failure is one error with the end of its output. */
function runSetupCommand(command: string, args: string[], cwd: string, what: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd().split('\n').slice(-10).join('\n')
    throw new BenchgateError(`${what} failed in ${cwd} (${result.error?.message ?? `exit ${result.status}`})${output ? `:\n${output}` : ''}`, 1)
  }
}

function same(a: string, b: string): boolean {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b))
}

/**
 * Provides the base checkout's dependencies: nothing when it has no package.json or already has
 * node_modules; a symlink to the head's node_modules when both have the same package-lock.json
 * (saves an install); `npm ci` when it has a lockfile. Errors name the ref and the cause.
 */
export function installDependencies(baseRoot: string, headRoot: string, ref: string): PreparedWorktree['install'] {
  if (!existsSync(join(baseRoot, 'package.json')) || existsSync(join(baseRoot, 'node_modules'))) return 'none'
  const lock = join(baseRoot, 'package-lock.json')
  const headModules = join(headRoot, 'node_modules')
  if (existsSync(headModules) && same(lock, join(headRoot, 'package-lock.json'))) {
    symlinkSync(headModules, join(baseRoot, 'node_modules'), 'dir')
    return 'symlink'
  }
  if (existsSync(lock)) {
    runSetupCommand('npm', ['ci', '--no-audit', '--no-fund'], baseRoot, `--against ${ref}: npm ci`)
    return 'npm ci'
  }
  throw new BenchgateError(`--against ${ref}: ${baseRoot} has a package.json but no package-lock.json to install from (and the head's lockfile differs); commit a lockfile or install the worktree yourself`)
}

/**
 * Why a ready worktree cannot be reused, or `undefined` when it can: its node_modules is a symlink to
 * the head's, made when both lockfiles were the same, and the head's lockfile has changed since (a
 * dependency update would otherwise be measured on both sides alike, and be invisible).
 */
export function staleDependencies(baseRoot: string, headRoot: string): string | undefined {
  const modules = join(baseRoot, 'node_modules')
  let linked = false
  try {
    linked = lstatSync(modules).isSymbolicLink()
  }
  catch {}
  if (!linked) return undefined
  return same(join(baseRoot, 'package-lock.json'), join(headRoot, 'package-lock.json'))
    ? undefined
    : 'its node_modules links to the head\'s, whose package-lock.json has changed since'
}

/**
 * Creates (or reuses) the worktree of `ref` for the project at `headRoot`, installs its dependencies
 * and runs its `build` script when it has one. A worktree whose marker is missing (an earlier
 * install or build failed), or whose dependencies are the head's while the lockfiles differ now, is
 * removed and created again. Holds the worktree's lock meanwhile: two compares of one ref at once
 * wait for each other instead of deleting each other's worktree.
 */
export function prepareWorktree(headRoot: string, ref: string, log: (line: string) => void = () => {}): PreparedWorktree {
  const root = resolve(headRoot)
  const { top, sha } = resolveRef(root, ref)
  const dir = join(top, '.benchgate', 'worktrees', sha)
  // npm ci and a build can take minutes; a holder killed with -9 is noticed at once (its pid)
  return withFileLock(dir, () => prepareLocked(root, ref, top, sha, dir, log), { what: `the worktree of ${ref} (${sha.slice(0, 10)})`, waitMs: 30 * 60_000 })
}

function prepareLocked(root: string, ref: string, top: string, sha: string, dir: string, log: (line: string) => void): PreparedWorktree {
  const inside = relative(top, root)
  const baseRoot = join(dir, inside)
  const marker = join(dir, READY_MARKER)
  if (existsSync(marker)) {
    const stale = staleDependencies(baseRoot, root)
    if (!stale) return { sha, dir, root: baseRoot, cached: true, install: 'cached', built: false }
    log(`benchgate: the cached worktree of ${ref} is stale (${stale}): creating it again`)
    rmSync(marker, { force: true })
  }

  if (existsSync(dir)) {
    // the head's node_modules may be linked in: remove the link, never what it points to
    const modules = join(baseRoot, 'node_modules')
    try {
      if (lstatSync(modules).isSymbolicLink()) unlinkSync(modules)
    }
    catch {}
    git(top, ['worktree', 'remove', '--force', dir], `--against ${ref}: cannot remove the unfinished worktree ${dir}`)
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true })
  }
  git(top, ['worktree', 'prune'], `--against ${ref}: git worktree prune`)
  mkdirSync(join(top, '.benchgate', 'worktrees'), { recursive: true })
  log(`benchgate: creating a worktree of ${ref} (${sha.slice(0, 10)}) in ${relative(root, dir) || dir}`)
  git(top, ['worktree', 'add', '--detach', dir, sha], `--against ${ref}: cannot create a worktree in ${dir}`)
  if (!existsSync(baseRoot) || !lstatSync(baseRoot).isDirectory())
    throw new BenchgateError(`--against ${ref}: the project directory ${inside} does not exist at ${sha.slice(0, 10)}`)
  const install = installDependencies(baseRoot, root, ref)
  if (install !== 'none') log(`benchgate: dependencies of ${ref}: ${install}`)
  let built = false
  const pkgPath = join(baseRoot, 'package.json')
  if (existsSync(pkgPath)) {
    let scripts: Record<string, string> | undefined
    try {
      scripts = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { scripts?: Record<string, string> }).scripts
    }
    catch (error) {
      throw new BenchgateError(`--against ${ref}: cannot read ${pkgPath} (${(error as Error).message})`)
    }
    if (scripts?.build) {
      log(`benchgate: building ${ref} (npm run build)`)
      runSetupCommand('npm', ['run', 'build'], baseRoot, `--against ${ref}: npm run build`)
      built = true
    }
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`)
  return { sha, dir, root: baseRoot, cached: false, install, built }
}

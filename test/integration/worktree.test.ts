import { execFileSync, spawn } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareWorktree, READY_MARKER, type PreparedWorktree } from '../../src/against/worktree.ts'
import { repoRoot } from '../helpers/run.ts'

// The cached base worktree of `compare --against` (issue 13, item 5): its dependencies are not the
// head's once the head's lockfile changed, and two compares of one ref at once do not delete each
// other's worktree. Real git worktrees, npm ci of an empty lockfile (no registry needed).
const tsCall = join(repoRoot, 'test/helpers/ts-call.mjs')
let dir: string
let repo: string
const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=benchgate', '-c', 'user.email=benchgate@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' })
const lock = (version: string) => `${JSON.stringify({ name: 'wt-fixture', version, lockfileVersion: 3, requires: true, packages: { '': { name: 'wt-fixture', version } } }, null, 2)}\n`

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-worktree-'))
  repo = join(dir, 'repo')
  mkdirSync(join(repo, 'node_modules', 'head-only'), { recursive: true })
  writeFileSync(join(repo, 'node_modules', 'head-only', 'index.js'), 'export {}\n')
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.benchgate/\n')
  // a build that takes a moment, so that a second compare arrives while the first prepares
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'wt-fixture', version: '1.0.0', private: true, scripts: { build: 'node -e "setTimeout(() => {}, 1500)"' } }, null, 2)}\n`)
  writeFileSync(join(repo, 'package-lock.json'), lock('1.0.0'))
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo })
  git('add', '-A')
  git('commit', '-q', '-m', 'one')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the cached worktree of compare --against', () => {
  it('is not reused with the head\'s node_modules once the head\'s lockfile changed', () => {
    const first = prepareWorktree(repo, 'HEAD')
    expect(first.install).toBe('symlink')
    expect(lstatSync(join(first.root, 'node_modules')).isSymbolicLink()).toBe(true)
    expect(prepareWorktree(repo, 'HEAD').cached).toBe(true)

    writeFileSync(join(repo, 'package-lock.json'), lock('1.0.1')) // a dependency update in the working tree
    const lines: string[] = []
    const again = prepareWorktree(repo, 'HEAD', line => lines.push(line))
    expect(again.cached).toBe(false)
    expect(again.install).toBe('npm ci')
    // npm ci of a lockfile without dependencies leaves no node_modules at all; never the head's
    expect(existsSync(join(again.root, 'node_modules')) && lstatSync(join(again.root, 'node_modules')).isSymbolicLink()).toBe(false)
    expect(lines.join('\n')).toContain('the cached worktree of HEAD is stale (its node_modules links to the head\'s, whose package-lock.json has changed since)')
    // the head's own node_modules is untouched
    expect(existsSync(join(repo, 'node_modules', 'head-only', 'index.js'))).toBe(true)
    git('checkout', '--', 'package-lock.json')
  }, 120_000)

  it('two compares of one ref at once: one prepares it, the other waits and reuses it', async () => {
    writeFileSync(join(repo, 'file.txt'), 'two\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'two')
    const startAt = Date.now() + 3000
    const calls = [1, 2].map(() => spawn(process.execPath, [tsCall, 'src/against/worktree.ts', 'prepareWorktree', JSON.stringify([repo, 'HEAD']), String(startAt)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] }))
    const results = await Promise.all(calls.map(child => new Promise<{ code: number | null, out: string }>((resolve) => {
      let out = ''
      child.stdout!.on('data', (chunk: Buffer) => { out += chunk })
      child.stderr!.on('data', (chunk: Buffer) => { out += chunk })
      child.on('close', code => resolve({ code, out }))
    })))
    for (const r of results) expect(r.code, r.out).toBe(0)
    const prepared = results.map(r => JSON.parse(r.out.trim().split('\n').at(-1)!) as PreparedWorktree)
    expect(prepared.map(p => p.cached).sort()).toEqual([false, true])
    expect(existsSync(join(prepared[0]!.dir, READY_MARKER))).toBe(true)
  }, 120_000)
})

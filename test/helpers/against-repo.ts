import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { builtCli, builtEntries } from './build.ts'
import { repoRoot, run, type RunResult } from './run.ts'

/** A throw-away git repository whose last commit does 40 % more work than the one before. */
export interface AgainstRepo {
  /** The temp directory holding the repository (remove it when done). */
  dir: string
  repo: string
  /** `benchgate compare ...args` (the CLI from source) in the repository. */
  compare: (args: string[], env?: Record<string, string>) => RunResult
}

/**
 * Creates a git repository with a tiny bench project (the plugin imported from this repo by
 * absolute path, this repo's node_modules linked in): HEAD~1's `bench/spin.bench.ts` is
 * `benchFile(100_000)`, HEAD's `benchFile(140_000)`.
 */
export function againstRepo(prefix: string, benchFile: (iterations: number) => string): AgainstRepo {
  const dir = mkdtempSync(join(tmpdir(), `benchgate-${prefix}-`))
  const repo = join(dir, 'repo')
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=benchgate', '-c', 'user.email=benchgate@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' })
  mkdirSync(join(repo, 'bench'), { recursive: true })
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.benchgate/\nbenchmark_results/\n')
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'against-fixture', private: true, type: 'module' }, null, 2)}\n`)
  writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify({ name: 'against-fixture', lockfileVersion: 3, requires: true, packages: { '': { name: 'against-fixture' } } }, null, 2)}\n`)
  writeFileSync(join(repo, 'vitest.config.ts'), `import { defineConfig } from 'vitest/config'
import { benchgate } from ${JSON.stringify(builtEntries().plugin)}

export default defineConfig({
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },
  plugins: [benchgate()],
})
`)
  // the head's dependencies: this repo's (the base worktree gets a symlink: same lockfile)
  mkdirSync(join(repo, 'node_modules'))
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules', name), join(repo, 'node_modules', name))
  writeFileSync(join(repo, 'bench/spin.bench.ts'), benchFile(100_000))
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo })
  git('add', '-A')
  git('commit', '-q', '-m', 'fast')
  writeFileSync(join(repo, 'bench/spin.bench.ts'), benchFile(140_000))
  git('commit', '-q', '-am', '40 % slower')
  const cli = builtCli()
  return {
    dir,
    repo,
    compare: (args, env = {}) => run(process.execPath, [cli, 'compare', ...args], { cwd: repo, timeout: 300_000, env }),
  }
}

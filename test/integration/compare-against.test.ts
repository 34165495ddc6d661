import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, run } from '../helpers/run.ts'

// A throw-away git repository with a tiny bench project (the plugin imported from this repo by
// absolute path): HEAD~1 spins 100k iterations per round, HEAD 140k (40 % slower).
const cliSource = join(repoRoot, 'test/helpers/cli-source.mjs')
let dir: string
let repo: string

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=benchgate', '-c', 'user.email=benchgate@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' })

function bench(iterations: number): string {
  return `import { bench } from 'benchgate'

function spin(n: number): number {
  let acc = 0
  for (let i = 0; i < n; i++) acc += Math.sqrt(i) * Math.sin(i)
  return acc
}

let sink = 0
bench.scenario({
  name: 'spin',
  rounds: 21,
  warmupRounds: 3,
  run: () => { sink += spin(${iterations}) },
})
`
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-against-'))
  repo = join(dir, 'repo')
  mkdirSync(join(repo, 'bench'), { recursive: true })
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.benchgate/\nbenchmark_results/\n')
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'against-fixture', private: true, type: 'module' }, null, 2)}\n`)
  writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify({ name: 'against-fixture', lockfileVersion: 3, requires: true, packages: { '': { name: 'against-fixture' } } }, null, 2)}\n`)
  writeFileSync(join(repo, 'vitest.config.ts'), `import { defineConfig } from 'vitest/config'
import { benchgate } from ${JSON.stringify(join(repoRoot, 'plugin/index.ts'))}

export default defineConfig({
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(join(repoRoot, 'src/index.ts'))} }] },
  plugins: [benchgate()],
})
`)
  // the head's dependencies: this repo's (the base worktree gets a symlink: same lockfile)
  mkdirSync(join(repo, 'node_modules'))
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules', name), join(repo, 'node_modules', name))
  writeFileSync(join(repo, 'bench/spin.bench.ts'), bench(100_000))
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo })
  git('add', '-A')
  git('commit', '-q', '-m', 'fast')
  writeFileSync(join(repo, 'bench/spin.bench.ts'), bench(140_000))
  git('commit', '-q', '-am', '40 % slower')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const compare = (...args: string[]) => run(process.execPath, [cliSource, 'compare', ...args], { cwd: repo, timeout: 300_000 })

describe('benchgate compare --against', () => {
  it('catches HEAD being 40 % slower than HEAD~1 (exit 1, naming the bench), auto-sampling until decided', () => {
    const r = compare('--against', 'HEAD~1', '--runs', 'auto', '--max-runs', '8', '--budget', '200')
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/bench\/spin\.bench\.ts > spin\s+time\s+.*CRITICAL/)
    expect(r.stdout).toMatch(/CRITICAL: bench\/spin\.bench\.ts > spin \[time\] \+\d+\.\d % .*worse by more than 10 %/)
    expect(r.stdout).toMatch(/benchgate: 0 passed, 1 failed/)
    expect(r.stdout).toMatch(/bench\/spin\.bench\.ts > spin \[time\]: decided after [3-8] runs per side/)
    // the default include glob would reach the base worktree in .benchgate/: the plugin excludes it
    expect(r.stdout).not.toContain('the benchmark include glob reaches .benchgate/')
    expect(r.stdout).not.toMatch(/\.benchgate\/worktrees\/[0-9a-f]+\/bench\/spin\.bench\.ts > spin\s+time/)
    expect(r.stderr).toMatch(/creating a worktree of HEAD~1 \([0-9a-f]{10}\)/)
  }, 300_000)

  // Pairs of this machine's fast-or-slow processes are noisy (one attempt: +47 % [-18 %, +165 %] with
  // 5 pairs): auto-sampling adds pairs, and a retry measures both sides afresh.
  it('with --paired decides on per-pair ratios and still catches the 40 % slowdown', { retry: 2, timeout: 300_000 }, () => {
    const out = join(dir, 'paired-reports')
    const r = run(process.execPath, [cliSource, 'compare', '--against', 'HEAD~1', '--runs', 'auto', '--max-runs', '8', '--budget', '200', '--paired'], { cwd: repo, timeout: 300_000, env: { BENCHGATE_REPORTERS: 'console,json', BENCHGATE_OUTPUT_DIR: out } })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/CRITICAL: bench\/spin\.bench\.ts > spin \[time\]/)
    const report = JSON.parse(readFileSync(join(out, 'ci_report_latest.json'), 'utf8'))
    expect(report.baselineFile).toMatch(/measured now in alternating runs, decided on per-pair ratios$/)
  })

  // A/A on this machine: processes come out fast or ~1.6x slow at random, so use the default 5
  // runs per side and re-measure (up to twice) like the other timing tests.
  it('passes against itself (exit 0) and reuses the cached worktree of a commit', { retry: 2, timeout: 300_000 }, () => {
    const r = compare('--against', 'HEAD', '--runs', '5', '--cpu', 'none')
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/benchgate: 1 passed, 0 failed/)
    expect(r.stdout).toMatch(/5 alternating runs per side/)
    const again = compare('--against', 'main~1', '--runs', '1', '--cpu', 'none')
    expect(again.stdout + again.stderr).toMatch(/from the cached worktree/)
  })

  it('names the flag and the ref on bad input (exit 2)', () => {
    const missing = compare()
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('benchgate: --against: expected a git ref')
    const unknown = compare('--against', 'no-such-branch')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/benchgate: --against no-such-branch: not a commit in /)
    const runs = compare('--against', 'HEAD', '--runs', '0')
    expect(runs.code).toBe(2)
    expect(runs.stderr).toContain('benchgate: --runs: expected an integer >= 1 but received 0')
    // a tag that neither side has (one side alone may lack it: a new scenario)
    const tags = compare('--against', 'HEAD', '--runs', '1', '--cpu', 'none', '--tags', 'cl')
    expect(tags.code, tags.stdout + tags.stderr).toBe(2)
    expect(tags.stderr).toContain('benchgate: --tags cl: matches no benchmark in the working tree or in HEAD; check the tags')
  }, 300_000)
})

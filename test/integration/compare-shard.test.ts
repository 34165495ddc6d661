import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readReport } from '../../src/report/io.ts'
import { readShardReport } from '../../src/shard/io.ts'
import { builtCli, builtEntries } from '../helpers/build.ts'
import { isolated, repoRoot, run } from '../helpers/run.ts'

// `compare --against` per shard: each runner measures base and head of its own shard's files on its
// own machine, and `benchgate merge` joins the shards. A throw-away git repository with four bench
// files, one of which (spin) is 40 % slower on HEAD than on HEAD~1. The verdicts are the clock's and
// are not asserted: which files each shard compared, with what, and the merge of them, are.
let dir: string
let repo: string
const FILES = ['spin', 'steady', 'sort', 'parse']

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=benchgate', '-c', 'user.email=benchgate@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, stdio: 'pipe' }).toString().trim()

function bench(name: string, iterations: number): string {
  return `import { bench } from 'benchgate'

bench.scenario({
  name: '${name}',
  rounds: 9,
  warmupRounds: 2,
  run: () => { let acc = 0; for (let i = 0; i < ${iterations}; i++) acc += Math.sqrt(i); return acc },
})
`
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-against-shard-'))
  repo = join(dir, 'repo')
  mkdirSync(join(repo, 'bench'), { recursive: true })
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n.benchgate/\nbenchmark_results/\n')
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'against-shard-fixture', private: true, type: 'module' }, null, 2)}\n`)
  writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify({ name: 'against-shard-fixture', lockfileVersion: 3, requires: true, packages: { '': { name: 'against-shard-fixture' } } }, null, 2)}\n`)
  writeFileSync(join(repo, 'vitest.config.ts'), `import { defineConfig } from 'vitest/config'
import { benchgate } from ${JSON.stringify(builtEntries().plugin)}

export default defineConfig({
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },
  plugins: [benchgate()],
  test: { benchmark: { exclude: ['**/node_modules/**', '**/.benchgate/**'] }, isolate: ${isolated()} },
})
`)
  mkdirSync(join(repo, 'node_modules'))
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) symlinkSync(join(repoRoot, 'node_modules', name), join(repo, 'node_modules', name))
  for (const name of FILES) writeFileSync(join(repo, `bench/${name}.bench.ts`), bench(name, 50_000))
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo })
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  writeFileSync(join(repo, 'bench/spin.bench.ts'), bench('spin', 70_000))
  git('commit', '-q', '-am', 'spin 40 % slower')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const cli = (...args: string[]) => run(process.execPath, [builtCli(), ...args], { cwd: repo, env: { BENCHGATE_REPORTERS: 'console,json' }, timeout: 300_000 })

describe('benchgate compare --against --shard', () => {
  it('each shard compares base and head of its own files; merge joins them into one verdict', () => {
    const base = git('rev-parse', 'HEAD~1')
    for (const i of [1, 2]) {
      const r = cli('compare', '--against', 'HEAD~1', '--runs', '2', '--cpu', 'none', '--shard', `${i}/2`)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toContain(`shard ${i}/2: wrote benchmark_results/shard-${i}-of-2.json`)
    }
    const shards = [1, 2].map(i => readShardReport(join(repo, `benchmark_results/shard-${i}-of-2.json`)))
    for (const shard of shards) {
      expect(shard.reference).toEqual({ kind: 'against', ref: 'HEAD~1', commit: base })
      // both sides of each compared benchmark were measured (base as the baseline, head as current)
      for (const b of shard.report.benchmarks) for (const m of b.metrics) expect(m.verdict).not.toBe('new')
    }
    const files = shards.map(s => s.filesRun)
    expect(files.flat().sort()).toEqual(FILES.map(f => `bench/${f}.bench.ts`).sort())
    expect(files[0]!.length).toBeGreaterThan(0)
    expect(files[1]!.length).toBeGreaterThan(0)

    const merge = cli('merge', 'benchmark_results/shard-1-of-2.json', 'benchmark_results/shard-2-of-2.json')
    expect([0, 1], merge.stdout + merge.stderr).toContain(merge.code)
    const merged = readReport(join(repo, 'benchmark_results/ci_report_latest.json'))
    expect(merged.benchmarks.map(b => b.key).sort()).toEqual(FILES.map(f => `bench/${f}.bench.ts > ${f}`).sort())
    expect(merge.code).toBe(merged.passed ? 0 : 1)
  }, 600_000)
})

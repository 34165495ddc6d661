import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { readReport } from '../../src/report/io.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { fileSha256, readShardReport } from '../../src/shard/io.ts'
import { builtCli, builtEntries } from '../helpers/build.ts'
import { isolated, repoRoot, run, type RunResult } from '../helpers/run.ts'
import { stageSuite } from '../helpers/suites.ts'

// Sharding proved end to end: the fixture suite (test/fixtures/suites/shards: eight files, one scenario
// each, verdicts from a work counter) run as 4 shards in 4 separate `benchgate ... --shard i/4`
// processes, then `benchgate merge`, against the same suite run unsharded. The merged report must
// hold the same benchmarks with the same verdicts as the unsharded run, the -u shards' merge the same
// baseline entries, and a missing or duplicated shard must be refused (exit 2), never merged.

const SLOW = 600_000
let bin: string
let root: string
const SHARDS = [1, 2, 3, 4]

beforeAll(() => {
  bin = builtCli()
  root = stageSuite('shards', join(repoRoot, 'node_modules'))
  writeFileSync(join(root, 'vitest.config.ts'), `export default { resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] }, test: { isolate: ${isolated()} } }\n`)
}, SLOW)
afterAll(() => {
  if (root) rmSync(dirname(root), { recursive: true, force: true })
})

const cli = (args: string[], env: Record<string, string> = {}): RunResult => run(process.execPath, [bin, ...args], { cwd: root, env: { BENCHGATE_REPORTERS: 'console,json', ...env }, timeout: SLOW })
const baselineFile = () => join(root, 'baselines/current_baselines.json')
const baseline = () => JSON.parse(readFileSync(baselineFile(), 'utf8')) as BaselineFile
const shardFile = (i: number) => join(root, `benchmark_results/shard-${i}-of-4.json`)
const updateShardFile = (i: number) => join(root, `update-shards/shard-${i}-of-4.json`)
const latest = () => readReport(join(root, 'benchmark_results/ci_report_latest.json'))

/** Every shard as a separate process, one after the other (as on separate machines). */
function shards(command: 'test' | 'baseline', env: Record<string, string> = {}): void {
  for (const i of SHARDS) {
    const r = cli([command, '--runs', '2', '--shard', `${i}/4`], env)
    // a shard defers its verdict to the merge: exit 0 once its report is written
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain(`shard ${i}/4: wrote benchmark_results/shard-${i}-of-4.json`)
  }
}

/** What a run decided: per benchmark and metric, the verdict and whether it fails the run (timings aside). */
function verdicts(report: RunReport): string[] {
  return report.benchmarks.flatMap(b => b.metrics.filter(m => m.metric !== 'time').map(m => `${b.key} [${m.metric}] ${m.verdict}${m.failed ? ' failed' : ''}`)).sort()
}

describe('benchgate --shard and merge', () => {
  const KEYS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'].map(n => `bench/${n}.bench.ts > ${n}`)

  it('-u in 4 shards, merged, writes the baseline an unsharded -u writes, without losing an entry', () => {
    const unsharded = cli(['baseline', '--runs', '2'])
    expect(unsharded.code, unsharded.stdout + unsharded.stderr).toBe(0)
    const expected = baseline()
    expect(Object.keys(expected.entries).sort()).toEqual(KEYS)

    rmSync(baselineFile())
    shards('baseline')
    // the shards leave the baseline file alone; each reports its own entries, every file on one shard
    expect(existsSync(baselineFile())).toBe(false)
    const reports = SHARDS.map(i => readShardReport(shardFile(i)))
    expect(reports.flatMap(r => Object.keys(r.update!.entries)).sort()).toEqual(KEYS)
    expect(reports.filter(r => Object.keys(r.update!.entries).length > 0).length).toBeGreaterThan(1)
    for (const r of reports) for (const entry of Object.values(r.update!.entries)) expect(entry.metrics.iterations!.runs).toHaveLength(2)

    const merge = cli(['merge', ...SHARDS.map(shardFile)])
    expect(merge.code, merge.stdout + merge.stderr).toBe(0)
    expect(merge.stdout).toContain('merged 4 shards')
    const merged = baseline()
    expect(Object.keys(merged.entries).sort()).toEqual(KEYS)
    for (const key of KEYS) {
      expect(merged.entries[key]!.metrics.iterations!.runs).toEqual(expected.entries[key]!.metrics.iterations!.runs)
      expect(merged.entries[key]!.configHash).toBe(expected.entries[key]!.configHash)
    }
    expect(latest().mode).toBe('update')

    // a renamed benchmark in one shard: its new entry is added, the old one dropped, every other kept
    const file = join(root, 'bench/charlie.bench.ts')
    const original = readFileSync(file, 'utf8')
    const complete = readFileSync(baselineFile(), 'utf8')
    writeFileSync(file, original.replace("workScenario('charlie')", "workScenario('charlie2')"))
    try {
      shards('baseline')
      // kept for the last test: -u shard reports of the baseline restored below
      mkdirSync(join(root, 'update-shards'), { recursive: true })
      for (const i of SHARDS) copyFileSync(shardFile(i), updateShardFile(i))
      const again = cli(['merge', ...SHARDS.map(shardFile)])
      expect(again.code, again.stdout + again.stderr).toBe(0)
      expect(again.stdout).toContain('- removed bench/charlie.bench.ts > charlie')
      expect(Object.keys(baseline().entries).sort()).toEqual(KEYS.map(k => k === 'bench/charlie.bench.ts > charlie' ? 'bench/charlie.bench.ts > charlie2' : k).sort())
    }
    finally {
      writeFileSync(file, original)
      writeFileSync(baselineFile(), complete)
    }
  }, SLOW)

  it('the merged verdict of 4 shards is the unsharded run\'s: same benchmarks, same verdicts, same exit code', () => {
    // charlie does 50 % more work (critical), hotel too but with failOn: 'never' (critical, not failing)
    const env = { SHARD_WORK_CHARLIE: '3000', SHARD_WORK_HOTEL: '3000' }
    const unsharded = cli(['test', '--runs', '2'], env)
    expect(unsharded.code, unsharded.stdout + unsharded.stderr).toBe(1)
    const expected = latest()
    expect(verdicts(expected)).toEqual([
      'bench/alpha.bench.ts > alpha [iterations] ok',
      'bench/bravo.bench.ts > bravo [iterations] ok',
      'bench/charlie.bench.ts > charlie [iterations] critical failed',
      'bench/delta.bench.ts > delta [iterations] ok',
      'bench/echo.bench.ts > echo [iterations] ok',
      'bench/foxtrot.bench.ts > foxtrot [iterations] ok',
      'bench/golf.bench.ts > golf [iterations] ok',
      'bench/hotel.bench.ts > hotel [iterations] critical',
    ])

    shards('test', env)
    const merge = cli(['merge', 'benchmark_results/'])
    expect(merge.code, merge.stdout + merge.stderr).toBe(1)
    const merged = latest()
    expect(merged.benchmarks.map(b => b.key).sort()).toEqual(expected.benchmarks.map(b => b.key).sort())
    expect(verdicts(merged)).toEqual(verdicts(expected))
    expect(merged.counts.failed).toBe(expected.counts.failed)
    expect(merged.passed).toBe(false)
    // Holm across the merged family: every tested comparison's adjusted p-value is at least its shard's
    for (const i of SHARDS) {
      for (const bench of readShardReport(shardFile(i)).report.benchmarks) {
        const mine = merged.benchmarks.find(b => b.key === bench.key)!
        for (const m of bench.metrics) if (m.pAdjusted !== undefined) expect(mine.metrics.find(x => x.metric === m.metric)!.pAdjusted!).toBeGreaterThanOrEqual(m.pAdjusted)
      }
    }
    expect(merge.stdout).toMatch(/CRITICAL: bench\/charlie\.bench\.ts > charlie \[iterations\]/)
    expect(merge.stdout).toMatch(/benchgate: \d+ passed, 1 failed/)
  }, SLOW)

  it('refuses a missing or a duplicated shard with exit 2 and one line, and writes nothing', () => {
    // the shard reports of the test above
    const before = readFileSync(join(root, 'benchmark_results/ci_report_latest.json'), 'utf8')
    const missing = cli(['merge', shardFile(1), shardFile(2), shardFile(4)])
    expect(missing.code).toBe(2)
    expect(missing.stderr.trim()).toMatch(/^benchgate: merge: shard 3\/4 did not report \(have 1, 2, 4 of 4\); a merge without it would pass with fewer benchmarks: rerun that shard$/)

    const copy = join(root, 'benchmark_results/copy-of-2.json')
    copyFileSync(shardFile(2), copy)
    const twice = cli(['merge', ...SHARDS.map(shardFile), copy])
    expect(twice.code).toBe(2)
    expect(twice.stderr.trim()).toMatch(/^benchgate: merge: shard 2\/4 is given twice \(.*shard-2-of-4\.json and .*copy-of-2\.json\); give each shard's report once$/)

    const gone = cli(['merge', shardFile(1), join(root, 'benchmark_results/shard-9-of-4.json')])
    expect(gone.code).toBe(2)
    expect(gone.stderr).toContain('no such file or directory (a shard that did not report?)')
    expect(readFileSync(join(root, 'benchmark_results/ci_report_latest.json'), 'utf8')).toBe(before)

    // shards of another run (another count) are not merged either
    const other = cli(['test', '--runs', '2', '--shard', '1/2', '--shard-report', join(root, 'other-1-of-2.json')])
    expect(other.code, other.stdout + other.stderr).toBe(0)
    const mixed = cli(['merge', join(root, 'other-1-of-2.json'), ...SHARDS.map(shardFile)])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toMatch(/not of one run: .* count different shards/)
  }, SLOW)

  it('a -u merge refuses a baseline that changed since the shards read it', () => {
    // the -u shards of the first test read this baseline (measured again only if that test failed)
    if (!SHARDS.every(i => existsSync(updateShardFile(i)))) {
      shards('baseline')
      for (const i of SHARDS) copyFileSync(shardFile(i), updateShardFile(i))
    }
    const before = readFileSync(baselineFile(), 'utf8')
    // unedited, it is the baseline every shard read: the refusal below is the edit's
    for (const i of SHARDS) expect(readShardReport(updateShardFile(i)).reference).toEqual({ kind: 'baseline', file: 'baselines/current_baselines.json', sha256: fileSha256(baselineFile()) })
    const edited = before.replace('"commit"', '"commit"').replace(/\n$/, '\n\n')
    writeFileSync(baselineFile(), edited)
    const r = cli(['merge', ...SHARDS.map(updateShardFile)])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/is not the baseline the shards read/)
    expect(readFileSync(baselineFile(), 'utf8')).toBe(edited)
    writeFileSync(baselineFile(), before)
  }, SLOW)
})

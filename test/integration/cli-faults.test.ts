import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { environmentFingerprint } from '../../src/baseline/fingerprint.ts'
import { resolveGateOptions } from '../../src/config/gate.ts'
import { finishRun } from '../../src/gate.ts'
import { runCli } from '../helpers/capture.ts'
import { BENCH_HEAD, scenario, tempProject, type TempProject } from '../helpers/project.ts'
import { builtCli } from '../helpers/build.ts'
import { run } from '../helpers/run.ts'

// Bad input gets one line naming the file or flag, never a stack trace, and never reaches git as an
// option (issue 13, items 11 and 12).
const benchgateLines = (stderr: string) => stderr.split('\n').filter(l => l.startsWith('benchgate:'))
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m)

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-cli-faults-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('bisect --baseline-ref', () => {
  let repo: string
  beforeAll(() => {
    repo = join(dir, 'repo')
    mkdirSync(join(repo, 'baselines'), { recursive: true })
    writeFileSync(join(repo, 'baselines/current_baselines.json'), '{ "schemaVersion": 1, "entries": {} }\n')
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo })
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '--allow-empty', '-m', 'one'], { cwd: repo })
  })

  it('never passes its value to git as an option', async () => {
    const target = join(dir, 'written-by-git.txt')
    const r = await runCli(['bisect', `--baseline-ref=--output=${target}`, '--root', repo])
    expect(r.code).toBe(128)
    expect(r.stderr).toBe(`benchgate: --baseline-ref: expected a git ref (a branch, tag or commit) but received "--output=${target}"\n`)
    expect(existsSync(target)).toBe(false)
    const unknown = await runCli(['bisect', '--baseline-ref', 'no-such-ref', '--root', repo])
    expect(unknown.code).toBe(128)
    expect(unknown.stderr).toBe(`benchgate: --baseline-ref: "no-such-ref" is not a commit in ${repo}\n`)
  })
})

describe('one line instead of a stack trace', () => {
  let project: TempProject
  beforeAll(() => {
    project = tempProject('one-line')
    project.write('bench/a.bench.ts', BENCH_HEAD + scenario('alpha'))
  })
  afterAll(() => project.remove())

  it('benchgate test --config nope.ts, and a config that does not load', () => {
    const cli = (...args: string[]) => run(process.execPath, [builtCli(), 'test', '--root', project.root, ...args], { cwd: project.root })
    const missing = cli('--config', 'nope.ts')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`benchgate: --config nope.ts: no such file (looked for ${join(project.root, 'nope.ts')})\n`)
    project.write('broken.config.ts', 'export default {{ syntax error\n')
    const broken = cli('--config', 'broken.config.ts')
    expect(broken.code).toBe(2)
    expect(benchgateLines(broken.stderr)).toHaveLength(1)
    expect(benchgateLines(broken.stderr)[0]).toMatch(/^benchgate: vitest 4\.\d+\.\d+ could not start with --config .*broken\.config\.ts: /)
    noStack(broken.stderr)
  }, 300_000)

  it('a baseline directory blocked by a file stops the run before it measures', () => {
    project.write('blocked', 'a file where a directory should be\n')
    const r = project.bench(['-u'], { BENCHGATE_BASELINE_DIR: 'blocked/baselines' })
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(benchgateLines(r.stderr)).toEqual([`benchgate: baseline directory ${join(project.root, 'blocked/baselines')}: ${join(project.root, 'blocked')} is a file, not a directory (set BENCHGATE_BASELINE_DIR or the plugin option baselineDir to a directory)`])
    noStack(r.stderr)
    expect(readFileSync(join(project.root, 'blocked'), 'utf8')).toBe('a file where a directory should be\n')
  }, 300_000)

  it('a baseline that cannot be written at the end: the report keeps the measurements, one line says why', () => {
    const baselines = join(dir, 'unwritable')
    mkdirSync(join(baselines, 'current_baselines.json.lock'), { recursive: true }) // a directory where the lock file goes
    const measured = [{ key: 'bench/a.bench.ts > alpha', file: 'bench/a.bench.ts', name: 'alpha', kind: 'scenario' as const, tags: [], configHash: '0123456789abcdef', rounds: 3, metrics: { time: { spec: { direction: 'lower' as const, unit: 'ms' }, runs: [[1, 2, 3], [1, 2, 4]] } } }]
    const result = finishRun({ root: dir, mode: 'update', options: resolveGateOptions({ baselineDir: baselines }, {}), environment: environmentFingerprint({ vitest: '4.1.0', benchgate: '0.1.0' }), measured, filesRun: new Set(['bench/a.bench.ts']), runs: 2, version: '0.1.0' })
    expect(result.written).toBe(false)
    expect(result.writeError).toEqual({ message: `${join(baselines, 'current_baselines.json.lock')}: cannot read the lock file (EISDIR); remove it if no benchgate is running`, exitCode: 2 })
    expect(result.report.benchmarks[0]!.metrics[0]!.current!.runs).toEqual([[1, 2, 3], [1, 2, 4]])
  })

  it('trend --output <a directory>', async () => {
    const r = await runCli(['trend', '--output', dir, '--history-db', join(dir, 'none.db')])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`benchgate: --output ${dir}: is a directory; give a file path, e.g. ${dir}/trend.md\n`)
  })
})

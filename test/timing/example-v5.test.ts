import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateBaseline } from '../../src/baseline/io.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { repoRoot, rerecordOnRetry, run } from '../helpers/run.ts'
import { packBenchgate, pathWith, setupV5, vitest5Version } from '../v5/setup.ts'

// Timing tier: the unchanged example must pass the gate on wall time (an A/A run).
// examples/basic, unchanged, on vitest 5 and Node 22, installed as a user would: benchgate from
// `npm pack`, vitest 5 instead of the example's vitest 4 (the one change: its package.json's
// devDependency), `npm install` run by Node 22's npm. The vitest 4 twin of this test is
// test/integration/example.test.ts. The same bench files give the same keys under both majors.
const KEYS = ['bench/text.bench.ts > count words', 'bench/text.bench.ts > join words', 'bench/text.bench.ts > sort words']
const CI_KEYS = KEYS.filter(k => !k.endsWith('join words'))
const SLOW = 300_000
// Timing verdicts on a shared 2-core machine: a busy neighbour can make one run too noisy; a retry
// re-measures. A broken gate fails every attempt.
const TIMING = { timeout: SLOW, retry: 2 }

let node: string
let work: string
let project: string
/** A command in the example project, with Node 22 first on the PATH (npm, npx, vitest and benchgate run on it). */
const inProject = (command: string, args: string[]) => run(command, args, { cwd: project, env: pathWith(node), timeout: SLOW })
const readBaseline = () => JSON.parse(readFileSync(join(project, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile

beforeAll(() => {
  node = setupV5()
  work = mkdtempSync(join(tmpdir(), 'benchgate-example-v5-'))
  const tarball = packBenchgate(work)
  project = join(work, 'basic')
  cpSync(join(repoRoot, 'examples/basic'), project, { recursive: true, filter: src => !src.includes('node_modules') && !src.includes('/baselines') })
  const pkgPath = join(project, 'package.json')
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { devDependencies: Record<string, string> }
  // the version setup-v5.sh installed, so that npm's cache has it
  pkg.devDependencies.vitest = vitest5Version()
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`)
  const install = inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball])
  if (install.code !== 0) throw new Error(`npm install in the example failed (exit ${install.code}):\n${install.stdout}${install.stderr}`)
}, 600_000)
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

describe('examples/basic on vitest 5 (Node 22) with the packed package', () => {
  it('has one copy of vitest, vitest 5, and none of the heavy optional packages', () => {
    const ls = inProject('npm', ['ls', 'vitest', '--all', '--parseable'])
    const copies = ls.stdout.split('\n').filter(l => /node_modules\/vitest$/.test(l))
    expect(copies).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(project, 'node_modules/vitest/package.json'), 'utf8')).version).toMatch(/^5\./)
    expect(inProject('node', ['--version']).stdout).toMatch(/^v22\./)
    for (const heavy of ['sharp', 'onnxruntime-node', 'better-sqlite3'])
      expect(existsSync(join(project, 'node_modules', heavy)), heavy).toBe(false)
  })

  it('npm run baseline (vitest bench --run -u) writes the same keys as under vitest 4, recorded by vitest 5', () => {
    const update = inProject('npm', ['run', 'baseline'])
    expect(update.code, update.stdout + update.stderr).toBe(0)
    expect(update.stdout).toMatch(/RUN\s+v5\.\d+\.\d+/)
    const baseline = readBaseline()
    expect(validateBaseline(baseline)).toBe(true)
    expect(Object.keys(baseline.entries).sort()).toEqual(KEYS)
    for (const entry of Object.values(baseline.entries)) {
      expect(entry.environment.vitest).toMatch(/^5\./)
      expect(entry.environment.tinybench).toMatch(/^6\./)
      expect(entry.environment.node).toMatch(/^v22\./)
    }
    expect(baseline.entries['bench/text.bench.ts > count words']!.metrics.distinct_words!.runs.flat().every(v => v === 2000)).toBe(true)
  }, SLOW)

  it('npm run gate (vitest bench --run) passes the unchanged example', TIMING, ({ task }) => {
    rerecordOnRetry(task, () => inProject('npm', ['run', 'baseline']))
    const gate = inProject('npm', ['run', 'gate'])
    expect(gate.code, gate.stdout + gate.stderr).toBe(0)
    expect(gate.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
  })

  it('npx benchgate baseline --tags ci rewrites only the tagged entries, with vitest 5', () => {
    const before = readBaseline()
    const cli = inProject('npx', ['benchgate', 'baseline', '--tags', 'ci'])
    expect(cli.code, cli.stdout + cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(/RUN\s+v5\.\d+\.\d+/)
    const after = readBaseline()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    for (const key of CI_KEYS) {
      expect(after.entries[key]!.updatedAt).not.toBe(before.entries[key]!.updatedAt)
      expect(after.entries[key]!.environment.vitest).toMatch(/^5\./)
    }
    expect(after.entries['bench/text.bench.ts > join words']).toEqual(before.entries['bench/text.bench.ts > join words'])
  }, SLOW)

  it('npx benchgate test --tags ci passes the unchanged example, with vitest 5', TIMING, ({ task }) => {
    rerecordOnRetry(task, () => inProject('npx', ['benchgate', 'baseline', '--tags', 'ci']))
    const cli = inProject('npx', ['benchgate', 'test', '--tags', 'ci'])
    expect(cli.code, cli.stdout + cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(/RUN\s+v5\.\d+\.\d+/)
    expect(cli.stdout).toMatch(/bench\/text\.bench\.ts > sort words\s+time/)
    expect(cli.stdout).not.toContain('join words')
    expect(cli.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
  })
})

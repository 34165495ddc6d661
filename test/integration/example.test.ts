import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, run } from '../helpers/run.ts'
import { packBenchgate } from '../v5/setup.ts'

// Packs benchgate, installs the tarball into a copy of examples/basic exactly as a user would
// (`npm install`), and runs the gate there: broken exports, a second copy of vitest, or a heavy
// dependency loaded at import time fail here.
let work: string
let project: string

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'benchgate-example-'))
  // staged with the shared test build: the repo's dist/ is left alone (other test files use it)
  const tarball = packBenchgate(work)
  project = join(work, 'basic')
  cpSync(join(repoRoot, 'examples/basic'), project, { recursive: true, filter: src => !src.includes('node_modules') && !src.includes('/baselines') })
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: project, timeout: 300_000 })
  expect(install.code, install.stdout + install.stderr).toBe(0)
}, 400_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

// The example's plugin takes the default 5 runs; what is checked here (keys, exit codes) does not
// depend on the number of runs, so 2 do (through the variables a user would set).
const TWO_RUNS = { BENCHGATE_RUNS: '2', BENCHGATE_BASELINE_RUNS: '2' }

describe('examples/basic with the packed package', () => {
  it('has one copy of vitest and none of the heavy optional packages', () => {
    const ls = run('npm', ['ls', 'vitest', '--all', '--parseable'], { cwd: project })
    const copies = ls.stdout.split('\n').filter(l => /node_modules\/vitest$/.test(l))
    expect(copies).toHaveLength(1)
    for (const heavy of ['sharp', 'onnxruntime-node', 'better-sqlite3'])
      expect(existsSync(join(project, 'node_modules', heavy)), heavy).toBe(false)
  })

  it('imports benchgate/plugin and benchgate/reporters in a project without the optional packages', () => {
    const r = run(process.execPath, ['--input-type=module', '-e', 'await import("benchgate/plugin"); await import("benchgate/reporters"); console.log("ok")'], { cwd: project })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('ok')
  })

  it('writes a baseline with -u, then passes the gate, through vitest and through the CLI', () => {
    const update = run('npm', ['run', 'baseline'], { cwd: project, env: TWO_RUNS })
    expect(update.code, update.stdout + update.stderr).toBe(0)
    const baseline = JSON.parse(readFileSync(join(project, 'baselines/current_baselines.json'), 'utf8'))
    expect(Object.keys(baseline.entries).sort()).toEqual([
      'bench/text.bench.ts > count words',
      'bench/text.bench.ts > join words',
      'bench/text.bench.ts > sort words',
    ])
    const gate = run('npm', ['run', 'gate'], { cwd: project, env: TWO_RUNS })
    expect(gate.code, gate.stdout + gate.stderr).toBe(0)
    expect(gate.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
    const cli = run('npx', ['benchgate', 'test', '--tags', 'ci'], { cwd: project, env: TWO_RUNS })
    expect(cli.code, cli.stdout + cli.stderr).toBe(0)
    expect(cli.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
  })
})

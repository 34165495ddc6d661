import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { run } from '../helpers/run.ts'
import { stageSuite } from '../helpers/suites.ts'
import { packBenchgate } from '../v5/setup.ts'

// A project pinned to vitest 4.0 (4.0.18, exact) installs benchgate from `npm pack` with a plain
// `npm install` (the peer range takes 4.0: no ERESOLVE, no upgrade of vitest), and `npx benchgate
// baseline` / `test` gate it unchanged: the no-config fixture of test/integration/suites.test.ts
// plus a benchgate scenario (its worker API needs the suite collector, which vitest 4.0 exports from
// vitest/suite only). npm installs from the registry (its cache when it has them).

const SLOW = 600_000
const VITEST = '4.0.18'
let work: string
let root: string

const inProject = (command: string, args: string[]) => run(command, args, { cwd: root, timeout: SLOW })

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'benchgate-vitest40-'))
  const tarball = packBenchgate(work)
  root = stageSuite('plain-v4')
  writeFileSync(join(root, 'package.json'), `${JSON.stringify({ name: 'suite-vitest40', private: true, type: 'module', devDependencies: { vitest: VITEST } }, null, 2)}\n`)
  writeFileSync(join(root, 'bench/scenario.bench.ts'), "import { bench } from 'benchgate'\n\nbench.scenario({ name: 'sorted', rounds: 4, warmupRounds: 1, run: () => { [3, 1, 2].sort() } })\n")
  const install = inProject('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '-D', tarball])
  if (install.code !== 0) throw new Error(`npm install of benchgate in a vitest ${VITEST} project failed (exit ${install.code}):\n${install.stdout}${install.stderr}`)
}, SLOW)
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
  if (root) rmSync(dirname(root), { recursive: true, force: true })
})

describe(`benchgate on vitest ${VITEST}`, () => {
  it('installs beside it without changing its version', () => {
    expect(JSON.parse(readFileSync(join(root, 'node_modules/vitest/package.json'), 'utf8')).version).toBe(VITEST)
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.vitest).toBe(VITEST)
  })

  it('baseline stores every benchmark with every run, test compares them, scenarios included', () => {
    const base = inProject('npx', ['benchgate', 'baseline', '--runs', '2'])
    expect(base.code, base.stdout + base.stderr).toBe(0)
    expect(base.stdout).toMatch(new RegExp(`RUN\\s+v${VITEST.replaceAll('.', '\\.')}`))
    const baseline = JSON.parse(readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile
    const entries = Object.values(baseline.entries)
    expect(entries.length).toBe(16)
    expect(baseline.entries['bench/scenario.bench.ts > sorted']).toBeDefined()
    for (const entry of entries) {
      expect(entry.environment.vitest).toBe(VITEST)
      expect(entry.metrics.time!.runs, entry.key).toHaveLength(2)
    }
    const test = inProject('npx', ['benchgate', 'test', '--runs', '2'])
    expect([0, 1], test.stdout + test.stderr).toContain(test.code)
    expect(test.stdout).toMatch(/benchgate: \d+ passed, \d+ failed/)
    expect(test.stdout).not.toMatch(/\b(ERROR|new|missing)\b/)
  }, SLOW)
})

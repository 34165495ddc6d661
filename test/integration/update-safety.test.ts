import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BENCH_HEAD, scenario, tempProject, type TempProject } from '../helpers/project.ts'

// `-u` may only add or refresh what it measured and delete what is provably gone (issue 13, items
// 1, 2, 4 and 9): real `vitest bench -u` runs on a temp project of two files, 2 runs each. The
// baseline every case starts from is recorded once (beforeAll) and restored before each case.
const A = 'bench/a.bench.ts'
const B = 'bench/b.bench.ts'
const KEYS = [
  'bench/a.bench.ts > alpha',
  'bench/a.bench.ts > grp > beta',
  'bench/a.bench.ts > plain',
  'bench/b.bench.ts > gamma',
]
const PLAIN = `bench('plain', () => { spin(2000) }, { time: 20, warmupTime: 5 })\n`
// a vitest run per test: a minute or more on a loaded 2-CPU machine
const SLOW = 300_000

function fileA(parts: { alpha?: string, grp?: string, plain?: string } = {}): string {
  return BENCH_HEAD
    + (parts.alpha ?? scenario('alpha'))
    + (parts.grp ?? `describe('grp', () => {\n  ${scenario('beta')}})\n`)
    + (parts.plain ?? PLAIN)
}
const fileB = BENCH_HEAD + scenario('gamma')

let project: TempProject
let recorded: string
beforeAll(() => {
  project = tempProject('update-safety')
  project.write(A, fileA())
  project.write(B, fileB)
  const r = project.bench(['-u'])
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(project.keys()).toEqual(KEYS)
  recorded = readFileSync(project.baselineFile, 'utf8')
}, SLOW)
afterAll(() => project.remove())

/** Puts back both files and the baseline recorded of them in beforeAll, then returns that baseline. */
function record() {
  project.write(A, fileA())
  project.write(B, fileB)
  writeFileSync(project.baselineFile, recorded)
  return project.baseline()
}

describe('-u and a bench file that fails to load', () => {
  it.each([
    ['an import error', `${fileB}import './no-such-module.ts'\n`],
    ['a top-level throw', `${fileB}throw new Error('top-level boom')\n`],
    ['a duplicate name', `${fileB}${scenario('gamma')}`],
  ])('keeps that file\'s entries on %s, refreshes the others, exits 1 and says so', (_what, broken) => {
    const before = record()
    project.write(B, broken)
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    const after = project.baseline()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    expect(after.entries['bench/b.bench.ts > gamma']).toEqual(before.entries['bench/b.bench.ts > gamma'])
    expect(after.entries['bench/a.bench.ts > alpha']!.updatedAt).not.toBe(before.entries['bench/a.bench.ts > alpha']!.updatedAt)
    expect(r.stdout).not.toContain('removed bench/b.bench.ts > gamma')
    expect(r.stdout).toContain('bench/b.bench.ts did not load: its baseline entries were kept')
  }, SLOW)
})

describe('-u and benchmarks that were not run', () => {
  it.each([
    ['describe.skip', { grp: `describe.skip('grp', () => {\n  ${scenario('beta')}})\n` }],
    ['bench.skip', { plain: PLAIN.replace('bench(', 'bench.skip(') }],
    ['bench.skipIf(true)', { plain: PLAIN.replace('bench(', 'bench.skipIf(true)(') }],
    ['a bench.only sibling', { plain: PLAIN.replace('bench(', 'bench.only(') }],
  ])('keeps the entries skipped by %s (exit 0)', (_what, parts) => {
    const before = record()
    project.write(A, fileA(parts))
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const after = project.baseline()
    expect(Object.keys(after.entries).sort()).toEqual(KEYS)
    expect(r.stdout).not.toMatch(/removed bench\/a\.bench\.ts/)
    // what did not run is kept byte for byte
    const ran = Object.keys(after.entries).filter(k => after.entries[k]!.updatedAt !== before.entries[k]!.updatedAt)
    for (const key of KEYS.filter(k => !ran.includes(k))) expect(after.entries[key]).toEqual(before.entries[key])
    expect(ran).toContain('bench/b.bench.ts > gamma')
  }, SLOW)

  it('drops an entry whose benchmark is gone from a file that ran and collected cleanly', () => {
    record()
    project.write(A, fileA({ grp: '' }))
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(project.keys()).toEqual(KEYS.filter(k => k !== 'bench/a.bench.ts > grp > beta'))
    expect(r.stdout).toContain('- removed bench/a.bench.ts > grp > beta')
  }, SLOW)
})

describe('the plain gate and benchgate\'s own directory', () => {
  it('never collects the compare --against worktree copies under .benchgate/', () => {
    record()
    const copy = join(project.root, '.benchgate/worktrees/0123456789abcdef0123456789abcdef01234567')
    mkdirSync(join(copy, 'bench'), { recursive: true })
    writeFileSync(join(copy, A), readFileSync(join(project.root, A)))
    try {
      const r = project.bench(['-u'])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(project.keys()).toEqual(KEYS)
      expect(r.stdout).not.toContain('.benchgate/worktrees')
    }
    finally {
      rmSync(join(project.root, '.benchgate'), { recursive: true, force: true })
    }
  }, SLOW)
})

describe('two benchmarks with the same key', () => {
  it('are both an error, named, and -u writes neither', () => {
    record()
    project.write('bench/c.bench.ts', `${BENCH_HEAD}describe('a > b', () => {\n  ${scenario('c')}})\ndescribe('a', () => {\n  describe('b', () => {\n    ${scenario('c')}  })\n})\n`)
    try {
      const r = project.bench(['-u'])
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expect(r.stdout).toMatch(/ERROR: bench\/c\.bench\.ts > a > b > c \[time\] .*two benchmarks have the key "bench\/c\.bench\.ts > a > b > c"/)
      expect(project.keys()).toEqual(KEYS)
    }
    finally {
      rmSync(join(project.root, 'bench/c.bench.ts'))
    }
  }, SLOW)
})

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, vitestBench } from '../helpers/run.ts'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-errors-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a scenario that throws', () => {
  const root = join(repoRoot, 'test/fixtures/errors')
  const bench = (args: string[], env: Record<string, string> = {}) => vitestBench(root, args, { BENCHGATE_BASELINE_DIR: dir, FIXTURE_RUNS: '2', FIXTURE_BASELINE_RUNS: '2', ...env })

  it('is reported with its message, the other benches still run, and -u keeps its old entry', () => {
    expect(bench(['-u']).code).toBe(0)
    const before = JSON.parse(readFileSync(join(dir, 'current_baselines.json'), 'utf8'))
    const r = bench(['-u'], { FIXTURE_THROW: '1' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toContain('ERROR: bench/throws.bench.ts > explodes [time] scenario threw: decoder exploded on frame 3')
    expect(r.stdout).toMatch(/bench\/throws\.bench\.ts > after the explosion\s+time/)
    const after = JSON.parse(readFileSync(join(dir, 'current_baselines.json'), 'utf8'))
    expect(after.entries['bench/throws.bench.ts > explodes']).toEqual(before.entries['bench/throws.bench.ts > explodes'])
    expect(after.entries['bench/throws.bench.ts > healthy'].updatedAt).not.toBe(before.entries['bench/throws.bench.ts > healthy'].updatedAt)

    const gate = bench([], { FIXTURE_THROW: '1' })
    expect(gate.code).toBe(1)
    expect(gate.stdout).toMatch(/benchgate: \d+ passed, 1 failed/)
  })
})

describe('invalid scenario definitions fail at collection with a clear message', () => {
  const root = join(repoRoot, 'test/fixtures/invalid')
  it.each([
    ['rounds', 'scenario "zero rounds": expected rounds to be an integer >= 1 or \'auto\' but received 0 of type number'],
    ['direction', 'scenario "no direction" metric "hits": expected direction to be \'lower\' or \'higher\' but received undefined of type undefined'],
    ['unknown', 'scenario "typo": unknown option "iterations"'],
    ['duplicate', 'scenario "twice": another benchmark in the same file and describe block has this name'],
  ])('%s', (kind, message) => {
    const r = vitestBench(root, [], { BENCHGATE_BASELINE_DIR: dir, FIXTURE_INVALID: kind, FIXTURE_RUNS: '1' })
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain(message)
  })
})

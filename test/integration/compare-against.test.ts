import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { againstRepo, type AgainstRepo } from '../helpers/against-repo.ts'

// A throw-away git repository with a tiny bench project: HEAD~1 spins 100k iterations per round,
// HEAD 140k (40 % more work). The scenario reports the iterations it ran as a custom metric
// (deterministic) and its time thresholds are out of reach (100x), so the verdicts come from the
// work counter, not the clock. The same comparisons decided on wall time:
// test/timing/compare-against.test.ts.
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
  rounds: 5,
  warmupRounds: 1,
  thresholds: { warning: 50, critical: 100 },
  run: () => { sink += spin(${iterations}) },
  metrics: { iterations: { direction: 'lower', unit: 'iterations', thresholds: { warning: 0.05, critical: 0.1 }, collect: () => ${iterations} } },
})
`
}

let against: AgainstRepo
beforeAll(() => { against = againstRepo('against', bench) })
afterAll(() => rmSync(against.dir, { recursive: true, force: true }))
const compare = (...args: string[]) => against.compare(args)

describe('benchgate compare --against', () => {
  it('catches HEAD doing 40 % more work than HEAD~1 (exit 1, naming the bench), then passes against itself from the cached worktree', () => {
    const r = compare('--against', 'HEAD~1', '--runs', '2')
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/bench\/spin\.bench\.ts > spin\s+iterations\s+.*CRITICAL/)
    expect(r.stdout).toMatch(/CRITICAL: bench\/spin\.bench\.ts > spin \[iterations\] \+40\.0 %/)
    expect(r.stdout).toMatch(/benchgate: 1 passed, 1 failed/)
    expect(r.stdout).toMatch(/2 alternating runs per side/)
    // the default include glob would reach the base worktree in .benchgate/: the plugin excludes it
    expect(r.stdout).not.toContain('the benchmark include glob reaches .benchgate/')
    expect(r.stdout).not.toMatch(/\.benchgate\/worktrees\/[0-9a-f]+\/bench\/spin\.bench\.ts > spin\s+/)
    expect(r.stderr).toMatch(/creating a worktree of HEAD~1 \([0-9a-f]{10}\)/)

    const same = compare('--against', 'HEAD', '--runs', '2', '--cpu', 'none')
    expect(same.code, same.stdout + same.stderr).toBe(0)
    expect(same.stdout).toMatch(/benchgate: 2 passed, 0 failed/)
    const again = compare('--against', 'main~1', '--runs', '1', '--cpu', 'none')
    expect(again.stdout + again.stderr).toMatch(/from the cached worktree/)
  }, 300_000)

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

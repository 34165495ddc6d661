import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRng } from '../../src/stats/random.ts'
import { blockCvs, evaluate } from '../../scripts/detector/evaluate.ts'
import { main } from '../../scripts/detector/main.ts'
import { benchgateMethod } from '../../scripts/detector/methods.ts'
import { loadPool, measuringOrder, poolFileName, runsByVariant, savePool, shapesDiffer, type Pool, type PoolRun } from '../../scripts/detector/pool.ts'
import { shapeManifest } from '../../scripts/detector/shapes.ts'
import { cvClass, formatDuration, shapeInfos, targetChecks, type MethodTallies } from '../../scripts/detector/table.ts'
import { blockWindows, drawBlockTrials, drawCrossTrials, drawTrials, sideUses } from '../../scripts/detector/trials.ts'
import type { ResolvedDecision } from '../../src/scenario/measured.ts'

const decision: ResolvedDecision = { thresholds: { warning: 0.05, critical: 0.1 }, alpha: 0.05, failOn: 'critical', noisePrior: { cv: 0.02, weight: 3 }, resamples: 200 }

const dirs: string[] = []
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-draws-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A run of one scenario `key` of 10 rounds around `level` ms (1 % noise, seeded by `seed`). */
function run(variant: string, seq: number, level: number, key = 'a.bench.ts > spin', seed = seq + 1): PoolRun {
  const rng = createRng(seed)
  return {
    variant,
    seq,
    wallMs: 1000,
    load: 0.5,
    benchmarks: [{ key, file: key.split(' > ')[0]!, name: key.split(' > ')[1]!, kind: 'scenario', tags: [], configHash: 'h', metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, values: Array.from({ length: 10 }, () => level * (1 + 0.01 * (rng() - 0.5))) } } }],
  }
}

/** A pool measured in `order` with each run at its variant's level. */
function pool(order: readonly string[], levels: Record<string, number>, extra: Partial<Pool> = {}): Pool {
  return {
    version: 1,
    createdAt: '2026-11-27T10:00:00.000Z',
    environment: { cpuModel: 'test', cores: 2, os: 'linux', node: 'v20', vitest: '4', benchgate: '0' },
    variants: Object.keys(levels).map(name => ({ name, factor: levels[name]! })),
    runs: order.map((v, seq) => run(v, seq, levels[v]!)),
    wallMs: 3_600_000,
    ...extra,
  }
}

describe('detector harness: measuring in blocks and drawing a side as a block', () => {
  it('orders variants in interleaved blocks of consecutive runs, the unchanged variant first', () => {
    const order = measuringOrder({ 'A': 10, '+5 %': 4, '+20 %': 5 }, 'blocks', 5)
    // counts rounded up to whole blocks: A 2 blocks, +5 % 1, +20 % 1
    expect(order).toHaveLength(20)
    expect(order.slice(0, 5)).toEqual(['A', 'A', 'A', 'A', 'A'])
    for (let b = 0; b < 20; b += 5) expect(new Set(order.slice(b, b + 5)).size).toBe(1)
    expect(order.filter(v => v === '+5 %')).toHaveLength(5)
    expect(measuringOrder({ A: 2, B: 1 }, 'round-robin')).toEqual(['A', 'B', 'A'])
  })

  it('cuts blocks of k consecutive runs from each stretch, none from a round-robin pool', () => {
    expect(blockWindows([0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30, 31, 32], 5)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14]])
    expect(blockWindows([0, 2, 4, 6, 8, 10, 12], 5)).toEqual([])
    expect(blockWindows([3, 4, 5], 1)).toEqual([[0], [1], [2]])
  })

  it('makes every pair of blocks a trial, the baseline block measured first, each side one stretch of time', () => {
    const order = measuringOrder({ 'A': 20, '+10 %': 10 }, 'blocks', 5)
    const byVariant = runsByVariant({ runs: order.map((v, seq) => run(v, seq, 1)) })
    const seqs = Object.fromEntries([...byVariant].map(([k, list]) => [k, list.map(r => r.seq)]))
    const { trials, pairs } = drawBlockTrials({ control: 'A', baselineSeqs: seqs.A!, currentSeqs: seqs, samePool: true, aaTrials: 100, abTrials: 100, baselineRuns: 5, runs: 5, seed: 1 })
    // 4 blocks of A: 6 ordered pairs with the baseline first
    expect(pairs['A/A']).toBe(6)
    const abPairs = seqs['+10 %']!.filter((_, i) => i % 5 === 0).reduce((n, first) => n + seqs.A!.filter((s, i) => i % 5 === 4 && s < first).length, 0)
    expect(pairs['+10 %']).toBe(abPairs)
    expect(trials.filter(t => t.kind === 'A/A')).toHaveLength(6)
    for (const t of trials) {
      const current = t.kind === 'A/A' ? seqs.A! : seqs[t.kind]!
      const b = t.baseline.map(i => seqs.A![i]!)
      const c = t.current.map(i => current[i]!)
      for (const side of [b, c]) side.forEach((s, i) => i > 0 && expect(s).toBe(side[i - 1]! + 1))
      expect(Math.max(...b)).toBeLessThan(Math.min(...c))
    }
    expect(new Set(trials.map(t => JSON.stringify(t))).size).toBe(trials.length)
    // more pairs than asked for: that many, no repeats, seeded
    const capped = drawBlockTrials({ control: 'A', baselineSeqs: seqs.A!, currentSeqs: seqs, samePool: true, aaTrials: 4, abTrials: 1, baselineRuns: 5, runs: 5, seed: 3 })
    expect(capped.trials.filter(t => t.kind === 'A/A')).toHaveLength(4)
    expect(new Set(capped.trials.map(t => JSON.stringify(t))).size).toBe(5)
    expect(drawBlockTrials({ control: 'A', baselineSeqs: seqs.A!, currentSeqs: seqs, samePool: true, aaTrials: 4, abTrials: 1, baselineRuns: 5, runs: 5, seed: 3 })).toEqual(capped)
  })

  it('refuses block draws on a round-robin pool, naming the variant and the block length', () => {
    const seqs = { A: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], B: [1, 3, 5, 7, 9] }
    expect(() => drawBlockTrials({ control: 'A', baselineSeqs: seqs.A, currentSeqs: seqs, samePool: true, aaTrials: 10, abTrials: 10, baselineRuns: 5, runs: 5, seed: 1 }))
      .toThrow(/variant A: no block of 5 consecutive runs in the baseline pool/)
  })

  it('a block of slow runs moves a whole side: block draws see it, random draws average it away', () => {
    // 4 blocks of A, the third measured while the machine was 15 % slower
    const order = measuringOrder({ A: 20 }, 'blocks', 5)
    const runs = order.map((v, seq) => run(v, seq, seq >= 10 && seq < 15 ? 1.15 : 1))
    const byVariant = runsByVariant({ runs })
    const seqs = { A: byVariant.get('A')!.map(r => r.seq) }
    const { trials } = drawBlockTrials({ control: 'A', baselineSeqs: seqs.A, currentSeqs: seqs, samePool: true, aaTrials: 100, abTrials: 0, baselineRuns: 5, runs: 5, seed: 1 })
    const gate = benchgateMethod('gate', { ...decision, sessionDrift: 0 }, 5, 5)
    const tallies = evaluate({ control: 'A', runs: byVariant, trials, methods: [gate] })
    // pairs (0,2) and (1,2) put the slow block on the current side: both fail
    expect(tallies.gate!['A/A']!['*']).toMatchObject({ n: 6, critical: 2 })
    const random = drawTrials({ control: 'A', sizes: { A: 20 }, aaTrials: 200, abTrials: 0, baselineRuns: 5, runs: 5, seed: 1 })
    const mixed = evaluate({ control: 'A', runs: byVariant, trials: random, methods: [gate] }).gate!['A/A']!['*']!
    expect(mixed.critical / mixed.n).toBeLessThan(2 / 6 / 2)
    const withinBlock = blockCvs(byVariant.get('A')!, blockWindows(seqs.A, 5)).get('a.bench.ts > spin')!
    expect(withinBlock).toBeLessThan(0.01)
  })
})

describe('detector harness: pools across sessions', () => {
  it('draws the baseline side from the baseline pool and the current side from the current pool', () => {
    const a = runsByVariant(pool(measuringOrder({ 'A': 10, '+20 %': 5 }, 'blocks', 5), { 'A': 1, '+20 %': 1.2 }))
    const same = runsByVariant(pool(measuringOrder({ 'A': 10, '+20 %': 5 }, 'blocks', 5), { 'A': 1, '+20 %': 1.2 }))
    const slower = runsByVariant(pool(measuringOrder({ 'A': 10, '+20 %': 5 }, 'blocks', 5), { 'A': 1.3, '+20 %': 1.56 }))
    const seqsOf = (m: Map<string, PoolRun[]>) => Object.fromEntries([...m].map(([k, list]) => [k, list.map(r => r.seq)]))
    const { trials, pairs } = drawBlockTrials({ control: 'A', baselineSeqs: seqsOf(a).A!, currentSeqs: seqsOf(same), samePool: false, aaTrials: 100, abTrials: 100, baselineRuns: 5, runs: 5, seed: 1 })
    // across pools any pair of blocks: 2 x 2 A/A, 2 x 1 +20 %
    expect(pairs).toEqual({ 'A/A': 4, '+20 %': 2 })
    const gate = benchgateMethod('gate', { ...decision, sessionDrift: 0 }, 5, 5)
    const unchanged = evaluate({ control: 'A', runs: same, baseline: a, trials, methods: [gate] })
    expect(unchanged.gate!['A/A']!['*']).toMatchObject({ n: 4, critical: 0 })
    expect(unchanged.gate!['+20 %']!['*']).toMatchObject({ n: 2, critical: 2 })
    // the machine got 30 % slower between the pools: every A/A trial sees it
    const moved = evaluate({ control: 'A', runs: slower, baseline: a, trials, methods: [gate] })
    expect(moved.gate!['A/A']!['*']).toMatchObject({ n: 4, critical: 4 })
    const random = drawCrossTrials({ control: 'A', baselineSize: 10, currentSizes: { 'A': 10, '+20 %': 5 }, aaTrials: 7, abTrials: 3, baselineRuns: 5, runs: 5, seed: 2 })
    expect(random.filter(t => t.kind === 'A/A')).toHaveLength(7)
    expect(random.filter(t => t.kind === '+20 %').every(t => t.current.every(i => i < 5))).toBe(true)
    expect(sideUses(random, 'current', '+20 %')).toBe(15)
  })

  it('says why two pools did not measure the same shapes', () => {
    const order = ['A', 'A']
    const manifest = shapeManifest(1, 4)
    const shapes = pool(order, { A: 1 }, { shapes: manifest })
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { shapes: manifest }))).toBeUndefined()
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { shapes: shapeManifest(2, 4) }))).toBe('shape seed 1 x 4 vs shape seed 2 x 4')
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { shapes: shapeManifest(1, 5) }))).toBe('shape seed 1 x 4 vs shape seed 1 x 5')
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { shapes: { ...manifest, runtimeSha256: '0'.repeat(64) } }))).toMatch(/workload code changed between them/)
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { shapes: { ...manifest, shapes: manifest.shapes.map((s, i) => i === 2 ? { ...s, spec: { ...s.spec, units: s.spec.units + 1 } } : s) } }))).toMatch(/generated differently/)
    expect(shapesDiffer(shapes, pool(order, { A: 1 }, { project: 'test/fixtures/detector' }))).toBe('shape seed 1 x 4 vs the hand-written fixture (test/fixtures/detector)')
    const other = pool(order, { A: 1 })
    other.runs[1] = run('A', 1, 1, 'b.bench.ts > other')
    expect(shapesDiffer(pool(order, { A: 1 }), other)).toBe('benchmark "b.bench.ts > other" is in one pool only')
  })

  it('saves pools atomically under a time-stamped name and gives older pools their start and end', () => {
    const dir = tmp()
    const p = pool(['A'], { A: 1 }, { shapes: shapeManifest(4, 2), finishedAt: '2026-11-27T10:00:00.123Z', startedAt: '2026-11-27T09:00:00.000Z' })
    expect(poolFileName(p)).toBe('pool-20261127-100000-shapes-4x2.json')
    expect(poolFileName(pool(['A'], { A: 1 }))).toBe('pool-20261127-100000-fixture.json')
    savePool(join(dir, 'p.json'), p)
    expect(loadPool(join(dir, 'p.json'))).toEqual(p)
    const old = pool(['A'], { A: 1 })
    savePool(join(dir, 'old.json'), old)
    expect(loadPool(join(dir, 'old.json'))).toMatchObject({ finishedAt: '2026-11-27T10:00:00.000Z', startedAt: '2026-11-27T09:00:00.000Z' })
    writeFileSync(join(dir, 'bad.json'), '{"version":2}')
    expect(() => loadPool(join(dir, 'bad.json'), '--current-pool')).toThrow(/^--current-pool .*bad\.json: not a detector pool/)
    expect(formatDuration(3_900_000)).toBe('1 h 05 min')
    expect(formatDuration(200_000)).toBe('3 min 20 s')
    expect(formatDuration(-120_000)).toBe('-2 min 00 s')
    expect(formatDuration(3 * 86_400_000 + 7_200_000)).toBe('3 d 2 h')
  })

  it('compares a pool with one measured an hour earlier, and refuses pools of other shapes in one line', async () => {
    const dir = tmp()
    const order = measuringOrder({ 'A': 10, '+20 %': 5 }, 'blocks', 5)
    const manifest = shapeManifest(1, 4)
    const early = pool(order, { 'A': 1, '+20 %': 1.2 }, { shapes: manifest, startedAt: '2026-11-27T08:00:00.000Z', finishedAt: '2026-11-27T08:30:00.000Z', order: 'blocks', block: 5 })
    const late = pool(order, { 'A': 1, '+20 %': 1.2 }, { shapes: manifest, startedAt: '2026-11-27T09:40:00.000Z', finishedAt: '2026-11-27T10:10:00.000Z', order: 'blocks', block: 5 })
    savePool(join(dir, 'early.json'), early)
    savePool(join(dir, 'late.json'), late)
    savePool(join(dir, 'other.json'), { ...late, shapes: shapeManifest(2, 4) })
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    const stderr = process.stderr.write.bind(process.stderr)
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write
    process.stderr.write = (() => true) as typeof process.stderr.write
    try {
      expect(await main(['--baseline-pool', join(dir, 'early.json'), '--current-pool', join(dir, 'late.json'), '--aa', '10', '--ab', '10'])).toBe(0)
      const refused = main(['--baseline-pool', join(dir, 'early.json'), '--current-pool', join(dir, 'other.json')])
      await expect(refused).rejects.toThrow(/^--current-pool .*other\.json: measured other shapes than --baseline-pool .*early\.json \(shape seed 1 x 4 vs shape seed 2 x 4\); a cross-session comparison needs the same shapes$/)
      await expect(refused).rejects.toMatchObject({ exitCode: 2 })
      await expect(main(['--baseline-pool', join(dir, 'early.json')])).rejects.toThrow(/--current-pool: missing/)
      await expect(main(['--pool', join(dir, 'late.json'), '--try', 'runs=8'])).rejects.toThrow(/^--draw blocks: no pair of blocks: a current side takes 8 consecutive runs of a variant, the current pool's longest stretch is 5; measure a pool with --block 8 or pass --draw random$/)
      savePool(join(dir, 'round-robin.json'), pool(measuringOrder({ 'A': 10, '+20 %': 5 }, 'round-robin'), { 'A': 1, '+20 %': 1.2 }))
      await expect(main(['--pool', join(dir, 'round-robin.json')])).rejects.toThrow(/^--draw blocks: variant A: no block of 5 consecutive runs in the baseline pool .*; measure a pool in blocks of at least 5 \(--order blocks --block 5\) or pass --draw random$/)
      expect(await main(['--pool', join(dir, 'round-robin.json'), '--draw', 'random', '--aa', '5', '--ab', '5'])).toBe(0)
    }
    finally {
      process.stdout.write = write
      process.stderr.write = stderr
    }
    const text = written.join('')
    expect(text).toContain('The baseline pool was measured 1 h 40 min before the current pool (middle to middle; it ended 1 h 10 min before the current pool started).')
    expect(text).toContain('distinct pairs of blocks: A/A 4, +20 % 2')
    expect(text).toMatch(/\| spin \| 1\.00 ms \| .* \| 1\.00 ms \| \+0\.0 % \|/)
    expect(readFileSync(join(dir, 'late.json'), 'utf8')).toBe(`${JSON.stringify(late)}\n`)
  })
})

describe('detector harness: the table by CV class', () => {
  it('classes shapes by the CV of their unchanged run medians', () => {
    expect([0.01, 0.03, 0.0301, 0.05, 0.051].map(cvClass)).toEqual(['<= 3 %', '<= 3 %', '<= 5 %', '<= 5 %', '> 5 %'])
    const spread = new Map([
      ['g.bench.ts > s01 float: x', new Map([['A', { median: 1, runToRunCv: 0.02, withinCv: 0.01 }]])],
      ['g.bench.ts > s02 json: y', new Map([['A', { median: 2, runToRunCv: 0.2, withinCv: 0.01 }]])],
    ])
    const infos = shapeInfos(spread, 'A', { shapes: [{ name: 's02 json: y', kind: 'json', api: 'scenario' }], blockCv: new Map([['g.bench.ts > s01 float: x', 0.01]]) })
    expect(infos).toEqual([
      { key: 'g.bench.ts > s01 float: x', median: 1, cv: 0.02, cls: '<= 3 %', blockCv: 0.01 },
      { key: 'g.bench.ts > s02 json: y', median: 2, cv: 0.2, cls: '> 5 %', kind: 'json', api: 'scenario' },
    ])
  })

  it('reads the issue\'s targets off the tallies: per gate run on unchanged code, per shape of a class on slowdowns', () => {
    const infos = [
      { key: 'steady', median: 1, cv: 0.01, cls: '<= 3 %' as const },
      { key: 'steady2', median: 1, cv: 0.02, cls: '<= 3 %' as const },
      { key: 'mid', median: 1, cv: 0.04, cls: '<= 5 %' as const },
      { key: 'noisy', median: 1, cv: 0.2, cls: '> 5 %' as const },
    ]
    const t = (n: number, critical: number, flagged: number, significant: number) => ({ n, critical, flagged, significant })
    const byKind: MethodTallies = {
      'A/A': { '*': t(400, 2, 10, 12), 'noisy': t(400, 2, 10, 12) },
      '+10 %': { steady: t(100, 50, 99, 100), steady2: t(100, 40, 90, 95), noisy: t(100, 0, 0, 0) },
      '+20 %': { steady: t(100, 100, 100, 100), steady2: t(100, 98, 100, 100), mid: t(100, 96, 100, 100), noisy: t(100, 10, 10, 10) },
      '+5 %': { steady: t(100, 0, 40, 85), steady2: t(100, 0, 40, 81) },
    }
    const checks = targetChecks(infos, byKind)
    expect(checks.map(c => [c.target.split(':')[0], c.met])).toEqual([
      ['unchanged code', true],
      ['unchanged code', true],
      ['+10 %', false],
      ['+20 %', true],
      ['+5 %', true],
    ])
    expect(checks[0]!.result).toBe('2/400 0.5 % [0.1, 1.8]')
    expect(checks[2]).toMatchObject({ appliesTo: 'CV <= 3 % (2 shapes)', result: '1 of 2 shapes; pooled 189/200 94.5 % [90.4, 96.9]; worst 90 %' })
    expect(checks[3]!.appliesTo).toBe('CV <= 5 % (3 shapes)')
    // 3 failures in 200 gate runs: 1.5 %, over the target
    expect(targetChecks(infos, { ...byKind, 'A/A': { '*': t(200, 3, 3, 3) } })[0]!.met).toBe(false)
    expect(targetChecks(infos.filter(i => i.cls === '> 5 %'), byKind)[2]).toMatchObject({ result: 'no shape in the class', met: undefined })
  })
})

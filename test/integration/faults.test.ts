import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BENCH_HEAD, scenario, tempProject, type TempProject } from '../helpers/project.ts'
import { builtCli } from '../helpers/build.ts'
import { run } from '../helpers/run.ts'

// Faults found by trying the gate as a new user (issue 13): real `vitest bench` and CLI runs on
// temp projects, 2 runs each.
// several vitest runs per test: minutes on a loaded 2-CPU machine
const SLOW = 300_000

describe('a metric value that is not a finite number, and metrics named like Object\'s methods', () => {
  let project: TempProject
  beforeAll(() => {
    project = tempProject('metric-faults')
    project.write('bench/m.bench.ts', `${BENCH_HEAD}${scenario('infinite', `metrics: { ratio: { direction: 'higher', unit: 'x', collect: () => 1 / 0 } }`)}${scenario('named like Object', `metrics: { constructor: { direction: 'higher', unit: '', collect: () => 1 }, toString: { direction: 'lower', unit: '', collect: () => 2 } }`)}${scenario('fine')}`)
  })
  afterAll(() => project.remove())

  it('makes only that scenario an error, named; everything else is reported and written', () => {
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toContain('ERROR: bench/m.bench.ts > infinite [time] scenario threw: metric "ratio" of scenario "infinite": collect() returned Infinity, expected a finite number')
    expect(r.stdout).toMatch(/benchgate: \d+ passed, 1 failed/)
    expect(project.keys()).toEqual(['bench/m.bench.ts > fine', 'bench/m.bench.ts > named like Object'])
    expect(Object.keys(project.baseline().entries['bench/m.bench.ts > named like Object']!.metrics).sort()).toEqual(['constructor', 'time', 'toString'])

    const gate = project.bench()
    expect(gate.code, gate.stdout + gate.stderr).toBe(1)
    expect(gate.stdout).toMatch(/bench\/m\.bench\.ts > named like Object\s+constructor\s/)
    expect(gate.stdout).toMatch(/benchgate: \d+ passed, 1 failed/)
  }, SLOW)
})

describe('a tag filter that matches no benchmark', () => {
  let project: TempProject
  beforeAll(() => {
    project = tempProject('tag-filter')
    project.write('bench/t.bench.ts', `${BENCH_HEAD}${scenario('gated', `tags: ['ci']`)}${scenario('quick one', `tags: ['quick']`)}`)
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
  }, SLOW)
  afterAll(() => project.remove())

  const message = 'benchgate: tag filter cl matches no benchmark (known tags: ci, quick); check BENCHGATE_TAGS / --tags, or set BENCHGATE_ALLOW_NO_TAG_MATCH=1, --allow-no-tag-match or the plugin option allowNoTagMatch to pass anyway'

  it('fails with exit 2, listing the known tags, and -u writes nothing', () => {
    const before = readFileSync(project.baselineFile, 'utf8')
    for (const args of [[], ['-u']]) {
      const r = project.bench(args, { BENCHGATE_TAGS: 'cl' })
      expect(r.code, r.stdout + r.stderr).toBe(2)
      expect(r.stderr.split('\n').filter(l => l.startsWith('benchgate:'))).toEqual([message])
      expect(readFileSync(project.baselineFile, 'utf8')).toBe(before)
    }
  }, SLOW)

  it('passes when asked to, and warns about an unknown tag beside a known one', () => {
    const allowed = project.bench([], { BENCHGATE_TAGS: 'cl', BENCHGATE_ALLOW_NO_TAG_MATCH: '1' })
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0)
    const partly = project.bench([], { BENCHGATE_TAGS: 'cl,ci' })
    expect(partly.code, partly.stdout + partly.stderr).toBe(0)
    expect(partly.stdout).toContain('warning: tag cl of the filter cl,ci matches no benchmark (known tags: ci, quick)')
  }, SLOW)

  it('benchgate test --tags cl exits 2; --allow-no-tag-match passes', () => {
    const cli = (...args: string[]) => run(process.execPath, [builtCli(), 'test', '--root', project.root, ...args], { cwd: project.root })
    const typo = cli('--tags', 'cl')
    expect(typo.code, typo.stdout + typo.stderr).toBe(2)
    expect(typo.stderr).toContain(message)
    const allowed = cli('--tags', 'cl', '--allow-no-tag-match')
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0)
    const help = run(process.execPath, [builtCli(), 'test', '--help'])
    expect(help.stdout).toContain('--allow-no-tag-match')
  }, SLOW)
})

describe('a baseline file that must not be used as it is', () => {
  let project: TempProject
  let good: string
  beforeAll(() => {
    project = tempProject('baseline-faults')
    project.write('bench/a.bench.ts', BENCH_HEAD + scenario('alpha') + scenario('beta'))
    const r = project.bench(['-u'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    good = readFileSync(project.baselineFile, 'utf8')
  }, SLOW)
  afterAll(() => project.remove())

  /** Every gate and update run refuses the file with exit 2 and `line`, and leaves it as it was. */
  function refused(text: string, line: string | RegExp) {
    project.write('baselines/current_baselines.json', text)
    for (const args of [[], ['-u']]) {
      const r = project.bench(args)
      expect(r.code, r.stdout + r.stderr).toBe(2)
      const lines = r.stderr.split('\n').filter(l => l.startsWith('benchgate:'))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(line)
      expect(readFileSync(project.baselineFile, 'utf8')).toBe(text)
    }
    project.write('baselines/current_baselines.json', good)
  }

  it('the same entry key twice (a bad merge) is refused, naming the key and both lines', () => {
    // what a merge that kept both sides of a conflict leaves: alpha's entry a second time
    const lines = good.split('\n')
    const start = lines.findIndex(l => l === '    "bench/a.bench.ts > alpha": {')
    const end = lines.findIndex((l, i) => i > start && l === '    },')
    const twice = [...lines.slice(0, end + 1), ...lines.slice(start, end + 1), ...lines.slice(end + 1)].join('\n')
    refused(twice, `benchgate: ${project.baselineFile}: duplicate key "bench/a.bench.ts > alpha" in /entries at line ${end + 2} (first at line ${start + 1}): a bad merge? keep one of the two`)
  }, SLOW)

  it('a schemaVersion from a newer benchgate says so', () => {
    refused(good.replace('"schemaVersion": 1', '"schemaVersion": 2'), `benchgate: ${project.baselineFile}: schemaVersion 2 was written by a newer benchgate (this one reads schemaVersion 1): upgrade benchgate`)
  }, SLOW)
})

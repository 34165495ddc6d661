import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createShape, factorFromEnv, scaledUnits, SHAPE_KINDS, work, type ShapeSpec } from '../../scripts/detector/shape-runtime.ts'
import { drawShape, FACTORS, generateShapes, MIN_UNITS, PLAIN_ONLY_BELOW_NS, SHAPES_PER_FILE, TIME_RANGE_NS, writeShapeProject } from '../../scripts/detector/shapes.ts'

const dirs: string[] = []
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'benchgate-shapes-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** The units one shape does in `calls` calls at a factor, counted by the work itself. */
async function unitsDone(spec: ShapeSpec, factor: number, calls: number, slowPath?: boolean): Promise<number> {
  const shape = createShape(spec, factor, slowPath === undefined ? {} : { slowPath })
  const before = work.units
  for (let i = 0; i < calls; i++) await shape.run()
  return work.units - before
}

const passes = (spec: ShapeSpec) => Number(spec.params.passes ?? 1)

describe('benchmark shape generator', () => {
  it('is deterministic for a seed, and the first shapes of a seed do not depend on how many', () => {
    expect(generateShapes(7, 16)).toEqual(generateShapes(7, 16))
    expect(generateShapes(7, 8)).toEqual(generateShapes(7, 16).slice(0, 8))
    expect(generateShapes(8, 16)).not.toEqual(generateShapes(7, 16))
    expect(() => generateShapes(-1, 4)).toThrow(/--shape-seed: expected an integer >= 0 but received -1/)
    expect(() => generateShapes(1, 0)).toThrow(/--shapes: expected an integer >= 1 but received 0/)
  })

  it('covers every kind in every 10 shapes, and draws sizes, apis and bimodality from the seed', () => {
    const all = [1, 2, 3, 4, 5].flatMap(seed => generateShapes(seed, 20))
    for (const seed of [1, 2, 3, 4, 5, 99]) {
      expect(new Set(generateShapes(seed, SHAPE_KINDS.length).map(s => s.kind))).toEqual(new Set(SHAPE_KINDS))
      const second = generateShapes(seed, 2 * SHAPE_KINDS.length).slice(SHAPE_KINDS.length)
      expect(new Set(second.map(s => s.kind))).toEqual(new Set(SHAPE_KINDS))
    }
    // every stratum of the log time range is drawn once per cycle of shapes
    for (const seed of [1, 2, 3]) {
      const [lo, hi] = TIME_RANGE_NS.map(Math.log) as [number, number]
      const strata = generateShapes(seed, SHAPE_KINDS.length).map(s => Math.floor(((Math.log(s.targetNs) - lo) / (hi - lo)) * SHAPE_KINDS.length))
      expect(strata.sort((a, b) => a - b)).toEqual(Array.from({ length: SHAPE_KINDS.length }, (_, i) => i))
    }
    const expected = all.map(s => s.expectedNs)
    expect(Math.min(...expected)).toBeLessThan(200)
    expect(Math.max(...expected)).toBeGreaterThan(3_000_000)
    expect(all.filter(s => s.api === 'bench').length).toBeGreaterThan(20)
    expect(all.filter(s => s.api === 'scenario').length).toBeGreaterThan(20)
    expect(all.filter(s => s.api === 'scenario' && s.expectedNs < PLAIN_ONLY_BELOW_NS)).toEqual([])
    expect(all.some(s => s.spec.bimodal?.mode === 'process')).toBe(true)
    expect(all.some(s => s.spec.bimodal?.mode === 'alternate')).toBe(true)
    expect(all.filter(s => s.spec.bimodal).length / all.length).toBeGreaterThan(0.1)
    for (const s of all) {
      expect(s.spec.units).toBeGreaterThanOrEqual(MIN_UNITS)
      expect(s.expectedNs).toBeCloseTo(s.spec.units * s.nsPerUnit, 6)
    }
    // details come from the seed too: several regex families, map sizes, json widths
    expect(new Set(all.filter(s => s.kind === 'regex').map(s => s.spec.params.family)).size).toBeGreaterThan(2)
    expect(new Set(all.filter(s => s.kind === 'mapset').map(s => s.spec.params.live)).size).toBeGreaterThan(5)
    for (const seed of [1, 2, 3, 4, 5]) expect(new Set(generateShapes(seed, 20).map(s => s.name)).size).toBe(20)
  })

  it('scales the work each call does by the injected factor (counted by the work, not timed)', async () => {
    const shapes = [1, 2, 3].flatMap(seed => generateShapes(seed, SHAPE_KINDS.length))
    for (const shape of shapes) {
      const spec = shape.spec
      const slowPath = spec.bimodal?.mode === 'process' ? false : undefined
      // two calls: both costs of a shape whose calls alternate
      const base = await unitsDone(spec, 1, 2, slowPath)
      const perCall = spec.bimodal?.mode === 'alternate' ? spec.units + scaledUnits(spec.units * spec.bimodal.ratio, 1) : 2 * spec.units
      expect(base, shape.name).toBe(perCall * passes(spec))
      for (const factor of FACTORS.slice(1)) {
        const slowed = await unitsDone(spec, factor, 2, slowPath)
        const want = spec.bimodal?.mode === 'alternate'
          ? scaledUnits(spec.units, factor) + scaledUnits(spec.units * spec.bimodal.ratio, factor)
          : 2 * scaledUnits(spec.units, factor)
        expect(slowed, `${shape.name} at ${factor}`).toBe(want * passes(spec))
        expect(slowed / base).toBeCloseTo(factor, 1)
      }
      expect(scaledUnits(spec.units, 1.2) / spec.units).toBe(shape.workRatio['1.2'])
    }
  })

  it('a per-process bimodal shape does ratio times the work on its slow path, chosen once per process', async () => {
    const spec: ShapeSpec = { kind: 'float', units: 100, params: { formula: 'horner' }, dataSeed: 1, bimodal: { mode: 'process', ratio: 1.5, p: 0.3 } }
    expect(await unitsDone(spec, 1, 3, false)).toBe(300)
    expect(await unitsDone(spec, 1, 3, true)).toBe(450)
    expect(await unitsDone(spec, 1.2, 3, true)).toBe(3 * 180)
    expect(createShape(spec, 1, { random: () => 0.29 }).slowPath).toBe(true)
    expect(createShape(spec, 1, { random: () => 0.31 }).slowPath).toBe(false)
    const alternate = createShape({ ...spec, bimodal: { mode: 'alternate', ratio: 2 } }, 1)
    expect(alternate.unitsPerCall).toEqual([100, 200])
  })

  it('reads the factor from FIXTURE_FACTOR and names the variable when it is bad', () => {
    expect(factorFromEnv({})).toBe(1)
    expect(factorFromEnv({ FIXTURE_FACTOR: '1.05' })).toBe(1.05)
    expect(() => factorFromEnv({ FIXTURE_FACTOR: 'x' })).toThrow(/FIXTURE_FACTOR: expected a number > 0 but received "x"/)
  })

  it('writes a fixture project with the plugin, the bench files and a manifest, the same bytes every time', () => {
    const dir = tmp()
    const manifest = writeShapeProject(dir, 3, 10)
    expect(manifest.shapes.map(s => s.id)).toEqual(Array.from({ length: 10 }, (_, i) => `s${String(i + 1).padStart(2, '0')}`))
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest)
    expect(manifest).toMatchObject({ version: 1, seed: 3, count: 10, factors: [1, 1.05, 1.1, 1.2] })
    expect(manifest.runtimeSha256).toMatch(/^[0-9a-f]{64}$/)
    const files = readdirSync(join(dir, 'bench')).sort()
    expect(files).toEqual(['g01.bench.ts', 'g02.bench.ts', 'g03.bench.ts'])
    expect(new Set(manifest.shapes.map(s => s.file)).size).toBe(Math.ceil(10 / SHAPES_PER_FILE))
    const config = readFileSync(join(dir, 'vitest.config.ts'), 'utf8')
    expect(config).toContain('plugins: [benchgate()]')
    const pluginImport = /from '(.+plugin\/index\.ts)'/.exec(config)![1]!
    expect(existsSync(resolve(dir, pluginImport))).toBe(true)
    for (const shape of manifest.shapes) {
      const source = readFileSync(join(dir, shape.file), 'utf8')
      expect(source).toContain(JSON.stringify(shape.name))
      expect(source).toContain(`createShape(${JSON.stringify(shape.spec)}, factor)`)
      expect(source).toContain(shape.api === 'scenario' ? 'bench.scenario({' : `bench(${JSON.stringify(shape.name)}`)
      const runtimeImport = /from '(.+shape-runtime\.ts)'/.exec(source)![1]!
      expect(existsSync(resolve(dirname(join(dir, shape.file)), runtimeImport))).toBe(true)
    }
    const snapshot = () => Object.fromEntries(['vitest.config.ts', 'manifest.json', ...files.map(f => `bench/${f}`)].map(f => [f, readFileSync(join(dir, f), 'utf8')]))
    const first = snapshot()
    const mtime = statSync(join(dir, 'manifest.json')).mtimeMs
    writeShapeProject(dir, 3, 10)
    expect(snapshot()).toEqual(first)
    expect(statSync(join(dir, 'manifest.json')).mtimeMs).toBe(mtime)
    // fewer shapes: the stale bench file goes
    writeShapeProject(dir, 3, 4)
    expect(readdirSync(join(dir, 'bench'))).toEqual(['g01.bench.ts'])
    expect(readFileSync(join(dir, 'bench/g01.bench.ts'), 'utf8')).not.toContain('s05')
  })

  it('draws one shape from the seed and its index alone', () => {
    expect(drawShape(5, 12)).toEqual(generateShapes(5, 13)[12])
  })
})

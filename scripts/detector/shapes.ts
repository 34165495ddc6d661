/**
 * A seeded generator of benchmark shapes for the detector harness: from a shape seed it draws
 * each shape's kind, size, plain `bench()` or `bench.scenario`, details and bimodality, and writes
 * a fixture project (vitest config with the benchgate plugin, one bench file per shape, and
 * `manifest.json` listing the shapes). Nothing about a shape is picked by hand: the seed decides.
 * The workloads themselves are in shape-runtime.ts.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRng, shuffled } from '../../src/stats/random.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { writeFileAtomic } from '../../src/util/fs.ts'
import { stableStringify } from '../../src/util/json.ts'
import { SHAPE_KINDS, scaledUnits, type Bimodal, type ShapeKind, type ShapeSpec } from './shape-runtime.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const runtimePath = fileURLToPath(new URL('./shape-runtime.ts', import.meta.url))

/** The slowdown factors the harness injects (`FIXTURE_FACTOR`). */
export const FACTORS = [1, 1.05, 1.1, 1.2] as const

/** Per-call (per-round) target times are drawn log-uniformly from this range, in ns (stratified: see {@link drawShape}). */
export const TIME_RANGE_NS = [50, 10_000_000] as const

/** No shape does fewer units per call, so that a 5 % slowdown is a whole number of units (20 -> 21). */
export const MIN_UNITS = 20

/** Below this expected time per call a shape is always a plain `bench()`: a scenario round that short is mostly timer. */
export const PLAIN_ONLY_BELOW_NS = 2_000

/** Plain benches run with these tinybench options (ms). */
export const PLAIN_BENCH_OPTIONS = { time: 200, warmupTime: 50 } as const

/** One generated shape, as listed in the manifest. */
export interface GeneratedShape {
  /** `s01`, `s02`, ... */
  id: string
  /** The bench file, relative to the project ({@link SHAPES_PER_FILE} shapes a file). */
  file: string
  /** The benchmark's name (unique; its key is `<file> > <name>`). */
  name: string
  kind: ShapeKind
  /** Plain `bench()` (tinybench times every call) or `bench.scenario` (10 timed rounds). */
  api: 'bench' | 'scenario'
  /** What the bench file passes to `createShape`. */
  spec: ShapeSpec
  /** The drawn per-call time, ns (before the minimum of {@link MIN_UNITS} units). */
  targetNs: number
  /** Nominal cost of one unit with these details, ns (rough constants from this machine, for sizing only). */
  nsPerUnit: number
  /** Nominal time of one call (a scenario: one round) at factor 1 on the fast path, ns. */
  expectedNs: number
  /** Units done per call at each factor over those at factor 1 (rounding makes them inexact). */
  workRatio: Record<string, number>
}

/** `manifest.json` beside the generated project. */
export interface ShapeManifest {
  version: 1
  seed: number
  count: number
  /** sha256 of shape-runtime.ts: pools of the same seed measured different code when it differs. */
  runtimeSha256: string
  factors: number[]
  shapes: GeneratedShape[]
}

/** A seeded stream for one purpose: the seed and the labels hashed into a safe integer. */
function stream(seed: number, ...labels: (string | number)[]): () => number {
  const digest = createHash('sha256').update([seed, ...labels].join(':')).digest()
  return createRng(digest.readUIntBE(0, 6))
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
const logUniform = (rng: () => number, lo: number, hi: number): number => Math.exp(Math.log(lo) + rng() * (Math.log(hi) - Math.log(lo)))
const logInt = (rng: () => number, lo: number, hi: number): number => Math.round(logUniform(rng, lo, hi))
const round2 = (x: number) => Math.round(x * 100) / 100

/** Draws a kind's details and says what one unit costs with them (nominal ns). */
type Details = (rng: () => number) => { params: ShapeSpec['params'], nsPerUnit: number, describe: (units: number, params: ShapeSpec['params']) => string }

// Nominal unit costs measured once on the 2-vCPU dev VM (median of 30 calls, busy neighbours):
// they only size the shapes; the pool measures the real times.
const DETAILS: Record<ShapeKind, Details> = {
  float: (rng) => {
    const formula = pick(rng, ['sqrt-sin', 'horner', 'exp-log', 'div-chain'])
    return { params: { formula }, nsPerUnit: { 'sqrt-sin': 15, 'horner': 2.8, 'exp-log': 23, 'div-chain': 5 }[formula]!, describe: n => `${formula} x ${n}` }
  },
  alloc: (rng) => {
    const layout = pick(rng, ['flat', 'nested', 'closure', 'array'])
    const retain = pick(rng, [1, 64, 4096, 65536])
    const base = { flat: 9, nested: 15, closure: 13, array: 60 }[layout]!
    return { params: { layout, retain }, nsPerUnit: base * ({ 1: 1, 64: 1.2, 4096: 4, 65536: 12 }[retain] ?? 1), describe: n => `${n} ${layout} objects, ${retain} retained` }
  },
  string: (rng) => {
    const method = pick(rng, ['concat', 'join', 'template'])
    const pieceLen = logInt(rng, 1, 64)
    return { params: { method, pieceLen }, nsPerUnit: pieceLen * 8 + { concat: 0, join: 80, template: 70 }[method]!, describe: n => `${method} of ${n} ${pieceLen}-char pieces` }
  },
  regex: (rng) => {
    const family = pick(rng, ['alternation', 'char-class', 'date-capture', 'backreference', 'case-insensitive'])
    const chunkLen = logInt(rng, 16, 256)
    const perChar = { 'alternation': 1, 'char-class': 1.7, 'date-capture': 2.4, 'backreference': 6.2, 'case-insensitive': 1.8 }[family]!
    return { params: { family, chunkLen }, nsPerUnit: chunkLen * perChar, describe: n => `${family} over ${n} ${chunkLen}-char chunks` }
  },
  mapset: (rng) => {
    const structure = pick(rng, ['Map', 'Set'])
    const keyType = pick(rng, ['int', 'string'])
    const live = logInt(rng, 16, 65536)
    return { params: { structure, keyType, live }, nsPerUnit: (keyType === 'int' ? 50 : 65) * (1 + Math.min(5, live / 12000)), describe: n => `${structure} of ${live} ${keyType} keys, ${n} ops` }
  },
  json: (rng) => {
    const op = pick(rng, ['stringify', 'parse', 'roundtrip'])
    const fields = 2 + Math.floor(rng() * 11)
    const depth = Math.floor(rng() * 3)
    return { params: { op, fields, depth }, nsPerUnit: (fields + 4 * depth) * { stringify: 87, parse: 89, roundtrip: 200 }[op]!, describe: n => `${op} ${n} records of ${fields} fields, depth ${depth}` }
  },
  async: (rng) => {
    const style = pick(rng, ['await-chain', 'promise-all', 'async-generator'])
    return { params: { style }, nsPerUnit: { 'await-chain': 50, 'promise-all': 58, 'async-generator': 135 }[style]!, describe: n => `${style} of ${n}` }
  },
  typed: (rng) => {
    const type = pick(rng, ['Float64Array', 'Float32Array', 'Int32Array', 'Uint8Array'])
    const op = pick(rng, ['sum', 'axpy', 'minmax', 'prefix'])
    // the length is drawn separately from the time: cache-resident arrays and memory-streaming ones
    const length = logInt(rng, 64, 2 ** 21)
    const bytes = { Float64Array: 8, Float32Array: 4, Int32Array: 4, Uint8Array: 1 }[type]!
    const perElement = { sum: 0.7, axpy: 2.1, minmax: 2.1, prefix: 1.3 }[op]! * (length * bytes > 4_000_000 ? 3 : 1)
    return { params: { type, op, length }, nsPerUnit: perElement, describe: (n, p) => `${op} over ${n} x ${type}, ${p.passes} pass${p.passes === 1 ? '' : 'es'}` }
  },
  sort: (rng) => {
    const comparator = pick(rng, ['numeric', 'object-key', 'string'])
    const chunkLen = logInt(rng, 8, 2048)
    return { params: { comparator, chunkLen }, nsPerUnit: 20 * chunkLen * Math.log2(chunkLen), describe: n => `${n} ${comparator} sorts of ${chunkLen}` }
  },
  dispatch: (rng) => {
    const classes = pick(rng, [1, 2, 4, 8])
    const objects = logInt(rng, 16, 4096)
    return { params: { classes, objects }, nsPerUnit: { 1: 2.2, 2: 4.1, 4: 4.4, 8: 24 }[classes]!, describe: n => `${n} calls over ${classes} class${classes === 1 ? '' : 'es'}` }
  },
}

/**
 * Draws shape `index` (0-based) of seed `seed`. Shapes depend only on the seed and their index,
 * so the first 8 of 16 shapes are the 8 shapes of the same seed. Kinds go through seeded
 * permutations of all kinds, so any {@link SHAPE_KINDS}.length shapes of one cycle (0-9, 10-19, ...)
 * cover every kind, and their target times one tenth each of the log range.
 */
export function drawShape(seed: number, index: number): GeneratedShape {
  const cycle = Math.floor(index / SHAPE_KINDS.length)
  const order = shuffled(SHAPE_KINDS, stream(seed, 'kinds', cycle))
  const kind = order[index % order.length]!
  // the time is stratified the same way: each cycle of shapes draws one time from each tenth of the
  // log range, in a seeded order, so a handful of shapes spans the range instead of bunching
  const strata = shuffled(Array.from({ length: SHAPE_KINDS.length }, (_, i) => i), stream(seed, 'times', cycle))
  const rng = stream(seed, 'shape', index)
  const [lo, hi] = TIME_RANGE_NS.map(Math.log) as [number, number]
  const targetNs = Math.exp(lo + ((strata[index % strata.length]! + rng()) / strata.length) * (hi - lo))
  // a small target with costly units (long regex chunks, big sort chunks, wide records) would end
  // at the minimum of units, far above the target: draw the details again, up to 8 times, so small
  // shapes get small data as they would in a real suite; else keep the cheapest draw
  let details = DETAILS[kind](rng)
  for (let tries = 1; tries < 8 && targetNs / details.nsPerUnit < MIN_UNITS; tries++) {
    const again = DETAILS[kind](rng)
    if (again.nsPerUnit < details.nsPerUnit) details = again
  }
  const params = { ...details.params }
  let nsPerUnit = details.nsPerUnit
  let units = Math.max(MIN_UNITS, Math.round(targetNs / nsPerUnit))
  if (kind === 'typed') {
    // units are the elements of one pass; the time is reached with whole passes over them
    const length = Math.max(MIN_UNITS, Math.min(Number(params.length), units))
    params.passes = Math.max(1, Math.round(units / length))
    delete params.length
    units = length
    nsPerUnit *= Number(params.passes)
  }
  const bimodalDraw = rng()
  let bimodal: Bimodal | undefined
  if (bimodalDraw < 0.25) {
    const mode = rng() < 0.5 ? 'process' : 'alternate'
    bimodal = mode === 'process' ? { mode, ratio: round2(1.3 + 0.7 * rng()), p: round2(0.2 + 0.3 * rng()) } : { mode, ratio: round2(1.3 + 0.7 * rng()) }
  }
  const expectedNs = units * nsPerUnit
  const scenarioChance = expectedNs < PLAIN_ONLY_BELOW_NS ? 0 : 0.25 + 0.6 * Math.log(expectedNs / PLAIN_ONLY_BELOW_NS) / Math.log(TIME_RANGE_NS[1] / PLAIN_ONLY_BELOW_NS)
  const api = rng() < scenarioChance ? 'scenario' : 'bench'
  const id = `s${String(index + 1).padStart(2, '0')}`
  const spec: ShapeSpec = { kind, units, params, dataSeed: Math.floor(rng() * 2 ** 31) }
  if (bimodal) spec.bimodal = bimodal
  const bimodalName = bimodal ? (bimodal.mode === 'process' ? `, bimodal: ${bimodal.ratio}x in ${Math.round(bimodal.p! * 100)} % of processes` : `, bimodal: every 2nd call ${bimodal.ratio}x`) : ''
  return {
    id,
    file: groupFile(index),
    name: `${id} ${kind}: ${details.describe(units, params)}${bimodalName}`,
    kind,
    api,
    spec,
    targetNs,
    nsPerUnit,
    expectedNs,
    workRatio: Object.fromEntries(FACTORS.slice(1).map(f => [String(f), scaledUnits(units, f) / units])),
  }
}

/** The first `count` shapes of seed `seed`. */
export function generateShapes(seed: number, count: number): GeneratedShape[] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new BenchgateError(`--shape-seed: expected an integer >= 0 but received ${seed}`)
  if (!Number.isInteger(count) || count < 1) throw new BenchgateError(`--shapes: expected an integer >= 1 but received ${count}`)
  return Array.from({ length: count }, (_, i) => drawShape(seed, i))
}

/** sha256 of the workload code the generated benches run. */
export function runtimeSha256(): string {
  return createHash('sha256').update(readFileSync(runtimePath)).digest('hex')
}

/** The manifest of the first `count` shapes of `seed`, as `manifest.json` holds it (floats rounded). */
export function shapeManifest(seed: number, count: number): ShapeManifest {
  const manifest: ShapeManifest = { version: 1, seed, count, runtimeSha256: runtimeSha256(), factors: [...FACTORS], shapes: generateShapes(seed, count) }
  return JSON.parse(stableStringify(manifest)) as ShapeManifest
}

/** Where the harness writes the project of a seed and count (under the repo's `.benchgate/detector/`). */
export function shapesDir(seed: number, count: number, root = repoRoot): string {
  return join(root, '.benchgate/detector', `shapes-${seed}-${count}`)
}

const importPath = (from: string, to: string) => {
  const rel = relative(from, to).split('\\').join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

/** Shapes per bench file: each file is one worker process, whose start costs more than most shapes. */
export const SHAPES_PER_FILE = 4

/** The bench file of shapes `index` .. `index + SHAPES_PER_FILE - 1` (0-based). */
export const groupFile = (index: number): string => `bench/g${String(Math.floor(index / SHAPES_PER_FILE) + 1).padStart(2, '0')}.bench.ts`

/** One bench file: its shapes, built at import (outside timing) and registered in order. */
export function benchFile(shapes: readonly GeneratedShape[], dir: string, manifest: Pick<ShapeManifest, 'seed' | 'count'>): string {
  const runtime = importPath(join(dir, 'bench'), runtimePath)
  const lines = [
    `// Generated by scripts/detector/shapes.ts (shape seed ${manifest.seed}, ${manifest.count} shapes); regenerated on every`,
    `// measurement, do not edit. FIXTURE_FACTOR scales the work units per call.`,
    `import { bench } from 'benchgate'`,
    `import { createShape, factorFromEnv } from '${runtime}'`,
    '',
    'const factor = factorFromEnv()',
  ]
  for (const shape of shapes) {
    const v = shape.id
    const body = shape.kind === 'async' ? `async () => { await ${v}.run() }` : `() => { ${v}.run() }`
    lines.push('', `const ${v} = createShape(${JSON.stringify(shape.spec)}, factor)`)
    if (shape.api === 'bench') {
      lines.push(`bench(${JSON.stringify(shape.name)}, ${body}, ${JSON.stringify(PLAIN_BENCH_OPTIONS).replace(/"/g, '')})`)
    }
    else {
      lines.push(
        'bench.scenario({',
        `  name: ${JSON.stringify(shape.name)},`,
        `  description: ${JSON.stringify(`Generated ${shape.kind} shape: about ${formatNs(shape.expectedNs)} per round (nominal).`)},`,
        `  run: ${body},`,
        '})',
      )
    }
  }
  return `${lines.join('\n')}\n`
}

/** The project's vitest config: the benchgate plugin, as in test/fixtures/detector. */
export function vitestConfig(dir: string): string {
  return [
    `// Generated by scripts/detector/shapes.ts. The detector harness runs this project one independent`,
    `// run at a time (BENCHGATE_RUNS=1, JSON reporter) with FIXTURE_FACTOR = 1, 1.05, 1.10 or 1.20.`,
    `import { fileURLToPath } from 'node:url'`,
    `import { defineConfig } from 'vitest/config'`,
    `import { benchgate } from '${importPath(dir, join(repoRoot, 'plugin/index.ts'))}'`,
    '',
    'export default defineConfig({',
    '  resolve: {',
    `    alias: [{ find: /^benchgate$/, replacement: fileURLToPath(new URL('${importPath(dir, join(repoRoot, 'plugin/entry.ts'))}', import.meta.url)) }],`,
    '  },',
    '  plugins: [benchgate()],',
    `  test: { benchmark: { include: ['bench/**/*.bench.ts'] } },`,
    '})',
    '',
  ].join('\n')
}

/** `1.2 µs`, `350 ns`, `4.1 ms`. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`
  if (ns < 1_000_000) return `${Number((ns / 1_000).toPrecision(2))} µs`
  return `${Number((ns / 1_000_000).toPrecision(2))} ms`
}

const writeIfChanged = (path: string, content: string) => {
  if (!existsSync(path) || readFileSync(path, 'utf8') !== content) writeFileAtomic(path, content)
}

/**
 * Writes the project of `count` shapes of `seed` into `dir`: vitest.config.ts, bench/*.bench.ts
 * ({@link SHAPES_PER_FILE} shapes a file; other bench files there are removed) and manifest.json.
 * Deterministic: the same seed and count write the same bytes; files already holding them are left
 * alone.
 */
export function writeShapeProject(dir: string, seed: number, count: number): ShapeManifest {
  const manifest = shapeManifest(seed, count)
  writeIfChanged(join(dir, 'vitest.config.ts'), vitestConfig(dir))
  const files = new Map<string, GeneratedShape[]>()
  for (const shape of manifest.shapes) files.set(shape.file, [...files.get(shape.file) ?? [], shape])
  if (existsSync(join(dir, 'bench'))) {
    for (const name of readdirSync(join(dir, 'bench'))) if (!files.has(`bench/${name}`)) rmSync(join(dir, 'bench', name), { force: true })
  }
  for (const [file, shapes] of files) writeIfChanged(join(dir, file), benchFile(shapes, dir, manifest))
  writeIfChanged(join(dir, 'manifest.json'), stableStringify(manifest))
  return manifest
}

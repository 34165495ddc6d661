/**
 * The workloads behind the generated benchmark shapes: the bench files that
 * scripts/detector/shapes.ts writes import this module, build one shape from its spec and time
 * `shape.run()`. Every kind does `units` units of work per call (loop iterations, objects, pieces,
 * text chunks, map operations, records, awaits, elements, sorted chunks, calls), and the injected
 * slowdown scales that count (`FIXTURE_FACTOR`): the slowed variants do more work, they never wait.
 * Each call adds the units it actually did to {@link work}, so tests can check the scaling on a
 * counter instead of a clock. Input data come from the shape's own seed, so every process of the
 * same shape sees the same data; only a bimodal shape's per-process path is left to chance.
 */
import { createRng } from '../../src/stats/random.ts'

/** The kinds of workload a shape can have. */
export const SHAPE_KINDS = ['float', 'alloc', 'string', 'regex', 'mapset', 'json', 'async', 'typed', 'sort', 'dispatch'] as const

/** One kind of workload. */
export type ShapeKind = typeof SHAPE_KINDS[number]

/**
 * A shape with two costs. `process`: each process takes the slow path (`ratio` times the units)
 * with chance `p`, decided once when the shape is built (`Math.random`, as a real per-process
 * effect would be). `alternate`: every second call does `ratio` times the units.
 */
export interface Bimodal {
  mode: 'process' | 'alternate'
  ratio: number
  /** `process` only: the chance of the slow path. */
  p?: number
}

/** What a shape is: everything a bench file passes to {@link createShape}. */
export interface ShapeSpec {
  kind: ShapeKind
  /** Work units per call at factor 1 (on the fast path of a bimodal shape). */
  units: number
  /** Kind-specific details (formula, data sizes, key counts, pattern family, ...). */
  params: Record<string, string | number>
  /** Seeds the shape's input data. */
  dataSeed: number
  bimodal?: Bimodal
}

/** The work counter: every call of every shape adds the units it did. */
export const work = { units: 0, calls: 0 }

let sink = 0
/** Keeps a result alive so the JIT cannot drop the work that produced it. */
function consume(x: number): void {
  sink = (sink + (Number.isFinite(x) ? x : 1)) % 1e9
}

/** The sink's value (for tests: the work was not optimised away). */
export const sinkValue = (): number => sink

/** The injected slowdown from `FIXTURE_FACTOR` (default 1); a bad value throws, naming the variable. */
export function factorFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FIXTURE_FACTOR ?? '1'
  const factor = Number(raw)
  if (!(factor > 0)) throw new Error(`FIXTURE_FACTOR: expected a number > 0 but received ${JSON.stringify(raw)}`)
  return factor
}

/** Units of work at a factor: rounded, at least 1. */
export function scaledUnits(units: number, factor: number): number {
  return Math.max(1, Math.round(units * factor))
}

/** Does `units` units of work and returns the units done (counted by the work itself). */
type Kernel = (units: number) => number | Promise<number>
/** Builds a kernel for the unit counts it will be called with (inputs are prepared for each). */
type KernelFactory = (params: ShapeSpec['params'], unitCounts: readonly number[], rng: () => number) => Kernel

const str = (params: ShapeSpec['params'], key: string): string => String(params[key])
const num = (params: ShapeSpec['params'], key: string): number => {
  const v = Number(params[key])
  if (!Number.isFinite(v)) throw new Error(`shape params: ${key} must be a number, received ${JSON.stringify(params[key])}`)
  return v
}
const letters = 'abcdefghijklmnopqrstuvwxyz'
const word = (rng: () => number, min: number, max: number): string => {
  const n = min + Math.floor(rng() * (max - min + 1))
  let w = ''
  for (let i = 0; i < n; i++) w += letters[Math.floor(rng() * 26)]
  return w
}

const float: KernelFactory = (params) => {
  switch (str(params, 'formula')) {
    case 'sqrt-sin': return (n) => {
      let acc = 0
      let i = 0
      for (; i < n; i++) acc += Math.sqrt(i) * Math.sin(i)
      consume(acc)
      return i
    }
    case 'horner': return (n) => {
      let acc = 0
      let i = 0
      for (; i < n; i++) {
        const x = i * 1e-3
        acc += (((((0.3 * x + 0.1) * x - 0.7) * x + 1.1) * x - 0.2) * x + 0.5) * x + 0.9
      }
      consume(acc)
      return i
    }
    case 'exp-log': return (n) => {
      let acc = 0
      let i = 0
      for (; i < n; i++) acc += Math.exp(-i * 1e-4) * Math.log1p(i * 1e-3)
      consume(acc)
      return i
    }
    case 'div-chain': return (n) => {
      // a loop-carried division: latency-bound rather than throughput-bound
      let acc = 1
      let i = 0
      for (; i < n; i++) acc = acc / (1 + i * 1e-6) + 1e-3
      consume(acc)
      return i
    }
    default: throw new Error(`float shape: unknown formula ${JSON.stringify(params.formula)}`)
  }
}

const alloc: KernelFactory = (params) => {
  const layout = str(params, 'layout')
  // a ring of retained objects: 1 keeps each object just long enough to escape (no scalar
  // replacement), larger rings promote survivors to the old generation
  const ring: unknown[] = new Array(Math.max(1, num(params, 'retain'))).fill(null)
  let slot = 0
  const keep = (o: unknown) => {
    ring[slot] = o
    slot = slot + 1 === ring.length ? 0 : slot + 1
  }
  switch (layout) {
    case 'flat': return (n) => {
      let i = 0
      for (; i < n; i++) keep({ a: i, b: i * 2, c: 'x' })
      return i
    }
    case 'nested': return (n) => {
      let i = 0
      for (; i < n; i++) keep({ id: i, pair: [i, i + 1], tags: { k: i } })
      return i
    }
    case 'closure': return (n) => {
      let i = 0
      for (; i < n; i++) {
        const k = i
        keep(() => k + 1)
      }
      return i
    }
    case 'array': return (n) => {
      let i = 0
      for (; i < n; i++) keep(new Array<number>(8).fill(i))
      return i
    }
    default: throw new Error(`alloc shape: unknown layout ${JSON.stringify(layout)}`)
  }
}

const string: KernelFactory = (params, _counts, rng) => {
  const pieceLen = num(params, 'pieceLen')
  const pieces = Array.from({ length: 64 }, () => word(rng, pieceLen, pieceLen))
  const method = str(params, 'method')
  // reading the middle character flattens the rope, so the cost of joining is paid inside the call
  const done = (s: string, n: number) => {
    consume(s.charCodeAt(s.length >> 1))
    return n
  }
  switch (method) {
    case 'concat': return (n) => {
      let s = ''
      let i = 0
      for (; i < n; i++) s += pieces[i & 63]!
      return done(s, i)
    }
    case 'join': return (n) => {
      const parts: string[] = []
      for (let i = 0; i < n; i++) parts.push(pieces[i & 63]!)
      return done(parts.join(''), parts.length)
    }
    case 'template': return (n) => {
      let s = ''
      let i = 0
      for (; i < n; i++) s += `<${i}:${pieces[i & 63]!}>`
      return done(s, i)
    }
    default: throw new Error(`string shape: unknown method ${JSON.stringify(method)}`)
  }
}

/** The regular expressions of the regex shapes, by pattern family. */
export const REGEX_FAMILIES: Readonly<Record<string, RegExp>> = {
  'alternation': /\b(?:error|warning|timeout|refused)\b/g,
  'char-class': /[A-Z][a-z]{2,}\d+/g,
  'date-capture': /(\d{4})-(\d{2})-(\d{2})/g,
  'backreference': /\b(\w+)\s+\1\b/g,
  'case-insensitive': /\bre\w*ed\b/gi,
}

/** A text chunk of exactly `len` characters: words, some capitalised with digits, dates, repeats, log words. */
function chunk(rng: () => number, len: number): string {
  let s = ''
  let last = 'x'
  while (s.length < len) {
    const r = rng()
    let token: string
    if (r < 0.5) token = word(rng, 2, 8)
    else if (r < 0.6) token = word(rng, 2, 5).replace(/^./, c => c.toUpperCase()) + String(Math.floor(rng() * 100))
    else if (r < 0.7) token = `20${10 + Math.floor(rng() * 20)}-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 10)}`
    else if (r < 0.8) token = last
    else if (r < 0.9) token = ['error', 'warning', 'timeout', 'refused', 'Retried', 'reloaded', 'read'][Math.floor(rng() * 7)]!
    else token = `re${word(rng, 1, 4)}ed`
    s += `${token} `
    last = token
  }
  return s.slice(0, len)
}

const regex: KernelFactory = (params, unitCounts, rng) => {
  const family = str(params, 'family')
  const pattern = REGEX_FAMILIES[family]
  if (!pattern) throw new Error(`regex shape: unknown family ${JSON.stringify(family)}`)
  const re = new RegExp(pattern.source, pattern.flags)
  const chunkLen = num(params, 'chunkLen')
  const chunks = Array.from({ length: Math.max(...unitCounts) }, () => chunk(rng, chunkLen))
  const texts = new Map(unitCounts.map(n => [n, chunks.slice(0, n).join('')]))
  return (n) => {
    const text = texts.get(n)!
    re.lastIndex = 0
    let matches = 0
    while (re.exec(text) !== null) matches++
    consume(matches)
    return text.length / chunkLen
  }
}

const mapset: KernelFactory = (params, _counts, rng) => {
  const live = num(params, 'live')
  // key space of a power of two at least twice the live window, so the window's keys are distinct
  let size = 1
  while (size < 2 * live) size *= 2
  const mask = size - 1
  const strings = params.keyType === 'string' ? Array.from({ length: size }, (_, i) => `${word(rng, 3, 6)}:${i}`) : undefined
  const key = (g: number): number | string => (strings ? strings[g & mask]! : g & mask)
  let g = 0
  if (params.structure === 'Map') {
    const map = new Map<number | string, number>()
    for (; g < live; g++) map.set(key(g), g)
    return (n) => {
      let hits = 0
      let i = 0
      for (; i < n; i++, g++) {
        map.set(key(g), g)
        if (map.has(key(g - (live >> 1)))) hits++
        map.delete(key(g - live))
      }
      consume(hits)
      return i
    }
  }
  if (params.structure === 'Set') {
    const set = new Set<number | string>()
    for (; g < live; g++) set.add(key(g))
    return (n) => {
      let hits = 0
      let i = 0
      for (; i < n; i++, g++) {
        set.add(key(g))
        if (set.has(key(g - (live >> 1)))) hits++
        set.delete(key(g - live))
      }
      consume(hits)
      return i
    }
  }
  throw new Error(`mapset shape: unknown structure ${JSON.stringify(params.structure)}`)
}

const json: KernelFactory = (params, unitCounts, rng) => {
  const fields = num(params, 'fields')
  const depth = num(params, 'depth')
  const record = (i: number): Record<string, unknown> => {
    const r: Record<string, unknown> = { id: i }
    for (let f = 1; f < fields; f++) {
      const t = f % 3
      r[`f${f}`] = t === 0 ? word(rng, 3, 10) : t === 1 ? Math.round(rng() * 1e6) / 100 : rng() < 0.5
    }
    if (depth >= 1) r.child = { name: word(rng, 4, 8), score: rng(), ok: true }
    if (depth >= 2) r.series = [rng(), rng(), rng(), rng()]
    return r
  }
  const records = Array.from({ length: Math.max(...unitCounts) }, (_, i) => record(i))
  const arrays = new Map(unitCounts.map(n => [n, records.slice(0, n)]))
  const texts = new Map(unitCounts.map(n => [n, JSON.stringify(records.slice(0, n))]))
  switch (str(params, 'op')) {
    case 'stringify': return (n) => {
      const a = arrays.get(n)!
      consume(JSON.stringify(a).length)
      return a.length
    }
    case 'parse': return (n) => {
      const parsed = JSON.parse(texts.get(n)!) as unknown[]
      return parsed.length
    }
    case 'roundtrip': return (n) => {
      const parsed = JSON.parse(JSON.stringify(arrays.get(n)!)) as unknown[]
      return parsed.length
    }
    default: throw new Error(`json shape: unknown op ${JSON.stringify(params.op)}`)
  }
}

async function valueOf(i: number): Promise<number> {
  return i
}
async function* numbers(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i
}

const async_: KernelFactory = (params) => {
  switch (str(params, 'style')) {
    case 'await-chain': return async (n) => {
      let acc = 0
      let i = 0
      for (; i < n; i++) acc += await valueOf(i)
      consume(acc)
      return i
    }
    case 'promise-all': return async (n) => {
      const all: Promise<number>[] = []
      for (let i = 0; i < n; i++) all.push(valueOf(i))
      const values = await Promise.all(all)
      consume(values[values.length - 1]!)
      return values.length
    }
    case 'async-generator': return async (n) => {
      let count = 0
      for await (const v of numbers(n)) count += v >= 0 ? 1 : 0
      return count
    }
    default: throw new Error(`async shape: unknown style ${JSON.stringify(params.style)}`)
  }
}

const TYPED = { Float64Array, Float32Array, Int32Array, Uint8Array } as const

const typed: KernelFactory = (params, unitCounts, rng) => {
  const Ctor = TYPED[str(params, 'type') as keyof typeof TYPED]
  if (!Ctor) throw new Error(`typed shape: unknown type ${JSON.stringify(params.type)}`)
  const passes = num(params, 'passes')
  const n = Math.max(...unitCounts)
  const isInt = Ctor !== Float64Array && Ctor !== Float32Array
  const x = new Ctor(n)
  const y = new Ctor(n)
  for (let i = 0; i < n; i++) {
    x[i] = isInt ? Math.floor(rng() * 100) : rng()
    y[i] = isInt ? Math.floor(rng() * 100) : rng()
  }
  // one kernel per operation; `len` elements, `passes` times over them
  switch (str(params, 'op')) {
    case 'sum': return (len) => {
      let s = 0
      let done = 0
      for (let p = 0; p < passes; p++) {
        let i = 0
        for (; i < len; i++) s += x[i]!
        done += i
      }
      consume(s)
      return done
    }
    case 'axpy': return (len) => {
      let done = 0
      for (let p = 0; p < passes; p++) {
        let i = 0
        if (isInt) for (; i < len; i++) y[i] = (y[i]! + 3 * x[i]!) | 0
        else for (; i < len; i++) y[i] = y[i]! * 0.5 + 0.25 * x[i]!
        done += i
      }
      consume(y[len >> 1]!)
      return done
    }
    case 'minmax': return (len) => {
      let lo = Infinity
      let hi = -Infinity
      let done = 0
      for (let p = 0; p < passes; p++) {
        let i = 0
        for (; i < len; i++) {
          const v = x[i]!
          if (v < lo) lo = v
          if (v > hi) hi = v
        }
        done += i
      }
      consume(hi - lo)
      return done
    }
    case 'prefix': return (len) => {
      let done = 0
      for (let p = 0; p < passes; p++) {
        let acc = 0
        let i = 0
        for (; i < len; i++) {
          acc += x[i]!
          y[i] = acc
        }
        done += i
      }
      consume(y[len - 1]!)
      return done
    }
    default: throw new Error(`typed shape: unknown op ${JSON.stringify(params.op)}`)
  }
}

const sort: KernelFactory = (params, _counts, rng) => {
  const c = num(params, 'chunkLen')
  const blocks = 16
  const comparator = str(params, 'comparator')
  const numbers = Array.from({ length: c * blocks }, () => rng())
  const objects = numbers.map(k => ({ k }))
  const strings = numbers.map(() => word(rng, 4, 10))
  const sortChunk = comparator === 'numeric'
    ? (off: number) => numbers.slice(off, off + c).sort((a, b) => a - b)[0]!
    : comparator === 'object-key'
      ? (off: number) => objects.slice(off, off + c).sort((a, b) => a.k - b.k)[0]!.k
      : comparator === 'string'
        ? (off: number) => strings.slice(off, off + c).sort()[0]!.length
        : undefined
  if (!sortChunk) throw new Error(`sort shape: unknown comparator ${JSON.stringify(comparator)}`)
  return (n) => {
    let acc = 0
    let i = 0
    for (; i < n; i++) acc += sortChunk((i % blocks) * c)
    consume(acc)
    return i
  }
}

class Square { constructor(readonly s: number) {} area() { return this.s * this.s } }
class Rect { constructor(readonly w: number, readonly h: number) {} area() { return this.w * this.h } }
class Circle { constructor(readonly r: number) {} area() { return 3.14159 * this.r * this.r } }
class Triangle { constructor(readonly b: number, readonly h: number) {} area() { return 0.5 * this.b * this.h } }
class Ring { constructor(readonly r: number, readonly i: number) {} area() { return 3.14159 * (this.r * this.r - this.i * this.i) } }
class Ellipse { constructor(readonly a: number, readonly b: number) {} area() { return 3.14159 * this.a * this.b } }
class Trapezoid { constructor(readonly a: number, readonly b: number, readonly h: number) {} area() { return 0.5 * (this.a + this.b) * this.h } }
class Hexagon { constructor(readonly s: number) {} area() { return 2.598 * this.s * this.s } }
const SHAPE_CLASSES = [
  (v: number) => new Square(v), (v: number) => new Rect(v, v + 1), (v: number) => new Circle(v), (v: number) => new Triangle(v, 2),
  (v: number) => new Ring(v + 1, v), (v: number) => new Ellipse(v, 2), (v: number) => new Trapezoid(v, 1, 2), (v: number) => new Hexagon(v),
]

const dispatch: KernelFactory = (params, _counts, rng) => {
  const classes = num(params, 'classes')
  const objects = Array.from({ length: num(params, 'objects') }, () => SHAPE_CLASSES[Math.floor(rng() * classes)]!(rng()))
  const m = objects.length
  return (n) => {
    let acc = 0
    let i = 0
    for (let j = 0; i < n; i++) {
      acc += objects[j]!.area()
      j = j + 1 === m ? 0 : j + 1
    }
    consume(acc)
    return i
  }
}

const KERNELS: Record<ShapeKind, KernelFactory> = { float, alloc, string, regex, mapset, json, async: async_, typed, sort, dispatch }

/** A built shape: `run()` is the timed body (one plain-bench call or one scenario round). */
export interface Shape {
  /** A `process` bimodal shape: this process took the slow path. */
  readonly slowPath: boolean
  /** The units each call does, in call order, repeating (two entries when rounds alternate). */
  readonly unitsPerCall: readonly number[]
  run: () => void | Promise<void>
}

/**
 * Builds a shape at a slowdown factor: prepares its data (outside any timing) and returns its
 * timed body. `slowPath` fixes a `process` bimodal shape's path (tests); by default it is drawn
 * with `random` (`Math.random`).
 */
export function createShape(spec: ShapeSpec, factor: number, options: { slowPath?: boolean, random?: () => number } = {}): Shape {
  const factory = KERNELS[spec.kind]
  if (!factory) throw new Error(`shape: unknown kind ${JSON.stringify(spec.kind)} (${SHAPE_KINDS.join(', ')})`)
  const fast = scaledUnits(spec.units, factor)
  const slow = spec.bimodal ? scaledUnits(spec.units * spec.bimodal.ratio, factor) : fast
  const slowPath = spec.bimodal?.mode === 'process' && (options.slowPath ?? (options.random ?? Math.random)() < (spec.bimodal.p ?? 0.5))
  const unitsPerCall = spec.bimodal?.mode === 'alternate' ? [fast, slow] : [slowPath ? slow : fast]
  const kernel = factory(spec.params, [...new Set(unitsPerCall)], createRng(spec.dataSeed))
  let call = 0
  const record = (done: number) => {
    work.units += done
    work.calls++
  }
  const next = () => {
    const units = unitsPerCall[call % unitsPerCall.length]!
    call++
    return units
  }
  const run = spec.kind === 'async'
    ? async () => { record(await kernel(next())) }
    : () => { record(kernel(next()) as number) }
  return { slowPath, unitsPerCall, run }
}

/**
 * The detector harness's pool: independent runs of a fixture project (the hand-written one or
 * generated shapes), each a fresh `vitest bench --run` process through the real benchgate path
 * (`measureInChild`), per variant (the unchanged code and each injected slowdown). Variants are
 * measured interleaved so that drift in the machine's load spreads over all of them: in blocks of
 * consecutive runs of one variant (a gate's worth, so that trials can take a side's runs from one
 * stretch of time as a real gate does) or one run at a time (round-robin, the older pools).
 * Pools are saved with when they were measured and which shapes they measured, so that a pool of
 * today can be compared with one of an hour or a day before.
 */
import { readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { CpuMode } from '../../src/machine/placement.ts'
import type { Environment } from '../../src/baseline/fingerprint.ts'
import { measureInChild, type RunBenchmark } from '../../src/against/child-run.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { writeFileAtomic } from '../../src/util/fs.ts'
import type { ShapeManifest } from './shapes.ts'

/** One variant of the fixture: a name and the slowdown factor injected through `FIXTURE_FACTOR`. */
export interface Variant {
  name: string
  factor: number
}

/** One run of the pool. */
export interface PoolRun {
  variant: string
  /** Position in the measuring order (0-based). */
  seq: number
  /** When the run started (ISO; absent in pools measured before it was recorded). */
  startedAt?: string
  wallMs: number
  /** One-minute load average when the run started. */
  load: number
  benchmarks: RunBenchmark[]
}

/** How a pool's runs were ordered: one variant at a time in blocks, or round-robin run by run. */
export type PoolOrder = 'blocks' | 'round-robin'

/** A measured pool, as saved to (and loaded from) JSON. */
export interface Pool {
  version: 1
  /** When measuring ended (ISO); kept for older readers, equal to `finishedAt`. */
  createdAt: string
  /** When measuring started and ended (ISO; {@link loadPool} fills them in for older pools). */
  startedAt?: string
  finishedAt?: string
  environment: Environment
  /** The measured project, relative to the repository (e.g. `test/fixtures/detector`). */
  project?: string
  /** The generated shapes measured (absent: the hand-written fixture). */
  shapes?: ShapeManifest
  /** Measuring order (absent: round-robin, as every pool before blocks was). */
  order?: PoolOrder
  /** `blocks`: runs per block. */
  block?: number
  /** `BENCHGATE_ROUNDS` of the runs, when set. */
  rounds?: number
  /** The CPU the runs were pinned to, when pinned. */
  cpu?: CpuMode
  variants: Variant[]
  runs: PoolRun[]
  /** Wall time of measuring the whole pool, in ms. */
  wallMs: number
}

/**
 * A measuring order with each variant appearing `counts[name]` times, interleaved as evenly as the
 * counts allow (smooth weighted round-robin): e.g. 2:1:1 gives A B A C A B A C ...
 */
export function interleave(counts: Readonly<Record<string, number>>): string[] {
  const names = Object.keys(counts).filter(n => counts[n]! > 0)
  const total = names.reduce((s, n) => s + counts[n]!, 0)
  const credit = new Map(names.map(n => [n, 0]))
  const left = new Map(names.map(n => [n, counts[n]!]))
  const out: string[] = []
  for (let i = 0; i < total; i++) {
    let best: string | undefined
    for (const n of names) {
      if (left.get(n)! === 0) continue
      credit.set(n, credit.get(n)! + counts[n]!)
      if (best === undefined || credit.get(n)! > credit.get(best)!) best = n
    }
    credit.set(best!, credit.get(best!)! - total)
    left.set(best!, left.get(best!)! - 1)
    out.push(best!)
  }
  return out
}

/**
 * The measuring order: `round-robin` interleaves single runs ({@link interleave}); `blocks`
 * interleaves blocks of `block` consecutive runs of one variant (each variant's count is rounded up
 * to whole blocks), so that every block is what one gate run would measure.
 */
export function measuringOrder(counts: Readonly<Record<string, number>>, order: PoolOrder, block = 1): string[] {
  if (order === 'round-robin') return interleave(counts)
  const blocks = Object.fromEntries(Object.entries(counts).map(([name, n]) => [name, Math.ceil(n / block)]))
  return interleave(blocks).flatMap(name => Array.from({ length: block }, () => name))
}

/** What {@link measurePool} needs. */
export interface MeasurePoolOptions {
  root: string
  variants: Variant[]
  counts: Record<string, number>
  /** @default 'round-robin' */
  order?: PoolOrder
  /** `blocks`: runs per block. */
  block?: number
  /** The project's path as saved in the pool. */
  project?: string
  shapes?: ShapeManifest
  rounds?: number
  cpu?: CpuMode
  onRun?: (run: PoolRun, done: number, total: number) => void
}

/** Measures every run of the pool, one process at a time, in the measuring order. */
export async function measurePool(options: MeasurePoolOptions): Promise<Pool> {
  const orderKind = options.order ?? 'round-robin'
  const order = measuringOrder(options.counts, orderKind, options.block)
  const factorOf = new Map(options.variants.map(v => [v.name, v.factor]))
  const startedAt = new Date().toISOString()
  const started = performance.now()
  const runs: PoolRun[] = []
  let environment: Environment | undefined
  for (const [seq, variant] of order.entries()) {
    const load = loadavg()[0]!
    const request = {
      root: options.root,
      label: `detector run ${seq + 1} (${variant})`,
      env: { FIXTURE_FACTOR: String(factorOf.get(variant)) },
      ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
      ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
    }
    const runStartedAt = new Date().toISOString()
    const measured = await measureInChild(request)
    environment ??= measured.environment
    const run: PoolRun = { variant, seq, startedAt: runStartedAt, wallMs: measured.wallMs, load, benchmarks: measured.benchmarks }
    runs.push(run)
    options.onRun?.(run, seq + 1, order.length)
  }
  const finishedAt = new Date().toISOString()
  const pool: Pool = {
    version: 1,
    createdAt: finishedAt,
    startedAt,
    finishedAt,
    environment: environment ?? { cpuModel: cpus()[0]?.model ?? 'unknown', cores: cpus().length, os: process.platform, node: process.version, vitest: '?', benchgate: '?' },
    order: orderKind,
    variants: options.variants,
    runs,
    wallMs: performance.now() - started,
  }
  if (orderKind === 'blocks') pool.block = options.block ?? 1
  if (options.project !== undefined) pool.project = options.project
  if (options.shapes) pool.shapes = options.shapes
  if (options.rounds !== undefined) pool.rounds = options.rounds
  if (options.cpu !== undefined) pool.cpu = options.cpu
  return pool
}

/** `pool-20261127-064414-shapes-1x16.json` (UTC end time): a name that sorts by time and says what was measured. */
export function poolFileName(pool: Pick<Pool, 'createdAt' | 'finishedAt' | 'shapes'>): string {
  const stamp = (pool.finishedAt ?? pool.createdAt).replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-')
  return `pool-${stamp}-${pool.shapes ? `shapes-${pool.shapes.seed}x${pool.shapes.count}` : 'fixture'}.json`
}

/** Writes a pool as JSON (atomically, creating the directory). */
export function savePool(path: string, pool: Pool): void {
  writeFileAtomic(path, `${JSON.stringify(pool)}\n`)
}

/**
 * Reads a saved pool; errors name the flag, the file and the cause. Pools saved before start and
 * end times were recorded get them from `createdAt` (the end) and `wallMs`.
 */
export function loadPool(path: string, flag = '--pool'): Pool {
  let pool: Pool
  try {
    pool = JSON.parse(readFileSync(path, 'utf8')) as Pool
  }
  catch (error) {
    throw new BenchgateError(`${flag} ${path}: cannot read the pool (${(error as Error).message})`)
  }
  if (pool?.version !== 1 || !Array.isArray(pool.runs) || typeof pool.createdAt !== 'string') throw new BenchgateError(`${flag} ${path}: not a detector pool (version 1 with runs and createdAt)`)
  pool.finishedAt ??= pool.createdAt
  pool.startedAt ??= new Date(Date.parse(pool.finishedAt) - (pool.wallMs ?? 0)).toISOString()
  return pool
}

/** What a pool measured, for messages: `shape seed 1 x 16` or `the hand-written fixture`. */
export function describeShapes(pool: Pick<Pool, 'shapes' | 'project'>): string {
  return pool.shapes ? `shape seed ${pool.shapes.seed} x ${pool.shapes.count}` : `the hand-written fixture${pool.project ? ` (${pool.project})` : ''}`
}

const benchmarkKeys = (pool: Pick<Pool, 'runs'>) => [...new Set(pool.runs.flatMap(r => r.benchmarks.map(b => b.key)))].sort()

/**
 * Why two pools did not measure the same shapes (undefined when they did): other generated
 * shapes (seed, count, or the shapes' definitions), other workload code, generated shapes against
 * the hand-written fixture, or other benchmark keys.
 */
export function shapesDiffer(a: Pick<Pool, 'shapes' | 'project' | 'runs'>, b: Pick<Pool, 'shapes' | 'project' | 'runs'>): string | undefined {
  if (Boolean(a.shapes) !== Boolean(b.shapes) || (a.shapes && b.shapes && (a.shapes.seed !== b.shapes.seed || a.shapes.count !== b.shapes.count))) {
    return `${describeShapes(a)} vs ${describeShapes(b)}`
  }
  if (a.shapes && b.shapes) {
    if (a.shapes.runtimeSha256 !== b.shapes.runtimeSha256) return `the shapes' workload code changed between them (shape-runtime.ts sha256 ${a.shapes.runtimeSha256.slice(0, 12)} vs ${b.shapes.runtimeSha256.slice(0, 12)})`
    if (JSON.stringify(a.shapes.shapes) !== JSON.stringify(b.shapes.shapes)) return `${describeShapes(a)} was generated differently (the generator changed between them)`
  }
  const ka = benchmarkKeys(a)
  const kb = benchmarkKeys(b)
  const missing = ka.find(k => !kb.includes(k)) ?? kb.find(k => !ka.includes(k))
  if (missing !== undefined) return `benchmark ${JSON.stringify(missing)} is in one pool only`
  return undefined
}

/** The runs of each variant, in measuring order. */
export function runsByVariant(pool: Pick<Pool, 'runs'>): Map<string, PoolRun[]> {
  const out = new Map<string, PoolRun[]>()
  for (const run of [...pool.runs].sort((a, b) => a.seq - b.seq)) {
    const list = out.get(run.variant) ?? []
    list.push(run)
    out.set(run.variant, list)
  }
  return out
}

/** Keeps the first `rounds` measured rounds of every scenario metric (plain benches keep their samples). */
export function truncateRounds(run: PoolRun, rounds: number): PoolRun {
  return {
    ...run,
    benchmarks: run.benchmarks.map(b => b.kind !== 'scenario'
      ? b
      : { ...b, metrics: Object.fromEntries(Object.entries(b.metrics).map(([name, m]) => [name, { spec: m.spec, values: m.values.slice(0, rounds) }])) }),
  }
}

/**
 * The detector harness's pool: independent runs of the fixture project, each a fresh
 * `vitest bench --run` process through the real benchgate path (`measureRun`), per variant
 * (the unchanged code and each injected slowdown), measured interleaved so that drift in the
 * machine's load spreads evenly over the variants.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { dirname } from 'node:path'
import type { Environment } from '../../src/baseline/fingerprint.ts'
import { measureRun, type RunBenchmark } from '../../src/compare/measure-run.ts'

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
  wallMs: number
  /** One-minute load average when the run started. */
  load: number
  benchmarks: RunBenchmark[]
}

/** A measured pool, as saved to (and loaded from) JSON. */
export interface Pool {
  version: 1
  createdAt: string
  environment: Environment
  /** `BENCHGATE_ROUNDS` of the runs, when set. */
  rounds?: number
  /** The CPU the runs were pinned to, when pinned. */
  cpu?: number
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

/** What {@link measurePool} needs. */
export interface MeasurePoolOptions {
  root: string
  variants: Variant[]
  counts: Record<string, number>
  rounds?: number
  cpu?: number
  onRun?: (run: PoolRun, done: number, total: number) => void
}

/** Measures every run of the pool, one process at a time, in the interleaved order. */
export async function measurePool(options: MeasurePoolOptions): Promise<Pool> {
  const order = interleave(options.counts)
  const factorOf = new Map(options.variants.map(v => [v.name, v.factor]))
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
    const measured = await measureRun(request)
    environment ??= measured.environment
    const run: PoolRun = { variant, seq, wallMs: measured.wallMs, load, benchmarks: measured.benchmarks }
    runs.push(run)
    options.onRun?.(run, seq + 1, order.length)
  }
  const pool: Pool = {
    version: 1,
    createdAt: new Date().toISOString(),
    environment: environment ?? { cpuModel: cpus()[0]?.model ?? 'unknown', cores: cpus().length, os: process.platform, node: process.version, vitest: '?', benchgate: '?' },
    variants: options.variants,
    runs,
    wallMs: performance.now() - started,
  }
  if (options.rounds !== undefined) pool.rounds = options.rounds
  if (options.cpu !== undefined) pool.cpu = options.cpu
  return pool
}

/** Writes a pool as JSON (creating the directory). */
export function savePool(path: string, pool: Pool): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(pool)}\n`)
}

/** Reads a saved pool; errors name the file and the cause. */
export function loadPool(path: string): Pool {
  let pool: Pool
  try {
    pool = JSON.parse(readFileSync(path, 'utf8')) as Pool
  }
  catch (error) {
    throw new Error(`--pool ${path}: cannot read the pool (${(error as Error).message})`)
  }
  if (pool.version !== 1 || !Array.isArray(pool.runs)) throw new Error(`--pool ${path}: not a detector pool (version 1 with runs)`)
  return pool
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

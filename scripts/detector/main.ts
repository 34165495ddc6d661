/**
 * `npm run eval:detector`: measures a pool of independent runs of generated benchmark shapes (or
 * the hand-written fixture in test/fixtures/detector), unchanged and with +5 / +10 / +20 %
 * injected work, forms A/A and A/B trials from it (or from two pools measured at different times)
 * and prints, per decision method, the false-positive rate and the detection rates, per shape and
 * per run-to-run CV class. See docs/detection.md.
 */
import { loadavg } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parseCpuMode, resolveGateOptions } from '../../src/config/gate.ts'
import type { ResolvedDecision } from '../../src/scenario/measured.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { blockCvs, evaluate, spreads } from './evaluate.ts'
import { autoMethod, benchgateMethod, meanRuleMethod, vitestCompareMethod, type Method } from './methods.ts'
import { describeShapes, loadPool, measurePool, poolFileName, runsByVariant, savePool, shapesDiffer, truncateRounds, type Pool, type PoolOrder, type PoolRun, type Variant } from './pool.ts'
import { shapesDir, writeShapeProject } from './shapes.ts'
import { classTable, formatDuration, methodTable, poolTable, shapeInfos, shapeTable, targetTable } from './table.ts'
import { blockWindows, drawBlockTrials, drawCrossTrials, drawTrials, reuseOf, sideUses, type Trial } from './trials.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const CONTROL = 'A'
const VARIANTS: Variant[] = [
  { name: CONTROL, factor: 1 },
  { name: '+5 %', factor: 1.05 },
  { name: '+10 %', factor: 1.1 },
  { name: '+20 %', factor: 1.2 },
]
const DRAWS = ['blocks', 'random', 'split', 'paired'] as const
type Draw = typeof DRAWS[number]

/** The usage text. */
export const USAGE = `usage: npm run eval:detector -- [options]
 what to measure (default: 16 generated shapes of shape seed 1):
  --shapes <n>       generate n benchmark shapes (default 16) into .benchgate/detector/shapes-<seed>-<n>/
  --shape-seed <s>   which shapes (default 1): kinds, sizes, plain or scenario, details, bimodality
  --fixture          measure the hand-written fixture (test/fixtures/detector, four shapes) instead
  --size <n>         runs of the unchanged variant (default 60; +5 % and +10 % get 40 % of it, +20 % 20 %)
  --order <o>        blocks (default): variants measured in interleaved blocks of consecutive runs
                     | round-robin: one run at a time (the older pools)
  --block <n>        runs per block (default: the most runs a side of a trial takes, 5 at the defaults)
  --save <file>      where to save the measured pool
                     (default .benchgate/detector/pool-<end time>-shapes-<seed>x<n>.json)
  --rounds <n>       BENCHGATE_ROUNDS for the measured runs (default: the scenarios' own)
  --cpu <mode>       where each run's measured processes run: auto (the plugin's default: each on the fastest
                     CPU), off, or a CPU number
 or evaluate saved pools:
  --pool <file>      re-evaluate a saved pool instead of measuring
  --baseline-pool <a> --current-pool <b>
                     cross-session: every trial's baseline side from pool a (its unchanged runs), its current
                     side from pool b (unchanged for A/A, slowed for A/B); both must have measured the same shapes
 trials:
  --draw <d>         blocks (default): each side is a block of consecutive runs of one variant (a gate's worth);
                       every distinct pair of blocks is a trial, up to --aa / --ab
                     | random: each side any runs of the variant
                     | split: random, baseline from the earlier half of the pool, current from the later
                     | paired: each current run with the unchanged run nearest in time, as compare --against
                       measures (adds benchgate's paired decision beside the unpaired one on the same runs)
                     (--mode is the older name of --draw)
  --aa <n>           A/A trials (default 400; blocks: at most)
  --ab <n>           A/B trials per slowdown (default 200; blocks: at most)
  --seed <n>         trial-drawing seed (default 1)
  --use-rounds <n>   evaluate with only the first n rounds of each scenario run
 methods:
  --auto <max>       also evaluate compare --against --runs auto (no session drift): 3 runs per side, then one
                     more at a time until decided or <max> per side (the pool must hold 2x<max> unchanged runs)
  --try <spec>       also evaluate benchgate with other settings (repeatable), e.g. runs=5,baselineRuns=5,cv=0.01,
                     weight=3,alpha=0.05,maxDrift=0.25; drift=probes|assumed (the drift allowance of time metrics:
                     measured by the machine probes, or always sessionDrift=<x>); fastCluster=0|1; same=1 (both
                     sides measured together, as compare --against: no drift allowance)`

function int(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new BenchgateError(`--${flag}: expected an integer >= ${min} but received ${JSON.stringify(value)}`)
  return n
}

/** Parses a `--try` spec into a benchgate method. Errors name the flag and the bad key. */
export function tryMethod(spec: string, base: { decision: ResolvedDecision, runs: number, baselineRuns: number }): Method {
  const decision: ResolvedDecision = { ...base.decision, noisePrior: { ...base.decision.noisePrior }, thresholds: { ...base.decision.thresholds } }
  let { runs, baselineRuns } = base
  let sameSession = false
  for (const part of spec.split(',').map(s => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=')
    if (key === 'drift') {
      if (raw !== 'probes' && raw !== 'assumed') throw new BenchgateError(`--try ${spec}: drift needs probes or assumed, received ${JSON.stringify(raw)}`)
      decision.driftFrom = raw
      continue
    }
    const value = Number(raw)
    if (key === 'fastCluster' || key === 'same') {
      if (value !== 0 && value !== 1) throw new BenchgateError(`--try ${spec}: ${key} needs 0 or 1, received ${JSON.stringify(raw)}`)
      if (key === 'same') sameSession = value === 1
      else decision.fastCluster = value === 1
      continue
    }
    if (key === 'sessionDrift' && value >= 0) {
      decision.sessionDrift = value
      continue
    }
    if (!(value > 0)) throw new BenchgateError(`--try ${spec}: ${key} needs a number > 0, received ${JSON.stringify(raw)}`)
    if (key === 'runs') runs = value
    else if (key === 'maxDrift') decision.maxDrift = value
    else if (key === 'baselineRuns') baselineRuns = value
    else if (key === 'cv') decision.noisePrior.cv = value
    else if (key === 'weight') decision.noisePrior.weight = value
    else if (key === 'alpha') decision.alpha = value
    else throw new BenchgateError(`--try ${spec}: unknown key ${JSON.stringify(key)} (runs, baselineRuns, cv, weight, alpha, maxDrift, sessionDrift, drift, fastCluster, same)`)
  }
  return benchgateMethod(`benchgate [${spec}]`, decision, baselineRuns, runs, { sameSession })
}

/** Where the pool's measured processes ran, from what each run's benchmarks reported. */
export function placementOf(pool: Pick<Pool, 'runs' | 'cpu'>): string {
  const cpus = new Map<string, number>()
  let processes = 0
  for (const run of pool.runs) {
    const seen = new Set<string>()
    for (const bench of run.benchmarks) {
      if (!bench.machine || seen.has(bench.file)) continue
      seen.add(bench.file)
      processes++
      const cpu = bench.machine.cpu === undefined ? 'not pinned' : `CPU ${bench.machine.cpu}`
      cpus.set(cpu, (cpus.get(cpu) ?? 0) + 1)
    }
  }
  const mode = pool.cpu === undefined ? 'auto' : String(pool.cpu)
  if (processes === 0) return `placement ${mode} (the runs reported none: measured before benchgate placed processes)`
  return `placement ${mode}: ${[...cpus].sort().map(([cpu, n]) => `${cpu} ${(100 * n / processes).toFixed(0)} %`).join(', ')} of ${processes} measured processes`
}

/** The most consecutive positions in a sorted list of run positions. */
function longestStretch(seqs: readonly number[]): number {
  let best = 0
  let current = 0
  seqs.forEach((s, i) => {
    current = i > 0 && s === seqs[i - 1]! + 1 ? current + 1 : 1
    best = Math.max(best, current)
  })
  return best
}

const stamp = (iso: string | undefined) => (iso ?? '?').replace(/\.\d+Z$/, 'Z')

/** One line about a pool: when, what, how. */
function poolLine(label: string, pool: Pool, file?: string): string {
  const control = pool.runs.filter(r => r.variant === CONTROL)
  const runWallMs = control.reduce((s, r) => s + r.wallMs, 0) / Math.max(1, control.length)
  const benchmarks = new Set(pool.runs.flatMap(r => r.benchmarks.map(b => b.key))).size
  const meanLoad = pool.runs.reduce((s, r) => s + r.load, 0) / Math.max(1, pool.runs.length)
  const order = pool.order === 'blocks' ? `in blocks of ${pool.block} runs` : 'round-robin'
  return `${label}${file ? ` (${file})` : ''}: ${describeShapes(pool)}, measured ${stamp(pool.startedAt)} to ${stamp(pool.finishedAt)}: ${pool.runs.length} runs ${order} in ${(pool.wallMs / 1000).toFixed(0)} s (${(runWallMs / 1000).toFixed(2)} s per run of the ${benchmarks} benchmarks), ${placementOf(pool)}, ${pool.rounds !== undefined ? `BENCHGATE_ROUNDS=${pool.rounds}` : 'scenario rounds at their default'}; 1-minute load average during the pool: mean ${meanLoad.toFixed(2)}, max ${Math.max(...pool.runs.map(r => r.load)).toFixed(2)}.`
}

/** Runs the harness with command-line arguments; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'size': { type: 'string' },
      'shapes': { type: 'string' },
      'shape-seed': { type: 'string' },
      'fixture': { type: 'boolean' },
      'order': { type: 'string' },
      'block': { type: 'string' },
      'pool': { type: 'string' },
      'baseline-pool': { type: 'string' },
      'current-pool': { type: 'string' },
      'save': { type: 'string' },
      'aa': { type: 'string' },
      'ab': { type: 'string' },
      'seed': { type: 'string' },
      'draw': { type: 'string' },
      'mode': { type: 'string' },
      'rounds': { type: 'string' },
      'use-rounds': { type: 'string' },
      'cpu': { type: 'string' },
      'try': { type: 'string', multiple: true },
      'auto': { type: 'string' },
      'help': { type: 'boolean' },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const started = performance.now()
  const loadBefore = loadavg()
  const drawFlag = values.draw !== undefined ? 'draw' : 'mode'
  const draw = (values.draw ?? values.mode ?? 'blocks') as Draw
  if (!DRAWS.includes(draw)) throw new BenchgateError(`--${drawFlag}: expected ${DRAWS.join(', ')} but received ${JSON.stringify(draw)}`)
  const cpu = values.cpu === undefined ? undefined : parseCpuMode('--cpu', values.cpu)
  const cross = values['baseline-pool'] !== undefined || values['current-pool'] !== undefined
  if (cross && (values['baseline-pool'] === undefined || values['current-pool'] === undefined)) throw new BenchgateError(`--${values['baseline-pool'] === undefined ? 'baseline-pool' : 'current-pool'}: missing; a cross-session comparison needs both --baseline-pool and --current-pool`)
  if (cross && values.pool !== undefined) throw new BenchgateError('--pool: not with --baseline-pool / --current-pool (they name the pools to evaluate)')
  if (cross && (draw === 'split' || draw === 'paired')) throw new BenchgateError(`--${drawFlag} ${draw}: not across two pools (blocks or random)`)
  const order = (values.order ?? 'blocks') as PoolOrder
  if (order !== 'blocks' && order !== 'round-robin') throw new BenchgateError(`--order: expected blocks or round-robin but received ${JSON.stringify(values.order)}`)

  const defaults = resolveGateOptions({}, {})
  const base = { decision: defaults.decision, runs: defaults.runs, baselineRuns: defaults.baselineRuns }
  const methods: Method[] = [
    benchgateMethod(`benchgate at its defaults, against a baseline (drift allowance from the machine probes; noisePrior cv ${defaults.decision.noisePrior.cv}, weight ${defaults.decision.noisePrior.weight}; alpha ${defaults.decision.alpha})`, defaults.decision, defaults.baselineRuns, defaults.runs),
    benchgateMethod('benchgate at its defaults, both sides measured together (compare --against: no drift allowance)', defaults.decision, defaults.runs, defaults.runs, { sameSession: true }),
    ...(draw === 'paired'
      ? [benchgateMethod('benchgate paired (compare --against --paired: per-pair ratios)', defaults.decision, defaults.runs, defaults.runs, { paired: true, sameSession: true })]
      : []),
    ...(values.auto !== undefined ? [autoMethod(`compare --against --runs auto (3 to ${int('auto', values.auto, 12)} runs per side, no drift allowance)`, defaults.decision, 3, int('auto', values.auto, 12))] : []),
    ...(values.try ?? []).map(spec => tryMethod(spec, base)),
    meanRuleMethod('mean worse than 10 % (pytest-benchmark --benchmark-compare-fail=mean:10%)', 0.10),
    meanRuleMethod('mean worse than 5 %', 0.05),
    meanRuleMethod('mean worse than 10 %, on the same runs as benchgate', 0.10, defaults.baselineRuns, defaults.runs),
    vitestCompareMethod(),
  ]
  const baselineRuns = Math.max(...methods.map(m => m.baselineRuns))
  const runs = Math.max(...methods.map(m => m.runs))

  let pool: Pool
  let poolFile: string | undefined
  let baselinePool: Pool | undefined
  let baselineFile: string | undefined
  if (cross) {
    baselineFile = values['baseline-pool']!
    poolFile = values['current-pool']!
    baselinePool = loadPool(resolve(baselineFile), '--baseline-pool')
    pool = loadPool(resolve(poolFile), '--current-pool')
    const differ = shapesDiffer(baselinePool, pool)
    if (differ) throw new BenchgateError(`--current-pool ${poolFile}: measured other shapes than --baseline-pool ${baselineFile} (${differ}); a cross-session comparison needs the same shapes`)
    process.stderr.write(`eval:detector: baseline side from ${baselineFile} (measured ${stamp(baselinePool.startedAt)}), current side from ${poolFile} (measured ${stamp(pool.startedAt)})\n`)
  }
  else if (values.pool) {
    poolFile = values.pool
    pool = loadPool(resolve(values.pool))
    process.stderr.write(`eval:detector: re-evaluating the pool in ${values.pool} (measured ${stamp(pool.startedAt)} to ${stamp(pool.finishedAt)})\n`)
  }
  else {
    const size = int('size', values.size, 60)
    const block = int('block', values.block, Math.max(baselineRuns, runs))
    const counts: Record<string, number> = { [CONTROL]: size, '+5 %': Math.round(size * 0.4), '+10 %': Math.round(size * 0.4), '+20 %': Math.round(size * 0.2) }
    if (order === 'blocks') for (const k of Object.keys(counts)) counts[k] = Math.max(k === CONTROL ? 2 : 1, Math.ceil(counts[k]! / block)) * block
    const rounds = values.rounds === undefined ? undefined : int('rounds', values.rounds, 10)
    let root = join(repoRoot, 'test/fixtures/detector')
    let shapes
    if (!values.fixture) {
      const seed = int('shape-seed', values['shape-seed'], 1, 0)
      const count = int('shapes', values.shapes, 16)
      root = shapesDir(seed, count)
      shapes = writeShapeProject(root, seed, count)
      process.stderr.write(`eval:detector: ${count} shapes of shape seed ${seed} written to ${relative(repoRoot, root)} (manifest.json lists them)\n`)
    }
    const project = relative(repoRoot, root)
    process.stderr.write(`eval:detector: measuring ${Object.values(counts).reduce((a, b) => a + b, 0)} runs of ${project} (${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', ')}), one process at a time, ${order === 'blocks' ? `in interleaved blocks of ${block} runs` : 'interleaved run by run'}\n`)
    pool = await measurePool({
      root,
      project,
      variants: VARIANTS,
      counts,
      order,
      block,
      ...(shapes ? { shapes } : {}),
      ...(rounds !== undefined ? { rounds } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      onRun: (run, done, total) => {
        if (done % 10 === 0 || done === total) process.stderr.write(`  ${done}/${total} runs (last: ${run.variant}, ${(run.wallMs / 1000).toFixed(1)} s, load ${run.load.toFixed(2)})\n`)
      },
    })
    const save = resolve(values.save ?? join(repoRoot, '.benchgate/detector', poolFileName(pool)))
    savePool(save, pool)
    poolFile = relative(process.cwd(), save)
    process.stderr.write(`eval:detector: pool saved to ${save} (re-evaluate with --pool; compare with a later pool with --baseline-pool)\n`)
  }

  const useRounds = values['use-rounds'] === undefined ? undefined : int('use-rounds', values['use-rounds'], 10)
  const byVariantOf = (p: Pool) => {
    const map = runsByVariant(p)
    if (useRounds !== undefined) for (const [k, list] of map) map.set(k, list.map(r => truncateRounds(r, useRounds)))
    return map
  }
  const byVariant = byVariantOf(pool)
  const baselineByVariant = baselinePool ? byVariantOf(baselinePool) : byVariant
  const sizes = Object.fromEntries([...byVariant].map(([k, v]) => [k, v.length]))
  const baselineControl: readonly PoolRun[] = baselineByVariant.get(CONTROL) ?? []
  if (baselineControl.length === 0) throw new BenchgateError(`${cross ? `--baseline-pool ${baselineFile}` : `--pool ${poolFile}`}: no runs of the unchanged variant (${CONTROL})`)

  const aaTrials = int('aa', values.aa, 400)
  const abTrials = int('ab', values.ab, 200)
  const seed = int('seed', values.seed, 1)
  let trials: Trial[]
  let trialsNote: string
  const variants = pool.variants.map(v => v.name).filter(n => sizes[n])
  if (draw === 'blocks') {
    let drawn
    try {
      drawn = drawBlockTrials({
        control: CONTROL,
        baselineSeqs: baselineControl.map(r => r.seq),
        currentSeqs: Object.fromEntries(variants.map(v => [v, (byVariant.get(v) ?? []).map(r => r.seq)])),
        samePool: !cross,
        aaTrials,
        abTrials,
        baselineRuns,
        runs,
        seed,
      })
    }
    catch (error) {
      if (!(error instanceof RangeError)) throw error
      throw new BenchgateError(`--draw blocks: ${error.message}; measure a pool in blocks of at least ${baselineRuns} (--order blocks --block ${baselineRuns}) or pass --draw random`)
    }
    trials = drawn.trials
    const longest = Math.max(...variants.map(v => longestStretch((byVariant.get(v) ?? []).map(r => r.seq))))
    if (trials.length === 0) throw new BenchgateError(`--draw blocks: no pair of blocks: a current side takes ${runs} consecutive runs of a variant, the current pool's longest stretch is ${longest}; measure a pool with --block ${runs} or pass --draw random`)
    for (const [kind, n] of Object.entries(drawn.pairs)) if (n === 0) process.stderr.write(`eval:detector: no ${kind} trials: no block of ${runs} consecutive ${kind === 'A/A' ? CONTROL : kind} runs${cross ? '' : ` measured after a block of ${baselineRuns} ${CONTROL} runs`}\n`)
    trialsNote = `Trials (blocks): each side is a block of consecutive runs of one variant in measuring order (${baselineRuns} baseline, ${runs} current), ${cross ? 'the baseline block from the baseline pool, the current block from the current pool' : 'the baseline block measured before the current block'}; distinct pairs of blocks: ${Object.entries(drawn.pairs).map(([k, n]) => `${k} ${n}`).join(', ')}; used: every pair, or ${aaTrials} A/A and ${abTrials} per slowdown drawn without repeats (seed ${seed}).`
  }
  else if (cross) {
    trials = drawCrossTrials({ control: CONTROL, baselineSize: baselineControl.length, currentSizes: Object.fromEntries(variants.map(v => [v, sizes[v]!]).filter(([, n]) => (n as number) >= runs)), aaTrials, abTrials, baselineRuns, runs, seed })
    trialsNote = `Trials (random, across pools): ${aaTrials} A/A and ${abTrials} per slowdown, seed ${seed}; each side any runs of its pool's variant.`
  }
  else {
    const usable = Object.fromEntries(Object.entries(sizes).filter(([k, n]) => k === CONTROL || n >= runs))
    for (const [k, n] of Object.entries(sizes)) if (!usable[k]) process.stderr.write(`eval:detector: skipping ${k}: ${n} runs, a trial needs ${runs}\n`)
    try {
      trials = drawTrials({ control: CONTROL, sizes: usable, aaTrials, abTrials, baselineRuns, runs, seed, mode: draw, seqs: Object.fromEntries([...byVariant].map(([k, list]) => [k, list.map(r => r.seq)])) })
    }
    catch (error) {
      if (!(error instanceof RangeError)) throw error
      throw new BenchgateError(`--${drawFlag} ${draw}: ${error.message}`)
    }
    trialsNote = `Trials (${draw}): ${aaTrials} A/A and ${abTrials} per slowdown, seed ${seed}; each trial draws its baseline and current runs without repeats inside the trial.`
  }
  const slowdowns = variants.filter(v => v !== CONTROL && trials.some(t => t.kind === v))
  const evalStarted = performance.now()
  const tallies = evaluate({ control: CONTROL, runs: byVariant, ...(baselinePool ? { baseline: baselineByVariant } : {}), trials, methods })
  const evalMs = performance.now() - evalStarted

  const keys = [...new Set(Object.values(tallies).flatMap(k => Object.values(k).flatMap(b => Object.keys(b))))].filter(k => k !== '*').sort()
  keys.push('*')
  const controlRuns = byVariant.get(CONTROL) ?? []
  const runWallMs = controlRuns.reduce((s, r) => s + r.wallMs, 0) / Math.max(1, controlRuns.length)
  const out: string[] = []
  out.push(`# benchgate detector evaluation`, '')
  out.push(`Machine: ${pool.environment.cpuModel}, ${pool.environment.cores} cores, ${pool.environment.os}, Node ${pool.environment.node}, vitest ${pool.environment.vitest}.`)
  if (baselinePool) {
    out.push(poolLine('Baseline pool', baselinePool, baselineFile))
    out.push(poolLine('Current pool', pool, poolFile))
    const gap = Date.parse(pool.startedAt!) - Date.parse(baselinePool.finishedAt!)
    const midGap = (Date.parse(pool.startedAt!) + Date.parse(pool.finishedAt!) - Date.parse(baselinePool.startedAt!) - Date.parse(baselinePool.finishedAt!)) / 2
    out.push(`The baseline pool was measured ${formatDuration(midGap)} before the current pool (middle to middle; it ended ${formatDuration(gap)} before the current pool started).`)
  }
  else {
    out.push(poolLine('Pool', pool, poolFile))
  }
  out.push(trialsNote)
  const reuse = baselinePool
    ? [`baseline pool ${CONTROL} ${(sideUses(trials, 'baseline') / baselineControl.length).toFixed(0)}x`, ...Object.keys(sizes).map(v => `current pool ${v} ${(sideUses(trials, 'current', v === CONTROL ? 'A/A' : v) / sizes[v]!).toFixed(0)}x`)].join(', ')
    : Object.keys(sizes).map(v => `${v} ${reuseOf(trials, v, sizes[v]!, CONTROL).toFixed(0)}x`).join(', ')
  out.push(`Trials reuse pool runs (average uses per run: ${reuse}), so they are not independent: the Wilson intervals below treat them as independent and are therefore optimistic (too narrow).`)
  out.push(`"flagged" = warning or critical (the issue's "detected"); "failed" = critical (exit 1); "significant" (benchgate) = a significant slowdown of any size, flagged or not (below 5 % it is reported as ok with "significant but below the warning threshold"). Detection cells: flagged / failed / significant.`, '')
  const spread = spreads(byVariant)
  out.push(poolTable(spread, CONTROL, slowdowns, sizes, baselinePool ? spreads(baselineByVariant) : undefined), '')

  const infos = shapeInfos(spread, CONTROL, {
    ...(controlRuns.length ? { blockCv: blockCvs(controlRuns, blockWindows(controlRuns.map(r => r.seq), runs)) } : {}),
    ...(pool.shapes ? { shapes: pool.shapes.shapes } : {}),
  })
  const gateMethods = methods.filter(m => m.name.startsWith('benchgate'))
  out.push(`## Per shape and CV class: ${gateMethods[0]!.name}`, '')
  out.push(`Class: the CV of run medians of the ${baselinePool ? 'current pool\'s ' : ''}unchanged runs, ${placementOf(pool)}${infos.some(i => i.blockCv !== undefined) ? `; "CV within a block": the median over blocks of ${runs} consecutive unchanged runs of the same CV (what one gate run sees)` : ''}. Cells: share of trials (count).`, '')
  out.push(shapeTable(infos, tallies[gateMethods[0]!.name] ?? {}), '')
  for (const method of gateMethods) {
    out.push(`Per CV class, ${method.name} (shape-trials added up; "worst shape": the highest A/A rate, the lowest detection rate):`, '')
    out.push(classTable(infos, tallies[method.name] ?? {}), '')
  }
  out.push(`Against the issue's targets (${gateMethods[0]!.name}; ${draw} draws${baselinePool ? ', baseline from the earlier pool' : ''}):`, '')
  out.push(targetTable(infos, tallies[gateMethods[0]!.name] ?? {}), '')

  out.push('## Per method', '')
  for (const method of methods) out.push(methodTable({ method, tallies, slowdowns, keys, runWallMs }), '')
  out.push(`Evaluation: ${(evalMs / 1000).toFixed(0)} s; total wall time ${((performance.now() - started) / 1000).toFixed(0)} s; load average before ${loadBefore.map(l => l.toFixed(2)).join(' ')}, after ${loadavg().map(l => l.toFixed(2)).join(' ')}.`)
  process.stdout.write(`${out.join('\n')}\n`)
  return 0
}

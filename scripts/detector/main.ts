/**
 * `npm run eval:detector`: measures a pool of independent runs of test/fixtures/detector (four
 * benchmark shapes, unchanged and with +5 / +10 / +20 % injected work), forms A/A and A/B trials
 * from it and prints, per decision method, the false-positive rate and the detection rates.
 * See docs/detection.md.
 */
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { resolveGateOptions } from '../../src/config/gate.ts'
import type { ResolvedDecision } from '../../src/compare/types.ts'
import { evaluate, spreads } from './evaluate.ts'
import { autoMethod, benchgateMethod, meanRuleMethod, vitestCompareMethod, type Method } from './methods.ts'
import { loadPool, measurePool, runsByVariant, savePool, truncateRounds, type Pool, type Variant } from './pool.ts'
import { methodTable, poolTable } from './table.ts'
import { drawTrials, reuseOf } from './trials.ts'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const CONTROL = 'A'
const VARIANTS: Variant[] = [
  { name: CONTROL, factor: 1 },
  { name: '+5 %', factor: 1.05 },
  { name: '+10 %', factor: 1.1 },
  { name: '+20 %', factor: 1.2 },
]

/** The usage text. */
export const USAGE = `usage: npm run eval:detector -- [options]
  --size <n>         runs of the unchanged variant (default 60; +5 % and +10 % get 40 % of it, +20 % 20 %)
  --pool <file>      re-evaluate a saved pool instead of measuring
  --save <file>      where to save the measured pool (default .benchgate/detector/pool-latest.json)
  --aa <n>           A/A trials (default 400)
  --ab <n>           A/B trials per slowdown (default 200)
  --seed <n>         trial-drawing seed (default 1)
  --mode <m>         random (default) | split: baseline from the earlier half of the pool, current from the later
                     | paired: each current run with the unchanged run nearest in time, as compare --against
                       measures (adds benchgate's paired decision beside the unpaired one on the same runs)
  --rounds <n>       BENCHGATE_ROUNDS for the measured runs (default: the scenarios' own)
  --use-rounds <n>   evaluate with only the first n rounds of each scenario run
  --cpu <n|none>     pin every run to CPU n with taskset (default none)
  --auto <max>       also evaluate compare --against --runs auto (no session drift): 3 runs per side, then one
                     more at a time until decided or <max> per side (the pool must hold 2x<max> unchanged runs)
  --try <spec>       also evaluate benchgate with other settings, e.g. runs=5,baselineRuns=5,cv=0.01,weight=3,alpha=0.05 (repeatable)`

function int(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: expected an integer >= 1 but received ${JSON.stringify(value)}`)
  return n
}

/** Parses a `--try` spec into a benchgate method. Errors name the flag and the bad key. */
export function tryMethod(spec: string, base: { decision: ResolvedDecision, runs: number, baselineRuns: number }): Method {
  const decision: ResolvedDecision = { ...base.decision, noisePrior: { ...base.decision.noisePrior }, thresholds: { ...base.decision.thresholds } }
  let { runs, baselineRuns } = base
  for (const part of spec.split(',').map(s => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=')
    const value = Number(raw)
    if (!(value > 0)) throw new Error(`--try ${spec}: ${key} needs a number > 0, received ${JSON.stringify(raw)}`)
    if (key === 'runs') runs = value
    else if (key === 'baselineRuns') baselineRuns = value
    else if (key === 'cv') decision.noisePrior.cv = value
    else if (key === 'weight') decision.noisePrior.weight = value
    else if (key === 'alpha') decision.alpha = value
    else throw new Error(`--try ${spec}: unknown key ${JSON.stringify(key)} (runs, baselineRuns, cv, weight, alpha)`)
  }
  return benchgateMethod(`benchgate [${spec}]`, decision, baselineRuns, runs)
}

/** Runs the harness with command-line arguments; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'size': { type: 'string' },
      'pool': { type: 'string' },
      'save': { type: 'string' },
      'aa': { type: 'string' },
      'ab': { type: 'string' },
      'seed': { type: 'string' },
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
  const mode = values.mode ?? 'random'
  if (mode !== 'random' && mode !== 'split' && mode !== 'paired') throw new Error(`--mode: expected random, split or paired but received ${JSON.stringify(mode)}`)
  const cpu = values.cpu === undefined || values.cpu === 'none' ? undefined : Number(values.cpu)
  if (cpu !== undefined && !(Number.isInteger(cpu) && cpu >= 0)) throw new Error(`--cpu: expected a CPU number or none but received ${JSON.stringify(values.cpu)}`)

  let pool: Pool
  if (values.pool) {
    pool = loadPool(resolve(values.pool))
    process.stderr.write(`eval:detector: re-evaluating the pool in ${values.pool} (measured ${pool.createdAt})\n`)
  }
  else {
    const size = int('size', values.size, 60)
    const counts = { [CONTROL]: size, '+5 %': Math.round(size * 0.4), '+10 %': Math.round(size * 0.4), '+20 %': Math.round(size * 0.2) }
    const rounds = values.rounds === undefined ? undefined : int('rounds', values.rounds, 10)
    process.stderr.write(`eval:detector: measuring ${Object.values(counts).reduce((a, b) => a + b, 0)} runs of test/fixtures/detector (${Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join(', ')}), one process at a time, interleaved\n`)
    pool = await measurePool({
      root: join(repoRoot, 'test/fixtures/detector'),
      variants: VARIANTS,
      counts,
      ...(rounds !== undefined ? { rounds } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      onRun: (run, done, total) => {
        if (done % 10 === 0 || done === total) process.stderr.write(`  ${done}/${total} runs (last: ${run.variant}, ${(run.wallMs / 1000).toFixed(1)} s, load ${run.load.toFixed(2)})\n`)
      },
    })
    const save = resolve(values.save ?? join(repoRoot, '.benchgate/detector/pool-latest.json'))
    savePool(save, pool)
    process.stderr.write(`eval:detector: pool saved to ${save} (re-evaluate with --pool)\n`)
  }

  const useRounds = values['use-rounds'] === undefined ? undefined : int('use-rounds', values['use-rounds'], 10)
  const byVariant = runsByVariant(pool)
  if (useRounds !== undefined) for (const [k, list] of byVariant) byVariant.set(k, list.map(r => truncateRounds(r, useRounds)))
  const sizes = Object.fromEntries([...byVariant].map(([k, v]) => [k, v.length]))
  let slowdowns = pool.variants.map(v => v.name).filter(n => n !== CONTROL && sizes[n])

  const defaults = resolveGateOptions({}, {})
  const base = { decision: defaults.decision, runs: defaults.runs, baselineRuns: defaults.baselineRuns }
  const methods: Method[] = [
    benchgateMethod(`benchgate at its defaults (noisePrior cv ${defaults.decision.noisePrior.cv}, weight ${defaults.decision.noisePrior.weight}; alpha ${defaults.decision.alpha})`, defaults.decision, defaults.baselineRuns, defaults.runs),
    ...(mode === 'paired'
      ? [
          benchgateMethod('benchgate paired (compare --against: per-pair ratios)', { ...defaults.decision, sessionDrift: 0 }, defaults.runs, defaults.runs, { paired: true }),
          benchgateMethod('benchgate unpaired on the same runs (compare --against before the paired decision)', { ...defaults.decision, sessionDrift: 0 }, defaults.runs, defaults.runs),
        ]
      : []),
    ...(values.auto !== undefined ? [autoMethod(`compare --against --runs auto (3 to ${int('auto', values.auto, 12)} runs per side, no session drift)`, { ...defaults.decision, sessionDrift: 0 }, 3, int('auto', values.auto, 12))] : []),
    ...(values.try ?? []).map(spec => tryMethod(spec, base)),
    meanRuleMethod('mean worse than 10 % (pytest-benchmark --benchmark-compare-fail=mean:10%)', 0.10),
    meanRuleMethod('mean worse than 5 %', 0.05),
    meanRuleMethod('mean worse than 10 %, on the same runs as benchgate', 0.10, defaults.baselineRuns, defaults.runs),
    vitestCompareMethod(),
  ]
  const baselineRuns = Math.max(...methods.map(m => m.baselineRuns))
  const runs = Math.max(...methods.map(m => m.runs))
  const usable = Object.fromEntries(Object.entries(sizes).filter(([k, n]) => k === CONTROL || n >= runs))
  for (const [k, n] of Object.entries(sizes)) if (!usable[k]) process.stderr.write(`eval:detector: skipping ${k}: ${n} runs, a trial needs ${runs}\n`)
  slowdowns = slowdowns.filter(s => usable[s])
  const trials = drawTrials({
    control: CONTROL,
    sizes: usable,
    aaTrials: int('aa', values.aa, 400),
    abTrials: int('ab', values.ab, 200),
    baselineRuns,
    runs,
    seed: int('seed', values.seed, 1),
    mode,
    seqs: Object.fromEntries([...byVariant].map(([k, list]) => [k, list.map(r => r.seq)])),
  })
  const evalStarted = performance.now()
  const tallies = evaluate({ control: CONTROL, runs: byVariant, trials, methods })
  const evalMs = performance.now() - evalStarted

  const keys = [...new Set(Object.values(tallies).flatMap(k => Object.values(k).flatMap(b => Object.keys(b))))].filter(k => k !== '*').sort()
  keys.push('*')
  const controlRuns = byVariant.get(CONTROL) ?? []
  const runWallMs = controlRuns.reduce((s, r) => s + r.wallMs, 0) / Math.max(1, controlRuns.length)
  const meanLoad = pool.runs.reduce((s, r) => s + r.load, 0) / Math.max(1, pool.runs.length)
  const out: string[] = []
  out.push(`# benchgate detector evaluation`, '')
  out.push(`Machine: ${pool.environment.cpuModel}, ${pool.environment.cores} cores, ${pool.environment.os}, Node ${pool.environment.node}, vitest ${pool.environment.vitest}.`)
  out.push(`Pool measured ${pool.createdAt}: ${pool.runs.length} runs in ${(pool.wallMs / 1000).toFixed(0)} s (${(runWallMs / 1000).toFixed(2)} s per run of the four benchmarks), ${pool.cpu !== undefined ? `pinned to CPU ${pool.cpu}` : 'not pinned'}, ${pool.rounds !== undefined ? `BENCHGATE_ROUNDS=${pool.rounds}` : 'scenario rounds at their default'}${useRounds !== undefined ? ` (evaluated on the first ${useRounds})` : ''}; 1-minute load average during the pool: mean ${meanLoad.toFixed(2)}, max ${Math.max(...pool.runs.map(r => r.load)).toFixed(2)}.`)
  out.push(`Trials (${mode}): ${trials.filter(t => t.kind === 'A/A').length} A/A and ${trials.filter(t => t.kind !== 'A/A').length / Math.max(1, slowdowns.length)} per slowdown, seed ${values.seed ?? 1}; each trial draws its baseline and current runs without repeats inside the trial.`)
  const reuse = Object.keys(sizes).map(v => `${v} ${reuseOf(trials, v, sizes[v]!, CONTROL).toFixed(0)}x`).join(', ')
  out.push(`Trials reuse pool runs (average uses per run: ${reuse}), so they are not independent: the Wilson intervals below treat them as independent and are therefore optimistic (too narrow).`)
  out.push(`"flagged" = warning or critical (the issue's "detected"); "failed" = critical (exit 1); "significant" (benchgate) = a significant slowdown of any size, flagged or not (below 5 % it is reported as ok with "significant but below the warning threshold"). Detection cells: flagged / failed / significant.`, '')
  out.push(poolTable(spreads(byVariant), CONTROL, slowdowns, sizes), '')
  for (const method of methods) out.push(methodTable({ method, tallies, slowdowns, keys, runWallMs }), '')
  out.push(`Evaluation: ${(evalMs / 1000).toFixed(0)} s; total wall time ${((performance.now() - started) / 1000).toFixed(0)} s; load average before ${loadBefore.map(l => l.toFixed(2)).join(' ')}, after ${loadavg().map(l => l.toFixed(2)).join(' ')}.`)
  process.stdout.write(`${out.join('\n')}\n`)
  return 0
}

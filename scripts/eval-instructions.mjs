#!/usr/bin/env node
// `npm run eval:instructions`: the targets of `--measure instructions` (docs/instructions.md) on
// test/fixtures/instructions (one benchmark per kind of work: CPU loop, allocation, JSON, Map/Set,
// sort, regexp, async, thread pool, a plain bench):
//   targets  a baseline (the mode's default 3 runs), then N reruns each (the mode's default 2 runs):
//            unchanged code at a 0.5 % / 1 % instruction threshold (largest |change| per benchmark,
//            how many reruns flagged it: any verdict but ok); the CPU loop doing 1 % more work at
//            that threshold (flagged: warning or critical); 20 % more at the default 5 % / 10 %
//            (critical);
//   cost     per benchmark, and for the repo's small_gif_validation, the wall time (and CPU time)
//            of the same run measuring time and measuring instructions, each with its mode's
//            default runs (time 5, instructions 2), and the factor.
// Prints Markdown tables; --keep <dir> keeps the baseline and every rerun's JSON report there;
// --baseline <file> takes a kept baseline instead of recording one; --jobs <n> runs n reruns at
// once (counts do not depend on load; the cost part always runs one at a time).
// Usage:
//   node scripts/eval-instructions.mjs [--reruns 20] [--only targets|cost] [--cost-repeats 1] [--keep <dir>] [--baseline <file>] [--jobs 1]
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const reruns = Number(flag('reruns', 20))
const only = flag('only', 'all')
const costRepeats = Number(flag('cost-repeats', 1))
const keep = flag('keep', undefined)
const keptBaseline = flag('baseline', undefined)
const jobs = Math.max(1, Number(flag('jobs', 1)))
if (keep) mkdirSync(keep, { recursive: true })
const root = fileURLToPath(new URL('..', import.meta.url))
const fixture = join(root, 'test/fixtures/instructions')
const vitest = join(root, 'node_modules/vitest/vitest.mjs')
const work = mkdtempSync(join(tmpdir(), 'benchgate-eval-instructions-'))
const STRICT = '0.005,0.01'
const SHAPES = ['cpu loop', 'allocation', 'json', 'map and set', 'sort', 'regexp', 'async', 'thread pool', 'plain small sum']
const CPU = 'cpu loop'
const timeCommand = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

const log = line => process.stderr.write(`${line}\n`)

/** Runs `vitest bench --run` and returns exit code, wall and CPU seconds, and the JSON report when asked for. */
function bench(options) {
  const { command, fullEnv, out, cwd } = benchCommand(options)
  const t0 = performance.now()
  const r = spawnSync(command[0], command.slice(1), { cwd, env: fullEnv, encoding: 'utf8', maxBuffer: 64 << 20 })
  return benchResult(r.status, r.stdout, r.stderr, (performance.now() - t0) / 1000, out, options.report)
}

/** {@link bench}, without blocking: for reruns in parallel (--jobs). */
function benchAsync(options) {
  const { command, fullEnv, out, cwd } = benchCommand(options)
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd, env: fullEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', d => { stderr += d })
    child.on('error', reject)
    child.on('close', code => resolve(benchResult(code, stdout, stderr, (performance.now() - t0) / 1000, out, options.report)))
  })
}

function benchCommand({ cwd = fixture, argv = [], env = {}, report = false }) {
  const out = join(work, `report-${Math.random().toString(36).slice(2)}`)
  const fullEnv = { ...process.env, NO_COLOR: '1', BENCHGATE_HISTORY: 'off', BENCHGATE_BASELINE_DIR: join(work, 'baselines'), ...(report ? { BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: out } : {}), ...env }
  const node = [process.execPath, vitest, 'bench', '--run', '--root', cwd, ...argv]
  const command = timeCommand ? [timeCommand, '-f', 'BENCHGATE_EVAL_CPU %U %S', ...node] : node
  return { command, fullEnv, out, cwd }
}

function benchResult(code, stdout, stderr, wall, out, report) {
  const cpu = /BENCHGATE_EVAL_CPU ([\d.]+) ([\d.]+)/.exec(stderr ?? '')
  const result = { code, wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, stdout, stderr }
  if (report) {
    const path = join(out, 'ci_report_latest.json')
    result.report = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined
    rmSync(out, { recursive: true, force: true })
  }
  return result
}

/** The `instructions` metric report of each benchmark, by name. */
function metrics(report) {
  const out = {}
  for (const b of report?.benchmarks ?? []) {
    const m = b.metrics.find(x => x.metric === 'instructions')
    if (m) out[b.name] = m
  }
  return out
}

const pct = x => (x === undefined ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(4)} %`)

async function targets() {
  const baselineFile = join(work, 'baselines/current_baselines.instructions.json')
  if (keptBaseline) {
    log(`baseline: ${keptBaseline} (kept from an earlier run)`)
    mkdirSync(join(work, 'baselines'), { recursive: true })
    cpSync(keptBaseline, baselineFile)
  }
  else {
    log(`baseline (instruction mode, 3 runs) into ${join(work, 'baselines')}`)
    const base = bench({ argv: ['-u'], env: { BENCHGATE_TAGS: 'all' } })
    if (base.code !== 0) throw new Error(`the baseline run failed (exit ${base.code}):\n${base.stdout}\n${base.stderr}`)
    if (keep) cpSync(baselineFile, join(keep, 'baseline.json'))
  }
  const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'))

  const conditions = [
    { label: 'unchanged, 0.5 % / 1 % thresholds', env: { FIXTURE_INSTRUCTION_THRESHOLDS: STRICT } },
    { label: 'CPU loop +1 % work, 0.5 % / 1 % thresholds', env: { FIXTURE_INSTRUCTION_THRESHOLDS: STRICT, FIXTURE_CPU_FACTOR: '1.01' } },
    { label: 'CPU loop +20 % work, default 5 % / 10 % thresholds', env: { FIXTURE_CPU_FACTOR: '1.2' } },
  ]
  const tallies = conditions.map(() => Object.fromEntries(SHAPES.map(s => [s, { maxAbs: 0, changes: [], verdicts: {} }])))
  const failedRuns = conditions.map(() => 0)
  const queue = []
  for (let i = 0; i < reruns; i++) conditions.forEach((condition, c) => queue.push({ i, c, condition }))
  const one = async ({ i, c, condition }) => {
    const r = await benchAsync({ env: { BENCHGATE_TAGS: 'all', ...condition.env }, report: true })
    if (!r.report) throw new Error(`rerun ${i + 1} (${condition.label}) wrote no report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
    if (r.code !== 0) failedRuns[c]++
    if (keep) writeFileSync(join(keep, `rerun-${c}-${i + 1}.json`), JSON.stringify(r.report))
    const byName = metrics(r.report)
    for (const shape of SHAPES) {
      const m = byName[shape]
      const t = tallies[c][shape]
      const change = m?.change?.estimate
      if (change !== undefined) {
        t.changes.push(change)
        t.maxAbs = Math.max(t.maxAbs, Math.abs(change))
      }
      t.verdicts[m?.verdict ?? 'absent'] = (t.verdicts[m?.verdict ?? 'absent'] ?? 0) + 1
    }
    log(`rerun ${i + 1}/${reruns}: ${condition.label}: exit ${r.code}, ${CPU} ${pct(byName[CPU]?.change?.estimate)} ${byName[CPU]?.verdict}`)
  }
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length) await one(queue.shift())
  }))

  const floor = name => baseline.entries[`bench/shapes.bench.ts > ${name}`]?.metrics.instructions?.noiseFloor
  const median = name => baseline.entries[`bench/shapes.bench.ts > ${name}`]?.metrics.instructions?.summary.median
  console.log(`\n### Unchanged code: ${reruns} reruns against one baseline (0.5 % warning / 1 % critical)\n`)
  console.log('| benchmark | Ir per round (baseline median) | noise floor (baseline, 3 runs) | max \\|change\\| | flagged |')
  console.log('|:--|--:|--:|--:|--:|')
  for (const shape of SHAPES) {
    const t = tallies[0][shape]
    const flagged = Object.entries(t.verdicts).filter(([v]) => v !== 'ok').reduce((s, [, n]) => s + n, 0)
    console.log(`| ${shape} | ${Math.round(median(shape) ?? 0).toLocaleString('en-US')} | ${pct(floor(shape))} | ${(t.maxAbs * 100).toFixed(4)} % | ${flagged} of ${reruns} |`)
  }
  console.log(`\nRuns that failed (exit 1): ${failedRuns[0]} of ${reruns}.`)
  console.log(`\n### Detection on the CPU loop (${reruns} reruns each)\n`)
  console.log('| change | thresholds | estimate (min .. max) | verdicts | runs failed |')
  console.log('|:--|:--|--:|:--|--:|')
  conditions.slice(1).forEach((condition, k) => {
    const t = tallies[k + 1][CPU]
    const lo = Math.min(...t.changes)
    const hi = Math.max(...t.changes)
    console.log(`| ${k === 0 ? '+1 %' : '+20 %'} | ${k === 0 ? '0.5 % / 1 %' : '5 % / 10 %'} | ${pct(lo)} .. ${pct(hi)} | ${Object.entries(t.verdicts).map(([v, n]) => `${v} ${n}`).join(', ')} | ${failedRuns[k + 1]} of ${reruns} |`)
  })
  const others = SHAPES.filter(s => s !== CPU).map(s => tallies[1][s]).reduce((n, t) => n + Object.entries(t.verdicts).filter(([v]) => v !== 'ok').reduce((a, [, x]) => a + x, 0), 0)
  console.log(`\nOther benchmarks flagged while the CPU loop changed by 1 %: ${others}.`)
}

function cost() {
  const rows = []
  const measureOnce = (label, opts) => {
    const time = [], instr = []
    for (let i = 0; i < costRepeats; i++) {
      const t = bench({ ...opts, env: { ...opts.env, BENCHGATE_MEASURE: 'time' } })
      const n = bench({ ...opts, env: { ...opts.env, BENCHGATE_MEASURE: 'instructions' } })
      if (t.code !== 0 || n.code !== 0) throw new Error(`${label}: exit ${t.code} (time) / ${n.code} (instructions):\n${t.stderr}\n${n.stderr}`)
      time.push(t)
      instr.push(n)
    }
    const med = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    const row = { label, timeWall: med(time.map(r => r.wall)), instrWall: med(instr.map(r => r.wall)) }
    if (time.every(r => r.cpu !== undefined)) {
      row.timeCpu = med(time.map(r => r.cpu))
      row.instrCpu = med(instr.map(r => r.cpu))
    }
    rows.push(row)
    log(`cost ${label}: time ${row.timeWall.toFixed(1)} s, instructions ${row.instrWall.toFixed(1)} s (x${(row.instrWall / row.timeWall).toFixed(1)})`)
  }
  const escape = s => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  for (const shape of SHAPES) measureOnce(shape, { argv: ['-t', `^${escape(shape)}$`], env: { BENCHGATE_TAGS: 'all' } })
  measureOnce('small_gif_validation (scenarios/giflab)', { cwd: root, argv: ['scenarios/giflab/small.bench.ts'], env: {} })
  console.log('\n### Cost: the same run measuring time (5 runs) and instructions (2 runs)\n')
  console.log('| benchmark | time mode: wall (CPU) | instruction mode: wall (CPU) | factor: wall (CPU) |')
  console.log('|:--|--:|--:|--:|')
  for (const r of rows) {
    const cpu = r.timeCpu !== undefined ? ` (${r.timeCpu.toFixed(1)} s)` : ''
    const cpuI = r.instrCpu !== undefined ? ` (${r.instrCpu.toFixed(1)} s)` : ''
    const f = r.timeCpu !== undefined ? ` (${(r.instrCpu / r.timeCpu).toFixed(1)}x)` : ''
    console.log(`| ${r.label} | ${r.timeWall.toFixed(1)} s${cpu} | ${r.instrWall.toFixed(1)} s${cpuI} | ${(r.instrWall / r.timeWall).toFixed(1)}x${f} |`)
  }
}

try {
  if (only === 'all' || only === 'targets') await targets()
  if (only === 'all' || only === 'cost') cost()
}
catch (error) {
  log(`eval:instructions: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
}
finally {
  rmSync(work, { recursive: true, force: true })
}

#!/usr/bin/env node
// `npm run eval:instructions:switching`: how `--measure instructions` turns counting on and off
// around a benchmark body, measured (docs/instructions.md). Four candidates, each on three bodies
// (a CPU loop, allocation, zlib work on libuv's thread pool), three processes each, five rounds per
// process, with varied "framework" work between rounds (as Vitest does):
//   instrumentation  CALLGRIND_START/STOP_INSTRUMENTATION around each round (all threads count)
//   collect-js       instrumentation on for the whole benchmark, CALLGRIND_TOGGLE_COLLECT around
//                    each round, --collect-atstart=no (collection state is per thread)
//   collect-all      the same, but every other thread collects all along (--collect-atstart=yes)
//                    and CALLGRIND_ZERO_STATS clears them before each round  <- what benchgate does
//   subtract         no client requests: whole processes of n and 2n rounds under Callgrind,
//                    per round = (total(2n) - total(n)) / n
// (Callgrind's --toggle-collect=<function> cannot name a JavaScript function: JIT code has no
// symbols; a native trampoline would be the addon again, with collect-js's per-thread limit.)
// Prints a Markdown table: Ir per round (median over processes), the spread across processes
// ((max - min) / median of the per-process medians) and the CPU time of the 3 x 3 processes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'benchgate-switching-'))
const ROUNDS = 5
const PROCESSES = 3
const NODE_FLAGS = ['--predictable', '--hash-seed=1', '--random-seed=1', '--expose-gc']

// The benchmark process: `node prog.js <method> <body> <rounds> <outDir> <addon>`; prints the
// per-round counts (a JSON array) for the client-request methods.
const PROGRAM = String.raw`
const { readdirSync, readFileSync, rmSync } = require('node:fs')
const { deflate } = require('node:zlib')
const [method, bodyName, roundsArg, outDir, addonPath] = process.argv.slice(2)
const rounds = Number(roundsArg)
const addon = method === 'subtract' ? undefined : require(addonPath)
const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => 'line ' + i + ' of some text ' + (i * 37 % 101)).join('\n'))
const bodies = {
  loop: () => { let acc = 0; for (let i = 0; i < 300000; i++) acc += Math.sqrt(i) * Math.sin(i); return acc },
  alloc: () => { const kept = []; for (let i = 0; i < 20000; i++) kept.push({ id: i, tags: ['t' + (i % 7)], values: [i, i * 2] }); return kept.length },
  threads: () => Promise.all([0, 1, 2, 3].map(() => new Promise((resolve, reject) => deflate(text, (e, out) => (e ? reject(e) : resolve(out.length)))))),
}
// What a test runner does between rounds: varied code, a timer, some allocation.
async function between(r) {
  const doc = { round: r, items: Array.from({ length: 300 }, (_, i) => ({ i, s: 'x' + i })) }
  JSON.parse(JSON.stringify(doc))
  new Intl.NumberFormat('en-US').format(r * 1234.5)
  ;[...'the quick brown fox'].sort().join('')
  await new Promise(resolve => setTimeout(resolve, 1))
}
const take = () => {
  const files = readdirSync(outDir).filter(f => f.startsWith('callgrind.' + process.pid + '.')).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
  const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(outDir + '/' + files.at(-1), 'utf8'))[1])
  for (const f of files) rmSync(outDir + '/' + f)
  return total
}
async function main() {
  const body = bodies[bodyName]
  await body()
  const counts = []
  if (method === 'collect-js' || method === 'collect-all') {
    addon.startInstrumentation()
    if (method === 'collect-all') addon.toggleCollect()
  }
  for (let r = 0; r < rounds; r++) {
    await between(r)
    gc()
    if (method === 'instrumentation') addon.startInstrumentation()
    if (method === 'collect-all') addon.zeroStats()
    if (method.startsWith('collect')) addon.toggleCollect()
    await body()
    if (method.startsWith('collect')) addon.toggleCollect()
    if (addon) {
      addon.dumpStats()
      if (method === 'instrumentation') addon.stopInstrumentation()
      counts.push(take())
    }
  }
  if (addon) process.stdout.write(JSON.stringify(counts))
}
main()
`

function callgrind(method, body, rounds, outDir, addon) {
  const valgrind = [
    '-q', '--tool=callgrind', `--callgrind-out-file=${join(outDir, 'callgrind.%p')}`,
    ...(method === 'subtract' ? ['--instr-atstart=yes'] : ['--instr-atstart=no']),
    `--collect-atstart=${method === 'collect-js' ? 'no' : 'yes'}`,
  ]
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', 'valgrind', ...valgrind, process.execPath, ...NODE_FLAGS, join(work, 'prog.js'), method, body, String(rounds), outDir, addon], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${method} ${body}: exit ${r.status}: ${r.stderr}`)
  const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr)
  return { stdout: r.stdout, cpu: Number(cpu[1]) + Number(cpu[2]) }
}

/** Total Ir of a finished process (its termination dump), for `subtract`. */
function processTotal(outDir) {
  const file = readdirSync(outDir).find(f => /^callgrind\.\d+$/.test(f))
  const total = Number(/^totals:\s+(\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'))[1])
  rmSync(outDir, { recursive: true, force: true })
  return total
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

try {
  writeFileSync(join(work, 'prog.js'), PROGRAM)
  const { module } = await runnerImport(join(root, 'src/measure/addon.ts'), { configFile: false, logLevel: 'error' })
  const addon = module.ensureValgrindAddon(root, line => process.stderr.write(`${line}\n`))
  const results = {}
  for (const method of ['instrumentation', 'collect-js', 'collect-all', 'subtract']) {
    results[method] = { seconds: 0 }
    for (const body of ['loop', 'alloc', 'threads']) {
      const perProcess = []
      for (let p = 0; p < PROCESSES; p++) {
        if (method === 'subtract') {
          const totals = []
          for (const rounds of [ROUNDS, 2 * ROUNDS]) {
            const outDir = mkdtempSync(join(work, 'out-'))
            results[method].seconds += callgrind(method, body, rounds, outDir, addon).cpu
            totals.push(processTotal(outDir))
          }
          perProcess.push((totals[1] - totals[0]) / ROUNDS)
        }
        else {
          const outDir = mkdtempSync(join(work, 'out-'))
          const r = callgrind(method, body, ROUNDS, outDir, addon)
          results[method].seconds += r.cpu
          perProcess.push(median(JSON.parse(r.stdout)))
          rmSync(outDir, { recursive: true, force: true })
        }
        process.stderr.write('.')
      }
      const m = median(perProcess)
      results[method][body] = { median: m, spread: (Math.max(...perProcess) - Math.min(...perProcess)) / m }
    }
    process.stderr.write(` ${method}\n`)
  }
  const cell = r => `${Math.round(r.median).toLocaleString('en-US')} (±${(r.spread * 100).toPrecision(2)} %)`
  console.log(`| candidate | CPU loop: Ir per round (spread) | allocation | zlib on the thread pool | CPU time, ${3 * PROCESSES} processes |`)
  console.log('|:--|--:|--:|--:|--:|')
  for (const [method, r] of Object.entries(results)) console.log(`| ${method} | ${cell(r.loop)} | ${cell(r.alloc)} | ${cell(r.threads)} | ${r.seconds.toFixed(1)} s |`)
}
finally {
  rmSync(work, { recursive: true, force: true })
}

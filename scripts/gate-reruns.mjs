#!/usr/bin/env node
// Reruns the gate on test/fixtures/basic (5 benchmarks) against one fresh baseline: N unchanged
// reruns (false positives: runs that fail) and N runs made slower by FACTOR (caught: runs that
// fail, and per-benchmark critical / warning counts). Usage:
//   node scripts/gate-reruns.mjs [--runs 20] [--factor 1.1]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? Number(args[i + 1]) : fallback
}
const runs = flag('runs', 20)
const factor = flag('factor', 1.1)
const root = fileURLToPath(new URL('..', import.meta.url))
const fixture = join(root, 'test/fixtures/basic')
const dir = mkdtempSync(join(tmpdir(), 'benchgate-reruns-'))
// the plugin's defaults: 5 runs for the baseline, 5 when gating
const env = { ...process.env, NO_COLOR: '1', BENCHGATE_BASELINE_DIR: dir, BENCHGATE_HISTORY: 'off', FIXTURE_RUNS: '5', FIXTURE_BASELINE_RUNS: '5' }

function bench(extraArgs, extraEnv = {}) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'bench', '--run', '--root', fixture, ...extraArgs], { env: { ...env, ...extraEnv }, encoding: 'utf8' })
  const verdicts = {}
  for (const m of r.stdout.matchAll(/^ {2}(CRITICAL|WARNING|improved|unstable|ERROR): (\S.*?) \[(\w+)\]/gm)) {
    const key = `${m[2]} [${m[3]}]`
    verdicts[key] = m[1]
  }
  return { code: r.status, verdicts }
}

try {
  const base = bench(['-u'])
  if (base.code !== 0) throw new Error(`baseline run failed with exit ${base.code}`)
  const tally = (label, extraEnv) => {
    let failed = 0
    const perBench = {}
    for (let i = 0; i < runs; i++) {
      const r = bench([], extraEnv)
      if (r.code !== 0) failed++
      for (const [key, verdict] of Object.entries(r.verdicts)) (perBench[key] ??= {})[verdict] = ((perBench[key] ??= {})[verdict] ?? 0) + 1
      process.stderr.write('.')
    }
    process.stderr.write('\n')
    console.log(`${label}: ${failed} of ${runs} runs failed (exit 1)`)
    for (const [key, counts] of Object.entries(perBench).sort()) console.log(`  ${key}: ${Object.entries(counts).map(([v, n]) => `${v} ${n}`).join(', ')}`)
  }
  tally('unchanged', {})
  tally(`slower x${factor}`, { FIXTURE_FACTOR: String(factor) })
}
finally {
  rmSync(dir, { recursive: true, force: true })
}

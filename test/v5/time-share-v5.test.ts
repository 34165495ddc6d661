import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TINYBENCH6_TIMES } from '../../plugin/v5/worker.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import { builtEntries } from '../helpers/build.ts'
import { run } from '../helpers/run.ts'
import { FULL_TIME, SHARED_TIME, WAIT_BENCH, WAIT_BENCH_FILE, waitSamples } from '../helpers/time-share.ts'
import { setupV5, v5Dir, vitest5 } from './setup.ts'

// timeBudget under vitest 5 on Node 22: benchgate's plain bench() passes each run its share of the
// tinybench time (plugin/v5/worker.ts), counted in the samples each run took. A temp project whose
// node_modules are .cache/v5's.
let node: string
let root: string
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}
const baseline = () => JSON.parse(readFileSync(join(root, 'baselines/current_baselines.json'), 'utf8')) as BaselineFile
const bench = (env: Record<string, string>) => run(node, [vitest5, 'bench', '--run', '-u', '--root', root], { env })

beforeAll(() => {
  node = setupV5()
  root = mkdtempSync(join(tmpdir(), 'benchgate-share-v5-'))
  symlinkSync(join(v5Dir, 'node_modules'), join(root, 'node_modules'), 'dir')
  write('package.json', '{ "name": "share-v5", "private": true, "type": "module" }\n')
  write('vitest.config.ts', `import { benchgate } from ${JSON.stringify(builtEntries().plugin)}
export default {
  resolve: { alias: [{ find: /^benchgate$/, replacement: ${JSON.stringify(builtEntries().entry)} }] },
  plugins: [benchgate({ runs: 2, baselineRuns: 2 })],
}
`)
  write(WAIT_BENCH_FILE, WAIT_BENCH)
}, 600_000)
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

it('a bench that sets no time gets the time and warm-up time of the tinybench vitest 5 runs', () => {
  // resolved from vitest's own directory, as vitest 5 imports it
  const r = run(node, ['--input-type=module', '-e', 'const { Bench } = await import(\'tinybench\'); const b = new Bench(); console.log(JSON.stringify({ time: b.time, warmupTime: b.warmupTime }))'], { cwd: join(v5Dir, 'node_modules/vitest') })
  expect(r.code, r.stderr).toBe(0)
  expect(JSON.parse(r.stdout)).toEqual(TINYBENCH6_TIMES)
})

it('each of 2 runs measures a plain bench for its share of the time budget', () => {
  const full = bench(FULL_TIME)
  expect(full.code, full.stdout + full.stderr).toBe(0)
  for (const samples of waitSamples(baseline())) expect(samples).toBeGreaterThanOrEqual(20)
  const shared = bench(SHARED_TIME)
  expect(shared.code, shared.stdout + shared.stderr).toBe(0)
  const counts = waitSamples(baseline())
  expect(counts).toHaveLength(2)
  for (const samples of counts) expect(samples).toBeLessThanOrEqual(8)
}, 300_000)

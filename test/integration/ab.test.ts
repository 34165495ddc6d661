import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JsonExperimentStore } from '../../src/ab/json-store.ts'
import { runCli } from '../helpers/capture.ts'
import { repoRoot } from '../helpers/run.ts'

const fixture = join(repoRoot, 'test/fixtures/ab')
let state: string
const inherited = 'BENCHGATE_CONFIG_FRAME_CACHE__MEMORY_LIMIT_MB'

beforeAll(() => {
  state = mkdtempSync(join(tmpdir(), 'benchgate-ab-e2e-'))
  // set in the parent: it must not reach any variant
  process.env[inherited] = '999'
})
afterAll(() => {
  delete process.env[inherited]
  rmSync(state, { recursive: true, force: true })
})

const cli = (...args: string[]) => runCli(['ab', ...args, '--root', fixture, '--state-dir', state, '--store', 'json'])

describe('ab run on a fixture project (real vitest children)', () => {
  it('runs every batch in its own process with its own variant\'s config, interleaved', async () => {
    const created = await cli('create', '--name', 'probe', '--tags', 'ab',
      '--control-config', '{"FRAME_CACHE.memory_limit_mb": 20}',
      '--treatment-config', 'small_off={"FRAME_CACHE.memory_limit_mb": 40, "FRAME_CACHE.enabled": false}')
    expect(created.stderr).toBe('')

    const run = await cli('run', '--name', 'probe', '--samples', '4', '--rounds', '2')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Collected 4 batches in 2 cycles (stopped: samples)')

    const { batches } = new JsonExperimentStore(join(state, 'experiments')).load('probe')!
    expect(batches.map(b => b.variant)).toEqual(['control', 'small_off', 'small_off', 'control'])
    const pids = new Set<number>()
    for (const b of batches) {
      // only the tagged scenario, 2 rounds each
      expect(b.benchmarks.map(x => x.key)).toEqual(['bench/probe.bench.ts > config probe'])
      const m = b.benchmarks[0]!.metrics
      const control = b.variant === 'control'
      expect(m.seen_limit_mb!.values).toEqual(control ? [20, 20] : [40, 40])
      expect(m.frame_cache_hit_rate!.values).toEqual(control ? [0.75, 0.75] : [0, 0])
      expect(m.time!.values).toHaveLength(2)
      expect(new Set(m.seen_pid!.values).size).toBe(1)
      pids.add(m.seen_pid!.values[0]!)
      expect(b.environment.vitest).toMatch(/^4\./)
    }
    // four batches, four processes, none of them this one
    expect(pids.size).toBe(4)
    expect(pids.has(process.pid)).toBe(false)

    // a second run adds to the same experiment
    const more = await cli('run', '--name', 'probe', '--rounds', '2')
    expect(more.code).toBe(0)
    const status = await cli('status', '--name', 'probe')
    expect(status.stdout).toMatch(/control\s+control\s+3\s+1\s+FRAME_CACHE\.memory_limit_mb=20/)
    expect(status.stdout).toContain('bench/probe.bench.ts > config probe › frame_cache_hit_rate (hit_rate, higher is better; goal: > 5 point increase, 500+ samples)')
  }, 240_000)
})

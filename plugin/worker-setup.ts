/**
 * The setup file benchgate adds to every benchmark project: before a test file's benchmarks are
 * collected, the measured process places itself (calibrates and pins itself to the fastest CPU,
 * moving Vitest's main process off it; see src/machine/placement.ts) and times the machine probes
 * there, before its benchmarks and after them. Both travel to the reporter on the file's
 * `meta.benchgateMachine`.
 */
import { afterAll } from 'vitest'
import { placeThisProcess, type Placement } from '../src/machine/placement.ts'
import { combineProbes, measureProbes } from '../src/machine/probes.ts'
import { getCurrentSuite } from './current-suite.ts'
import type { MachineMeta } from './protocol.ts'
import { injectedWorkerOptions } from './worker-options.ts'
// the worker dies with its Vitest process (the config hook's setup file does not reach replicas
// added from the CLI; this one does)
import './parent-watch.ts'

const PLACED = Symbol.for('benchgate.placement')
// The closing probes take a fraction of a second, but a loaded or suspended machine can stretch
// them past the project's hookTimeout (vitest's default is 10 s): a slow probe must not fail the
// user's benchmark file.
const PROBE_HOOK_TIMEOUT_MS = 300_000

const opts = injectedWorkerOptions()
// Instruction counts (`measure`) do not depend on the CPU, and probes under Valgrind time nothing real.
if (opts && !opts.measure) {
  // A process that runs several files (isolate: false) places itself once.
  const store = globalThis as unknown as Record<symbol, Placement | undefined>
  const placement = store[PLACED] ??= opts.placement ? placeThisProcess(opts.placement) : { unpinned: 'CPU pinning is off' }
  const meta: MachineMeta = { v: 1 }
  if (opts.probes !== false) {
    const before = measureProbes()
    meta.probe = before
    // and again once the file's benchmarks ran: the probes stand for the whole time they measured
    afterAll(() => {
      meta.probe = combineProbes(before, measureProbes())
    }, PROBE_HOOK_TIMEOUT_MS)
  }
  if (placement.cpu !== undefined) meta.cpu = placement.cpu
  if (placement.speeds) meta.speeds = placement.speeds
  if (placement.unpinned) meta.unpinned = placement.unpinned
  const file = getCurrentSuite()?.file
  if (file) file.meta.benchgateMachine = meta
}

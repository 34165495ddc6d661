import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createPeakMemoryTracker } from '../../src/util/peak-memory.ts'
import { builtBenchgate } from '../helpers/build.ts'
import { run } from '../helpers/run.ts'

const MIB = 1024 * 1024

describe('createPeakMemoryTracker', () => {
  it('sees a short allocation spike that is gone by the end of the window', () => {
    // In a process of its own: in this worker, memory that earlier test files freed is still
    // resident, and a spike that reuses it does not raise the process's peak at all.
    const script = `
      import { createPeakMemoryTracker } from ${JSON.stringify(pathToFileURL(join(builtBenchgate(), 'src/util/peak-memory.js')).href)}
      const tracker = createPeakMemoryTracker()
      tracker.reset()
      const before = tracker.peakMb()
      // ~200 MiB touched, then dropped and handed back to the OS before the peak is read
      let spike = Array.from({ length: 50 }, () => new Uint8Array(4 * 1024 * 1024).fill(1))
      const touched = spike.length
      spike = undefined
      const resident = () => process.memoryUsage.rss() / 1024 / 1024
      const deadline = Date.now() + 60_000
      while (resident() > before + 50 && Date.now() < deadline) {
        gc()
        await new Promise(resolve => setTimeout(resolve, 20))
      }
      console.log(JSON.stringify({ touched, rise: tracker.peakMb() - before, left: resident() - before }))
      tracker.stop()`
    const r = run(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { timeout: 120_000 })
    expect(r.code, r.stderr).toBe(0)
    const { touched, rise, left } = JSON.parse(r.stdout) as { touched: number, rise: number, left: number }
    expect(touched).toBe(50)
    expect(left).toBeLessThan(50)
    expect(rise).toBeGreaterThan(150)
  })

  it('forgets the previous window on reset (kernel high-water mark)', async () => {
    const tracker = createPeakMemoryTracker()
    if (tracker.method !== 'kernel-hwm') return expect(tracker.method).toBe('sampled')
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    let spike: Uint8Array | undefined = new Uint8Array(300 * 1024 * 1024).fill(1)
    expect(spike.length).toBeGreaterThan(0)
    const high = tracker.peakMb()
    spike = undefined
    // V8 hands a dead ArrayBuffer's memory back to the OS from a background thread, which a busy
    // machine can delay: wait until the resident set has dropped (the old peak must outlive it)
    const deadline = Date.now() + 60_000
    while (process.memoryUsage.rss() / MIB > high - 250 && Date.now() < deadline) {
      gc()
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    expect(process.memoryUsage.rss() / MIB).toBeLessThan(high - 250)
    // the 300 MiB were returned to the OS: the old peak stays until reset, then it is gone
    expect(tracker.peakMb()).toBeCloseTo(high, 0)
    tracker.reset()
    expect(tracker.peakMb()).toBeLessThan(high - 200)
    tracker.stop()
  })
})

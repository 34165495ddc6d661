import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createPeakMemoryTracker } from '../../src/util/peak-memory.ts'

const MIB = 1024 * 1024

describe('createPeakMemoryTracker', () => {
  it('sees a short allocation spike that is gone by the end of the window', () => {
    const tracker = createPeakMemoryTracker()
    tracker.reset()
    const before = tracker.peakMb()
    // ~200 MiB touched, then dropped before the peak is read
    let spike: Uint8Array[] | undefined = Array.from({ length: 50 }, () => new Uint8Array(4 * 1024 * 1024).fill(1))
    expect(spike.length).toBe(50)
    spike = undefined
    const after = tracker.peakMb()
    expect(after - before).toBeGreaterThan(150)
    tracker.stop()
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

import { readFileSync, writeFileSync } from 'node:fs'

/**
 * Tracks the true peak resident memory of this process over a window (a benchmark round), not an
 * end-of-round value.
 *
 * On Linux the kernel keeps the high-water mark itself (`VmHWM` in /proc/self/status): writing
 * `5` to /proc/self/clear_refs resets it, so the peak is exact, however short the spike. Elsewhere
 * (or where /proc is not writable) a sampler reads `process.memoryUsage.rss()` every `intervalMs`
 * and at `peakMb()`; it sees spikes that outlast the interval and yields to the event loop only,
 * so say which method was used (`method`).
 */
export interface PeakMemoryTracker {
  /** `kernel-hwm` (exact) or `sampled` (a timer reading RSS). */
  readonly method: 'kernel-hwm' | 'sampled'
  /** Starts a new window: the peak so far is forgotten. */
  reset: () => void
  /** The peak resident set size since the last reset, in MiB. */
  peakMb: () => number
  /** Stops the sampler, if any. */
  stop: () => void
}

const MIB = 1024 * 1024

function readHwmKb(): number | undefined {
  try {
    const status = readFileSync('/proc/self/status', 'utf8')
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)
    return m ? Number(m[1]) : undefined
  }
  catch {
    return undefined
  }
}

function kernelTracker(): PeakMemoryTracker | undefined {
  if (process.platform !== 'linux' || readHwmKb() === undefined) return undefined
  try {
    writeFileSync('/proc/self/clear_refs', '5')
  }
  catch {
    return undefined
  }
  return {
    method: 'kernel-hwm',
    reset: () => writeFileSync('/proc/self/clear_refs', '5'),
    peakMb: () => (readHwmKb() ?? 0) * 1024 / MIB,
    stop: () => {},
  }
}

function sampledTracker(intervalMs: number): PeakMemoryTracker {
  let peak = process.memoryUsage.rss()
  const sample = () => {
    const rss = process.memoryUsage.rss()
    if (rss > peak) peak = rss
  }
  const timer = setInterval(sample, intervalMs)
  timer.unref()
  return {
    method: 'sampled',
    reset: () => { peak = process.memoryUsage.rss() },
    peakMb: () => {
      sample()
      return peak / MIB
    },
    stop: () => clearInterval(timer),
  }
}

/** Creates a peak-memory tracker: the kernel's exact high-water mark where possible, else a sampler. */
export function createPeakMemoryTracker(options: { intervalMs?: number, forceSampling?: boolean } = {}): PeakMemoryTracker {
  return (!options.forceSampling && kernelTracker()) || sampledTracker(options.intervalMs ?? 5)
}

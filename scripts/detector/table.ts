/** Renders the harness's results as Markdown tables (printed, and pasted into docs/detection.md). */
import { wilsonInterval } from '../../src/stats/wilson.ts'
import type { Spread, Tallies, Tally } from './evaluate.ts'
import type { Method } from './methods.ts'

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`

/** `k/n  p % [lo, hi]` with the 95 % Wilson interval. */
export function rate(k: number, n: number): string {
  if (n === 0) return '-'
  const w = wilsonInterval(k, n)
  return `${k}/${n} ${pct(w.estimate)} [${(w.lower * 100).toFixed(1)}, ${(w.upper * 100).toFixed(1)}]`
}

/** A Markdown table from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n')
}

/** The benchmark's display name: the part of its key after the file. */
export function shortName(key: string): string {
  return key === '*' ? 'any benchmark (the gate run)' : key.split(' > ').slice(1).join(' > ') || key
}

/** What one method's table needs. */
export interface MethodTableInput {
  method: Method
  tallies: Tallies
  /** Slowed-down variants, in column order. */
  slowdowns: readonly string[]
  /** Benchmark keys, in row order (`*` last for the whole gate run). */
  keys: readonly string[]
  /** Mean wall time of one run of the fixture project (all benchmarks), ms. */
  runWallMs: number
}

function detection(t: Tally | undefined, neverFails: boolean, tested: boolean): string {
  if (!t || t.n === 0) return '-'
  if (neverFails) return `0/${t.n} (never fails)`
  return `${pct(t.flagged / t.n, 0)} / ${pct(t.critical / t.n, 0)}${tested ? ` / ${pct(t.significant / t.n, 0)}` : ''}`
}

/**
 * One method: per benchmark, the A/A false-positive rate (failed runs, and flagged at all) with its
 * Wilson interval, and the detection rate at each slowdown (flagged / failed).
 */
export function methodTable(input: MethodTableInput): string {
  const { method, tallies, slowdowns, keys } = input
  const byKind = tallies[method.name] ?? {}
  const neverFails = method.name.startsWith('vitest')
  const tested = method.name.startsWith('benchgate')
  const header = ['benchmark', 'A/A: failed the run [95 % CI]', 'A/A: flagged [95 % CI]', ...slowdowns.map(s => `${s}: flagged / failed${tested ? ' / significant' : ''}`)]
  const rows = keys.map((key) => {
    const aa = byKind['A/A']?.[key]
    return [
      shortName(key),
      aa ? rate(aa.critical, aa.n) : '-',
      aa ? rate(aa.flagged, aa.n) : '-',
      ...slowdowns.map(s => detection(byKind[s]?.[key], neverFails, tested)),
    ]
  })
  const wall = `${((input.runWallMs * method.runs) / 1000).toFixed(1)} s`
  const sides = `${method.baselineRuns} baseline run${method.baselineRuns === 1 ? '' : 's'} vs ${method.runs} current`
  const extra = method.describe ? `; ${method.describe()}` : ''
  return `**${method.name}** (${sides}; measuring the current side: ${wall}${extra})\n\n${markdownTable(header, rows)}`
}

/** The pool: per benchmark, the run-to-run and within-run noise, and each slowdown as measured. */
export function poolTable(spread: ReadonlyMap<string, ReadonlyMap<string, Spread>>, control: string, slowdowns: readonly string[], sizes: Readonly<Record<string, number>>): string {
  const header = ['benchmark', `median (${control})`, 'CV of run medians', 'CV within a run', ...slowdowns.map(s => `${s}: measured`)]
  const rows = [...spread.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, byVariant]) => {
    const a = byVariant.get(control)
    const fmt = (ms: number) => (ms < 0.01 ? `${(ms * 1e6).toFixed(0)} ns` : `${ms.toFixed(2)} ms`)
    return [
      shortName(key),
      a ? fmt(a.median) : '-',
      a ? pct(a.runToRunCv, 2) : '-',
      a ? pct(a.withinCv, 2) : '-',
      ...slowdowns.map((s) => {
        const b = byVariant.get(s)
        return a && b ? `${b.median / a.median >= 1 ? '+' : ''}${((b.median / a.median - 1) * 100).toFixed(1)} %` : '-'
      }),
    ]
  })
  const counts = Object.entries(sizes).map(([v, n]) => `${v}: ${n}`).join(', ')
  return `Pool (runs per variant: ${counts})\n\n${markdownTable(header, rows)}`
}

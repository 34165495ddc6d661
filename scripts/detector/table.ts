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

/**
 * The pool: per benchmark, the run-to-run and within-run noise, and each slowdown as measured.
 * `reference` (the baseline pool of a cross-session comparison) adds its unchanged median and how
 * far this pool's moved from it: the machine's drift between the sessions, per benchmark.
 */
export function poolTable(spread: ReadonlyMap<string, ReadonlyMap<string, Spread>>, control: string, slowdowns: readonly string[], sizes: Readonly<Record<string, number>>, reference?: ReadonlyMap<string, ReadonlyMap<string, Spread>>): string {
  const header = ['benchmark', `median (${control})`, 'CV of run medians', 'CV within a run', ...slowdowns.map(s => `${s}: measured`), ...(reference ? [`baseline pool: median (${control})`, 'this pool / baseline pool'] : [])]
  const fmt = (ms: number) => (ms < 0.01 ? `${(ms * 1e6).toFixed(0)} ns` : `${ms.toFixed(2)} ms`)
  const change = (now: number, then: number) => `${now / then >= 1 ? '+' : ''}${((now / then - 1) * 100).toFixed(1)} %`
  const rows = [...spread.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, byVariant]) => {
    const a = byVariant.get(control)
    const ref = reference?.get(key)?.get(control)
    return [
      shortName(key),
      a ? fmt(a.median) : '-',
      a ? pct(a.runToRunCv, 2) : '-',
      a ? pct(a.withinCv, 2) : '-',
      ...slowdowns.map((s) => {
        const b = byVariant.get(s)
        return a && b ? change(b.median, a.median) : '-'
      }),
      ...(reference ? [ref ? fmt(ref.median) : '-', a && ref ? change(a.median, ref.median) : '-'] : []),
    ]
  })
  const counts = Object.entries(sizes).map(([v, n]) => `${v}: ${n}`).join(', ')
  return `Pool (runs per variant: ${counts})\n\n${markdownTable(header, rows)}`
}

/** `1 h 05 min`, `3 min 20 s`, `2 d 4 h`, `-5 min` (for a negative span). */
export function formatDuration(ms: number): string {
  if (ms < 0) return `-${formatDuration(-ms)}`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min ${String(s % 60).padStart(2, '0')} s`
  const h = Math.floor(min / 60)
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

/** Run-to-run CV classes the issue's targets are stated for. */
export const CV_CLASSES = ['<= 3 %', '<= 5 %', '> 5 %'] as const

/** One CV class. */
export type CvClass = typeof CV_CLASSES[number]

/** The class of a run-to-run CV (0.03 = 3 %). */
export function cvClass(cv: number): CvClass {
  return cv <= 0.03 ? '<= 3 %' : cv <= 0.05 ? '<= 5 %' : '> 5 %'
}

/** A benchmark (shape) with its noise and class. */
export interface ShapeInfo {
  key: string
  /** Median of run medians of the unchanged runs, ms. */
  median: number
  /** CV of run medians of the unchanged runs (the whole pool): what the class is read from. */
  cv: number
  cls: CvClass
  /** Median over blocks of the CV of run medians within a block (one gate run's spread), when the pool has blocks. */
  blockCv?: number
  /** From the shapes' manifest, when generated. */
  kind?: string
  api?: string
}

/** Each benchmark's noise and class, from the unchanged variant's spreads, in key order. */
export function shapeInfos(
  spread: ReadonlyMap<string, ReadonlyMap<string, Spread>>,
  control: string,
  options: { blockCv?: ReadonlyMap<string, number>, shapes?: readonly { name: string, kind: string, api: string }[] } = {},
): ShapeInfo[] {
  const byName = new Map((options.shapes ?? []).map(s => [s.name, s]))
  return [...spread.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([key, byVariant]) => {
    const a = byVariant.get(control)
    if (!a) return []
    const info: ShapeInfo = { key, median: a.median, cv: a.runToRunCv, cls: cvClass(a.runToRunCv) }
    const blockCv = options.blockCv?.get(key)
    if (blockCv !== undefined) info.blockCv = blockCv
    const shape = byName.get(key.split(' > ').slice(1).join(' > '))
    if (shape) {
      info.kind = shape.kind
      info.api = shape.api
    }
    return [info]
  })
}

/** One method's tallies by trial kind and benchmark key (`tallies[method]`). */
export type MethodTallies = Tallies[string]

/** The tallies of several benchmarks on one trial kind, added up (each benchmark-trial counts once). */
export function pooledTally(byKind: MethodTallies, kind: string, keys: readonly string[]): Tally {
  const out: Tally = { n: 0, critical: 0, flagged: 0, significant: 0 }
  for (const key of keys) {
    const t = byKind[kind]?.[key]
    if (!t) continue
    out.n += t.n
    out.critical += t.critical
    out.flagged += t.flagged
    out.significant += t.significant
  }
  return out
}

type Outcome = 'critical' | 'flagged' | 'significant'
const share = (t: Tally | undefined, outcome: Outcome) => (t && t.n > 0 ? t[outcome] / t.n : undefined)
const fmtMs = (ms: number) => (ms < 0.001 ? `${(ms * 1e6).toFixed(0)} ns` : ms < 1 ? `${(ms * 1e3).toPrecision(3)} µs` : `${ms.toPrecision(3)} ms`)

/** The columns of the shape and class tables: the issue's targets, in its words. */
export const TARGET_COLUMNS: readonly { kind: string, outcome: Outcome, label: string }[] = [
  { kind: 'A/A', outcome: 'critical', label: 'A/A: failed' },
  { kind: 'A/A', outcome: 'flagged', label: 'A/A: flagged' },
  { kind: '+5 %', outcome: 'significant', label: '+5 %: significant' },
  { kind: '+10 %', outcome: 'flagged', label: '+10 %: flagged' },
  { kind: '+20 %', outcome: 'critical', label: '+20 %: failed' },
]

/**
 * Per shape: its noise (CV of run medians of the unchanged runs, and within a block when the pool
 * has blocks), its CV class, and what one method did with it on each kind of trial.
 */
export function shapeTable(infos: readonly ShapeInfo[], byKind: MethodTallies): string {
  const withBlocks = infos.some(i => i.blockCv !== undefined)
  const withKinds = infos.some(i => i.kind !== undefined)
  const header = [
    'shape',
    ...(withKinds ? ['kind', 'api'] : []),
    'median (A)',
    'CV of run medians (A)',
    'class',
    ...(withBlocks ? ['CV within a block'] : []),
    ...TARGET_COLUMNS.map(c => c.label),
  ]
  const rows = infos.map(i => [
    shortName(i.key),
    ...(withKinds ? [i.kind ?? '-', i.api ?? '-'] : []),
    fmtMs(i.median),
    pct(i.cv, 2),
    i.cls,
    ...(withBlocks ? [i.blockCv === undefined ? '-' : pct(i.blockCv, 2)] : []),
    ...TARGET_COLUMNS.map((c) => {
      const t = byKind[c.kind]?.[i.key]
      return t && t.n > 0 ? `${pct(t[c.outcome] / t.n, 0)} (${t[c.outcome]}/${t.n})` : '-'
    }),
  ])
  return markdownTable(header, rows)
}

/**
 * Per CV class: the outcomes of every shape-trial of the class added up, with the Wilson interval
 * (treating shape-trials as independent, which they are not: optimistic), and the worst shape's
 * rate; then the gate run (any shape) on unchanged code.
 */
export function classTable(infos: readonly ShapeInfo[], byKind: MethodTallies): string {
  const header = ['CV class', 'shapes', ...TARGET_COLUMNS.map(c => c.label)]
  const worseIsHigher = (c: typeof TARGET_COLUMNS[number]) => c.kind === 'A/A'
  const rows = CV_CLASSES.map((cls) => {
    const keys = infos.filter(i => i.cls === cls).map(i => i.key)
    return [
      cls,
      String(keys.length),
      ...TARGET_COLUMNS.map((c) => {
        const pooled = pooledTally(byKind, c.kind, keys)
        if (pooled.n === 0) return '-'
        const rates = keys.map(k => share(byKind[c.kind]?.[k], c.outcome)).filter((r): r is number => r !== undefined)
        const worst = worseIsHigher(c) ? Math.max(...rates) : Math.min(...rates)
        return `${rate(pooled[c.outcome], pooled.n)}; worst shape ${pct(worst, 0)}`
      }),
    ]
  })
  const gate = byKind['A/A']?.['*']
  rows.push(['gate run (any shape)', String(infos.length), gate ? rate(gate.critical, gate.n) : '-', gate ? rate(gate.flagged, gate.n) : '-', '', '', ''])
  return markdownTable(header, rows)
}

/** One of the issue's targets, checked. */
export interface TargetCheck {
  target: string
  /** Which shapes it is stated for, and how many there are. */
  appliesTo: string
  result: string
  /** undefined: no shape it applies to, or no trials of that kind. */
  met: boolean | undefined
}

/**
 * The issue's targets, read off one method's tallies: unchanged code fails <= 1 % of gate runs
 * (Wilson upper bound <= 2 %) and is flagged <= 5 %; +10 % flagged >= 95 % for every shape with
 * CV <= 3 %; +20 % failed >= 95 % for every shape with CV <= 5 %; +5 % significant >= 80 % for the
 * steadiest (read here as CV <= 3 %).
 */
export function targetChecks(infos: readonly ShapeInfo[], byKind: MethodTallies): TargetCheck[] {
  const checks: TargetCheck[] = []
  const gate = byKind['A/A']?.['*']
  if (gate && gate.n > 0) {
    const w = wilsonInterval(gate.critical, gate.n)
    checks.push({ target: 'unchanged code: gate run failed (critical) <= 1 %, upper 95 % bound <= 2 %', appliesTo: `all ${infos.length} shapes`, result: rate(gate.critical, gate.n), met: w.estimate <= 0.01 && w.upper <= 0.02 })
    checks.push({ target: 'unchanged code: gate run flagged (warning or critical) <= 5 %', appliesTo: `all ${infos.length} shapes`, result: rate(gate.flagged, gate.n), met: gate.flagged / gate.n <= 0.05 })
  }
  else {
    checks.push({ target: 'unchanged code: gate run failed <= 1 % / flagged <= 5 %', appliesTo: `all ${infos.length} shapes`, result: 'no A/A trials', met: undefined })
  }
  const perShape = (target: string, kind: string, outcome: Outcome, min: number, classes: readonly CvClass[], label: string) => {
    const keys = infos.filter(i => classes.includes(i.cls)).map(i => i.key)
    const rates = keys.map(k => share(byKind[kind]?.[k], outcome))
    const known = rates.filter((r): r is number => r !== undefined)
    if (keys.length === 0 || known.length === 0) {
      checks.push({ target, appliesTo: `${label} (${keys.length} shapes)`, result: keys.length === 0 ? 'no shape in the class' : `no ${kind} trials`, met: undefined })
      return
    }
    const pooled = pooledTally(byKind, kind, keys)
    const meeting = known.filter(r => r >= min).length
    checks.push({ target, appliesTo: `${label} (${keys.length} shapes)`, result: `${meeting} of ${known.length} shapes; pooled ${rate(pooled[outcome], pooled.n)}; worst ${pct(Math.min(...known), 0)}`, met: meeting === known.length })
  }
  perShape('+10 %: flagged (warning or critical) >= 95 %', '+10 %', 'flagged', 0.95, ['<= 3 %'], 'CV <= 3 %')
  perShape('+20 %: failed (critical) >= 95 %', '+20 %', 'critical', 0.95, ['<= 3 %', '<= 5 %'], 'CV <= 5 %')
  perShape('+5 %: significant slowdown >= 80 %', '+5 %', 'significant', 0.8, ['<= 3 %'], 'the steadiest: CV <= 3 %')
  return checks
}

/** {@link targetChecks} as a table. */
export function targetTable(infos: readonly ShapeInfo[], byKind: MethodTallies): string {
  return markdownTable(['target', 'applies to', 'result', 'met?'], targetChecks(infos, byKind).map(c => [c.target, c.appliesTo, c.result, c.met === undefined ? '-' : c.met ? 'yes' : 'no']))
}

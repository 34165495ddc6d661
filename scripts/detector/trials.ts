/**
 * Trials drawn from the pool: a baseline side and a current side of disjoint runs. A/A trials take
 * both sides from the unchanged variant; A/B trials take the current side from a slowed-down one.
 * Trials reuse pool runs (a run appears in many trials), so they are not independent: an interval
 * of a rate computed as if they were is optimistic. {@link reuseOf} says how much reuse there is.
 *
 * Two ways to draw a side: `random` takes runs from anywhere in the pool, as if every run were an
 * independent draw from one machine state; `blocks` ({@link drawBlockTrials}) takes a block of
 * consecutive runs of one variant, as a real gate measures its runs one after another within
 * minutes and so sees the machine's state of that moment on all of them. Random draws average
 * that state out of both sides and so understate how far two gate runs can differ.
 */
import { createRng } from '../../src/stats/random.ts'

/** One trial: indices into the variants' run lists (in measuring order). */
export interface Trial {
  /** `A/A` or the slowed-down variant's name. */
  kind: string
  baseline: number[]
  current: number[]
}

/** How to draw trials. */
export interface DrawOptions {
  /** The unchanged variant's name. */
  control: string
  /** Runs per variant. */
  sizes: Readonly<Record<string, number>>
  aaTrials: number
  abTrials: number
  baselineRuns: number
  runs: number
  seed: number
  /**
   * `random`: any runs; `split`: the baseline side from the earlier half of the control runs and the
   * current side from the later half (a baseline recorded before the change, as in real use).
   * `paired`: as `compare --against` measures, run i of the baseline side is the unchanged run
   * nearest in time to run i of the current side (needs `seqs`).
   * @default 'random'
   */
  mode?: 'random' | 'split' | 'paired'
  /** `paired` mode: each variant's runs' positions in the measuring order. */
  seqs?: Readonly<Record<string, readonly number[]>>
}

/** For each current run, the unused control run nearest to it in measuring order (ties: the earlier). */
function nearestControls(currentSeqs: readonly number[], controlSeqs: readonly number[], taken: Set<number>): number[] {
  return currentSeqs.map(seq => {
    let best = -1
    for (let i = 0; i < controlSeqs.length; i++) {
      if (taken.has(i)) continue
      if (best < 0 || Math.abs(controlSeqs[i]! - seq) < Math.abs(controlSeqs[best]! - seq)) best = i
    }
    if (best < 0) throw new RangeError('not enough unchanged runs to pair every current run')
    taken.add(best)
    return best
  })
}

/** Paired trials: current runs drawn at random, each paired with its nearest unchanged run in time. */
function drawPairedTrials(options: DrawOptions, rng: () => number): Trial[] {
  const { control, runs } = options
  const seqs = options.seqs
  if (!seqs?.[control]) throw new RangeError('paired trials need the runs\' measuring order (seqs)')
  const controlSeqs = seqs[control]!
  const nControl = controlSeqs.length
  if (nControl < 2 * runs) throw new RangeError(`variant ${control}: ${nControl} runs, but a paired A/A trial needs ${2 * runs}`)
  const trials: Trial[] = []
  for (let t = 0; t < options.aaTrials; t++) {
    const current = sample(rng, range(0, nControl), runs)
    trials.push({ kind: 'A/A', baseline: nearestControls(current.map(i => controlSeqs[i]!), controlSeqs, new Set(current)), current })
  }
  for (const [variant, size] of Object.entries(options.sizes)) {
    if (variant === control) continue
    if (size < runs) throw new RangeError(`variant ${variant}: ${size} runs, but a trial needs ${runs}`)
    const variantSeqs = seqs[variant] ?? []
    for (let t = 0; t < options.abTrials; t++) {
      const current = sample(rng, range(0, size), runs)
      trials.push({ kind: variant, baseline: nearestControls(current.map(i => variantSeqs[i]!), controlSeqs, new Set()), current })
    }
  }
  return trials
}

/** `k` distinct integers from `from` (without replacement), in drawing order. */
export function sample(rng: () => number, from: readonly number[], k: number): number[] {
  if (k > from.length) throw new RangeError(`cannot draw ${k} distinct runs from ${from.length}`)
  const a = [...from]
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (a.length - i))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a.slice(0, k)
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo }, (_, i) => lo + i)

/**
 * Draws `aaTrials` A/A trials and `abTrials` trials per slowed-down variant, seeded. Within a trial
 * no run is used twice. Errors name the variant that has too few runs.
 */
export function drawTrials(options: DrawOptions): Trial[] {
  const rng = createRng(options.seed)
  if (options.mode === 'paired') return drawPairedTrials(options, rng)
  const { control, baselineRuns, runs } = options
  const nControl = options.sizes[control] ?? 0
  const split = options.mode === 'split'
  const half = Math.floor(nControl / 2)
  const need = split ? Math.max(baselineRuns, runs) * 2 : baselineRuns + runs
  if (nControl < need) throw new RangeError(`variant ${control}: ${nControl} runs, but an A/A trial needs ${need} (${baselineRuns} baseline + ${runs} current${split ? ', each from its half' : ''})`)
  const trials: Trial[] = []
  for (let t = 0; t < options.aaTrials; t++) {
    if (split) {
      trials.push({ kind: 'A/A', baseline: sample(rng, range(0, half), baselineRuns), current: sample(rng, range(half, nControl), runs) })
    }
    else {
      const drawn = sample(rng, range(0, nControl), baselineRuns + runs)
      trials.push({ kind: 'A/A', baseline: drawn.slice(0, baselineRuns), current: drawn.slice(baselineRuns) })
    }
  }
  for (const [variant, size] of Object.entries(options.sizes)) {
    if (variant === control) continue
    if (size < runs) throw new RangeError(`variant ${variant}: ${size} runs, but a trial needs ${runs}`)
    for (let t = 0; t < options.abTrials; t++) {
      const baseline = sample(rng, split ? range(0, half) : range(0, nControl), baselineRuns)
      trials.push({ kind: variant, baseline, current: sample(rng, range(split ? Math.floor(size / 2) : 0, size), runs) })
    }
  }
  return trials
}

/** How often, on average, a pool run of the given variant is used by trials of the given kinds. */
export function reuseOf(trials: readonly Trial[], variant: string, size: number, control: string): number {
  let uses = 0
  for (const t of trials) {
    if (variant === control) uses += t.baseline.length + (t.kind === 'A/A' ? t.current.length : 0)
    else if (t.kind === variant) uses += t.current.length
  }
  return size > 0 ? uses / size : 0
}

/**
 * A variant's blocks: `k` consecutive runs each (positions `seqs` with no other run between them),
 * cut from the start of every stretch of consecutive runs, without overlap. Returns index lists into
 * the variant's run list (which is in measuring order).
 */
export function blockWindows(seqs: readonly number[], k: number): number[][] {
  const out: number[][] = []
  let start = 0
  for (let i = 1; i <= seqs.length; i++) {
    if (i < seqs.length && seqs[i] === seqs[i - 1]! + 1) continue
    for (let w = start; w + k <= i; w += k) out.push(range(w, w + k))
    start = i
  }
  return out
}

/** What {@link drawBlockTrials} needs. */
export interface BlockDrawOptions {
  /** The unchanged variant's name. */
  control: string
  /** The baseline side's pool: the unchanged runs' positions in its measuring order. */
  baselineSeqs: readonly number[]
  /** The current side's pool: each variant's runs' positions in its measuring order. */
  currentSeqs: Readonly<Record<string, readonly number[]>>
  /**
   * Both sides from one pool: a trial's baseline block ends before its current block starts (a
   * baseline is recorded before the code it judges). From two pools, any pair of blocks.
   */
  samePool: boolean
  aaTrials: number
  abTrials: number
  baselineRuns: number
  runs: number
  seed: number
}

/** Trials drawn in blocks, and per kind how many distinct pairs of blocks there were to draw from. */
export interface BlockTrials {
  trials: Trial[]
  /** Per kind (`A/A` or a variant): distinct (baseline block, current block) pairs available. */
  pairs: Record<string, number>
}

/**
 * Trials whose sides are blocks ({@link blockWindows}): `baselineRuns` consecutive unchanged runs
 * against `runs` consecutive runs of one variant. Every distinct pair of blocks is a trial when
 * there are no more than asked for; otherwise that many are drawn without repeats (seeded). So a
 * small pool gives few trials, honestly, rather than the same few blocks drawn again and again.
 * @throws {RangeError} when the baseline pool has no block of `baselineRuns` unchanged runs (a
 * round-robin pool), naming the variant
 */
export function drawBlockTrials(options: BlockDrawOptions): BlockTrials {
  const { control, baselineRuns, runs, samePool } = options
  const rng = createRng(options.seed)
  const baseline = blockWindows(options.baselineSeqs, baselineRuns)
  if (baseline.length === 0) throw new RangeError(`variant ${control}: no block of ${baselineRuns} consecutive runs in the baseline pool (measured round-robin, or blocks shorter than ${baselineRuns})`)
  const trials: Trial[] = []
  const pairs: Record<string, number> = {}
  const kinds = Object.keys(options.currentSeqs).filter(v => v !== control)
  for (const kind of ['A/A', ...kinds]) {
    const variant = kind === 'A/A' ? control : kind
    const seqs = options.currentSeqs[variant] ?? []
    const current = blockWindows(seqs, runs)
    const candidates: Trial[] = []
    for (const b of baseline) {
      for (const c of current) {
        if (samePool && options.baselineSeqs[b[b.length - 1]!]! >= seqs[c[0]!]!) continue
        candidates.push({ kind, baseline: b, current: c })
      }
    }
    pairs[kind] = candidates.length
    const want = kind === 'A/A' ? options.aaTrials : options.abTrials
    trials.push(...(candidates.length <= want ? candidates : sample(rng, range(0, candidates.length), want).sort((x, y) => x - y).map(i => candidates[i]!)))
  }
  return { trials, pairs }
}

/** What {@link drawCrossTrials} needs: random draws with the baseline side from another pool. */
export interface CrossDrawOptions {
  control: string
  /** Unchanged runs in the baseline pool. */
  baselineSize: number
  /** Runs per variant in the current pool. */
  currentSizes: Readonly<Record<string, number>>
  aaTrials: number
  abTrials: number
  baselineRuns: number
  runs: number
  seed: number
}

/**
 * Random draws across two pools: the baseline side from the baseline pool's unchanged runs, the
 * current side from the current pool's unchanged runs (A/A) or a slowed variant's (A/B).
 */
export function drawCrossTrials(options: CrossDrawOptions): Trial[] {
  const rng = createRng(options.seed)
  const { control, baselineRuns, runs } = options
  if (options.baselineSize < baselineRuns) throw new RangeError(`variant ${control}: ${options.baselineSize} runs in the baseline pool, but a trial needs ${baselineRuns}`)
  const trials: Trial[] = []
  for (const [variant, size] of Object.entries(options.currentSizes)) {
    if (size < runs) throw new RangeError(`variant ${variant}: ${size} runs in the current pool, but a trial needs ${runs}`)
    const kind = variant === control ? 'A/A' : variant
    const n = variant === control ? options.aaTrials : options.abTrials
    for (let t = 0; t < n; t++) trials.push({ kind, baseline: sample(rng, range(0, options.baselineSize), baselineRuns), current: sample(rng, range(0, size), runs) })
  }
  return trials
}

/** How many times, in all, trials use runs on one side (of one kind, or of every kind). */
export function sideUses(trials: readonly Trial[], side: 'baseline' | 'current', kind?: string): number {
  return trials.reduce((sum, t) => sum + (kind === undefined || t.kind === kind ? t[side].length : 0), 0)
}

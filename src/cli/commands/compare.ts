import type { CAC } from 'cac'
import { relative, resolve } from 'node:path'
import { parseCpuMode } from '../../config/gate.ts'
import { BenchgateError } from '../../util/errors.ts'
import type { AgainstResult } from '../../against/against.ts'
import { signedPercent } from '../../util/format.ts'
import { optionalPositiveInt } from '../../util/parse.ts'

/** Flags of `benchgate compare`. */
export interface CompareFlags {
  against?: string
  tags?: string | string[]
  measurementRounds?: number | string
  runs?: number | string
  budget?: number | string
  maxRuns?: number | string
  cpu?: number | string
  paired?: boolean
  root?: string
  config?: string
  baselineDir?: string
  /** `--shard <index>/<count>`: compare this shard's files and write a shard report for `benchgate merge`. */
  shard?: string
  shardReport?: string
}

/** The lines after the table: how many runs each decision took (auto-sampling) and where the base came from. */
export function autoSummary(result: AgainstResult): string[] {
  const lines: string[] = []
  const wt = result.worktree
  lines.push(`benchgate: base ${wt.sha.slice(0, 10)} from ${wt.cached ? 'the cached worktree' : 'a new worktree'} ${wt.dir}; ${result.runsPerSide} alternating run${result.runsPerSide === 1 ? '' : 's'} per side in ${(result.measureMs / 1000).toFixed(0)} s`)
  if (!result.auto) return lines
  const reason = { 'decided': 'every comparison decided', 'budget': 'the time budget ended', 'max-runs': 'the run limit was reached' }[result.auto.stop]
  lines.push(`benchgate: auto-sampling stopped: ${reason}`)
  for (const [id, state] of result.auto.states) {
    if (state.straddles !== undefined) lines.push(`  ${id}: undecided after ${result.runsPerSide} runs per side (interval straddles ${signedPercent(state.straddles, { digits: 0 })})`)
    else if (state.decidedAt !== undefined) lines.push(`  ${id}: decided after ${state.decidedAt} runs per side`)
  }
  return lines
}

/**
 * `benchgate compare --against <ref>`: measures the ref (in a cached worktree) and the working tree
 * in alternating runs on this machine, prints the gate's table, and exits 1 on a critical regression.
 */
export async function compareCommand(filters: string[], flags: CompareFlags): Promise<number> {
  if (flags.against === undefined || typeof flags.against !== 'string' || flags.against.trim() === '')
    throw new BenchgateError('--against: expected a git ref to compare with, e.g. --against origin/main or --against HEAD~1', 2)
  let tags: string[] | undefined
  if (flags.tags !== undefined) {
    tags = (Array.isArray(flags.tags) ? flags.tags : [flags.tags]).flatMap(t => String(t).split(',')).map(t => t.trim()).filter(Boolean)
    if (tags.length === 0) throw new BenchgateError('--tags: expected at least one tag, e.g. --tags ci', 2)
  }
  const runs = flags.runs === undefined ? undefined : String(flags.runs) === 'auto' ? 'auto' as const : optionalPositiveInt('--runs', flags.runs)
  const budget = flags.budget === undefined ? undefined : Number(flags.budget)
  if (budget !== undefined && !(budget > 0)) throw new BenchgateError(`--budget: expected a number of seconds > 0 but received ${JSON.stringify(flags.budget)}`, 2)
  const rounds = optionalPositiveInt('--measurement-rounds', flags.measurementRounds)
  const maxRuns = optionalPositiveInt('--max-runs', flags.maxRuns)
  const cpu = flags.cpu === undefined ? undefined : parseCpuMode('--cpu', String(flags.cpu))
  const root = resolve(flags.root ?? process.cwd())
  const { parseShard } = await import('../../shard/io.ts')
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard)
  if (flags.shardReport !== undefined && !shard) throw new BenchgateError('--shard-report: only with --shard <index>/<count>', 2)
  let against = flags.against
  if (against === 'baseline') {
    const [{ loadBaseline }, { baselineCommit }, { resolveGateOptions }] = await Promise.all([import('../../gate.ts'), import('../../baseline/commit.ts'), import('../../config/gate.ts')])
    const options = resolveGateOptions({}, process.env)
    const { path, baseline } = loadBaseline(root, flags.baselineDir ? { ...options, baselineDir: flags.baselineDir } : options)
    against = baselineCommit(baseline, relative(root, path) || path, tags ?? [])
    process.stderr.write(`benchgate: --against baseline: the baseline was recorded at ${against.slice(0, 10)}\n`)
  }

  const [{ compareAgainst }, { renderConsole }, { renderReports }, { resolveGateOptions }] = await Promise.all([
    import('../../against/against.ts'),
    import('../../../reporters/console.ts'),
    import('../../../reporters/index.ts'),
    import('../../config/gate.ts'),
  ])
  const result = await compareAgainst({
    root,
    ref: against,
    filters,
    log: line => process.stderr.write(`${line}\n`),
    ...(tags ? { tags } : {}),
    ...(runs !== undefined ? { runs } : {}),
    ...(budget !== undefined ? { budgetMs: budget * 1000 } : {}),
    ...(maxRuns !== undefined ? { maxRuns } : {}),
    ...(rounds !== undefined ? { rounds } : {}),
    ...(cpu !== undefined ? { cpu } : {}),
    ...(flags.paired ? { paired: true } : {}),
    ...(flags.config ? { vitestConfig: flags.config } : {}),
    ...(shard ? { shard } : {}),
  })
  if (shard) {
    const { writeAgainstShard } = await import('../../shard/against.ts')
    const path = writeAgainstShard(result, shard, against, flags.shardReport ? resolve(flags.shardReport) : undefined, root, resolveGateOptions({}, process.env).outputDir)
    process.stdout.write(renderConsole(result.report, { notes: [
      `  shard ${shard.index}/${shard.count}: wrote ${relative(root, path) || path}`,
      '  this table is this shard\'s alone (Holm over its own comparisons): benchgate merge decides the run',
    ] }))
    process.stdout.write(`${autoSummary(result).join('\n')}\n`)
    return 0
  }
  // the runs allow a tag filter that matches nothing on one side; matching nothing on both is a typo
  // (a shard may hold none of the tagged benchmarks: merge judges the filter over all shards)
  if (tags && result.report.benchmarks.length === 0)
    throw new BenchgateError(`--tags ${tags.join(',')}: matches no benchmark in the working tree or in ${flags.against}; check the tags`, 2)
  process.stdout.write(renderConsole(result.report))
  process.stdout.write(`${autoSummary(result).join('\n')}\n`)
  let code = result.report.passed ? 0 : 1
  const options = resolveGateOptions({}, process.env)
  const names = options.reporters.filter(n => n !== 'console')
  if (names.length) {
    const { written, failures } = renderReports(result.report, { root, outputDir: options.outputDir, names })
    if (written.length) process.stdout.write(`benchgate: wrote ${written.map(p => relative(root, p) || p).join(', ')}\n`)
    for (const failure of failures) {
      process.stderr.write(`benchgate: ${failure.message}\n`)
      code = 1
    }
  }
  return code
}

/** Registers `benchgate compare`. */
export function registerCompare(cli: CAC): void {
  cli.command('compare [...filters]', 'Compare the working tree with a git ref, both measured now on this machine in alternating runs')
    .option('--against <ref>', 'The git ref to compare with (a branch, tag, commit, HEAD~1, the merge base ...), or baseline: the commit the baseline was recorded at')
    .option('--baseline-dir <dir>', 'With --against baseline: the baseline directory (default: baselines)')
    .option('--tags <tags>', 'Only scenarios with any of these tags (comma-separated or repeated)')
    .option('--runs <n>', 'Runs per side, or auto: add run pairs until every interval clears every threshold (default 5)')
    .option('--budget <seconds>', 'Time budget of --runs auto, measuring only (default 300)')
    .option('--max-runs <n>', 'Most runs per side with --runs auto (default 30)')
    .option('--measurement-rounds <n>', 'Measured rounds per run, overriding every scenario\'s rounds')
    .option('--cpu <n>', 'Where measured processes run: auto (each pins itself to the fastest CPU; default), off, or a CPU number')
    .option('--paired', 'Decide on the per-pair ratios of neighbouring base and head runs (for runners whose speed drifts slowly)')
    .option('--root <dir>', 'Project root (default: current directory)')
    .option('--config <file>', 'Vitest config file (default: the project\'s own, if any)')
    .option('--shard <index/count>', 'Compare only this shard of the benchmark files (vitest --shard) and write a shard report for benchgate merge')
    .option('--shard-report <file>', 'Where --shard writes its report (default: <outputDir>/shard-<index>-of-<count>.json)')
    .example('benchgate compare --against origin/main --tags ci')
    .example('benchgate compare --against HEAD~1 --runs auto --budget 300')
    .example('benchgate compare --against baseline --tags ci')
    .action((filters: string[], flags: CompareFlags) => compareCommand(filters, flags))
}

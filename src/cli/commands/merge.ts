import type { CAC } from 'cac'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { BenchgateError } from '../../util/errors.ts'

/** Flags of `benchgate merge`. */
export interface MergeFlags {
  root?: string
}

/** The shard reports named on the command line: files, or directories whose `shard-*.json` files are taken. */
export function shardFiles(args: readonly string[], cwd = process.cwd()): string[] {
  const files: string[] = []
  for (const arg of args) {
    const path = resolve(cwd, arg)
    if (!existsSync(path)) throw new BenchgateError(`merge: ${arg}: no such file or directory (a shard that did not report?)`, 2)
    if (statSync(path).isDirectory()) {
      const found = readdirSync(path).filter(f => /^shard-.*\.json$/.test(f)).sort()
      if (found.length === 0) throw new BenchgateError(`merge: ${arg}: no shard-*.json reports in this directory`, 2)
      files.push(...found.map(f => join(path, f)))
    }
    else files.push(path)
  }
  return [...new Set(files)]
}

/**
 * `benchgate merge <shard reports...>`: joins the reports of every shard of one run into one run
 * report (Holm's correction across every shard's comparisons, see src/shard/merge.ts), prints the
 * table, writes the report files (`BENCHGATE_REPORTERS`, as a run does), and with -u shards writes
 * the baseline. Exit 0 pass, 1 a failing verdict, 2 a missing, duplicated or foreign shard (nothing
 * is written then).
 */
export async function mergeCommand(args: string[], flags: MergeFlags): Promise<number> {
  const root = resolve(flags.root ?? process.cwd())
  const [{ readShardReport, fileSha256 }, { mergeShardReports, mergedBaseline }, { renderConsole }, { renderReports }, { resolveGateOptions }, { recordHistory }] = await Promise.all([
    import('../../shard/io.ts'),
    import('../../shard/merge.ts'),
    import('../../../reporters/console.ts'),
    import('../../../reporters/index.ts'),
    import('../../config/gate.ts'),
    import('../../history/record.ts'),
  ])
  const files = shardFiles(args)
  const shown = (path: string) => relative(process.cwd(), path) || path
  const merged = mergeShardReports(files.map(path => ({ source: shown(path), shard: readShardReport(path) })))
  const options = resolveGateOptions({}, process.env)
  const across = merged.update ? `their baseline entries applied to ${merged.reference.kind === 'baseline' ? merged.reference.file : 'the baseline'}` : `Holm's correction across the comparisons of all ${merged.report.benchmarks.length} benchmarks`
  const notes = [`  merged ${merged.count} shard${merged.count === 1 ? '' : 's'} (${files.map(shown).join(', ')}); ${across}`]

  let baselineDiff: string | undefined
  let baselineFile: string | undefined
  if (merged.update) {
    const [{ readBaseline, writeBaseline }, { baselineDiff: diff }] = await Promise.all([
      import('../../baseline/io.ts'),
      import('../../baseline/diff.ts'),
    ])
    if (merged.reference.kind !== 'baseline') throw new BenchgateError('merge: -u shards must refer to a baseline file', 2)
    const path = resolve(root, merged.reference.file)
    // the shards changed the baseline they read: refuse to apply their changes to another one
    if (fileSha256(path) !== merged.reference.sha256)
      throw new BenchgateError(`merge: ${path} is not the baseline the shards read (it changed since, or --root is not the project's root); rerun the shards on this commit`, 2)
    const previous = readBaseline(path)
    const next = mergedBaseline(previous, merged.update, merged.report)
    writeBaseline(path, next)
    baselineDiff = diff(previous, next)
    baselineFile = path
  }

  await recordHistory(merged.report, root, options.history)
  let code = merged.report.passed ? 0 : 1
  const names = options.reporters.filter(n => n !== 'console')
  const problems: string[] = []
  if (names.length) {
    const context = { root, outputDir: options.outputDir, names, ...(baselineDiff !== undefined ? { baselineDiff } : {}) }
    const { written, failures } = renderReports(merged.report, context)
    if (written.length) notes.push(`  reports: ${written.map(p => relative(root, p) || p).join(', ')}`)
    for (const failure of failures) problems.push(`benchgate: ${failure.message}`)
  }
  process.stdout.write(renderConsole(merged.report, { notes, ...(baselineFile ? { baselineFile, baselineDiff: baselineDiff ?? '' } : {}) }))
  for (const line of problems) process.stderr.write(`${line}\n`)
  if (problems.length) code = 1
  return code
}

/** Registers `benchgate merge`. */
export function registerMerge(cli: CAC): void {
  cli.command('merge [...reports]', 'Join the shard reports of a sharded run (--shard) into one report, one verdict and, for -u, one baseline')
    .option('--root <dir>', 'Project root (default: current directory)')
    .example('benchgate merge benchmark_results/shard-*.json')
    .example('benchgate merge shard-reports/')
    .action((reports: string[], flags: MergeFlags) => mergeCommand(reports, flags))
}

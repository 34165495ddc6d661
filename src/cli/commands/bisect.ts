import type { CAC } from 'cac'
import { BenchgateError } from '../../util/errors.ts'

/** Flags of `benchgate bisect`: the gate's flags plus the metric, a fixed baseline and a build step. */
export interface BisectFlags {
  tags?: string | string[]
  measurementRounds?: number | string
  runs?: number | string
  baselineDir?: string
  root?: string
  config?: string
  metric?: string
  baselineRef?: string
  build?: string
}

/**
 * A usage error: exit 128 makes `git bisect run` stop instead of marking every commit bad (any code
 * from 1 to 127 but 125 would mean "bad").
 */
const ABORT = 128

/** Adds `benchgate bisect`, for `git bisect run npx benchgate bisect --tags quick`. */
export function registerBisect(cli: CAC): void {
  cli.command('bisect [...filters]', 'For git bisect run: gate this commit and exit 0 (good), 1 (critical regression) or 125 (cannot test: skip)')
    .option('--tags <tags>', 'Only scenarios with any of these tags (comma-separated or repeated)')
    .option('--metric <name>', 'Judge only this metric (e.g. time, total_validation_time_ms)')
    .option('--baseline-ref <commit>', 'Compare with the baseline file as committed at this commit (e.g. the good one), not the checked-out one')
    .option('--build <command>', 'Shell command run first (e.g. "npm run build"); a failure skips the commit (125)')
    .option('--measurement-rounds <n>', 'Measured rounds per run, overriding every scenario\'s rounds')
    .option('--runs <n>', 'Independent runs (worker processes) per benchmark')
    .option('--baseline-dir <dir>', 'Baseline directory (default: baselines)')
    .option('--root <dir>', 'Project root (default: current directory)')
    .option('--config <file>', 'Vitest config file (default: the project\'s own, if any)')
    .example('git bisect start HEAD <good-commit> && git bisect run npx benchgate bisect --tags quick --baseline-ref <good-commit>')
    .action((filters: string[], flags: BisectFlags) => bisectCommand(filters, flags))
}

/** Gates the checked-out commit in a child process and maps the result to git bisect's exit codes. */
export async function bisectCommand(filters: string[], flags: BisectFlags): Promise<number> {
  const { spawnSync, execFileSync } = await import('node:child_process')
  const { mkdtempSync, rmSync, mkdirSync, writeFileSync, existsSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { dirname, extname, join, resolve } = await import('node:path')
  const { fileURLToPath } = await import('node:url')
  const { BISECT_BAD, BISECT_GOOD, BISECT_SKIP, bisectOutcome } = await import('../../history/bisect.ts')

  const say = (code: number, reason: string) => {
    const word = code === BISECT_GOOD ? 'good' : code === BISECT_BAD ? 'bad' : code === BISECT_SKIP ? 'skip' : 'abort'
    process.stdout.write(`benchgate bisect: ${word} (exit ${code}): ${reason}\n`)
    return code
  }
  for (const [flag, value] of [['--metric', flags.metric], ['--baseline-ref', flags.baselineRef], ['--build', flags.build]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw new BenchgateError(`${flag}: expected a value but received ${JSON.stringify(value)}`, ABORT)
  }
  const root = resolve(flags.root ?? process.cwd())
  let baselineCommit: string | undefined
  if (flags.baselineRef) {
    // a sha, never the raw value: `--baseline-ref=--output=FILE` must not reach git as an option
    const { resolveCommit } = await import('../../util/git.ts')
    try {
      baselineCommit = resolveCommit(root, String(flags.baselineRef), '--baseline-ref')
    }
    catch (error) {
      throw new BenchgateError((error as Error).message, ABORT)
    }
  }
  const work = mkdtempSync(join(tmpdir(), 'benchgate-bisect-'))
  try {
    if (flags.build) {
      const build = spawnSync(flags.build, { cwd: root, shell: true, stdio: 'inherit' })
      if (build.status !== 0) return say(BISECT_SKIP, `build command failed (${build.error?.message ?? (build.signal ? `signal ${build.signal}` : `exit ${build.status}`)}): ${flags.build}`)
    }

    let baselineDir = flags.baselineDir
    if (flags.baselineRef) {
      const rel = `${(flags.baselineDir ?? 'baselines').replace(/\/+$/, '')}/current_baselines.json`
      let text: string
      try {
        text = execFileSync('git', ['show', `${baselineCommit}:./${rel}`], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 })
      }
      catch (error) {
        const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message).trim().split('\n')[0]
        throw new BenchgateError(`--baseline-ref: cannot read ${rel} at ${flags.baselineRef} (${detail})`, ABORT)
      }
      baselineDir = join(work, 'baseline')
      mkdirSync(baselineDir, { recursive: true })
      writeFileSync(join(baselineDir, 'current_baselines.json'), text)
    }

    // The gate runs in a child process: a crash, a process.exit or a signal there means "skip", never "bad".
    const here = fileURLToPath(import.meta.url)
    const bin = join(dirname(here), '..', `bin${extname(here)}`)
    const args = [bin, 'test', ...filters]
    if (flags.tags !== undefined) args.push('--tags', (Array.isArray(flags.tags) ? flags.tags : [flags.tags]).map(String).join(','))
    if (flags.measurementRounds !== undefined) args.push('--measurement-rounds', String(flags.measurementRounds))
    if (flags.runs !== undefined) args.push('--runs', String(flags.runs))
    if (baselineDir !== undefined) args.push('--baseline-dir', resolve(root, baselineDir))
    if (flags.config !== undefined) args.push('--config', flags.config)
    args.push('--root', root)
    const db = join(work, 'history.db')
    const child = spawnSync(process.execPath, args, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, BENCHGATE_HISTORY_DB: db, BENCHGATE_HISTORY: 'on' },
    })
    if (child.error || child.status === null) return say(BISECT_SKIP, `the gate did not finish (${child.error?.message ?? `signal ${child.signal}`})`)
    if (child.status !== 0 && child.status !== 1) return say(BISECT_SKIP, `the gate could not run (exit ${child.status})`)
    if (!existsSync(db)) return say(BISECT_SKIP, `the gate did not produce a report (exit ${child.status})`)

    let results
    try {
      const { openHistory } = await import('../../history/db.ts')
      const history = await openHistory(db, { mustExist: true })
      try {
        const runId = history.lastRunId()
        results = runId === undefined ? undefined : history.runResults(runId)
      }
      finally {
        history.close()
      }
    }
    catch (error) {
      if (flags.metric) throw new BenchgateError(`--metric needs the run history: ${(error as Error).message}`, ABORT)
      // Without the history, the gate's own exit code is all there is.
      return say(child.status === 0 ? BISECT_GOOD : BISECT_BAD, `gate exit ${child.status} (${(error as Error).message})`)
    }
    if (!results) return say(BISECT_SKIP, `the gate did not record a run (exit ${child.status})`)
    const outcome = bisectOutcome(results, flags.metric)
    return say(outcome.code, outcome.reason)
  }
  finally {
    rmSync(work, { recursive: true, force: true })
  }
}

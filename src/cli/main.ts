import { cac } from 'cac'
import type { CAC } from 'cac'
import { BenchgateError } from '../util/errors.ts'
import { registerReport } from './commands/report.ts'
import { registerHistory } from './commands/history.ts'
import { registerTrend } from './commands/trend.ts'
import { registerBisect } from './commands/bisect.ts'
import { registerMetrics } from './commands/metrics.ts'
import { registerAb } from './commands/ab.ts'
import { registerWorkload } from './commands/workload.ts'
import { registerCompare } from './commands/compare.ts'
import { registerMerge } from './commands/merge.ts'

/** A module that adds sub-commands to the CLI. */
export type RegisterCommands = (cli: CAC) => void

const COMMANDS: RegisterCommands[] = [
  registerReport,
  registerHistory,
  registerTrend,
  registerBisect,
  registerMetrics,
  registerAb,
  registerWorkload,
  registerCompare,
  registerMerge,
]

/** Builds the `benchgate` command line. Sub-commands load their modules lazily. */
export function createCli(version: string) {
  const cli = cac('benchgate')

  const gateOptions = (command: ReturnType<typeof cli.command>) => command
    .option('--tags <tags>', 'Only scenarios with any of these tags (comma-separated or repeated); a filter that matches no benchmark exits 2, listing the known tags')
    .option('--allow-no-tag-match', 'Pass when the --tags filter matches no benchmark (env BENCHGATE_ALLOW_NO_TAG_MATCH=1)')
    .option('--measurement-rounds <n>', 'Measured rounds per run, overriding every scenario\'s rounds')
    .option('--runs <n>', 'Independent runs (worker processes) per benchmark')
    .option('--baseline-dir <dir>', 'Baseline directory (default: baselines)')
    .option('--root <dir>', 'Project root (default: current directory)')
    .option('--cpu <n>', 'Where measured processes run: auto (each pins itself to the fastest CPU; default), off, or a CPU number')
    .option('--config <file>', 'Vitest config file (default: the project\'s own, if any)')
    .option('--project <name>', 'Only this project of a Vitest workspace (repeatable; wildcards as in vitest --project)')
    .option('--shard <index/count>', 'Run one shard of the benchmark files (vitest --shard) and write a shard report for benchgate merge')
    .option('--shard-report <file>', 'Where --shard writes its report (default: <outputDir>/shard-<index>-of-<count>.json)')
    .option('--measure <mode>', 'What a round measures: time (default) or instructions (counted under Valgrind: deterministic)')

  gateOptions(cli.command('test [...filters]', 'Measure, compare with the baseline, exit 1 on a critical regression'))
    .example('benchgate test --tags ci --measurement-rounds 20')
    .action(async (filters: string[], flags) => {
      const { gateCommand } = await import('./commands/gate.ts')
      return gateCommand(filters, flags, false)
    })

  gateOptions(cli.command('baseline [...filters]', 'Measure and write (or refresh) the baseline, like vitest bench -u'))
    .example('benchgate baseline --tags ci')
    .action(async (filters: string[], flags) => {
      const { gateCommand } = await import('./commands/gate.ts')
      return gateCommand(filters, flags, true)
    })

  // Further commands register themselves here, one line each (each file lazy-loads its work).
  for (const register of COMMANDS) register(cli)

  cli.help()
  cli.version(version)
  return cli
}

/** Runs the CLI with `argv` and returns the exit code. Usage errors exit 2 with one line. */
export async function main(argv: string[], version: string): Promise<number> {
  const cli = createCli(version)
  try {
    cli.parse(argv, { run: false })
    if (cli.options.help || cli.options.version) return 0
    if (!cli.matchedCommand) {
      const name = cli.args[0]
      if (name) throw new BenchgateError(`unknown command "${name}" (run benchgate --help for the list)`, 2)
      cli.outputHelp()
      return 0
    }
    const code = await cli.runMatchedCommand()
    return typeof code === 'number' ? code : 0
  }
  catch (error) {
    if (error instanceof BenchgateError) {
      process.stderr.write(`benchgate: ${error.message}\n`)
      return error.exitCode
    }
    if (error instanceof Error && error.name === 'CACError') {
      process.stderr.write(`benchgate: ${error.message} (run benchgate --help)\n`)
      return 2
    }
    throw error
  }
}

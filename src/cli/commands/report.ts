import type { CAC } from 'cac'
import { resolve } from 'node:path'
import { BenchgateError } from '../../util/errors.ts'

/** The formats `benchgate report --format` renders (the built-in reporters that produce text). */
export const REPORT_FORMATS = ['markdown', 'html', 'junit', 'json', 'github', 'console'] as const

/** A format of `benchgate report`. */
export type ReportFormat = typeof REPORT_FORMATS[number]

/** Flags of `benchgate report`. */
export interface ReportFlags {
  reportFile?: string
  format?: string
  outputFormat?: string
  output?: string
}

/**
 * Renders a saved run report (`benchmark_results/ci_report_latest.json`) in another format, to
 * stdout or `--output`. An invalid report file is one line naming the file (exit 2).
 */
export async function reportCommand(flags: ReportFlags): Promise<number> {
  if (!flags.reportFile || typeof flags.reportFile !== 'string')
    throw new BenchgateError('--report-file: expected the path of a JSON run report, e.g. --report-file benchmark_results/ci_report_latest.json')
  const format = String(flags.format ?? flags.outputFormat ?? 'markdown')
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new BenchgateError(`--format: expected one of ${REPORT_FORMATS.join(', ')} but received ${JSON.stringify(format)}`)
  const [{ readReport }, { createReporter }, { writeFileAtomic }] = await Promise.all([
    import('../../report/io.ts'),
    import('../../../reporters/index.ts'),
    import('../../util/fs.ts'),
  ])
  const report = readReport(resolve(flags.reportFile))
  const text = createReporter(format as ReportFormat).render(report)
  if (!flags.output) {
    process.stdout.write(text)
    return 0
  }
  const output = resolve(flags.output)
  try {
    writeFileAtomic(output, text)
  }
  catch (error) {
    throw new BenchgateError(`--output ${output}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1)
  }
  return 0
}

/** Adds `benchgate report` (the runbook's `generate_performance_report`). */
export function registerReport(cli: CAC): void {
  cli.command('report', 'Render a saved JSON run report as Markdown, HTML, JUnit or JSON')
    .option('--report-file <file>', 'The JSON run report (e.g. benchmark_results/ci_report_latest.json)')
    .option('--format <format>', `Output format: ${REPORT_FORMATS.join(', ')} (default: markdown)`)
    .option('--output-format <format>', 'Same as --format (the runbook\'s spelling)')
    .option('--output <file>', 'Write to this file instead of stdout')
    .example('benchgate report --report-file benchmark_results/ci_report_latest.json --format html --output report.html')
    .action(async (flags: ReportFlags) => reportCommand(flags))
}

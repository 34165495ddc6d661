/**
 * benchgate's reporters: each renders the run report (`src/report`) and computes nothing itself.
 * `renderReports` runs the ones a run asked for; `benchgate report` renders a saved report.
 */
import type { ReporterName } from '../src/config/gate.ts'
import type { RunReport } from '../src/report/types.generated.ts'
import { renderConsole } from './console.ts'
import { GithubReporter } from './github.ts'
import { HtmlReporter } from './html.ts'
import { JsonReporter } from './json.ts'
import { JUnitReporter } from './junit.ts'
import { MarkdownReporter } from './markdown.ts'
import { print, type BenchgateReporter, type RenderOptions, type ReportContext } from './types.ts'

/** The console table (`reporters/console.ts`) as a registry entry. */
export class ConsoleReporter implements BenchgateReporter {
  /** The report as the console table and closing `benchgate: N passed, N failed` line. */
  render(report: RunReport, options: RenderOptions = {}): string {
    return renderConsole(report, options.baselineDiff !== undefined ? { baselineDiff: options.baselineDiff } : {})
  }

  /** Prints the table; writes no file. */
  emit(report: RunReport, context: ReportContext): string[] {
    print(context, this.render(report, context))
    return []
  }
}

/** Built-in reporters by name. The names are exactly the plugin option's `ReporterName`s. */
export const ReportersMap = {
  console: ConsoleReporter,
  json: JsonReporter,
  junit: JUnitReporter,
  markdown: MarkdownReporter,
  html: HtmlReporter,
  github: GithubReporter,
} as const satisfies Record<ReporterName, new () => BenchgateReporter>

/** The name of a built-in reporter. */
export type BuiltinReporter = keyof typeof ReportersMap

/** True when `name` is a built-in reporter. */
export function isBuiltinReporter(name: string): name is BuiltinReporter {
  return Object.hasOwn(ReportersMap, name)
}

/** A new instance of the named reporter. */
export function createReporter(name: BuiltinReporter): BenchgateReporter {
  return new ReportersMap[name]()
}

/** What `renderReports` needs: where to write, and which reporters. */
export interface RenderReportsOptions extends ReportContext {
  /** The reporters to run, in order; duplicates run once. */
  names: readonly BuiltinReporter[]
}

/** A reporter that failed: its name and one line naming the path and the cause. */
export interface ReporterFailure {
  reporter: BuiltinReporter
  message: string
  error: unknown
}

/** What `renderReports` did. */
export interface RenderReportsResult {
  /** Every file written, in order. */
  written: string[]
  /** Reporters that failed; the others still ran. */
  failures: ReporterFailure[]
}

/**
 * Runs the named reporters over a report. A reporter that fails does not stop the others: its
 * failure is returned (one line naming the path and the cause) for the caller to log.
 */
export function renderReports(report: RunReport, options: RenderReportsOptions): RenderReportsResult {
  const result: RenderReportsResult = { written: [], failures: [] }
  for (const name of new Set(options.names)) {
    try {
      result.written.push(...createReporter(name).emit(report, options))
    }
    catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      result.failures.push({ reporter: name, message: `${name} reporter: ${message}`, error })
    }
  }
  return result
}

export { renderConsole } from './console.ts'
export { GithubReporter, renderGithub } from './github.ts'
export { HtmlReporter, renderHtml } from './html.ts'
export { JsonReporter } from './json.ts'
export { JUnitReporter, renderJUnit } from './junit.ts'
export { MARKDOWN_HEADER, MarkdownReporter, renderMarkdown } from './markdown.ts'
export { ReporterWriteError } from './types.ts'
export type { BenchgateReporter, RenderOptions, ReportContext } from './types.ts'

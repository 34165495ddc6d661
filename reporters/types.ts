import { isAbsolute, join } from 'node:path'
import type { RunReport } from '../src/report/types.generated.ts'

/** What a reporter may need besides the report itself when it renders. */
export interface RenderOptions {
  /** In update mode: a readable diff of what changed in the baseline. */
  baselineDiff?: string
}

/** Where and how a reporter emits its output at the end of a run. */
export interface ReportContext extends RenderOptions {
  /** The project root; a relative `outputDir` is resolved against it. */
  root: string
  /**
   * Directory for report files.
   * @default 'benchmark_results'
   */
  outputDir: string
  /**
   * Environment read by reporters (`GITHUB_STEP_SUMMARY`).
   * @default process.env
   */
  env?: NodeJS.ProcessEnv
  /**
   * Where reporters that print (console, github) write.
   * @default text => process.stdout.write(text)
   */
  stdout?: (text: string) => void
}

/** One reporter over the run report: a pure `render` and an `emit` that writes or prints it. */
export interface BenchgateReporter {
  /** Renders the report as this reporter's text (what `benchgate report --format <name>` prints). */
  render(report: RunReport, options?: RenderOptions): string
  /**
   * Writes the rendered report where it belongs (files under `outputDir`, stdout) and returns the
   * paths written. A failed write throws a {@link ReporterWriteError} naming the path.
   */
  emit(report: RunReport, context: ReportContext): string[]
}

/** A file a reporter could not write: carries the path and the cause. */
export class ReporterWriteError extends Error {
  override name = 'ReporterWriteError'
  constructor(readonly path: string, cause: unknown) {
    const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? (cause instanceof Error ? cause.message : String(cause))
    super(`cannot write ${path} (${reason})`, { cause })
  }
}

/** Runs `write` and rethrows any failure as a {@link ReporterWriteError} naming `path`. */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write()
  }
  catch (error) {
    throw new ReporterWriteError(path, error)
  }
}

/** The absolute output directory of a context. */
export function outputDirOf(context: Pick<ReportContext, 'root' | 'outputDir'>): string {
  return isAbsolute(context.outputDir) ? context.outputDir : join(context.root, context.outputDir)
}

/** Writes to the context's stdout, or the process's. */
export function print(context: Pick<ReportContext, 'stdout'>, text: string): void {
  if (context.stdout) context.stdout(text)
  else process.stdout.write(text)
}

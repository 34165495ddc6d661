import { serializeReport, writeReportJson } from '../src/report/io.ts'
import type { RunReport } from '../src/report/types.generated.ts'
import { outputDirOf, type BenchgateReporter, type ReportContext } from './types.ts'

/**
 * Writes the run report as `ci_report_<UTC timestamp>.json` plus `ci_report_latest.json`:
 * deterministic, validated against the schema, raw per-round values included.
 */
export class JsonReporter implements BenchgateReporter {
  /** The report as deterministic JSON. */
  render(report: RunReport): string {
    return serializeReport(report)
  }

  /** Writes both files under `outputDir` and returns their paths (errors name the path). */
  emit(report: RunReport, context: ReportContext): string[] {
    return writeReportJson(outputDirOf(context), report)
  }
}

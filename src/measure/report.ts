import type { RunReport } from '../report/types.generated.ts'
import { INSTRUCTION_LIMITS, type MeasureMode } from './mode.ts'

/** The report's `measurement`: the mode, and in instruction mode the counting tool and what counts do not see. */
export function measurementOf(mode: MeasureMode, tool?: string): NonNullable<RunReport['measurement']> {
  if (mode === 'time') return { measure: 'time' }
  return { measure: 'instructions', ...(tool ? { tool } : {}), limits: INSTRUCTION_LIMITS }
}

/** The measure mode of a report (reports written before modes existed measured time). */
export function reportMeasure(report: Pick<RunReport, 'measurement'>): MeasureMode {
  return report.measurement?.measure ?? 'time'
}

/**
 * Wall-time and instruction baselines are kept apart: one file per measure mode in the baseline
 * directory, each saying what it holds (`measure`), so that a count is never compared with a time.
 */
import { join } from 'node:path'
import { BASELINE_FILE_NAME } from '../baseline/io.ts'
import type { BaselineFile } from '../baseline/types.generated.ts'
import { BenchgateError } from '../util/errors.ts'
import type { MeasureMode } from './mode.ts'

/** The baseline file's name per mode. */
export const BASELINE_FILE_NAMES: Readonly<Record<MeasureMode, string>> = {
  time: BASELINE_FILE_NAME,
  instructions: 'current_baselines.instructions.json',
}

/** The baseline file of `mode` inside `dir`. */
export function baselineFileFor(dir: string, mode: MeasureMode): string {
  return join(dir, BASELINE_FILE_NAMES[mode])
}

/** Refuses (one line, exit 2) a baseline file that holds another mode's values than this run measures. */
export function checkBaselineMeasure(path: string, baseline: BaselineFile | undefined, mode: MeasureMode): void {
  const holds = baseline?.measure ?? 'time'
  if (baseline && holds !== mode)
    throw new BenchgateError(`${path}: holds ${holds} baselines but this run measures ${mode} (each mode has its own file: ${Object.values(BASELINE_FILE_NAMES).join(', ')})`)
}

/** Stamps a baseline about to be written with its mode (time files stay as they were: no field). */
export function withMeasure(baseline: BaselineFile, mode: MeasureMode): BaselineFile {
  if (mode === 'time') return baseline
  return { ...baseline, measure: mode }
}

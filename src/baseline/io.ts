import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { compileSchema, readJsonFile } from '../util/schema.ts'
import { stableStringify } from '../util/json.ts'
import { writeFileAtomic } from '../util/fs.ts'
import schema from './baseline.schema.json' with { type: 'json' }
import type { BaselineFile } from './types.generated.ts'

/** The baseline file's name inside the baseline directory. */
export const BASELINE_FILE_NAME = 'current_baselines.json'

/** Validates a baseline object against `baseline.schema.json`. */
export const validateBaseline = compileSchema<BaselineFile>(schema)

/** The baseline file inside `dir`. */
export function baselinePath(dir: string): string {
  return join(dir, BASELINE_FILE_NAME)
}

/**
 * Reads a baseline file. A missing file is `undefined` (nothing recorded yet); malformed JSON or a
 * schema violation throws a one-line `BenchgateError` naming the file and the JSON path.
 */
export function readBaseline(path: string): BaselineFile | undefined {
  if (!existsSync(path)) return undefined
  return readJsonFile(path, validateBaseline)
}

/** Serialises a baseline deterministically (sorted keys, 6 significant digits). */
export function serializeBaseline(file: BaselineFile): string {
  return stableStringify(file)
}

/** Validates, then writes the baseline atomically. An invalid object is never written. */
export function writeBaseline(path: string, file: BaselineFile): void {
  const text = serializeBaseline(file)
  // Validate what will be on disk (rounded), not the in-memory object.
  validateBaseline.assert(JSON.parse(text), `${path} (about to be written)`)
  writeFileAtomic(path, text)
}

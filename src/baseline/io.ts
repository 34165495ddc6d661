import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { compileSchema, readJsonFile } from '../util/schema.ts'
import { stableStringify } from '../util/json.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { BenchgateError } from '../util/errors.ts'
import { withFileLock, type LockOptions } from '../util/lock.ts'
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
 * Checks that the baseline directory can hold the baseline: the directory itself, or its nearest
 * existing ancestor, is a directory. A file in the way stops the run before it measures (one line,
 * exit 2) instead of after, when the write would fail and the measurements would be lost.
 */
export function checkBaselineDir(dir: string): void {
  for (let at = dir; ; at = dirname(at)) {
    let stat
    try {
      stat = statSync(at)
    }
    catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(at) !== at) continue
      throw new BenchgateError(`baseline directory ${dir}: cannot use ${at} (${code ?? (error as Error).message})`, 2, { cause: error })
    }
    if (!stat.isDirectory()) throw new BenchgateError(`baseline directory ${dir}: ${at} is a file, not a directory (set BENCHGATE_BASELINE_DIR or the plugin option baselineDir to a directory)`, 2)
    return
  }
}

/**
 * Reads a baseline file. A missing file is `undefined` (nothing recorded yet); malformed JSON or a
 * schema violation throws a one-line `BenchgateError` naming the file and the JSON path.
 */
export function readBaseline(path: string): BaselineFile | undefined {
  if (!existsSync(path)) return undefined
  return readJsonFile(path, validateBaseline, { schemaVersion: 1 })
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
  try {
    writeFileAtomic(path, text)
  }
  catch (error) {
    throw new BenchgateError(`${path}: cannot write the baseline (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 2, { cause: error })
  }
}

/** What {@link updateBaselineFile} read and wrote. */
export interface BaselineUpdate<T> {
  /** The baseline as it was on disk under the lock (`undefined`: none yet). */
  before: BaselineFile | undefined
  after: BaselineFile
  /** Whatever `update` returned besides the file. */
  detail: T
}

/**
 * A baseline's read-modify-write under its lock (`current_baselines.json.lock`): reads the file as it
 * is now (another writer, a CI job or a shard, may have changed it since the run started), lets
 * `update` compute the next one from it, and writes that atomically before releasing the lock. So
 * concurrent writers never lose each other's entries; a stale lock of a killed writer is broken.
 */
export function updateBaselineFile<T>(path: string, update: (previous: BaselineFile | undefined) => { file: BaselineFile, detail: T }, lock: LockOptions = {}): BaselineUpdate<T> {
  return withFileLock(path, () => {
    const before = readBaseline(path)
    const { file, detail } = update(before)
    writeBaseline(path, file)
    return { before, after: file, detail }
  }, { what: `the baseline ${path}`, ...lock })
}

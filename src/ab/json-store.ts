/**
 * The JSON experiment store: `<dir>/<name>.json`, validated against `experiment.schema.json` on
 * every read and before every write, written atomically (temp file + rename). Read-modify-write
 * runs under a lock file, so two `ab run` processes on one experiment never drop each other's batches.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BenchgateError } from '../util/errors.ts'
import { writeFileAtomic } from '../util/fs.ts'
import { stableStringify } from '../util/json.ts'
import { readJsonFile } from '../util/schema.ts'
import type { Experiment, ExperimentFile, SampleBatch } from './experiment-types.generated.ts'
import { canonicalBatch, exists, frozen, notFound, validateBatch, validateExperiment, validateExperimentFile, type ExperimentStore, type NewBatch, type StoredExperiment } from './experiment-store.ts'

/** Raw values keep every digit (17 significant digits round-trip a double). */
const DIGITS = 17
/** A lock older than this is left over from a crash and is taken over. */
const STALE_LOCK_MS = 10 * 60_000
/** How long to wait for another process's lock. */
const LOCK_WAIT_MS = 30_000

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** Runs `fn` holding `<file>.lock` (created exclusively; stale locks are removed). */
function withLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`
  mkdirSync(dirname(file), { recursive: true })
  const deadline = Date.now() + LOCK_WAIT_MS
  let fd: number | undefined
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx')
      writeSync(fd, String(process.pid))
    }
    catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new BenchgateError(`${lock}: cannot create the lock file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1)
      let age = 0
      try {
        age = Date.now() - statSync(lock).mtimeMs
      }
      catch {
        continue
      }
      if (age > STALE_LOCK_MS) rmSync(lock, { force: true })
      else if (Date.now() > deadline) throw new BenchgateError(`${file} is locked by another benchgate process (${lock}); if none is running, delete the lock file`, 1)
      else sleep(25)
    }
  }
  try {
    return fn()
  }
  finally {
    closeSync(fd)
    rmSync(lock, { force: true })
  }
}

/** One JSON file per experiment under a directory. */
export class JsonExperimentStore implements ExperimentStore {
  readonly kind = 'json' as const

  /** @param location the experiments directory (`.benchgate/experiments`) */
  constructor(readonly location: string) {}

  private path(name: string): string {
    return join(this.location, `${name}.json`)
  }

  private read(name: string): ExperimentFile | undefined {
    const path = this.path(name)
    return existsSync(path) ? readJsonFile(path, validateExperimentFile) : undefined
  }

  private write(file: ExperimentFile): void {
    const path = this.path(file.experiment.name)
    const text = stableStringify(file, { digits: DIGITS })
    validateExperimentFile.assert(JSON.parse(text), `${path} (about to be written)`)
    try {
      writeFileAtomic(path, text)
    }
    catch (error) {
      throw new BenchgateError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 1, { cause: error })
    }
  }

  /** Writes `<name>.json` with no batches; an existing file is refused. */
  create(experiment: Experiment): void {
    validateExperiment.assert(experiment, `experiment "${experiment.name}"`)
    withLock(this.path(experiment.name), () => {
      const existing = this.read(experiment.name)
      if (existing) throw exists(existing.experiment, this)
      this.write({ schemaVersion: 1, experiment, batches: [] })
    })
  }

  /** Reads and validates `<name>.json`. */
  load(name: string): StoredExperiment | undefined {
    const file = this.read(name)
    return file && { experiment: file.experiment, batches: file.batches }
  }

  /** Every `*.json` in the directory, validated, sorted by name. */
  list(): Experiment[] {
    if (!existsSync(this.location)) return []
    return readdirSync(this.location)
      .filter(f => f.endsWith('.json') && !f.startsWith('.'))
      .sort()
      .map(f => readJsonFile(join(this.location, f), validateExperimentFile).experiment)
  }

  /** Re-reads the file under the lock, appends the batch and rewrites it atomically. */
  appendBatch(name: string, batch: NewBatch): SampleBatch {
    return withLock(this.path(name), () => {
      const file = this.read(name)
      if (!file) throw notFound(name, this)
      if (file.experiment.status === 'finalized') throw frozen(file.experiment)
      if (!file.experiment.variants.some(v => v.name === batch.variant)) throw new Error(`appendBatch: experiment "${name}" has no variant "${batch.variant}"`)
      const numbered = canonicalBatch({ ...batch, seq: (file.batches.at(-1)?.seq ?? 0) + 1 })
      validateBatch.assert(numbered, `batch ${numbered.seq} of experiment "${name}"`)
      file.batches.push(numbered)
      this.write(file)
      return numbered
    })
  }

  /** Sets the status to finalized (keeping an earlier finalization time). */
  finalize(name: string, at: string): Experiment {
    return withLock(this.path(name), () => {
      const file = this.read(name)
      if (!file) throw notFound(name, this)
      if (file.experiment.status !== 'finalized') {
        file.experiment = { ...file.experiment, status: 'finalized', finalizedAt: at }
        this.write(file)
      }
      return file.experiment
    })
  }

  /** Nothing to release. */
  close(): void {}
}

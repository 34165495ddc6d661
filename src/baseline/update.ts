/**
 * What an update (`-u`) may do to a baseline, as pure functions: add or refresh the entries of what
 * it measured, and delete only the entries whose benchmark is provably gone. Everything else (a
 * file that failed to load, a skipped or filtered benchmark, a benchmark that threw) keeps its entry
 * byte for byte.
 */
import type { MeasuredBenchmark } from '../scenario/measured.ts'
import { toBaselineEntry, type UpdateContext } from './merge.ts'
import type { BaselineEntry, BaselineFile } from './types.generated.ts'

/** What a run saw of the benchmark files: the evidence an update needs before it deletes anything. */
export interface RunCoverage {
  /**
   * Files (relative to the root, POSIX) that every run loaded, collected without error and ran to
   * the end. Only their entries can be gone.
   */
  completeFiles: ReadonlySet<string>
  /** Files that failed to load or collect (an import error, a top-level throw ...), with the first error. */
  failedFiles: ReadonlyMap<string, string>
  /**
   * Keys of every benchmark the run collected, whatever became of it: measured, skipped
   * (`bench.skip`, `describe.skip`, `skipIf`, a `.only` sibling, a tag or `-t` filter, `maxRuns`),
   * todo or failed. A collected benchmark is not gone.
   */
  collected: ReadonlySet<string>
  /**
   * Keys of tests that may hold several benchmarks and did not run them all (a vitest 5 test that
   * was skipped or threw): an entry `<prefix> > ...` under one of them is not gone either.
   */
  collectedPrefixes: ReadonlySet<string>
}

/**
 * The coverage of a run known only by the files that ran and what they measured (callers that do
 * not see the collection: every file counts as complete, only measured benchmarks as present).
 */
export function coverageOf(filesRun: ReadonlySet<string>, measured: readonly Pick<MeasuredBenchmark, 'key'>[]): RunCoverage {
  return { completeFiles: filesRun, failedFiles: new Map(), collected: new Set(measured.map(b => b.key)), collectedPrefixes: new Set() }
}

/**
 * True when the benchmark of a baseline entry is provably gone: its file ran to completion and
 * collected without error, and the benchmark is absent from what was collected.
 */
export function isProvablyGone(entry: Pick<BaselineEntry, 'key' | 'file'>, coverage: RunCoverage): boolean {
  if (!coverage.completeFiles.has(entry.file) || coverage.failedFiles.has(entry.file)) return false
  if (coverage.collected.has(entry.key)) return false
  for (const prefix of coverage.collectedPrefixes) {
    if (entry.key.startsWith(`${prefix} > `)) return false
  }
  return true
}

/** The baseline an update writes, and the keys it dropped. */
export interface NextBaseline {
  file: BaselineFile
  /** Keys of entries removed (sorted). */
  removed: string[]
}

/**
 * The next baseline after an update, from the previous one (as read under the lock, so concurrent
 * writers' entries survive): every measured benchmark without an error and with at least one metric
 * gets a fresh entry; an entry is deleted only when `gone(entry)` says so and nothing measured it;
 * every other entry is kept as it was.
 */
export function nextBaseline(previous: BaselineFile | undefined, measured: readonly MeasuredBenchmark[], context: UpdateContext, gone: (entry: BaselineEntry) => boolean): NextBaseline {
  const entries: Record<string, BaselineEntry> = { ...previous?.entries }
  const measuredKeys = new Set(measured.map(b => b.key))
  const removed: string[] = []
  for (const [key, entry] of Object.entries(entries)) {
    if (measuredKeys.has(key) || !gone(entry)) continue
    delete entries[key]
    removed.push(key)
  }
  for (const bench of measured) {
    if (bench.error || Object.keys(bench.metrics).length === 0) continue
    entries[bench.key] = toBaselineEntry(bench, context)
  }
  return { file: { schemaVersion: 1, entries }, removed: removed.sort() }
}

/**
 * Stand-ins for the entries of files that failed to load: one errored benchmark per entry (that the
 * run did not measure), so that the report shows them as `error` and an update keeps them.
 */
export function failedFileErrors(previous: BaselineFile | undefined, coverage: RunCoverage, measured: readonly Pick<MeasuredBenchmark, 'key'>[], selected: (entry: BaselineEntry) => boolean): MeasuredBenchmark[] {
  if (coverage.failedFiles.size === 0 || !previous) return []
  const seen = new Set(measured.map(b => b.key))
  const out: MeasuredBenchmark[] = []
  for (const entry of Object.values(previous.entries)) {
    const reason = coverage.failedFiles.get(entry.file)
    if (reason === undefined || seen.has(entry.key) || !selected(entry)) continue
    out.push({
      key: entry.key,
      file: entry.file,
      name: entry.name,
      kind: entry.kind,
      tags: [...entry.tags],
      configHash: entry.configHash,
      rounds: entry.rounds,
      metrics: {},
      error: { message: `${entry.file} did not load (${reason}); its baseline entry is kept` },
    })
  }
  return out
}

/**
 * What an update needs before it deletes a baseline entry (see src/baseline/update.ts), recorded by
 * both adapters' collectors beside the measurements: which files loaded and ran to the end, the
 * key of every benchmark collected whatever became of it (measured, skipped, filtered, todo), and
 * every tag seen (a tag filter that matches none fails). Files under benchgate's own `.benchgate/`
 * (`compare --against`'s base worktrees) are never part of a run.
 */
import { relative } from 'node:path'
import type { RunCoverage } from '../src/baseline/update.ts'
import { keyFile } from './projects.ts'

/** Files under benchgate's own directory, relative to the root. */
export const OWN_DIR = /^(?:\.\.\/)*\.benchgate\//

/** The part of a test module (vitest 4 and 5) that says whether it loaded and ran to the end. */
export interface ModuleStatus {
  /** Errors outside any test: an import error, a top-level throw, a duplicate name. */
  errors?: () => ReadonlyArray<{ message?: string }>
  state?: () => string
  children: { allSuites?: () => Iterable<{ errors?: () => ReadonlyArray<{ message?: string }> }> }
}

/**
 * Why a module did not load and collect completely, or `undefined` when it did: an error outside
 * any test (an import error, a top-level throw, a duplicate name, a throwing describe callback), or
 * a module that never ran to the end. Its file's baseline entries must then be kept.
 */
export function moduleLoadError(module: ModuleStatus): string | undefined {
  const suites = module.children.allSuites ? [...module.children.allSuites()] : []
  const error = module.errors?.()[0] ?? suites.flatMap(suite => suite.errors?.() ?? [])[0]
  if (error) return (error.message || 'unknown error').split('\n')[0]
  const state = module.state?.()
  if (state === 'pending' || state === 'queued') return 'it did not run to the end'
  return undefined
}

/** What {@link CoverageRecorder.close} adds to a collected run. */
export interface CollectedCoverage {
  /** Files that every run loaded and collected without error (the gate's "files that ran"). */
  filesRun: Set<string>
  coverage: RunCoverage
  /** Every tag of the benchmarks collected, run or skipped. */
  knownTags: Set<string>
}

/** Records a run's coverage, module by module and benchmark by benchmark. */
export class CoverageRecorder {
  private readonly files = new Set<string>()
  private readonly failedFiles = new Map<string, string>()
  private readonly collected = new Set<string>()
  private readonly collectedPrefixes = new Set<string>()
  private readonly knownTags = new Set<string>()
  /** `replica \0 key` of every benchmark measured, to catch two benchmarks with one key. */
  private readonly measuredSlots = new Set<string>()

  constructor(private readonly root: string) {}

  /**
   * Starts a test module: its file as benchmark keys name it (relative, POSIX, `[project] path` in a
   * workspace: see `keyFile`), or `undefined` for a file under `.benchgate/`, which the collector must skip. `module`: whether it loaded (see {@link moduleLoadError}).
   */
  module(moduleId: string, module: ModuleStatus, label?: string): string | undefined {
    const path = relative(this.root, moduleId).split('\\').join('/')
    if (OWN_DIR.test(path)) return undefined
    const file = keyFile(path, label)
    this.files.add(file)
    const loadError = moduleLoadError(module)
    if (loadError !== undefined && !this.failedFiles.has(file)) this.failedFiles.set(file, loadError)
    return file
  }

  /** A benchmark the run collected but did not measure (skipped, filtered, todo): its entry is not gone. */
  present(key: string, tags: readonly string[] = []): void {
    this.collected.add(key)
    for (const tag of tags) this.knownTags.add(tag)
  }

  /** A test that may hold several benchmarks and did not run them all: entries under `key > ` are not gone. */
  presentPrefix(key: string): void {
    this.collectedPrefixes.add(key)
  }

  /**
   * A benchmark measured in run `replica`. Returns an error when another benchmark of the same run
   * had the same key (`describe('a > b')` beside `describe('a') > describe('b')`): their rounds
   * must not be merged into one entry.
   */
  measured(key: string, replica: number, tags: readonly string[] = []): { message: string } | undefined {
    this.present(key, tags)
    const slot = `${replica}\0${key}`
    if (this.measuredSlots.has(slot)) return { message: `two benchmarks have the key "${key}" (a describe or bench name contains " > "?): rename one; neither is compared or written` }
    this.measuredSlots.add(slot)
    return undefined
  }

  /** The coverage, with the files that loaded as the run's `filesRun`. */
  close(): CollectedCoverage {
    const complete = new Set([...this.files].filter(file => !this.failedFiles.has(file)))
    return {
      filesRun: complete,
      coverage: { completeFiles: complete, failedFiles: new Map(this.failedFiles), collected: new Set(this.collected), collectedPrefixes: new Set(this.collectedPrefixes) },
      knownTags: new Set(this.knownTags),
    }
  }
}

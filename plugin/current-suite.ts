/**
 * The suite being collected, in a worker. Vitest 4.1+ (and 5) export it as
 * `TestRunner.getCurrentSuite()`; vitest 4.0 only from `vitest/suite` (deprecated, with a warning,
 * since 4.1: imported only where needed). The specifier is not a literal: Vite resolves literal
 * dynamic imports when it transforms a module, and vitest 5 has no `vitest/suite` to resolve.
 */
import * as vitest from 'vitest'

/** The collecting suite: its tasks so far and its file. */
export type CurrentSuite = () => { tasks: Array<import('vitest').RunnerTask>, file?: { projectName?: string, meta: Record<string, unknown> } }

const LEGACY_SUITE_MODULE = 'vitest/suite'

const runner = (vitest as unknown as { TestRunner?: { getCurrentSuite: CurrentSuite } }).TestRunner

export const getCurrentSuite: CurrentSuite = runner
  ? () => runner.getCurrentSuite()
  : (await import(/* @vite-ignore */ LEGACY_SUITE_MODULE) as { getCurrentSuite: CurrentSuite }).getCurrentSuite

import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { createRng, shuffled } from '../../src/stats/random.ts'

/**
 * The order the default tier's files start in. The end-to-end files (test/integration/, test/v5/)
 * spawn `vitest bench` runs and take seconds to a minute each; the rest take milliseconds. Vitest
 * starts the files that took longest last time first, but on a clean clone (CI) it has no times and
 * starts the largest files first, which put a 35 s end-to-end file of 70 lines behind fifty unit
 * files, alone at the end of the run. So end-to-end files start first; within each group Vitest's
 * own order holds. A `--sequence.seed` shuffles each group instead (how to check that no file
 * depends on another's having run first: the tier shares one module graph per worker).
 */
export class EndToEndFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { seed } = this.ctx.config.sequence
    const ordered = seed === undefined ? await super.sort(files) : shuffled(files, createRng(seed))
    const endToEnd = (file: TestSpecification) => /^test\/(integration|v5)\//.test(relative(this.ctx.config.root, file.moduleId).replaceAll('\\', '/'))
    return [...ordered.filter(endToEnd), ...ordered.filter(f => !endToEnd(f))]
  }
}

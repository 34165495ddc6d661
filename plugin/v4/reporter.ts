import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { thinInPlace } from '../collect.ts'
import { finishCollected, type GateState } from '../finish.ts'
import { showFirstRunOnly } from '../first-run.ts'
import { projectLabel } from '../projects.ts'
import { collectV4 } from './collect.ts'
import { isRootV4 } from './configure.ts'
import { tinybenchVersion } from './versions.ts'

/** Runs the gate when Vitest 4 finishes a benchmark run, prints the verdict and sets the exit code. */
export class GateReporterV4 implements Reporter {
  private vitest!: Vitest
  constructor(private readonly state: GateState) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
    // vitest's own table and summary: once (the first run), not once per run
    showFirstRunOnly(vitest as unknown as Parameters<typeof showFirstRunOnly>[0], this)
  }

  /** Keeps only the order statistics the gate uses of each finished bench's samples (see `thinInPlace`). */
  onTaskUpdate(packs: ReadonlyArray<readonly [string, { benchmark?: { samples?: number[] } } | undefined, ...unknown[]]>): void {
    for (const pack of packs) thinInPlace(pack[1]?.benchmark)
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    const roots = new Set(this.vitest.projects.filter(isRootV4).map(p => p.name))
    const labelOf = (name: string) => projectLabel(name, roots.has(name))
    // compare / baseline write / console / history / file reporters / exit code: shared with vitest 5
    await finishCollected(this.state, this.vitest, collectV4(testModules, this.vitest.config.root, this.state.options.tags, labelOf), tinybenchVersion())
  }
}

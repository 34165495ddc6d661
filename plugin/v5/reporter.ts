import { finishCollected, type GateState } from '../finish.ts'
import { collectV5 } from './collect.ts'
import type { V5TestModule, V5Vitest } from './types.ts'
import { tinybenchVersionV5 } from './versions.ts'

/**
 * Runs the gate when vitest 5 finishes a run: collects from `testCase.meta()` (scenarios) and
 * `testCase.benchmarks()` (plain and native benches), then finishes like the vitest 4 adapter.
 */
export class GateReporterV5 {
  private vitest!: V5Vitest
  constructor(private readonly state: GateState) {}

  /** Keeps the Vitest instance for the end of the run. */
  onInit(vitest: V5Vitest): void {
    this.vitest = vitest
  }

  /** Compares, writes the baseline when asked, prints the verdict and sets the exit code. */
  async onTestRunEnd(testModules: ReadonlyArray<V5TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    await finishCollected(this.state, this.vitest, collectV5(testModules, this.vitest.config.root, this.state.options.tags), tinybenchVersionV5(this.vitest.distPath))
  }
}

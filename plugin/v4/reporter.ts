import type { Reporter, TestModule, Vitest } from 'vitest/node'
import { finishCollected, type GateState } from '../finish.ts'
import { collectV4 } from './collect.ts'
import { tinybenchVersion } from './versions.ts'

/** Runs the gate when Vitest 4 finishes a benchmark run, prints the verdict and sets the exit code. */
export class GateReporterV4 implements Reporter {
  private vitest!: Vitest
  constructor(private readonly state: GateState) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    // compare / baseline write / console / history / file reporters / exit code: shared with vitest 5
    await finishCollected(this.state, this.vitest, collectV4(testModules, this.vitest.config.root, this.state.options.tags), tinybenchVersion())
  }
}

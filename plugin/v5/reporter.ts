import type { ResolvedBenchgateOptions } from '../../src/config/gate.ts'
import { finishGate, type UpdateMode } from '../finish.ts'
import { collectV5 } from './collect.ts'
import type { V5TestModule, V5Vitest } from './types.ts'
import { tinybenchVersionV5 } from './versions.ts'

/** What the plugin resolved before the run. */
export interface GateReporterV5State {
  options: ResolvedBenchgateOptions
  update: UpdateMode
  version: string
}

/**
 * Runs the gate when vitest 5 finishes a run: collects from `testCase.meta()` (scenarios) and
 * `testCase.benchmarks()` (plain and native benches), then finishes like the vitest 4 adapter.
 */
export class GateReporterV5 {
  private vitest!: V5Vitest
  constructor(private readonly state: GateReporterV5State) {}

  /** Keeps the Vitest instance for the end of the run. */
  onInit(vitest: V5Vitest): void {
    this.vitest = vitest
  }

  /** Compares, writes the baseline when asked, prints the verdict and sets the exit code. */
  async onTestRunEnd(testModules: ReadonlyArray<V5TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    const root = this.vitest.config.root
    const { measured, filesRun, runs } = collectV5(testModules, root, this.state.options.tags)
    const tinybench = tinybenchVersionV5(this.vitest.distPath)
    const pattern = this.vitest.config.testNamePattern
    await finishGate({
      root,
      update: this.state.update,
      options: this.state.options,
      versions: { vitest: this.vitest.version, benchgate: this.state.version, ...(tinybench ? { tinybench } : {}) },
      measured,
      filesRun,
      runs,
      version: this.state.version,
      ...(pattern ? { namePattern: pattern } : {}),
    })
  }
}

import type { Reporter, TestModule, Vitest } from 'vitest/node'
import type { ResolvedBenchgateOptions } from '../../src/config/gate.ts'
import { finishGate, updateMode, type UpdateMode } from '../finish.ts'
import { collectV4 } from './collect.ts'
import { tinybenchVersion } from './versions.ts'

/** Runs the gate when Vitest 4 finishes a benchmark run, prints the verdict and sets the exit code. */
export class GateReporterV4 implements Reporter {
  private vitest!: Vitest
  constructor(private readonly state: { options: ResolvedBenchgateOptions, mode: 'compare' | 'update', update?: UpdateMode, version: string }) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    const root = this.vitest.config.root
    const { measured, filesRun, runs } = collectV4(testModules, root, this.state.options.tags)
    const tinybench = tinybenchVersion()
    const pattern = this.vitest.config.testNamePattern
    // compare / baseline write / console / history / file reporters / exit code: shared with vitest 5
    await finishGate({
      root,
      update: this.state.update ?? updateMode(this.state.mode === 'update'),
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

import { thinInPlace } from '../collect.ts'
import { finishCollected, type GateState } from '../finish.ts'
import { showFirstRunOnly } from '../first-run.ts'
import { projectLabel } from '../projects.ts'
import { collectV5 } from './collect.ts'
import type { V5TestBenchmark, V5TestModule, V5Vitest } from './types.ts'
import { tinybenchVersionV5 } from './versions.ts'

/**
 * Runs the gate when vitest 5 finishes a run: collects from `testCase.meta()` (scenarios) and
 * `testCase.benchmarks()` (plain and native benches), then finishes like the vitest 4 adapter.
 */
export class GateReporterV5 {
  private vitest!: V5Vitest
  constructor(private readonly state: GateState) {}

  /** Keeps the Vitest instance for the end of the run; vitest's own reporters see the first run only. */
  onInit(vitest: V5Vitest): void {
    this.vitest = vitest
    showFirstRunOnly(vitest, this)
  }

  /** Keeps only the order statistics the gate uses of each recorded benchmark's samples (see `thinInPlace`). */
  onTestCaseBenchmark(_testCase: unknown, benchmark: V5TestBenchmark): void {
    for (const task of benchmark.tasks) thinInPlace(task.latency)
  }

  /** Compares, writes the baseline when asked, prints the verdict and sets the exit code. */
  async onTestRunEnd(testModules: ReadonlyArray<V5TestModule>, _errors: unknown, reason: string): Promise<void> {
    if (reason === 'interrupted') return
    // a bench twin stands for the project it was made of (`benchmark.projectName`); outside a
    // workspace that is the root project, whose keys carry no project
    const workspace = Array.isArray(this.vitest.config.projects) && this.vitest.config.projects.length > 0
    const parents = new Map(this.vitest.projects.map(p => [p.name, p.config.benchmark.projectName ?? p.name]))
    const labelOf = (name: string) => projectLabel(parents.get(name) ?? name, !workspace)
    await finishCollected(this.state, this.vitest, collectV5(testModules, this.vitest.config.root, this.state.options.tags, labelOf), tinybenchVersionV5(this.vitest.distPath))
  }
}

import { relative } from 'node:path'
import type { Reporter, TestModule, Vitest } from 'vitest/node'
import type { ResolvedBenchgateOptions } from '../../src/config/gate.ts'
import { environmentFingerprint } from '../../src/baseline/fingerprint.ts'
import { finishRun } from '../../src/gate.ts'
import { BenchgateError } from '../../src/util/errors.ts'
import { renderConsole } from '../../reporters/console.ts'
import { renderReports } from '../../reporters/index.ts'
import { collectV4 } from './collect.ts'
import { tinybenchVersion } from './versions.ts'

/** Runs the gate when Vitest 4 finishes a benchmark run, prints the verdict and sets the exit code. */
export class GateReporterV4 implements Reporter {
  private vitest!: Vitest
  constructor(private readonly state: { options: ResolvedBenchgateOptions, mode: 'compare' | 'update', version: string }) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason: string): void {
    if (reason === 'interrupted') return
    const root = this.vitest.config.root
    const { measured, filesRun, runs } = collectV4(testModules, root, this.state.options.tags)
    const versions = { vitest: this.vitest.version, benchgate: this.state.version, tinybench: tinybenchVersion() }
    try {
      const pattern = this.vitest.config.testNamePattern
      const result = finishRun({
        root,
        mode: this.state.mode,
        options: this.state.options,
        environment: environmentFingerprint(versions),
        measured,
        filesRun,
        runs,
        version: this.state.version,
        ...(pattern ? { namePattern: pattern } : {}),
      })
      const diffOpts = result.baselineDiff !== undefined ? { baselineDiff: result.baselineDiff, baselineFile: result.baselineFile } : { baselineFile: result.baselineFile }
      process.stdout.write(renderConsole(result.report, diffOpts))
      if (!result.report.passed) process.exitCode = 1
      // The console table above always prints; the other reporters run when named.
      const names = this.state.options.reporters.filter(n => n !== 'console')
      if (names.length) {
        const context = { root, outputDir: this.state.options.outputDir, names, ...(result.baselineDiff !== undefined ? { baselineDiff: result.baselineDiff } : {}) }
        const { written, failures } = renderReports(result.report, context)
        const shown = (path: string) => {
          const rel = relative(root, path)
          return rel && !rel.startsWith('..') ? rel.split('\\').join('/') : path
        }
        if (written.length) process.stdout.write(`benchgate: wrote ${written.map(shown).join(', ')}\n`)
        for (const failure of failures) {
          process.stderr.write(`benchgate: ${failure.message}\n`)
          process.exitCode = 1
        }
      }
    }
    catch (error) {
      if (error instanceof BenchgateError) {
        process.stderr.write(`benchgate: ${error.message}\n`)
        process.exitCode = error.exitCode
        return
      }
      throw error
    }
  }
}

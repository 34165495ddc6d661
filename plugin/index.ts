/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import type { Vitest } from 'vitest/node'
import { resolveGateOptions, type BenchgateOptions } from '../src/config/gate.ts'
import { loadBaseline } from '../src/gate.ts'
import { BenchgateError } from '../src/util/errors.ts'
import { benchgateVersion } from '../src/util/version.ts'
import { PROVIDE_KEY, type WorkerOptions } from './protocol.ts'
import { autoReferences } from './references.ts'
import { prepareInstructions, useCallgrindPool, type InstructionsRun } from './instructions/configure.ts'
import { gateMode, updateMode } from './finish.ts'
import { GateReporterV4 } from './v4/reporter.ts'
import { configureV5, isBenchProjectV5 } from './v5/configure.ts'
import { GateReporterV5 } from './v5/reporter.ts'
import type { V5InjectTestProjects, V5Project, V5Vitest } from './v5/types.ts'

export type { BenchgateOptions }

const CONFIGURED = Symbol.for('benchgate.configured')
const PLUGIN_NAME = 'benchgate'

/** Marks the plugin instance the CLI adds, so that one in the project's own config wins. */
export interface BenchgatePluginApi {
  fromCli: boolean
}

function vitestMajor(vitest: Vitest): number {
  return Number(String(vitest.version).split('.')[0])
}

/** Prints one line and exits 2: bad input must not start a long benchmark run. */
function exitOnInputError(error: unknown): never {
  if (error instanceof BenchgateError) {
    process.stderr.write(`benchgate: ${error.message}\n`)
    process.exit(error.exitCode)
  }
  throw error
}

/**
 * The benchgate Vitest plugin: in `vitest bench`, measures every benchmark in independent runs,
 * compares it with the committed baseline and fails the run on a critical regression; with `-u`
 * it writes the baseline instead.
 */
export function benchgate(options: BenchgateOptions = {}, internal: { fromCli?: boolean } = {}): Plugin {
  const api: BenchgatePluginApi = { fromCli: internal.fromCli ?? false }
  return {
    name: PLUGIN_NAME,
    api,
    config() {
      return {
        test: {
          includeTaskLocation: true,
          // vitest 4 reads includeSamples, vitest 5 retainSamples (samples come back sorted there)
          benchmark: { includeSamples: true, retainSamples: true } as { includeSamples: boolean },
        },
      }
    },
    async configureVitest({ vitest, project, injectTestProjects }) {
      const major = vitestMajor(vitest)
      // vitest 4 has a benchmark mode; vitest 5 runs benchmarks in bench projects (see plugin/v5/configure.ts)
      if (major >= 5 ? !isBenchProjectV5(project as unknown as V5Project) : vitest.config.mode !== 'benchmark') return
      const flagged = vitest as unknown as Record<symbol, boolean>
      if (flagged[CONFIGURED]) return
      if (api.fromCli && project.vite.config.plugins.some(p => p.name === PLUGIN_NAME && !(p.api as BenchgatePluginApi | undefined)?.fromCli)) return
      flagged[CONFIGURED] = true

      if (major !== 4 && major !== 5) {
        exitOnInputError(new BenchgateError(`vitest ${vitest.version} is not supported by this benchgate version (supported: vitest 4 and 5)`))
      }
      let resolved
      let baseline
      let instructions: InstructionsRun | undefined
      try {
        resolved = resolveGateOptions(options)
        baseline = loadBaseline(vitest.config.root, resolved).baseline
        if (resolved.measure === 'instructions') instructions = prepareInstructions(vitest.config.root)
      }
      catch (error) {
        exitOnInputError(error)
      }
      const update = updateMode(vitest.config.update)
      const state = { options: resolved, update, version: benchgateVersion(), ...(instructions ? { measurementTool: `${instructions.valgrind.version} callgrind` } : {}) }
      const mode = gateMode(update)
      const runs = mode === 'update' ? resolved.baselineRuns : resolved.runs
      const workerOptions: WorkerOptions = { tags: resolved.tags, root: vitest.config.root, thresholds: { ...resolved.decision.thresholds } }
      if (mode !== 'update') workerOptions.references = autoReferences(baseline)
      if (resolved.rounds !== undefined) workerOptions.rounds = resolved.rounds
      if (instructions) workerOptions.measure = instructions.worker
      vitest.provide(PROVIDE_KEY, workerOptions)
      if (major === 5) {
        const reporter = new GateReporterV5(state)
        await configureV5(vitest as unknown as V5Vitest, injectTestProjects as unknown as V5InjectTestProjects, runs, reporter)
        if (instructions) await useCallgrindPool(vitest as unknown as { distPath: string, projects: V5Project[] }, instructions, isBenchProjectV5)
        return
      }
      if (runs > 1 && vitest.projects.length === 1) {
        await injectTestProjects(Array.from({ length: runs - 1 }, (_, i) => ({
          extends: true,
          test: { name: `benchgate-run-${i + 2}` },
        })))
      }
      if (instructions) await useCallgrindPool(vitest, instructions, () => true)
      const reporters = vitest.config.benchmark!.reporters as unknown[]
      reporters.push(new GateReporterV4(state))
    },
  }
}

export default benchgate

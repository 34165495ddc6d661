/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import type { Vitest } from 'vitest/node'
import { resolveGateOptions, type BenchgateOptions } from '../src/config/gate.ts'
import { loadBaseline } from '../src/gate.ts'
import { placementRequest } from '../src/machine/placement.ts'
import { BenchgateError } from '../src/util/errors.ts'
import { benchgateVersion } from '../src/util/version.ts'
import { benchmarkExclude, PARENT_WATCH_FILE } from './own-config.ts'
import { DIE_WITH_PARENT_ENV, dieWithParent } from './parent-watch.ts'
import type { WorkerOptions } from './protocol.ts'
import { carryPlugin } from './projects.ts'
import { autoReferences } from './references.ts'
import { prepareInstructions, useCallgrindPool, type InstructionsRun } from './instructions/configure.ts'
import { gateMode, updateMode } from './finish.ts'
import { configureV4 } from './v4/configure.ts'
import { GateReporterV4 } from './v4/reporter.ts'
import { configureV5, isBenchProjectV5 } from './v5/configure.ts'
import { GateReporterV5 } from './v5/reporter.ts'
import type { V5InjectTestProjects, V5Project, V5Vitest } from './v5/types.ts'

export type { BenchgateOptions }

const CONFIGURED = Symbol.for('benchgate.configured')
/** The worker setup file: places each measured process and takes its machine probes. */
const WORKER_SETUP = fileURLToPath(new URL(`./worker-setup.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url))
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
  const plugin: Plugin = {
    name: PLUGIN_NAME,
    api,
    config(userConfig) {
      carryPlugin(userConfig, plugin, { carrier: api.fromCli })
      return {
        test: {
          includeTaskLocation: true,
          // workers die with the Vitest process (kill -9 of the main process leaves no orphans)
          setupFiles: [PARENT_WATCH_FILE],
          // vitest 4 reads includeSamples, vitest 5 retainSamples (samples come back sorted there);
          // compare --against's worktrees under .benchgate/ are never part of the project
          benchmark: { includeSamples: true, retainSamples: true, exclude: benchmarkExclude(userConfig) } as { includeSamples: boolean },
        },
      }
    },
    async configureVitest({ vitest, project, injectTestProjects }) {
      const major = vitestMajor(vitest)
      // vitest 4 has a benchmark mode; vitest 5 runs benchmarks in bench projects (see plugin/v5/configure.ts)
      if (major >= 5 ? !isBenchProjectV5(project as unknown as V5Project) : vitest.config.mode !== 'benchmark') return
      const flagged = vitest as unknown as Record<symbol, boolean>
      if (flagged[CONFIGURED]) return
      // a run benchgate started itself (compare --against) ends with the command that started it
      if (process.env[DIE_WITH_PARENT_ENV] === '1') dieWithParent()
      // a benchgate plugin of the project's own config (in any of its projects) wins over the CLI's
      if (api.fromCli && vitest.projects.some(p => p.vite.config.plugins.some(x => x.name === PLUGIN_NAME && !(x.api as BenchgatePluginApi | undefined)?.fromCli))) return
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
      // Read the CPUs this run may use before any measured process moves this one off its CPU.
      // Instruction counts do not depend on the CPU: no placement, no probes (under Valgrind).
      if (instructions) workerOptions.measure = instructions.worker
      else {
        workerOptions.placement = placementRequest(resolved.cpu)
        workerOptions.timeShare = Math.min(1, resolved.timeBudget / runs)
        if (!resolved.probes) workerOptions.probes = false
      }
      if (major === 5) {
        const reporter = new GateReporterV5(state)
        await configureV5(vitest as unknown as V5Vitest, injectTestProjects as unknown as V5InjectTestProjects, runs, reporter, workerOptions, [WORKER_SETUP])
        if (instructions) await useCallgrindPool(vitest as unknown as { distPath: string, projects: V5Project[] }, instructions, isBenchProjectV5)
        return
      }
      await configureV4(vitest, injectTestProjects as unknown as Parameters<typeof configureV4>[1], runs, new GateReporterV4(state), workerOptions, [WORKER_SETUP])
      if (instructions) await useCallgrindPool(vitest, instructions, () => true)
    },
  }
  return plugin
}

/** True once a benchgate plugin has configured this Vitest instance (the CLI checks that the gate ran). */
export function isConfigured(vitest: unknown): boolean {
  return (vitest as Record<symbol, boolean> | undefined)?.[CONFIGURED] === true
}

export default benchgate

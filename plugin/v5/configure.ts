import { CARRIER_PROJECT, replicaName } from '../projects.ts'
import { PROVIDE_KEY, type WorkerOptions } from '../protocol.ts'
import { shardRunsTogether } from '../shard.ts'
import type { GateReporterV5 } from './reporter.ts'
import type { V5InjectTestProjects, V5Project, V5Vitest } from './types.ts'

/**
 * True for a project that runs benchmarks. Vitest 5 runs benchmarks in a project of their own: `vitest
 * bench` (and `benchmark.enabled`) adds a `bench` twin (`<name> (bench)`) of each project, with
 * `benchmark.enabled` on, `benchmark.include` as its files and one worker.
 */
export function isBenchProjectV5(project: V5Project): boolean {
  return project.config.benchmark?.enabled === true
}

// vitest 5 makes a bench twin of each injected project, and keeps the project itself: with no files
// of its own it does not run the unit tests again.
const NO_TESTS = { include: [], includeSource: [] }

/** The replica projects benchgate injects for the root project: `benchgate-run-2` ... `benchgate-run-<runs>`. */
export function replicaConfigs(runs: number): Array<{ extends: true, test: Record<string, unknown> }> {
  return Array.from({ length: runs - 1 }, (_, i) => ({
    extends: true as const,
    test: { name: replicaName(undefined, i + 2), ...NO_TESTS },
  }))
}

/** True when the root config defines a workspace (`test.projects`). */
function isWorkspace(vitest: V5Vitest): boolean {
  return Array.isArray(vitest.config.projects) && vitest.config.projects.length > 0
}

/**
 * Run `run` of the workspace project a bench twin was made of, or `undefined` when it cannot be
 * defined again: an inline definition (found by its name in `test.projects`) with another name, or
 * a project of its own config file (`extends` that file, same root).
 */
export function workspaceReplicaV5(vitest: V5Vitest, twin: V5Project, run: number): Record<string, unknown> | undefined {
  const base = twin.config.benchmark.projectName ?? ''
  const name = replicaName(base, run)
  const inline = (vitest.config.projects ?? []).find((d): d is { test?: Record<string, unknown> } =>
    !!d && typeof d === 'object' && (d as { test?: { name?: unknown } }).test?.name === base)
  if (inline) return { ...inline, test: { ...inline.test, name, ...NO_TESTS } }
  const file = twin.vite.config.configFile
  if (twin.vite !== vitest.vite && file) return { extends: file, root: twin.config.root, test: { name, ...NO_TESTS } }
  return undefined
}

/**
 * The vitest 5 part of `configureVitest`, once the options are resolved: injects the replica projects
 * (independent runs in their own worker processes, one after another like every bench project) of
 * the root project, or of every bench project of a workspace, lets them through a `--project` filter,
 * provides the worker options and turns samples on in every project (the plugin's `config` hook
 * reaches only the root's, and on the CLI route not even that), and registers the gate reporter
 * (`config.reporters`: reporters are created after this hook). A bench project of a workspace that
 * cannot be defined again (a definition given as a function, say) is measured in one run, and says so.
 */
export async function configureV5(vitest: V5Vitest, injectTestProjects: V5InjectTestProjects, runs: number, reporter: GateReporterV5, workerOptions: WorkerOptions, setupFiles: readonly string[]): Promise<void> {
  const bench = vitest.projects.filter(p => isBenchProjectV5(p) && p.config.benchmark.projectName !== CARRIER_PROJECT)
  const unrepeated: string[] = []
  if (runs > 1 && bench.length > 0) {
    let replicas: Array<Record<string, unknown>>
    if (!isWorkspace(vitest) && bench.length === 1) replicas = replicaConfigs(runs)
    else {
      replicas = []
      for (const twin of bench) {
        const made = Array.from({ length: runs - 1 }, (_, i) => workspaceReplicaV5(vitest, twin, i + 2))
        if (made.every(r => r !== undefined)) replicas.push(...made as Array<Record<string, unknown>>)
        else unrepeated.push(twin.name)
      }
    }
    const filter = vitest.config.project
    if (Array.isArray(filter) && filter.length) filter.push(...replicas.flatMap(r => [(r.test as { name: string }).name, `${(r.test as { name: string }).name} (bench)`]))
    await injectTestProjects(replicas)
  }
  // --shard: every run of a file on the same shard
  shardRunsTogether(vitest.config)
  vitest.config.includeTaskLocation = true
  for (const project of vitest.projects) {
    project.provide(PROVIDE_KEY, workerOptions)
    project.config.includeTaskLocation = true
    if (project.config.benchmark) project.config.benchmark.retainSamples = true
    // the worker setup of every bench project, replicas included (a plugin added from the CLI is
    // not part of the config files they are defined from)
    if (isBenchProjectV5(project)) {
      const own = project.config.setupFiles ??= []
      for (const file of setupFiles) if (!own.includes(file)) own.push(file)
    }
  }
  vitest.config.reporters.push(reporter)
  if (unrepeated.length) process.stderr.write(`benchgate: ${unrepeated.join(', ')}: cannot define this workspace project again, so its benchmarks are measured in 1 run, not ${runs} (give it an inline definition with a name, or a config file of its own)\n`)
}

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

/** The replica projects benchgate injects: `benchgate-run-2` ... `benchgate-run-<runs>`. */
export function replicaConfigs(runs: number, setupFiles: readonly string[]): Array<{ extends: true, test: Record<string, unknown> }> {
  return Array.from({ length: runs - 1 }, (_, i) => ({
    extends: true as const,
    // vitest 5 makes a bench twin of each injected project, and keeps the project itself: with no
    // files of its own it does not run the unit tests again. The setup files are given again: a
    // plugin added from the CLI is not part of the config file the replicas extend.
    test: { name: `benchgate-run-${i + 2}`, include: [], includeSource: [], setupFiles: [...setupFiles] },
  }))
}

/**
 * The vitest 5 part of `configureVitest`, once the options are resolved: injects the replica projects
 * (independent runs in their own worker processes, one after another like every bench project) when
 * there is a single bench project, and registers the gate reporter (`config.reporters`: reporters are
 * created after this hook).
 */
export async function configureV5(vitest: V5Vitest, injectTestProjects: V5InjectTestProjects, runs: number, reporter: GateReporterV5, setupFiles: readonly string[]): Promise<void> {
  const benchProjects = vitest.projects.filter(isBenchProjectV5)
  for (const project of benchProjects) {
    const own = project.config.setupFiles ??= []
    for (const file of setupFiles) if (!own.includes(file)) own.push(file)
  }
  if (runs > 1 && benchProjects.length === 1) {
    await injectTestProjects(replicaConfigs(runs, setupFiles))
  }
  vitest.config.reporters.push(reporter)
}

import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import type { TestProject, Vitest } from 'vitest/node'
import { CARRIER_PROJECT, replicaName } from '../projects.ts'
import { PROVIDE_KEY, type WorkerOptions } from '../protocol.ts'
import { shardRunsTogether } from '../shard.ts'

/** The worker runner that thins samples where tinybench makes them (`./runner.ts`, or `.js` once built). */
const THIN_SAMPLES_RUNNER = fileURLToPath(new URL(`./runner${extname(fileURLToPath(import.meta.url))}`, import.meta.url))

/** `injectTestProjects` of vitest 4's `configureVitest`. */
type InjectTestProjects = (config: Array<Record<string, unknown>>) => Promise<TestProject[]>

/** What vitest 4 keeps of the definition a project was created from (`TestProject.options`, internal). */
interface ProjectOptions {
  plugins?: unknown[]
}

/**
 * True for the root project: the one that shares Vitest's own Vite server (a config without
 * `projects`, or none). Unlike `isRootProject()`, this works in `configureVitest` of a workspace too,
 * where the root project is created only after the hook.
 */
export function isRootV4(project: TestProject): boolean {
  return project.vite === project.vitest.vite
}

/**
 * The definition of run `run` (2, 3, ...) of a project: the same project again under another name,
 * so that vitest runs it in worker processes of its own.
 *
 * - The root project (a config without `projects`, or none at all): `extends: true`, named
 *   `benchgate-run-<run>`, as before.
 * - A project of a workspace (`test.projects`: inline definitions or config files): its own
 *   definition again, from the inline config its Vite server was created with (root, config file,
 *   test options) and its own plugins, named `<name>:benchgate-run-<run>`.
 */
export function replicaConfigV4(project: TestProject, run: number): Record<string, unknown> {
  if (isRootV4(project)) return { extends: true, test: { name: replicaName(undefined, run) } }
  const inline = project.vite.config.inlineConfig as { root?: string, configFile?: string | false, test?: Record<string, unknown> }
  // vitest adds its own `vitest:tags` plugin to every inline definition (and again to this one)
  const plugins = ((project as unknown as { options?: ProjectOptions }).options?.plugins ?? [])
    .filter(p => !(p && typeof p === 'object' && (p as Plugin).name === 'vitest:tags'))
  const config: Record<string, unknown> = {
    extends: typeof inline.configFile === 'string' ? inline.configFile : false,
    test: { ...inline.test, name: replicaName(project.name, run) },
  }
  if (inline.root) config.root = inline.root
  if (plugins.length) config.plugins = plugins
  return config
}

/**
 * The vitest 4 part of `configureVitest`, once the options are resolved: injects runs 2..`runs` of
 * every project (independent runs, each in worker processes of its own), lets them through a
 * `--project` filter, provides the worker options and the setup files (`setupFiles`) to every project, turns on what the gate reads in every project (samples, task locations: the
 * plugin's `config` hook reaches only the root project's config, and not at all on the CLI route of
 * a project whose config does not list the plugin) and registers the gate reporter.
 */
export async function configureV4(vitest: Vitest, injectTestProjects: InjectTestProjects, runs: number, reporter: unknown, workerOptions: WorkerOptions, setupFiles: readonly string[]): Promise<void> {
  // the carrier project (see carryPlugin) runs no files: nothing to repeat
  const projects = vitest.projects.filter(p => p.name !== CARRIER_PROJECT)
  if (runs > 1) {
    const replicas = projects.flatMap(project => Array.from({ length: runs - 1 }, (_, i) => replicaConfigV4(project, i + 2)))
    // a `--project` filter would drop the replicas by name: they are part of the projects it selected
    const filter = vitest.config.project
    if (Array.isArray(filter) && filter.length) filter.push(...replicas.map(r => (r.test as { name: string }).name))
    await injectTestProjects(replicas)
  }
  // --shard: every run of a file on the same shard
  shardRunsTogether(vitest.config)
  vitest.config.includeTaskLocation = true
  for (const project of vitest.projects) {
    // per project: in a workspace the root project (`vitest.provide`) does not exist yet here
    project.provide(PROVIDE_KEY, workerOptions)
    // a project's own runner stays; the main process still thins what arrives (GateReporterV4)
    project.config.runner ??= THIN_SAMPLES_RUNNER
    project.config.includeTaskLocation = true
    // the worker setup of every project, replicas included (a plugin added from the CLI is not part
    // of the config files they are defined from)
    for (const file of setupFiles) if (!project.config.setupFiles.includes(file)) project.config.setupFiles.push(file)
    const benchmark = project.config.benchmark as { includeSamples?: boolean } | undefined
    if (benchmark) benchmark.includeSamples = true
    else (project.config as { benchmark?: object }).benchmark = { includeSamples: true }
  }
  ;(vitest.config.benchmark!.reporters as unknown[]).push(reporter)
}

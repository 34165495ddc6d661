/**
 * Names of the projects benchgate adds, and how a benchmark's key names the project it ran in.
 * Shared by the vitest 4 and 5 adapters (vitest 5 appends ` (bench)` to a benchmark project's name).
 */

const REPLICA = /(?:^|:)benchgate-run-\d+$/
const BENCH_TWIN = / \(bench\)$/

/**
 * The name of run `run` (2, 3, ...) of a project: `benchgate-run-<run>` for the root project (a
 * config without `projects`, or none), `<project>:benchgate-run-<run>` for a project of a workspace.
 */
export function replicaName(project: string | undefined, run: number): string {
  return project ? `${project}:benchgate-run-${run}` : `benchgate-run-${run}`
}

/**
 * The user's project a (replica or vitest 5 bench) project stands for: its name without
 * `:benchgate-run-<n>` and ` (bench)`; `undefined` for the root project and its replicas.
 */
export function projectLabel(name: string | undefined, isRoot: boolean): string | undefined {
  if (isRoot) return undefined
  const base = (name ?? '').replace(BENCH_TWIN, '').replace(REPLICA, '')
  return base === '' ? undefined : base
}

/**
 * The file part of a benchmark's key: the path relative to the root, prefixed with `[project] ` when
 * the benchmark ran in a project of a workspace (the same file may run in several projects, each a
 * measurement of its own, and a `--project` filter must not make the others `missing`). A project
 * without workspace (the root project) keeps the plain path, as before.
 */
export function keyFile(file: string, label: string | undefined): string {
  return label === undefined ? file : `[${label}] ${file}`
}

/** The name of the empty project that carries the plugin into a workspace whose projects are all config files. */
export const CARRIER_PROJECT = 'benchgate'

/**
 * Vitest calls `configureVitest` with the plugins of its projects only: in a workspace
 * (`test.projects`), a plugin of the root config (and the one `benchgate test` adds on top of it)
 * reaches none of the projects defined by config files, nor inline ones that do not `extends: true`
 * the root config. So the plugin also rides along with every inline definition that does not list
 * it yet, and, when there is none (or `carrier`: always; `benchgate test` adds the carrier to its
 * `--project` filter, so that it survives any selection), with an empty project of its own
 * ({@link CARRIER_PROJECT}, no files). One `configureVitest` call configures every project (the plugin runs once per Vitest).
 * Mutates the root config's definitions, as a `config` hook may.
 */
export function carryPlugin(config: { test?: { projects?: unknown } }, plugin: { name: string }, options: { carrier?: boolean } = {}): void {
  const projects = config.test?.projects
  if (!Array.isArray(projects) || projects.length === 0) return
  let carried = false
  for (const definition of projects) {
    if (!definition || typeof definition !== 'object' || typeof (definition as { then?: unknown }).then === 'function') continue
    const inline = definition as { plugins?: unknown[] }
    if (!(inline.plugins ?? []).includes(plugin)) inline.plugins = [...(inline.plugins ?? []), plugin]
    carried = true
  }
  if (!carried || options.carrier) projects.push({ test: { name: CARRIER_PROJECT, include: [], benchmark: { include: [] } }, plugins: [plugin] })
}

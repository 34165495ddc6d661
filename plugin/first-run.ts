/**
 * Vitest's own reporters see every run of every benchmark: with 5 runs its benchmark table and its
 * summary print 5 times. The gate wraps them so that they see the first run only (the user's own
 * projects, not the replicas benchgate adds): vitest's output reads as one `vitest bench` run, and
 * benchgate's table, printed after it, is the result over all runs.
 */
import { runNumber } from './protocol.ts'

type AnyReporter = Record<string, unknown>

/** What the filter needs from the Vitest instance: its task map (`state.idMap`), in both majors. */
export interface RunState {
  state: { idMap: Map<string, unknown> }
}

interface WithProject { project?: { name?: string } }
interface TaskLike { file?: { projectName?: string }, projectName?: string }

function firstRun(name: string | undefined): boolean {
  return runNumber(name) === 1
}

function entityInFirstRun(entity: unknown): boolean {
  const project = (entity as WithProject | undefined)?.project
  return project === undefined || firstRun(project.name)
}

function taskInFirstRun(vitest: RunState, id: string | undefined): boolean {
  if (id === undefined) return true
  const task = vitest.state.idMap.get(id) as TaskLike | undefined
  if (!task) return true
  return firstRun(task.file?.projectName ?? task.projectName)
}

/**
 * A view of `reporter` that is told about the first run only: events of modules, suites, tests and
 * hooks of replica projects (`benchgate-run-<n>`) are not passed on, task updates and console logs
 * of their tasks are filtered out, and the end of the run lists the first run's modules. Everything
 * else (start-up, errors, coverage, watch mode) passes unchanged.
 */
export function firstRunOnly<R extends object>(reporter: R, vitest: RunState): R {
  const target = reporter as AnyReporter
  const filters: Record<string, (args: unknown[]) => unknown[] | undefined> = {
    onTaskUpdate: ([packs, events]) => [
      (packs as Array<[string, ...unknown[]]>).filter(pack => taskInFirstRun(vitest, pack[0])),
      Array.isArray(events) ? (events as Array<[string, ...unknown[]]>).filter(event => taskInFirstRun(vitest, event[0])) : events,
    ],
    onUserConsoleLog: ([log]) => taskInFirstRun(vitest, (log as { taskId?: string }).taskId) ? [log] : undefined,
    onTestRunStart: ([specifications]) => [(specifications as unknown[]).filter(entityInFirstRun)],
    onTestRunEnd: ([modules, ...rest]) => [(modules as unknown[]).filter(entityInFirstRun), ...rest],
    onHookStart: ([hook]) => entityInFirstRun((hook as { entity?: unknown }).entity) ? [hook] : undefined,
    onHookEnd: ([hook]) => entityInFirstRun((hook as { entity?: unknown }).entity) ? [hook] : undefined,
  }
  const perEntity = /^on(TestModule|TestSuite|TestCase)[A-Z]/
  return new Proxy(reporter, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver)
      if (typeof property !== 'string' || typeof value !== 'function') return value
      const filter = filters[property] ?? (perEntity.test(property) ? (args: unknown[]) => entityInFirstRun(args[0]) ? args : undefined : undefined)
      if (!filter) return value
      return (...args: unknown[]) => {
        const passed = filter(args)
        return passed === undefined ? undefined : (value as (...a: unknown[]) => unknown).apply(target, passed)
      }
    },
  })
}

/** Replaces every reporter of `vitest` but `own` by its first-run view (see {@link firstRunOnly}). */
export function showFirstRunOnly(vitest: RunState & { reporters: unknown[] }, own: unknown): void {
  vitest.reporters.forEach((reporter, i) => {
    if (reporter !== own && reporter && typeof reporter === 'object') vitest.reporters[i] = firstRunOnly(reporter, vitest)
  })
}

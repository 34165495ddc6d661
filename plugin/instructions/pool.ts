import { fork, type ChildProcess } from 'node:child_process'
import { callgrindArgs, DETERMINISTIC_NODE_FLAGS } from '../../src/measure/valgrind.ts'
import { DeferredStart } from './deferred-start.ts'

/** The pool name the instruction mode gives every benchmark project. */
export const CALLGRIND_POOL = 'benchgate-callgrind'

/**
 * The part of Vitest's `ForksPoolWorker` (vitest 4 and 5, `vitest/node`) this pool relies on: its
 * `start()` forks `entrypoint` only when `_fork` is not set yet (`this._fork ||= fork(...)`), then
 * wires the process up (stdio, error events, watchdog) whatever started it.
 */
export interface ForksWorkerLike {
  name: string
  _fork?: ChildProcess
  entrypoint: string
  execArgv: string[]
  env: Record<string, string | undefined>
  start(): Promise<void>
  on(event: string, callback: (...args: any[]) => void): void
  off(event: string, callback: (...args: any[]) => void): void
  send(message: unknown): void
}

/** Vitest's `ForksPoolWorker` class, as the running Vitest exports it. */
export type ForksWorkerClass = new (options: any) => ForksWorkerLike

/** Vitest's `PoolRunnerInitializer` (`test.pool` as an object): a named pool and its worker factory. */
export interface PoolRunnerInitializer {
  readonly name: string
  createPoolWorker: (options: any) => unknown
}

/** Where and how workers run under Valgrind. */
export interface CallgrindPoolSettings {
  /** The Valgrind command. */
  valgrind: string
  /** Callgrind's dump directory (one file per measured round). */
  outDir: string
  /** Variables the worker gets on top of Vitest's (the measure mode, one-thread pools). */
  env: Record<string, string>
}

/**
 * A Vitest pool whose worker processes run under Valgrind's Callgrind: Vitest's own forks worker,
 * except that the process it starts is `valgrind <callgrind args> node <deterministic V8 flags>
 * <Vitest's exec args> <worker entry>`, with the same IPC channel (Node's `fork` with `execPath`
 * set to Valgrind), and that its start runs outside Vitest's start timeout (./deferred-start.ts).
 * Everything else (messages, stdio, teardown) is Vitest's.
 */
export function callgrindPool(Base: ForksWorkerClass, settings: CallgrindPoolSettings): PoolRunnerInitializer {
  class CallgrindForksWorker extends Base {
    override name = CALLGRIND_POOL
    readonly #start = new DeferredStart(message => super.send(message))

    override on(event: string, callback: (...args: any[]) => void): void {
      if (event === 'error') this.#start.errorListener(callback, true)
      super.on(event, event === 'message' ? this.#start.messageListener(callback) : callback)
    }

    override off(event: string, callback: (...args: any[]) => void): void {
      if (event === 'error') this.#start.errorListener(callback, false)
      super.off(event, event === 'message' ? this.#start.registered(callback) ?? callback : callback)
    }

    override send(message: unknown): void {
      this.#start.outgoing(message)
    }

    override async start(): Promise<void> {
      this._fork ||= fork(this.entrypoint, [], {
        env: { ...this.env, ...settings.env },
        execPath: settings.valgrind,
        execArgv: [...callgrindArgs(settings.outDir), process.execPath, ...DETERMINISTIC_NODE_FLAGS, ...this.execArgv],
        stdio: 'pipe',
        serialization: 'advanced',
      })
      return super.start()
    }
  }
  return { name: CALLGRIND_POOL, createPoolWorker: options => new CallgrindForksWorker(options) }
}

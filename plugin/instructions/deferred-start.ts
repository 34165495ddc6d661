/**
 * Vitest gives a pool worker 60 s to answer its `start` request (90 s to start in all), a budget
 * made for Node at native speed. Under Valgrind a worker's start (Valgrind loading Node, then
 * Vitest's worker module graph) costs about 5 s of CPU time, 10-15x what it costs natively; on a
 * busy machine the run's share of a CPU can stretch that past a minute, and Vitest then fails the
 * file ("Timeout waiting for worker to respond") without it ever running. Counts do not depend on
 * how long that takes, so the Callgrind pool takes the start out of Vitest's clock:
 *
 * - the `start` request goes to the worker as usual, and Vitest is told at once that the worker
 *   started (`{ type: 'started' }`);
 * - Vitest's further requests (`run`, `collect`, `stop`, ...) are held until the worker's own
 *   `started` answer arrives, then sent in order; messages that are not requests (the RPC between
 *   Vitest and the worker, which the worker may use while it starts) pass at once;
 * - the worker's own `started` is not passed on (Vitest saw one); if it carries an error, that
 *   error goes to Vitest's `error` listeners, and a worker that exits meanwhile is reported by
 *   Vitest as any worker exit is.
 *
 * Both majors (vitest 4.1 and 5) speak this protocol: requests carry `__vitest_worker_request__`,
 * answers `__vitest_worker_response__`.
 */

type Message = { __vitest_worker_request__?: unknown, __vitest_worker_response__?: unknown, type?: unknown, error?: unknown } | null | undefined
type Listener = (message: unknown) => void

const isRequest = (message: unknown, type?: string): boolean =>
  typeof message === 'object' && message !== null && (message as Message)!.__vitest_worker_request__ === true && (type === undefined || (message as Message)!.type === type)
const isStarted = (message: unknown): boolean =>
  typeof message === 'object' && message !== null && (message as Message)!.__vitest_worker_response__ === true && (message as Message)!.type === 'started'

/** The state of one worker's start, between Vitest and the process. */
export class DeferredStart {
  /** Set once the `start` request went out and until the worker answered it. */
  #waiting = false
  #held: unknown[] = []
  /** The worker's own `started` answer, once it came. */
  #answer: unknown
  readonly #messageListeners = new Map<Listener, Listener>()
  readonly #errorListeners = new Set<(error: unknown) => void>()

  /** `send`: to the worker process. */
  constructor(private readonly send: (message: unknown) => void) {}

  /** Vitest's request or RPC message to the worker. */
  outgoing(message: unknown): void {
    if (isRequest(message, 'start')) {
      this.#waiting = true
      this.send(message)
      // Vitest listens for `started` before it sends `start`
      queueMicrotask(() => this.#deliver({ type: 'started', __vitest_worker_response__: true }))
      return
    }
    if (this.#waiting && isRequest(message)) this.#held.push(message)
    else this.send(message)
  }

  /** A listener of Vitest's on the worker's messages, as it is to be registered on the process. */
  messageListener(listener: Listener): Listener {
    let wrapped = this.#messageListeners.get(listener)
    if (!wrapped) {
      wrapped = (message: unknown) => {
        if (this.#waiting && isStarted(message)) {
          this.#answer = message
          this.#started(message as Message)
        }
        // the worker's own answer reaches no listener: Vitest saw its `started` already
        if (message !== this.#answer) listener(message)
      }
      this.#messageListeners.set(listener, wrapped)
    }
    return wrapped
  }

  /** The registered form of `listener` (for `off`), if any. */
  registered(listener: Listener): Listener | undefined {
    return this.#messageListeners.get(listener)
  }

  /** Vitest's `error` listeners: a start that failed is reported to them. */
  errorListener(listener: (error: unknown) => void, add: boolean): void {
    if (add) this.#errorListeners.add(listener)
    else this.#errorListeners.delete(listener)
  }

  #deliver(message: unknown): void {
    for (const listener of this.#messageListeners.keys()) listener(message)
  }

  #started(message: Message): void {
    this.#waiting = false
    if (message?.error) {
      // a serialized error ({ message, stack, ... })
      const cause = message.error as { message?: unknown, stack?: unknown }
      const error = new Error(`the worker under Valgrind failed to start: ${String(cause.message ?? cause)}`, { cause })
      for (const listener of this.#errorListeners) listener(error)
      this.#held = []
      return
    }
    const held = this.#held
    this.#held = []
    for (const message of held) this.send(message)
  }
}

import { describe, expect, it } from 'vitest'
import { DeferredStart } from '../../plugin/instructions/deferred-start.ts'

// The Callgrind pool's start outside Vitest's 60 s start timeout (plugin/instructions/deferred-start.ts):
// Vitest is told at once that the worker started, and its requests wait for the worker's own answer.
const request = (type: string) => ({ __vitest_worker_request__: true, type })
const response = (type: string, extra: object = {}) => ({ __vitest_worker_response__: true, type, ...extra })
const tick = () => new Promise(resolve => setTimeout(resolve, 0))

function worker() {
  const sent: unknown[] = []
  const seen: unknown[] = []
  const errors: unknown[] = []
  const start = new DeferredStart(message => sent.push(message))
  const listener = (message: unknown) => seen.push(message)
  const fromWorker = start.messageListener(listener)
  const onError = (error: unknown) => errors.push(error)
  start.errorListener(onError, true)
  return { start, sent, seen, errors, listener, fromWorker, onError }
}

describe('DeferredStart', () => {
  it('answers start at once, holds Vitest\'s requests until the worker started, passes RPC through, hides the worker\'s own answer', async () => {
    const w = worker()
    w.start.outgoing(request('start'))
    expect(w.sent).toEqual([request('start')])
    await tick()
    expect(w.seen).toEqual([response('started')])
    // the worker still starts (under Valgrind): the run waits, RPC in both directions does not
    w.start.outgoing(request('run'))
    w.start.outgoing({ m: 'rpc reply' })
    w.fromWorker({ m: 'rpc call' })
    w.start.outgoing(request('stop'))
    expect(w.sent).toEqual([request('start'), { m: 'rpc reply' }])
    expect(w.seen).toEqual([response('started'), { m: 'rpc call' }])
    // its own answer: the held requests go out in order, and Vitest does not see a second `started`
    w.fromWorker(response('started'))
    expect(w.sent).toEqual([request('start'), { m: 'rpc reply' }, request('run'), request('stop')])
    expect(w.seen).toEqual([response('started'), { m: 'rpc call' }])
    // afterwards everything passes as it is
    w.start.outgoing(request('run'))
    w.fromWorker(response('testfileFinished'))
    expect(w.sent.at(-1)).toEqual(request('run'))
    expect(w.seen.at(-1)).toEqual(response('testfileFinished'))
    expect(w.errors).toEqual([])
  })

  it('a worker whose start failed: its error goes to Vitest\'s error listeners, the held run is dropped', async () => {
    const w = worker()
    w.start.outgoing(request('start'))
    await tick()
    w.start.outgoing(request('run'))
    w.fromWorker(response('started', { error: { message: 'setup exploded', stack: 'Error: setup exploded' } }))
    expect(w.sent).toEqual([request('start')])
    expect(w.errors).toHaveLength(1)
    expect((w.errors[0] as Error).message).toBe('the worker under Valgrind failed to start: setup exploded')
    expect(w.seen).toEqual([response('started')])
  })

  it('gives the registered form of a listener for off(), and forgets removed error listeners', async () => {
    const w = worker()
    expect(w.start.registered(w.listener)).toBe(w.fromWorker)
    expect(w.start.messageListener(w.listener)).toBe(w.fromWorker)
    expect(w.start.registered(() => {})).toBeUndefined()
    w.start.errorListener(w.onError, false)
    w.start.outgoing(request('start'))
    await tick()
    w.fromWorker(response('started', { error: { message: 'x' } }))
    expect(w.errors).toEqual([])
  })
})

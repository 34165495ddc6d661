import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveGateOptions } from '../../src/config/gate.ts'
import { openHistory } from '../../src/history/db.ts'
import { DEFAULT_HISTORY_PATH, historyDbPath, resolveHistoryOptions } from '../../src/config/history.ts'
import { recordHistory } from '../../src/history/record.ts'
import { repoRoot, vitestBench } from '../helpers/run.ts'
import { makeReport } from './make-report.ts'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-record-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const report = makeReport({ timestamp: '2025-02-01T10:00:00Z', commit: 'abc', benchmarks: [{ name: 'spin', metrics: [{ metric: 'time', value: 3 }] }] })

describe('history option', () => {
  it('is on by default at .benchgate/history.db; false turns it off; { path } moves it', () => {
    expect(resolveHistoryOptions(undefined, {})).toEqual({ enabled: true, path: DEFAULT_HISTORY_PATH, explicit: false })
    expect(resolveHistoryOptions(true, {})).toEqual({ enabled: true, path: DEFAULT_HISTORY_PATH, explicit: true })
    expect(resolveHistoryOptions(false, {})).toEqual({ enabled: false, path: DEFAULT_HISTORY_PATH, reason: 'history: false' })
    expect(resolveHistoryOptions({ path: 'perf/h.db' }, {})).toEqual({ enabled: true, path: 'perf/h.db', explicit: true })
    expect(resolveGateOptions({ history: false }, {}).history.enabled).toBe(false)
    expect(resolveGateOptions({}, {}).history).toEqual({ enabled: true, path: DEFAULT_HISTORY_PATH, explicit: false })
  })

  it('BENCHGATE_HISTORY_DB sets the path and wins over the config; BENCHGATE_HISTORY=off turns it off', () => {
    expect(resolveHistoryOptions({ path: 'a.db' }, { BENCHGATE_HISTORY_DB: '/tmp/b.db' })).toEqual({ enabled: true, path: '/tmp/b.db', explicit: true })
    expect(resolveHistoryOptions(false, { BENCHGATE_HISTORY_DB: '/tmp/b.db' })).toEqual({ enabled: true, path: '/tmp/b.db', explicit: true })
    expect(resolveHistoryOptions(undefined, { BENCHGATE_HISTORY: 'off' })).toMatchObject({ enabled: false, reason: 'BENCHGATE_HISTORY=off' })
    expect(resolveHistoryOptions(false, { BENCHGATE_HISTORY: 'on' }).enabled).toBe(true)
  })

  it('names the option or variable when it is wrong', () => {
    expect(() => resolveHistoryOptions('yes' as never, {})).toThrow('benchgate option history: expected true, false or { path: string } but received "yes"')
    expect(() => resolveHistoryOptions({ path: 3 } as never, {})).toThrow('benchgate option history: expected true, false or { path: string } but received {"path":3}')
    expect(() => resolveHistoryOptions(undefined, { BENCHGATE_HISTORY: 'maybe' })).toThrow('BENCHGATE_HISTORY: expected on or off but received "maybe"')
  })

  it('the CLI path: --history-db, then BENCHGATE_HISTORY_DB, then the default, relative to the root', () => {
    expect(historyDbPath('x.db', '/r', {})).toBe('/r/x.db')
    expect(historyDbPath(undefined, '/r', { BENCHGATE_HISTORY_DB: '/abs/h.db' })).toBe('/abs/h.db')
    expect(historyDbPath(undefined, '/r', {})).toBe('/r/.benchgate/history.db')
  })
})

describe('recordHistory', () => {
  it('appends the run, silently, relative to the root', async () => {
    const lines: string[] = []
    const outcome = await recordHistory(report, dir, { enabled: true, path: 'sub/h.db' }, { write: l => lines.push(l) })
    expect(outcome).toEqual({ recorded: true, path: join(dir, 'sub/h.db'), runId: 1 })
    expect(lines).toEqual([])
    const history = await openHistory(join(dir, 'sub/h.db'))
    expect(history.runResults(1)).toEqual([{ key: 'bench/x.bench.ts > spin', scenario: 'spin', metric: 'time', verdict: 'ok', change: null }])
    history.close()
  })

  it('off or better-sqlite3 absent by default: silent; absent when asked for, or a broken database: one line; never throws', async () => {
    const lines: string[] = []
    const write = (l: string) => { lines.push(l) }
    expect((await recordHistory(report, dir, { enabled: false, path: 'h.db', reason: 'history: false' }, { write })).recorded).toBe(false)
    const absent = () => Promise.reject(Object.assign(new Error('Cannot find package'), { code: 'ERR_MODULE_NOT_FOUND' }))
    expect((await recordHistory(report, dir, { enabled: true, path: 'h2.db', explicit: false }, { write, importer: absent })).recorded).toBe(false)
    expect(lines).toEqual([])
    expect((await recordHistory(report, dir, { enabled: true, path: 'h2.db', explicit: true }, { write, importer: absent })).recorded).toBe(false)
    mkdirSync(join(dir, 'adir.db'))
    expect((await recordHistory(report, dir, { enabled: true, path: 'adir.db' }, { write })).recorded).toBe(false)
    expect(lines).toEqual([
      'benchgate: run history not recorded: better-sqlite3 is not installed: npm install better-sqlite3@12 to keep a run history (or set history: false)\n',
      expect.stringMatching(new RegExp(`^benchgate: run history not recorded: ${join(dir, 'adir.db')}: cannot open the history database \\(.+\\)\\n$`)),
    ])
    expect(existsSync(join(dir, 'h2.db'))).toBe(false)
  })
})

describe('the plugin records every gated run', () => {
  const fixture = join(repoRoot, 'test/fixtures/basic')

  it('appends a run with its verdicts to BENCHGATE_HISTORY_DB; the verdict and exit code do not depend on it', () => {
    const db = join(dir, 'plugin.db')
    const env = { BENCHGATE_HISTORY_DB: db, BENCHGATE_BASELINE_DIR: join(dir, 'baselines'), BENCHGATE_TAGS: 'quick', FIXTURE_RUNS: '1' }
    const first = vitestBench(fixture, [], env)
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(first.stderr).not.toContain('run history')
    return openHistory(db).then((history) => {
      try {
        expect(history.runCount()).toBe(1)
        const rows = history.query('SELECT scenario, metric, verdict, current_median > 0 FROM results ORDER BY scenario').rows
        expect(rows).toEqual([['async io', 'time', 'new', 1], ['spin', 'time', 'new', 1]])
      }
      finally {
        history.close()
      }
    })
  })

  it('stays silent and still passes when history is off', () => {
    const env = { BENCHGATE_HISTORY: 'off', BENCHGATE_HISTORY_DB: join(dir, 'off.db'), BENCHGATE_BASELINE_DIR: join(dir, 'baselines'), BENCHGATE_TAGS: 'quick', FIXTURE_RUNS: '1' }
    const r = vitestBench(fixture, [], env)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stderr).not.toContain('run history')
    expect(existsSync(join(dir, 'off.db'))).toBe(false)
  })
})

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/capture.ts'
import { openHistory } from '../../src/history/db.ts'
import { stableStringify } from '../../src/util/json.ts'
import { makeReport } from './make-report.ts'

/** Runs the CLI in-process with `env` set for the call, and captures what it prints and logs. */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const saved: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  try {
    return await runCli(args, { console: true })
  }
  finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

let dir: string
let db: string
const now = Date.now()
const iso = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString()

/** Writes `n` daily reports (ci_report_*.json) into `reports/` (nested by week), newest 1 h ago. */
function writeReports(n: number, time = (i: number) => (i === n - 1 ? 150 : 100 + (i % 3)), hit = (_i: number) => 0.7) {
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'reports', `week-${Math.floor(i / 7)}`)
    mkdirSync(sub, { recursive: true })
    const report = makeReport({
      timestamp: iso(1 + (n - 1 - i) * 24),
      commit: `commit${i}`,
      branch: 'main',
      benchmarks: [{ name: 'small_gif_validation', metrics: [{ metric: 'total_validation_time_ms', value: time(i) }, { metric: 'frame_cache_hit_rate', value: hit(i) }] }],
    })
    writeFileSync(join(sub, `ci_report_${i}.json`), stableStringify(report))
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-history-cli-'))
  db = join(dir, 'h.db')
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('benchgate history', () => {
  it('lists the new commands in --help', async () => {
    const r = await cli(['--help'])
    for (const command of ['history', 'trend', 'bisect', 'metrics']) expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'))
  })

  it('path: the flag, then BENCHGATE_HISTORY_DB, then .benchgate/history.db', async () => {
    expect((await cli(['history', 'path', '--history-db', db])).stdout).toBe(`${db}\n`)
    expect((await cli(['history', 'path'], { BENCHGATE_HISTORY_DB: '/x/y.db' })).stdout).toBe('/x/y.db\n')
    expect((await cli(['history', 'path'], { BENCHGATE_HISTORY_DB: undefined })).stdout).toBe(`${join(process.cwd(), '.benchgate/history.db')}\n`)
  })

  it('import: loads every ci_report_*.json recursively; twice adds nothing; a bad file is named, the rest load, exit 2', async () => {
    writeReports(10)
    const first = await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toBe(`benchgate: imported 10 runs from 10 files under ${join(dir, 'reports')} (0 already present, 0 failed) into ${db}\n`)
    const again = await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    expect(again.stdout).toContain('imported 0 runs from 10 files')
    expect(again.stdout).toContain('(10 already present, 0 failed)')

    // the same report, reformatted, is still the same report
    const one = JSON.parse(readFileSync(join(dir, 'reports', 'week-0', 'ci_report_0.json'), 'utf8')) as unknown
    mkdirSync(join(dir, 'more', 'deep'), { recursive: true })
    writeFileSync(join(dir, 'more', 'deep', 'ci_report_copy.json'), JSON.stringify(one))
    writeFileSync(join(dir, 'more', 'ci_report_broken.json'), '{ "schemaVersion": 1,')
    writeFileSync(join(dir, 'more', 'ci_report_wrong.json'), JSON.stringify({ ...(one as object), schemaVersion: 2 }))
    writeFileSync(join(dir, 'more', 'other.json'), 'ignored: not a ci_report file')
    cpSync(join(dir, 'reports', 'week-1'), join(dir, 'more', 'week-1'), { recursive: true })
    writeReports(12)
    cpSync(join(dir, 'reports', 'week-1', 'ci_report_11.json'), join(dir, 'more', 'ci_report_11.json'))
    const mixed = await cli(['history', 'import', join(dir, 'more'), '--history-db', db])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(new RegExp(`^benchgate: ${join(dir, 'more', 'ci_report_broken.json')}: malformed JSON`)),
      `benchgate: ${join(dir, 'more', 'ci_report_wrong.json')}: schemaVersion 2 was written by a newer benchgate (this one reads schemaVersion 1): upgrade benchgate`,
    ])
    // the copy of report 0 and week-1 (reports 7-9) are already present; only report 11 is new
    expect(mixed.stdout).toContain('imported 1 run from 7 files')
    expect(mixed.stdout).toContain('(4 already present, 2 failed)')
    const history = await openHistory(db)
    expect(history.runCount()).toBe(11)
    history.close()
  })

  it('import: a missing directory is one line and exit 2', async () => {
    const r = await cli(['history', 'import', join(dir, 'nope'), '--history-db', db])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`benchgate: ${join(dir, 'nope')}: cannot read the report directory (ENOENT)\n`)
  })

  it('query: prints a table or JSON; the runbook queries run unchanged; writes are refused', async () => {
    writeReports(10)
    await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    const table = await cli(['history', 'query', 'SELECT name, COUNT(*) AS n, MIN(value) AS lo FROM metrics GROUP BY name ORDER BY name', '--history-db', db])
    expect(table.code).toBe(0)
    expect(table.stdout).toBe([
      'name                      n   lo',
      '------------------------  --  ---',
      'frame_cache.hit_rate      10  0.7',
      'frame_cache_hit_rate      10  0.7',
      'total_validation_time_ms  10  100',
      '(3 rows)',
      '',
    ].join('\n'))
    const outliers = await cli(['history', 'query', `SELECT * FROM metrics WHERE name = 'total_validation_time_ms' AND value > (SELECT AVG(value) + 2 * STDEV(value) FROM metrics WHERE name = 'total_validation_time_ms') ORDER BY timestamp DESC;`, '--history-db', db, '--json'])
    const rows = JSON.parse(outliers.stdout) as Array<Record<string, unknown>>
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ name: 'total_validation_time_ms', value: 150, scenario: 'small_gif_validation', commit_sha: 'commit9', branch: 'main' })
    const byDay = await cli(['history', 'query', `SELECT DATE(timestamp) as day, AVG(value) as avg_hit_rate FROM metrics WHERE name = 'frame_cache.hit_rate' GROUP BY DATE(timestamp) ORDER BY day DESC;`, '--history-db', db, '--json'])
    expect((JSON.parse(byDay.stdout) as unknown[]).length).toBeGreaterThanOrEqual(10)

    const write = await cli(['history', 'query', 'DELETE FROM runs', '--history-db', db])
    expect(write.code).toBe(2)
    expect(write.stderr).toBe('benchgate: history query: only read-only statements that return rows are allowed (SELECT, WITH, read-only PRAGMA), received: DELETE FROM runs\n')
    const missing = await cli(['history', 'query', 'SELECT 1', '--history-db', join(dir, 'none.db')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe(`benchgate: ${join(dir, 'none.db')}: no run history yet (record a gated run, or run benchgate history import <dir>)\n`)
    expect(existsSync(join(dir, 'none.db'))).toBe(false)
    const usage = await cli(['history', 'query', '--history-db', db])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toBe('benchgate: history query: expected one SQL statement in quotes, e.g. benchgate history query "SELECT * FROM metrics LIMIT 5"\n')
    const unknown = await cli(['history', 'drop'])
    expect(unknown.stderr).toBe('benchgate: history: unknown action "drop" (expected query, import, path)\n')
  })
})

describe('benchgate trend', () => {
  it('writes the Markdown report to --output, JSON to stdout, and reads --history-dir directly', async () => {
    writeReports(20, i => (i < 12 ? 100 : 115) + (i % 2))
    await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    const out = join(dir, 'trend.md')
    const md = await cli(['trend', '--days-back', '30', '--format', 'markdown', '--output', out, '--history-db', db])
    expect(md.code, md.stderr).toBe(0)
    expect(md.stdout).toBe(`benchgate: wrote ${out} (2 series, 20 runs, 1 change point)\n`)
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('# Performance trends: last 30 days')
    expect(text).toMatch(/\| small_gif_validation \| total_validation_time_ms \| 100\.\d+ ms → 115\.\d+ ms \| \+1[45]\.\d % \| 🔴 regression \| commit11 … commit12 \|/)

    const json = await cli(['trend', '--format', 'json', '--history-db', db])
    const report = JSON.parse(json.stdout) as { series: Array<{ metric: string, changePoints: Array<{ commit: string }> }> }
    expect(report.series.find(s => s.metric === 'total_validation_time_ms')!.changePoints.map(c => c.commit)).toEqual(['commit12'])

    const fromDir = await cli(['trend', '--format', 'json', '--history-dir', join(dir, 'reports')])
    expect(JSON.parse(fromDir.stdout)).toMatchObject({ runs: 20 })
    const html = await cli(['trend', '--format', 'html', '--history-db', db, '--days-back', '3'])
    expect(html.stdout).toMatch(/^<!doctype html>[\s\S]*3 runs/)
  })

  it('refuses bad flags with one line naming the flag, exit 2', async () => {
    const bad = async (args: string[]) => { const r = await cli(['trend', ...args]); expect(r.code).toBe(2); return r.stderr }
    expect(await bad(['--format', 'pdf'])).toBe('benchgate: --format: expected one of markdown, html, json but received "pdf"\n')
    expect(await bad(['--days-back', '0'])).toBe('benchgate: --days-back: expected a number of days > 0 but received 0\n')
    expect(await bad(['--until', 'yesterday'])).toBe('benchgate: --until: expected an ISO date such as 2025-01-31 but received "yesterday"\n')
    expect(await bad(['--history-db', join(dir, 'none.db')])).toBe(`benchgate: ${join(dir, 'none.db')}: no run history yet (record a gated run, or run benchgate history import <dir>)\n`)
  })
})

describe('benchgate metrics', () => {
  it('alerts: exit 1 with a critical alert open (a time outlier > 10 % and a low hit rate), as a table or JSON', async () => {
    writeReports(12, i => (i === 11 ? 150 : 100 + (i % 3)), i => (i === 11 ? 0.1 : 0.7))
    await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    const r = await cli(['metrics', 'alerts', '--history-db', db])
    expect(r.code).toBe(1)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^severity\s+rule\s+scenario\s+metric\s+value\s+reference\s+time \(UTC\)\s+commit\s+message$/)
    expect(lines.slice(2).map(l => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['critical', 'hit-rate', 'small_gif_validation', 'frame_cache_hit_rate'],
      ['critical', 'time-outlier', 'small_gif_validation', 'total_validation_time_ms'],
      ['benchgate: 2 critical, 0 warning'],
    ])
    const json = await cli(['metrics', 'alerts', '--history-db', db, '--json'])
    expect(json.code).toBe(1)
    expect((JSON.parse(json.stdout) as Array<{ commit: string }>).map(a => a.commit)).toEqual(['commit11', 'commit11'])
  })

  it('alerts: exit 0 when nothing is open; monitor --last-hour looks at the last hour only', async () => {
    writeReports(12, i => 100 + (i % 3), i => (i === 11 ? 0.6 : 0.7))
    await cli(['history', 'import', join(dir, 'reports'), '--history-db', db])
    const quiet = await cli(['metrics', 'alerts', '--history-db', db])
    expect(quiet).toMatchObject({ code: 0, stdout: 'benchgate: no alerts over 2 series\n' })
    // the newest run is 1 h old: outside --last-hour, inside --hours 2
    const monitor = await cli(['metrics', 'monitor', '--last-hour', '--history-db', db, '--alert-threshold', '5'])
    expect(monitor).toMatchObject({ code: 0, stdout: 'benchgate: no alerts in runs of the last hour\n' })
    const wider = await cli(['metrics', 'monitor', '--hours', '2', '--history-db', db, '--alert-threshold', '5', '--json'])
    expect(wider.code).toBe(1)
    expect((JSON.parse(wider.stdout) as Array<{ rule: string }>).map(a => a.rule)).toEqual(['threshold'])
    const bad = await cli(['metrics', 'alerts', '--last-hour', '--history-db', db])
    expect(bad).toMatchObject({ code: 2, stderr: 'benchgate: --last-hour and --hours belong to metrics monitor, not metrics alerts\n' })
    const threshold = await cli(['metrics', 'monitor', '--alert-threshold', 'x', '--history-db', db])
    expect(threshold).toMatchObject({ code: 2, stderr: 'benchgate: --alert-threshold: expected a number > 0 but received "x"\n' })
  })
})

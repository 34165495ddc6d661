import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LATEST_REPORT_NAME, readReport, reportFileName, reportTimestamp, serializeReport, validateReport, writeReportJson } from '../../src/report/io.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { emptyReport, fullReport, okReport } from '../reporters/fixture.ts'

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-report-io-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('validateReport', () => {
  it('accepts reports built by compareWithBaseline: every verdict, a clean run, an empty run', () => {
    for (const report of [fullReport(), okReport(), emptyReport()]) expect(() => validateReport.assert(report, 'report')).not.toThrow()
  })

  it('rejects an unknown verdict with the JSON path', () => {
    const report = fullReport()
    ;(report.benchmarks[0]!.metrics[0] as { verdict: string }).verdict = 'slow'
    expect(() => validateReport.assert(report, 'x.json')).toThrow(/^x\.json: invalid at \/benchmarks\/0\/metrics\/0\/verdict: must be one of "ok", "improved"/)
  })
})

describe('writeReportJson', () => {
  it('writes ci_report_<UTC timestamp>.json and ci_report_latest.json with the same deterministic content', () => {
    const report = fullReport()
    const [file, latest] = writeReportJson(dir, report)
    expect(file).toBe(join(dir, 'ci_report_20260304T050607Z.json'))
    expect(latest).toBe(join(dir, LATEST_REPORT_NAME))
    const text = readFileSync(file, 'utf8')
    expect(readFileSync(latest, 'utf8')).toBe(text)
    expect(text).toBe(serializeReport(report))
    expect(text.endsWith('}\n')).toBe(true)
    // sorted keys: "benchmarks" comes before "counts", "schemaVersion" before "timestamp"
    expect(text.indexOf('"benchmarks"')).toBeLessThan(text.indexOf('"counts"'))
    // writing again gives the same bytes (no temp files left behind)
    writeReportJson(dir, report)
    expect(readFileSync(file, 'utf8')).toBe(text)
    expect(readdirSync(dir).sort()).toEqual(['ci_report_20260304T050607Z.json', 'ci_report_latest.json'])
  })

  it('keeps the raw per-round values of every run, and reads back as a valid report', () => {
    const report = fullReport()
    const [file] = writeReportJson(dir, report)
    const back = readReport(file)
    const slow = back.benchmarks.find(b => b.key === 'bench/a.bench.ts > group > slow')!.metrics[0]!
    expect(slow.verdict).toBe('critical')
    expect(slow.baseline!.runs).toHaveLength(5)
    expect(slow.current!.runs).toHaveLength(3)
    expect(slow.current!.runs.every(run => run.length === 15)).toBe(true)
    const original = report.benchmarks.find(b => b.key === 'bench/a.bench.ts > group > slow')!.metrics[0]!
    expect(slow.current!.runs[0]![0]).toBeCloseTo(original.current!.runs[0]![0]!, 4)
    expect(back.counts).toEqual(report.counts)
  })

  it('never writes an invalid report, and says which file it was about to write', () => {
    const report = { ...fullReport(), passed: 'yes' } as unknown as RunReport
    expect(() => writeReportJson(dir, report)).toThrow(`${join(dir, 'ci_report_20260304T050607Z.json')} (about to be written): invalid at /passed: must be boolean`)
    expect(readdirSync(dir)).toEqual([])
  })

  it('names the path when the directory cannot be written', () => {
    const blocker = join(dir, 'file')
    writeFileSync(blocker, '')
    expect(() => writeReportJson(join(blocker, 'sub'), okReport())).toThrow(/^cannot write .*file\/sub\/ci_report_\d{8}T\d{6}Z\.json \((ENOTDIR|EEXIST)\)$/)
  })
})

describe('reportTimestamp', () => {
  it('is the UTC time of the report, compact and sortable', () => {
    expect(reportTimestamp({ timestamp: '2026-12-31T23:59:59.999Z' })).toBe('20261231T235959Z')
    expect(reportTimestamp({ timestamp: '2026-01-02T03:04:05+02:00' })).toBe('20260102T010405Z')
    expect(reportFileName({ timestamp: '2026-01-02T03:04:05.000Z' })).toBe('ci_report_20260102T030405Z.json')
  })
})

describe('readReport', () => {
  const oneLine = (fn: () => unknown) => {
    try {
      fn()
    }
    catch (error) {
      const message = (error as Error).message
      expect(message).not.toContain('\n')
      return message
    }
    throw new Error('expected an error')
  }

  it('names the file on a missing file, malformed JSON, and a schema violation, in one line', () => {
    const missing = join(dir, 'nope.json')
    expect(oneLine(() => readReport(missing))).toBe(`${missing}: cannot read (ENOENT)`)
    const malformed = join(dir, 'malformed.json')
    writeFileSync(malformed, '{ "schemaVersion": 1,\n  "tool": x }')
    expect(oneLine(() => readReport(malformed))).toMatch(new RegExp(`^${malformed}: malformed JSON`))
    const invalid = join(dir, 'invalid.json')
    writeFileSync(invalid, serializeReport(okReport()).replace('"verdict": "ok"', '"verdict": "fine"'))
    expect(oneLine(() => readReport(invalid))).toMatch(new RegExp(`^${invalid}: invalid at /benchmarks/\\d+/metrics/\\d+/verdict: must be one of`))
    const other = join(dir, 'other.json')
    writeFileSync(other, '{"schemaVersion": 1, "entries": {}}')
    expect(oneLine(() => readReport(other))).toMatch(new RegExp(`^${other}: invalid at /: `))
  })
})

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest'
import { createReporter, isBuiltinReporter, renderReports, ReportersMap, type BuiltinReporter } from '../../reporters/index.ts'
import { renderConsole } from '../../reporters/console.ts'
import { resolveGateOptions, type ReporterName } from '../../src/config/gate.ts'
import { okReport } from './fixture.ts'

let dir: string
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-reporters-')) })
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('ReportersMap', () => {
  it('has exactly the reporter names the plugin option accepts', () => {
    expectTypeOf<BuiltinReporter>().toEqualTypeOf<ReporterName>()
    expect(Object.keys(ReportersMap).sort()).toEqual(['console', 'github', 'html', 'json', 'junit', 'markdown'])
    expect(isBuiltinReporter('junit')).toBe(true)
    expect(isBuiltinReporter('toString')).toBe(false)
  })

  it('registers the existing console table', () => {
    expect(createReporter('console').render(okReport())).toBe(renderConsole(okReport()))
  })
})

describe('renderReports', () => {
  it('writes the file reporters under outputDir (relative to root) and prints the others', () => {
    let printed = ''
    const { written, failures } = renderReports(okReport(), { root: dir, outputDir: 'benchmark_results', names: ['json', 'junit', 'markdown', 'html', 'github', 'json'], env: {}, stdout: (t) => { printed += t } })
    expect(failures).toEqual([])
    const out = join(dir, 'benchmark_results')
    expect(written).toEqual([join(out, 'ci_report_20260304T050607Z.json'), join(out, 'ci_report_latest.json'), join(out, 'junit.xml'), join(out, 'report.md'), join(out, 'report.html')])
    expect(readdirSync(out).sort()).toEqual(['ci_report_20260304T050607Z.json', 'ci_report_latest.json', 'junit.xml', 'report.html', 'report.md'])
    expect(printed).toBe('')
  })

  it('keeps going when a reporter cannot write, and returns one line per failure naming the path and the cause', () => {
    const blocker = join(dir, 'not-a-dir')
    writeFileSync(blocker, '')
    let printed = ''
    const { written, failures } = renderReports({ ...okReport(), warnings: ['other machine'] }, { root: dir, outputDir: blocker, names: ['json', 'junit', 'github', 'markdown'], env: {}, stdout: (t) => { printed += t } })
    expect(written).toEqual([])
    expect(failures.map(f => f.reporter)).toEqual(['json', 'junit', 'markdown'])
    expect(failures.map(f => f.message)).toEqual([
      expect.stringMatching(new RegExp(`^json reporter: cannot write ${blocker}/ci_report_20260304T050607Z\\.json \\((ENOTDIR|EEXIST)\\)$`)),
      expect.stringMatching(new RegExp(`^junit reporter: cannot write ${blocker}/junit\\.xml \\((ENOTDIR|EEXIST)\\)$`)),
      expect.stringMatching(new RegExp(`^markdown reporter: cannot write ${blocker}/report\\.md \\((ENOTDIR|EEXIST)\\)$`)),
    ])
    expect(printed).toContain('::warning title=benchgate%3A environment::other machine')
    expect(existsSync(join(dir, 'benchmark_results'))).toBe(false)
  })
})

describe('BENCHGATE_REPORTERS and BENCHGATE_OUTPUT_DIR', () => {
  it('replace the plugin options, trimmed and comma-separated', () => {
    const resolved = resolveGateOptions({ reporters: ['console'], outputDir: 'x' }, { BENCHGATE_REPORTERS: 'json, junit,,markdown', BENCHGATE_OUTPUT_DIR: 'out/reports' })
    expect(resolved.reporters).toEqual(['json', 'junit', 'markdown'])
    expect(resolved.outputDir).toBe('out/reports')
    expect(resolveGateOptions({ reporters: ['html'] }, { BENCHGATE_REPORTERS: '' }).reporters).toEqual(['html'])
    expect(resolveGateOptions({}, {}).outputDir).toBe('benchmark_results')
  })

  it('rejects an unknown reporter, naming the variable', () => {
    expect(() => resolveGateOptions({}, { BENCHGATE_REPORTERS: 'json,xml' })).toThrow('BENCHGATE_REPORTERS: unknown reporter "xml" (expected one of console, json, junit, markdown, html, github)')
    expect(() => resolveGateOptions({ reporters: ['xml' as ReporterName] }, {})).toThrow('benchgate option reporters: unknown reporter "xml"')
  })
})

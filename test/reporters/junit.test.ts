import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeXmlAttr, escapeXmlText, JUnitReporter, renderJUnit } from '../../reporters/junit.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { repoRoot } from '../helpers/run.ts'
import { emptyReport, fullReport, okReport, WEIRD_NAME } from './fixture.ts'

// The JUnit schema Jenkins' xUnit plugin validates against (MIT, header kept), copied in so CI needs nothing beside the repository.
const XSD = join(repoRoot, 'test/reporters/fixtures/junit-10.xsd')

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-junit-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function save(report: RunReport, name: string): string {
  const path = join(dir, name)
  writeFileSync(path, renderJUnit(report))
  return path
}

function xmllint(args: string[]): { code: number, stdout: string, stderr: string } {
  const r = spawnSync('xmllint', args, { encoding: 'utf8' })
  if (r.error) throw new Error(`xmllint is needed for this test (Debian: apt-get install libxml2-utils): ${r.error.message}`)
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

const xpath = (file: string, expr: string) => xmllint(['--xpath', expr, file]).stdout.trim()

describe('junit reporter', () => {
  it.each([
    ['every verdict', fullReport],
    ['a clean run', okReport],
    ['an empty run', emptyReport],
  ])('validates against junit-10.xsd with xmllint: %s', (_, make) => {
    const file = save(make(), 'schema.xml')
    const r = xmllint(['--noout', '--schema', XSD, file])
    expect(r.stderr + r.stdout).toContain('validates')
    expect(r.code, r.stderr).toBe(0)
  })

  it('has one testcase per benchmark metric, one suite per file, and matching counts', () => {
    const report = fullReport()
    const file = save(report, 'full.xml')
    expect(Number(xpath(file, 'count(//testcase)'))).toBe(report.counts.total)
    expect(xpath(file, 'string(/testsuites/@tests)')).toBe(String(report.counts.total))
    expect(xpath(file, 'string(/testsuites/@failures)')).toBe('2')
    expect(xpath(file, 'string(/testsuites/@errors)')).toBe('1')
    expect(xpath(file, 'string(//testsuite[@name="bench/b.bench.ts"]/@skipped)')).toBe('1')
    expect(Number(xpath(file, 'count(//testsuite)'))).toBe(2)
    expect(xpath(file, 'string(//testcase[@name="group > slow [time]"]/@classname)')).toBe('bench/a.bench.ts')
  })

  it('reports a critical regression as a failure that gives baseline, current, change and interval', () => {
    const file = save(fullReport(), 'full.xml')
    const failure = '//testcase[@name="group > slow [time]"]/failure'
    expect(xpath(file, `string(${failure}/@type)`)).toBe('critical')
    expect(xpath(file, `string(${failure}/@message)`)).toMatch(/^critical: baseline 9\.\d+ ms -> current 12\.\d+ ms, change \+29\.\d % \(95 % CI \+2\d\.\d % to \+3\d\.\d %\), p < 0\.001: worse by more than 10 %$/)
    // a broken bound fails too, and says which bound
    expect(xpath(file, 'string(//testcase[@name="cache [hit_rate]"]/failure/@message)')).toBe('critical: current 0.4 ratio; median 0.4 ratio breaks the bound >= 0.6')
  })

  it('reports a scenario that threw as an error with its stack, and a missing benchmark as skipped', () => {
    const file = save(fullReport(), 'full.xml')
    expect(xpath(file, 'string(//testcase[@name="boom [time]"]/error/@type)')).toBe('error')
    expect(xpath(file, 'string(//testcase[@name="boom [time]"]/error/@message)')).toBe('scenario threw: boom: <oops> & "bad"')
    expect(xpath(file, 'string(//testcase[@name="boom [time]"]/error)')).toContain('at run (bench/b.bench.ts:12:9)')
    expect(xpath(file, 'string(//testcase[@name="gone [time]"]/skipped/@message)')).toMatch(/no longer exists/)
  })

  it('notes warning, stale, unstable, improved and new results in system-out and the suite properties, without failing them', () => {
    const file = save(fullReport(), 'full.xml')
    for (const [name, verdict] of [['warm [time]', 'warning'], ['changed [time]', 'stale'], ['noisy [time]', 'unstable'], ['faster [time]', 'improved'], ['fresh [time]', 'new']]) {
      expect(xpath(file, `count(//testcase[@name="${name}"]/failure)`)).toBe('0')
      expect(xpath(file, `string(//testcase[@name="${name}"]/system-out)`)).toContain(`verdict: ${verdict}\n`)
    }
    expect(xpath(file, 'string(//testcase[@name="warm [time]"]/system-out)')).toContain('change: +7.0 % [+4.8, +9.2] (95 % CI)')
    expect(xpath(file, 'string(//testsuite[@name="bench/a.bench.ts"]/properties/property[starts-with(@value, "warning: warm")]/@value)')).toMatch(/worse by more than 5 %/)
    expect(xpath(file, 'string(//testsuite[1]/properties/property[@name="warning.1"]/@value)')).toMatch(/different environment/)
    expect(xpath(file, 'string(//testsuite[1]/properties/property[@name="git"]/@value)')).toBe('0123456 (feature/faster)')
  })

  it('escapes names and messages so that they survive a round trip through an XML parser', () => {
    const file = save(fullReport(), 'full.xml')
    const names = xmllint(['--xpath', '//testcase/@name', file]).stdout
    expect(names).toContain('weird &lt;name&gt; &amp; &quot;quotes&quot;')
    expect(xpath(file, `count(//testcase[@name='${WEIRD_NAME.replaceAll('\'', '')} [time]'])`)).toBe('1')
  })

  it('escapes XML text and attributes, and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXmlText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d')
    expect(escapeXmlAttr('say "hi"\nnext\tcol')).toBe('say &quot;hi&quot;&#10;next&#9;col')
    expect(escapeXmlText('bell\u0007 nul\u0000 lone\uD800')).toBe('bell\uFFFD nul\uFFFD lone\uFFFD')
  })

  it('writes junit.xml into the output directory', () => {
    const [path] = new JUnitReporter().emit(okReport(), { root: dir, outputDir: 'out' })
    expect(path).toBe(join(dir, 'out', 'junit.xml'))
    expect(readFileSync(path!, 'utf8')).toBe(renderJUnit(okReport()))
  })
})

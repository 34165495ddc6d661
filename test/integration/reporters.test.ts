import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARKDOWN_HEADER } from '../../reporters/markdown.ts'
import { readReport } from '../../src/report/io.ts'
import { repoRoot, vitestBench } from '../helpers/run.ts'

// Two real `vitest bench` runs of test/fixtures/basic: -u (with a reporter that cannot write), then
// a 30 % slower run with the file reporters on.
const fixture = join(repoRoot, 'test/fixtures/basic')
const XSD = join(repoRoot, 'test/reporters/fixtures/junit-10.xsd')

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-reporters-it-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('reporters in a real gate run', () => {
  it('a reporter that cannot write logs one line and exits 1, without hiding the verdict or the baseline', () => {
    const blocker = join(dir, 'not-a-dir')
    writeFileSync(blocker, '')
    // 2 runs: a reporter's failure does not depend on them (the next test checks the run count)
    const r = vitestBench(fixture, ['-u'], { BENCHGATE_BASELINE_DIR: join(dir, 'baselines'), BENCHGATE_REPORTERS: 'json', BENCHGATE_OUTPUT_DIR: blocker, FIXTURE_BASELINE_RUNS: '2' })
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stdout).toMatch(/benchgate: \d+ passed, 0 failed/)
    expect(existsSync(join(dir, 'baselines', 'current_baselines.json'))).toBe(true)
    const lines = r.stderr.split('\n').filter(l => l.startsWith('benchgate:'))
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^benchgate: json reporter: cannot write ${blocker}/ci_report_\\d{8}T\\d{6}Z\\.json \\((ENOTDIR|EEXIST)\\)$`))])
  })

  it('writes valid JSON, JUnit, Markdown (and the step summary) and HTML reports for a slower run', () => {
    const out = join(dir, 'results')
    const summary = join(dir, 'step-summary.md')
    const r = vitestBench(fixture, [], {
      BENCHGATE_BASELINE_DIR: join(dir, 'baselines'),
      BENCHGATE_REPORTERS: 'json,junit,markdown,html',
      BENCHGATE_OUTPUT_DIR: out,
      GITHUB_STEP_SUMMARY: summary,
      FIXTURE_FACTOR: '1.3',
    })
    expect(r.stdout).toMatch(/reports: .*ci_report_latest\.json.*junit\.xml.*report\.md.*report\.html/)

    const files = readdirSync(out).sort()
    expect(files).toEqual([expect.stringMatching(/^ci_report_\d{8}T\d{6}Z\.json$/), 'ci_report_latest.json', 'junit.xml', 'report.html', 'report.md'])
    const report = readReport(join(out, 'ci_report_latest.json'))
    expect(readFileSync(join(out, files[0]!), 'utf8')).toBe(readFileSync(join(out, 'ci_report_latest.json'), 'utf8'))
    // 30 % more work is critical on a quiet machine; a busy one may call it unstable. Either way the
    // exit code, the console and every report agree with the saved report.
    expect(r.code, r.stdout + r.stderr).toBe(report.passed ? 0 : 1)
    expect(r.stdout).toContain(`benchgate: ${report.counts.passed} passed, ${report.counts.failed} failed`)
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^benchgate: \d+ passed, \d+ failed/)
    expect(report.benchmarks).toHaveLength(5)
    const spin = report.benchmarks.find(b => b.key === 'bench/cpu.bench.ts > cpu > spin')!
    expect(spin.location).toMatchObject({ file: 'bench/cpu.bench.ts', line: expect.any(Number) })
    expect(spin.metrics[0]!.current!.runs).toHaveLength(3)
    expect(spin.metrics[0]!.change).toBeDefined()

    const junit = join(out, 'junit.xml')
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, junit], { encoding: 'utf8' })
    expect(lint.status, lint.stderr).toBe(0)
    const xml = readFileSync(junit, 'utf8')
    expect(xml.match(/<testcase /g)).toHaveLength(report.counts.total)
    expect(xml.match(/<failure /g) ?? []).toHaveLength(report.counts.failed)
    expect(xml).toContain('<testcase classname="bench/cpu.bench.ts" name="cpu &gt; spin [time]">')

    const md = readFileSync(join(out, 'report.md'), 'utf8')
    expect(md.startsWith(`${MARKDOWN_HEADER}\n\n${report.passed ? '' : '❌ **Fail:'}`)).toBe(true)
    expect(md).toContain(report.counts.critical ? '🛑 **Block the merge**' : '<details>')
    expect(readFileSync(summary, 'utf8')).toBe(`${md}\n`)

    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html.match(/<canvas /g)!.length).toBe(report.counts.total)
  })
})

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { renderHtml } from '../../reporters/html.ts'
import { renderJUnit } from '../../reporters/junit.ts'
import { renderMarkdown } from '../../reporters/markdown.ts'
import { main } from '../../src/cli/main.ts'
import { serializeReport, writeReportJson } from '../../src/report/io.ts'
import { fullReport } from '../reporters/fixture.ts'

let dir: string
let saved: string
let stdout: string
let stderr: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-cli-report-'))
  ;[, saved] = writeReportJson(dir, fullReport()) as [string, string]
  stdout = ''
  stderr = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => { stdout += String(chunk); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => { stderr += String(chunk); return true })
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

const benchgate = (...args: string[]) => main(['node', 'benchgate', ...args], '0.1.0')
// The saved report went through rounding: render what was saved, not the in-memory object.
const savedReport = () => JSON.parse(readFileSync(saved, 'utf8'))

describe('benchgate report', () => {
  it.each([
    ['markdown', () => renderMarkdown(savedReport())],
    ['junit', () => renderJUnit(savedReport())],
    ['json', () => serializeReport(savedReport())],
  ])('renders a saved report as %s on stdout', async (format, expected) => {
    expect(await benchgate('report', '--report-file', saved, '--format', format)).toBe(0)
    expect(stderr).toBe('')
    expect(stdout).toBe(expected())
  })

  it('defaults to markdown and accepts the runbook\'s --output-format', async () => {
    expect(await benchgate('report', '--report-file', saved)).toBe(0)
    expect(stdout.startsWith('## 📊 Performance Regression Report\n')).toBe(true)
    stdout = ''
    expect(await benchgate('report', '--report-file', saved, '--output-format', 'junit')).toBe(0)
    expect(stdout.startsWith('<?xml')).toBe(true)
  })

  it('writes to --output instead of stdout', async () => {
    const out = join(dir, 'nested', 'report.html')
    expect(await benchgate('report', '--report-file', saved, '--format', 'html', '--output', out)).toBe(0)
    expect(stdout).toBe('')
    expect(readFileSync(out, 'utf8')).toBe(renderHtml(savedReport()))
  })

  it('exits 2 with one line naming the file when the report is not valid', async () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, readFileSync(saved, 'utf8').replace('"mode": "compare"', '"mode": "gate"'))
    expect(await benchgate('report', '--report-file', bad, '--format', 'markdown')).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`benchgate: ${bad}: invalid at /mode: must be one of "compare", "update"\n`)
    stderr = ''
    expect(await benchgate('report', '--report-file', join(dir, 'absent.json'))).toBe(2)
    expect(stderr).toBe(`benchgate: ${join(dir, 'absent.json')}: cannot read (ENOENT)\n`)
  })

  it('exits 2 naming the flag on a missing --report-file or an unknown --format', async () => {
    expect(await benchgate('report', '--format', 'markdown')).toBe(2)
    expect(stderr).toMatch(/^benchgate: --report-file: expected the path of a JSON run report/)
    stderr = ''
    expect(await benchgate('report', '--report-file', saved, '--format', 'pdf')).toBe(2)
    expect(stderr).toBe('benchgate: --format: expected one of markdown, html, junit, json, github, console but received "pdf"\n')
  })

  it('exits 1 naming the path when --output cannot be written', async () => {
    const blocker = join(dir, 'file')
    writeFileSync(blocker, '')
    expect(await benchgate('report', '--report-file', saved, '--output', join(blocker, 'x.md'))).toBe(1)
    expect(stderr).toMatch(new RegExp(`^benchgate: --output ${join(blocker, 'x.md')}: cannot write \\((ENOTDIR|EEXIST)\\)\\n$`))
  })
})

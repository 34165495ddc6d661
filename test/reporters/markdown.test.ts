import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeMarkdown, MARKDOWN_HEADER, MarkdownReporter, MAX_MARKDOWN_LENGTH, renderMarkdown } from '../../reporters/markdown.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import { decision, emptyReport, environment, fullReport, measured, okReport, runs, wrap } from './fixture.ts'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-md-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const NBSP = '\u00a0'
const lines = (md: string) => md.split('\n')
/** Cells of a table row, split on unescaped pipes. */
const cells = (row: string) => row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map(c => c.trim())

function section(md: string, from: string, to: string): string {
  const start = md.indexOf(from)
  expect(start, `missing ${from}`).toBeGreaterThanOrEqual(0)
  return md.slice(start, md.indexOf(to, start))
}

/** One benchmark 7 % slower than its baseline: a warning that passes. */
function warningReport() {
  const base = mergeBaseline(undefined, [measured('bench/a.bench.ts > warm', runs(10, { seed: 1, runCount: 5 }))], { environment, now: '2026-01-01T00:00:00.000Z' })
  return wrap(compareWithBaseline([measured('bench/a.bench.ts > warm', runs(10.7, { seed: 4 }))], base, { decision, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) }))
}

describe('markdown reporter', () => {
  it('starts with the header the workflow looks for, then the verdict line', () => {
    const md = renderMarkdown(fullReport())
    expect(md.startsWith(`${MARKDOWN_HEADER}\n\n❌ **Fail: 2 critical regressions, 1 scenario error. Merge blocked.**\n`)).toBe(true)
    expect(MARKDOWN_HEADER).toBe('## 📊 Performance Regression Report')
  })

  it('shows environment warnings prominently, as a GitHub alert right after the verdict', () => {
    const md = renderMarkdown(fullReport())
    const alert = lines(md).indexOf('> [!WARNING]')
    expect(alert).toBe(4)
    expect(lines(md)[alert + 1]).toMatch(/^> \*\*Environment:\*\* baseline was recorded on a different environment/)
    expect(renderMarkdown(okReport())).not.toContain('[!WARNING]')
  })

  it('applies the runbook decision tree: critical blocks, a warning needs a justification, otherwise merge', () => {
    const full = section(renderMarkdown(fullReport()), '**What to do**', '###')
    expect(full).toContain('🛑 **Block the merge**: 2 critical regressions (worse by more than 10 %) and 1 scenario error. Revert the change, or fix it and re-test.')
    expect(full).toContain('⚠️ **Justification required**: 1 warning (worse by more than 5 %)')
    expect(full).toContain('`npx benchgate baseline --tags ci`')
    expect(full).not.toContain('Allow the merge')

    const warn = renderMarkdown(warningReport())
    expect(warn).toContain('⚠️ **Pass with 1 warning (worse by more than 5 %): justification required before merging.**')
    expect(warn).toContain('**Justification required**')
    expect(warn).not.toContain('Block the merge')

    const ok = renderMarkdown(okReport())
    expect(ok).toContain('✅ **Pass: nothing is worse than the baseline by more than 5 % (2 metrics).**')
    expect(ok).toContain('✅ **Allow the merge**')
    expect(ok).toContain('All 2 metrics are within noise of the baseline.')
    expect(ok).not.toContain('Needs attention')
  })

  it('lists the non-ok results first, most severe first, then the full table folded in <details>', () => {
    const md = renderMarkdown(fullReport())
    const attention = section(md, '### Needs attention (10)', '<details>')
    const rows = lines(attention).filter(l => l.startsWith('| ') && !l.startsWith('| Verdict'))
    expect(rows.map(r => cells(r)[0]!.split(NBSP)[1])).toEqual(['error', 'critical', 'critical', 'warning', 'unstable', 'stale', 'missing', 'new', 'new', 'improved'])
    expect(cells(rows[1]!)).toEqual([`🛑${NBSP}critical`, 'group > slow<br><sub>bench/a.bench.ts:41</sub>', 'time', `9.988${NBSP}ms`, `12.95${NBSP}ms`, `+29.5${NBSP}%${NBSP}[+26.8,${NBSP}+32.3]`, 'worse by more than 10 %'])
    expect(md.indexOf('### Needs attention')).toBeLessThan(md.indexOf('<details>'))

    const details = section(md, '<details>', '</details>')
    expect(details).toContain('<summary>All results: 13 metrics in 11 benchmarks (2 files)</summary>')
    const all = lines(details).filter(l => l.startsWith('| ') && !l.startsWith('| Benchmark'))
    expect(all).toHaveLength(13)
    // sorted by benchmark key (file first), so the missing benchmark is not left at the end
    expect(all.map(r => cells(r)[0])).toEqual(['faster', 'group > slow', 'group > steady', 'group > steady', 'warm', expect.stringMatching(/^weird/), 'boom', 'cache', 'cache', 'changed', 'fresh', 'gone', 'noisy'])
  })

  it('keeps every table row to the header\'s columns, whatever the benchmark is called', () => {
    const md = renderMarkdown(fullReport())
    for (const table of md.split(/\n\n/).filter(block => block.startsWith('| '))) {
      const [head, ...rest] = lines(table)
      for (const row of rest) expect(cells(row), row).toHaveLength(cells(head!).length)
    }
    expect(md).toContain('weird &lt;name> & "quotes" \\| pipe')
    expect(md).not.toContain('</script>')
    expect(escapeMarkdown('a|b <i>x</i> *y* `z`\nw')).toBe('a\\|b &lt;i>x&lt;/i> \\*y\\* \\`z\\` w')
  })

  it('escapes a metric\'s unit: a pipe cannot split a row, HTML does not pass through', () => {
    const unit = 'ms|<img src=x onerror=alert(1)>'
    const hostile = (key: string, time: number[][]) => measured(key, time, { metrics: { time: { spec: { direction: 'lower', unit }, runs: time } } })
    const base = mergeBaseline(undefined, [hostile('bench/a.bench.ts > warm', runs(10, { seed: 1, runCount: 5 }))], { environment, now: '2026-01-01T00:00:00.000Z' })
    const md = renderMarkdown(wrap(compareWithBaseline([hostile('bench/a.bench.ts > warm', runs(13, { seed: 4 }))], base, { decision, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) })))
    for (const table of md.split(/\n\n/).filter(block => block.startsWith('| '))) {
      const [head, ...rest] = lines(table)
      for (const row of rest) expect(cells(row), row).toHaveLength(cells(head!).length)
    }
    expect(md).not.toContain('<img')
    expect(md).toContain('ms\\|&lt;img src=x onerror=alert(1)>')
  })

  it('says so when no benchmark ran', () => {
    const md = renderMarkdown(emptyReport())
    expect(md).toContain('➖ **No benchmarks ran. Check the tag filter and the bench file globs.**')
    expect(md).not.toContain('<details>')
    expect(md).not.toContain('What to do')
  })

  it('cuts the full table to fit in a pull-request comment, and says where the rest is', () => {
    const keys = Array.from({ length: 400 }, (_, i) => `bench/many.bench.ts > a rather long benchmark name number ${String(i).padStart(3, '0')}`)
    const current = keys.map((k, i) => measured(k, runs(10, { seed: i + 1, runCount: 1, rounds: 3 })))
    const report = wrap(compareWithBaseline(current, undefined, { decision, mode: 'compare', filesRun: new Set(['bench/many.bench.ts']) }))
    const md = renderMarkdown(report)
    expect(md.length).toBeLessThan(MAX_MARKDOWN_LENGTH)
    expect(md).toMatch(/_\d+ more rows left out to fit in a comment: see the JSON or HTML report in the workflow's artifacts\._/)
    expect(md).toContain('### Needs attention (400)')
    expect(md.trimEnd().endsWith('</sub>')).toBe(true)
  })

  it('shows the baseline diff in update mode', () => {
    const md = renderMarkdown({ ...okReport(), mode: 'update', outcome: { level: 'update', failedBy: {} } }, { baselineDiff: '+ added bench/a.bench.ts > one' })
    expect(md).toContain('📝 **Baseline updated for 2 benchmarks.**')
    expect(md).toContain('<summary>Baseline changes (baselines/current_baselines.json)</summary>\n\n```diff\n+ added bench/a.bench.ts > one\n```')
  })

  it('writes report.md and appends to $GITHUB_STEP_SUMMARY when it is set', () => {
    const summary = join(dir, 'summary.md')
    writeFileSync(summary, '# earlier step\n')
    const reporter = new MarkdownReporter()
    const written = reporter.emit(okReport(), { root: dir, outputDir: 'results', env: { GITHUB_STEP_SUMMARY: summary } })
    expect(written).toEqual([join(dir, 'results', 'report.md'), summary])
    const md = readFileSync(join(dir, 'results', 'report.md'), 'utf8')
    expect(md).toBe(renderMarkdown(okReport()))
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`)
    expect(reporter.emit(okReport(), { root: dir, outputDir: 'results', env: {} })).toEqual([join(dir, 'results', 'report.md')])
  })
})

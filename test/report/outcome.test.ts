import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtml } from '../../reporters/html.ts'
import { renderMarkdown } from '../../reporters/markdown.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { ResolvedDecision } from '../../src/scenario/measured.ts'
import { readReport, serializeReport } from '../../src/report/io.ts'
import { runResult } from '../../src/report/outcome.ts'
import { decision, environment, fullReport, measured, okReport, runs, wrap } from '../reporters/fixture.ts'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'benchgate-outcome-')) })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** One benchmark 30 % slower than its baseline (critical), and one unchanged, decided with `failOn`. */
function slowerReport(failOn: ResolvedDecision['failOn']) {
  const keys = ['bench/a.bench.ts > slow', 'bench/a.bench.ts > same']
  const base = mergeBaseline(undefined, keys.map(k => measured(k, runs(10, { seed: 1, runCount: 5 }))), { environment, now: '2026-01-01T00:00:00.000Z' })
  const own = { ...decision, failOn }
  const result = compareWithBaseline([measured(keys[0]!, runs(13, { seed: 3 })), measured(keys[1]!, runs(10, { seed: 2 }))], base, { decision: own, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) })
  return wrap(result, { options: { tags: ['ci'], runs: 3, thresholds: own.thresholds, alpha: own.alpha, failOn } })
}

describe('the run outcome, decided once in the report', () => {
  it('is fail with what failed it, warn when failOn lets a critical pass, pass, update, empty', () => {
    expect(fullReport().outcome).toEqual({ level: 'fail', failedBy: { critical: 2, error: 1 } })
    expect(slowerReport('critical').outcome).toEqual({ level: 'fail', failedBy: { critical: 1 } })
    expect(slowerReport('never').outcome).toEqual({ level: 'warn', failedBy: {} })
    expect(okReport().outcome).toEqual({ level: 'pass', failedBy: {} })
    expect(runResult(okReport().benchmarks, 'update').outcome.level).toBe('update')
    expect(runResult([], 'compare')).toMatchObject({ passed: true, outcome: { level: 'empty', failedBy: {} } })
  })

  it('agrees with the pass flag and the counts it is computed with', () => {
    for (const report of [fullReport(), slowerReport('critical'), slowerReport('never'), okReport()]) {
      const { counts, passed, outcome } = runResult(report.benchmarks, report.mode)
      expect({ counts, passed, outcome }).toEqual({ counts: report.counts, passed: report.passed, outcome: report.outcome })
      expect(Object.values(outcome.failedBy).reduce((a, b) => a + b, 0)).toBe(counts.failed)
    }
  })

  it('with failOn: never, a critical regression neither blocks the merge nor shows Pass alone (markdown, HTML)', () => {
    const report = slowerReport('never')
    expect(report.passed).toBe(true)
    expect(report.counts.critical).toBe(1)
    for (const text of [renderMarkdown(report), renderHtml(report)]) {
      expect(text).not.toContain('Block the merge')
      expect(text).not.toContain('Allow the merge')
      expect(text).toContain('Pass, although 1 metric regressed critically (failOn: never).')
      expect(text).toContain('Review before merging')
    }
    const blocked = renderMarkdown(slowerReport('critical'))
    expect(blocked).toContain('❌ **Fail: 1 critical regression. Merge blocked.**')
    expect(blocked).toContain('🛑 **Block the merge**: 1 critical regression (worse by more than 10 %). Revert the change, or fix it and re-test.')
  })

  it('a report file from before reports carried an outcome gets it when read', () => {
    const { outcome, ...old } = fullReport()
    const file = join(dir, 'old.json')
    writeFileSync(file, serializeReport(old as ReturnType<typeof fullReport>))
    expect(readReport(file).outcome).toEqual(outcome)
  })
})

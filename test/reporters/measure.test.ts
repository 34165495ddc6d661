import { describe, expect, it } from 'vitest'
import { renderConsole } from '../../reporters/console.ts'
import { renderGithub } from '../../reporters/github.ts'
import { renderHtml } from '../../reporters/html.ts'
import { JsonReporter } from '../../reporters/json.ts'
import { renderJUnit } from '../../reporters/junit.ts'
import { renderMarkdown } from '../../reporters/markdown.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import { compareWithBaseline } from '../../src/compare/verdicts.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { INSTRUCTION_LIMITS, INSTRUCTIONS_SPEC } from '../../src/measure/mode.ts'
import { measurementOf } from '../../src/measure/report.ts'
import { validateReport } from '../../src/report/io.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { decision, environment, okReport, wrap } from './fixture.ts'

// Every reporter says what the run measured; an instruction run also says what counts do not see.

function bench(key: string, runs: number[][]): MeasuredBenchmark {
  return { key, file: 'bench/a.bench.ts', name: key.split(' > ').at(-1)!, kind: 'scenario', tags: [], configHash: '0123456789abcdef', rounds: runs[0]!.length, location: { file: 'bench/a.bench.ts', line: 3, column: 1 }, metrics: { instructions: { spec: { ...INSTRUCTIONS_SPEC }, runs } } }
}

function instructionReport(): RunReport {
  const base = mergeBaseline(undefined, [bench('bench/a.bench.ts > loop', [[1e7, 1e7], [1e7, 1.00001e7]])], { environment, now: '2026-01-01T00:00:00.000Z' })
  const result = compareWithBaseline([bench('bench/a.bench.ts > loop', [[2e7, 2e7], [2e7, 2e7]])], base, { decision, mode: 'compare', filesRun: new Set(['bench/a.bench.ts']) })
  return wrap(result, { measurement: measurementOf('instructions', 'valgrind-3.19.0 callgrind') })
}

const LIMITS = INSTRUCTION_LIMITS.charAt(0).toUpperCase() + INSTRUCTION_LIMITS.slice(1)

describe('the measure mode in every reporter', () => {
  it('an instruction report is schema-valid and decided on counts: twice the work is critical', () => {
    const report = instructionReport()
    expect(validateReport(JSON.parse(new JsonReporter().render(report)))).toBe(true)
    expect(report.measurement).toEqual({ measure: 'instructions', tool: 'valgrind-3.19.0 callgrind', limits: INSTRUCTION_LIMITS })
    const m = report.benchmarks[0]!.metrics[0]!
    expect(m.verdict).toBe('critical')
    expect(m.noiseFloor).toBeGreaterThan(0)
  })

  it('console: the mode under the title, and the limits', () => {
    const text = renderConsole(instructionReport())
    expect(text).toContain('\n  measure: instructions (Ir per round, deterministic; valgrind-3.19.0 callgrind)\n')
    expect(text).toContain(`\n  limits: ${LIMITS}.\n`)
    expect(renderConsole(okReport())).toContain('\n  measure: time (wall time per round)\n')
    expect(renderConsole(okReport())).not.toContain('limits:')
  })

  it('Markdown: a Measure line with the limits', () => {
    expect(renderMarkdown(instructionReport())).toContain(`**Measure:** instructions (Ir per round, deterministic; valgrind-3.19.0 callgrind). ${LIMITS.replaceAll('_', '\\_')}.`)
    expect(renderMarkdown(okReport())).toContain('**Measure:** time (wall time per round)\n')
  })

  it('HTML: the mode in the header, the limits as a note', () => {
    const html = renderHtml(instructionReport())
    expect(html).toContain('measure: instructions (Ir per round, deterministic; valgrind-3.19.0 callgrind)')
    expect(html).toContain('<p class="measure-limits"><strong>What instruction counts do not see:</strong>')
    expect(renderHtml(okReport())).toContain('measure: time (wall time per round)')
  })

  it('JUnit: benchgate.measure and benchgate.measureLimits properties', () => {
    const xml = renderJUnit(instructionReport())
    expect(xml).toContain('<property name="benchgate.measure" value="instructions (Ir per round, deterministic; valgrind-3.19.0 callgrind)"/>')
    expect(xml).toContain('<property name="benchgate.measureLimits" value="Instruction counts')
    expect(renderJUnit(okReport())).toContain('<property name="benchgate.measure" value="time (wall time per round)"/>')
  })

  it('GitHub: a notice with the mode and its limits, and annotations naming the instructions metric', () => {
    const lines = renderGithub(instructionReport()).trim().split('\n')
    expect(lines[0]).toMatch(/^::notice title=benchgate%3A instruction counts::measure: instructions \(Ir per round, deterministic; valgrind-3\.19\.0 callgrind\)\. Instruction counts/)
    expect(lines[1]).toBe('::error file=bench/a.bench.ts,line=3,col=1,title=benchgate critical%3A loop [instructions]::critical: baseline 1.000e+7 Ir -> current 2.000e+7 Ir, change +100.0 %25 (noise margin +100.0 %25 to +100.0 %25): worse by more than 10 %25')
    expect(renderGithub(okReport())).not.toContain('instruction counts')
  })
})

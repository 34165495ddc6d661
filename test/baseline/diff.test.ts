import { describe, expect, it } from 'vitest'
import { baselineDiff } from '../../src/baseline/diff.ts'
import { mergeBaseline } from '../../src/baseline/merge.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'

const environment = { cpuModel: 'cpu', cores: 2, os: 'linux', node: 'v20', vitest: '4.1.0', benchgate: '0.1.0' }
const bench = (key: string, values: number[]): MeasuredBenchmark => ({
  key, file: 'bench/a.bench.ts', name: key, kind: 'bench', tags: [], configHash: 'h', rounds: values.length, metrics: { time: { spec: { direction: 'lower', unit: 'ms' }, runs: [values, values] } },
})

describe('baselineDiff', () => {
  it('lists a first baseline one line per entry (a large suite adds hundreds), changes as blocks', () => {
    const first = mergeBaseline(undefined, [bench('a', [1, 2, 3]), bench('b', [4, 5, 6])], { environment, now: '2025-01-01T00:00:00.000Z' })
    expect(baselineDiff(undefined, first)).toBe('+ added a: 2 runs, time 2 ms\n+ added b: 2 runs, time 5 ms')
    const second = mergeBaseline(first, [bench('b', [8, 9, 10]), bench('c', [1, 1, 1])], { environment, now: '2025-01-02T00:00:00.000Z' }, new Set(['a']))
    const text = baselineDiff(first, second)
    expect(text.startsWith('- removed a\n\n~ updated b\n')).toBe(true)
    expect(text).toMatch(/-\s+"median": 5,\n(?:.*\n)*\+\s+"median": 9,/)
    expect(text.endsWith('\n\n+ added c: 2 runs, time 1 ms')).toBe(true)
  })
})

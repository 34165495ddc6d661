import { describe, expect, it } from 'vitest'
import { baselineCommit } from '../../src/baseline/commit.ts'
import type { BaselineEntry, BaselineFile } from '../../src/baseline/types.generated.ts'

const environment = { cpuModel: 'c', cores: 2, os: 'linux', node: 'v20', vitest: '4', benchgate: '0' }
function entry(key: string, commit: string | undefined, updatedAt: string, tags: string[] = []): BaselineEntry {
  return {
    key, file: 'a.bench.ts', name: key, kind: 'bench', configHash: '0123456789abcdef', tags, rounds: 1, updatedAt, environment,
    metrics: { time: { direction: 'lower', unit: 'ms', runs: [[1]], runMedians: [1], summary: { n: 1, median: 1, mean: 1, mad: 0, cv: 0, min: 1, max: 1 } } },
    ...(commit ? { commit } : {}),
  }
}
const file = (...entries: BaselineEntry[]): BaselineFile => ({ schemaVersion: 1, entries: Object.fromEntries(entries.map(e => [e.key, e])) })

describe('baselineCommit', () => {
  it('is the one commit the selected entries were recorded at', () => {
    expect(baselineCommit(file(entry('a', 'abc123', '2026-01-01T00:00:00Z'), entry('b', 'abc123', '2026-01-02T00:00:00Z')), 'b.json')).toBe('abc123')
    // a tag filter narrows the entries to one commit
    expect(baselineCommit(file(entry('a', 'old111', '2026-01-01T00:00:00Z', ['x']), entry('b', 'new222', '2026-01-02T00:00:00Z', ['ci'])), 'b.json', ['ci'])).toBe('new222')
  })

  it('refuses several commits (listing them, newest first), an entry without one, or nothing selected', () => {
    const mixed = file(entry('a', 'old1111111111', '2026-01-01T00:00:00Z'), entry('b', 'new2222222222', '2026-01-02T00:00:00Z'))
    expect(() => baselineCommit(mixed, 'b.json')).toThrow('--against baseline: the selected entries of b.json were recorded at 2 commits (new2222222 (2026-01-02T00:00:00Z), old1111111 (2026-01-01T00:00:00Z)); pick one with --against <commit>, or narrow with --tags')
    expect(() => baselineCommit(file(entry('a', undefined, '2026-01-01T00:00:00Z')), 'b.json')).toThrow(/the entry "a" in b.json records no commit/)
    expect(() => baselineCommit(undefined, 'b.json', ['ci'])).toThrow('--against baseline: b.json has no entries tagged ci to re-measure')
  })
})

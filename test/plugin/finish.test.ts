import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { finishGate, type FinishInput, type UpdateMode } from '../../plugin/finish.ts'
import type { BaselineFile } from '../../src/baseline/types.generated.ts'
import type { MeasuredBenchmark } from '../../src/scenario/measured.ts'
import { resolveGateOptions } from '../../src/config/gate.ts'

// finishGate in this process: what both Vitest adapters call at the end of a run. The benchmarks
// report a work counter (deterministic), so the verdicts do not depend on this machine.

let root: string
let exitCode: typeof process.exitCode
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'benchgate-finish-'))
  exitCode = process.exitCode
  process.exitCode = undefined
})
afterEach(() => {
  process.exitCode = exitCode
  rmSync(root, { recursive: true, force: true })
})

const FILE = 'bench/work.bench.ts'
const baselinePath = () => join(root, 'baselines/current_baselines.json')
const readBaselineFile = () => JSON.parse(readFileSync(baselinePath(), 'utf8')) as BaselineFile

/** A benchmark of FILE that reports `work` iterations in each of 3 rounds of 2 runs. */
function bench(name: string, work: number): MeasuredBenchmark {
  return {
    key: `${FILE} > ${name}`,
    file: FILE,
    name,
    kind: 'scenario',
    tags: [],
    configHash: '0123456789abcdef',
    rounds: 3,
    metrics: { iterations: { spec: { direction: 'lower', unit: 'iterations' }, runs: [[work, work, work], [work, work, work]] } },
  }
}

/** Runs finishGate on `measured`, capturing what it prints and the exit code it sets. */
async function finish(update: UpdateMode, measured: MeasuredBenchmark[], extra: Partial<FinishInput> = {}) {
  let stdout = ''
  let stderr = ''
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true }),
  ]
  try {
    const result = await finishGate({
      root,
      update,
      options: resolveGateOptions({ history: false, reporters: ['console'], cpu: 'off' }, {}),
      versions: { vitest: '4.1.12', benchgate: '0.1.0', tinybench: '2.9.0' },
      measured,
      filesRun: new Set([FILE]),
      runs: 2,
      version: '0.1.0',
      ...extra,
    })
    const code = process.exitCode ?? 0
    process.exitCode = undefined
    return { result, stdout, stderr, code }
  }
  finally {
    for (const spy of spies) spy.mockRestore()
  }
}

describe('finishGate', () => {
  it('-u writes the baseline and prints what it added; a compare passes unchanged work and fails 30 % more', async () => {
    const update = await finish('all', [bench('a', 1000), bench('b', 2000)])
    expect(update.code, update.stdout + update.stderr).toBe(0)
    expect(update.result?.written).toBe(true)
    expect(Object.keys(readBaselineFile().entries).sort()).toEqual([`${FILE} > a`, `${FILE} > b`])
    expect(update.stdout).toContain(`+ added ${FILE} > a`)
    expect(update.result?.report.outcome.level).toBe('update')

    const same = await finish('none', [bench('a', 1000), bench('b', 2000)])
    expect(same.code, same.stdout).toBe(0)
    expect(same.result?.written).toBe(false)
    expect(same.stdout).toMatch(/benchgate: 2 passed, 0 failed/)
    expect(same.result?.report.outcome).toEqual({ level: 'pass', failedBy: {} })

    const slower = await finish('none', [bench('a', 1300), bench('b', 2000)])
    expect(slower.code, slower.stdout).toBe(1)
    expect(slower.stdout).toMatch(new RegExp(`CRITICAL: ${FILE} > a \\[iterations\\] \\+30\\.0 %`))
    expect(slower.stdout).toMatch(/benchgate: 1 passed, 1 failed/)
    expect(slower.result?.report.outcome).toEqual({ level: 'fail', failedBy: { critical: 1 } })
  })

  it('--update=new compares everything and adds entries only for benchmarks without one, in one pass', async () => {
    await finish('all', [bench('a', 1000)])
    const before = readFileSync(baselinePath(), 'utf8')
    const entryA = readBaselineFile().entries[`${FILE} > a`]

    // a's work changed (critical, not rewritten); b is new (added); gone is absent but not removed
    const r = await finish('new', [bench('a', 1300), bench('b', 2000)])
    expect(r.code, r.stdout).toBe(1)
    expect(r.result?.report.mode).toBe('compare')
    expect(r.result?.added).toEqual([`${FILE} > b`])
    expect(r.result?.written).toBe(true)
    const after = readBaselineFile()
    expect(Object.keys(after.entries).sort()).toEqual([`${FILE} > a`, `${FILE} > b`])
    expect(after.entries[`${FILE} > a`]).toEqual(entryA)
    expect(r.stdout).toContain(`--update=new added baseline entries for benchmarks that had none: ${baselinePath()}`)
    expect(r.stdout).toContain(`    + added ${FILE} > b`)
    expect(r.stdout).not.toContain(`+ added ${FILE} > a`)
    expect(r.stdout).toMatch(new RegExp(`CRITICAL: ${FILE} > a \\[iterations\\]`))
    expect(before).not.toBe(readFileSync(baselinePath(), 'utf8'))

    // nothing new: the file is not touched
    const text = readFileSync(baselinePath(), 'utf8')
    writeFileSync(baselinePath(), text)
    const none = await finish('new', [bench('a', 1000), bench('b', 2000)])
    expect(none.code, none.stdout).toBe(0)
    expect(none.result?.written).toBe(false)
    expect(none.result?.added).toEqual([])
    expect(none.stdout).toContain('--update=new: every benchmark already has a baseline entry; nothing written')
    expect(readFileSync(baselinePath(), 'utf8')).toBe(text)
  })

  it('--update=new keeps the entries of a file that ran but no longer has them (only -u removes what is gone)', async () => {
    await finish('all', [bench('a', 1000), bench('gone', 500)])
    const r = await finish('new', [bench('a', 1000), bench('b', 2000)])
    expect(r.result?.added).toEqual([`${FILE} > b`])
    expect(Object.keys(readBaselineFile().entries).sort()).toEqual([`${FILE} > a`, `${FILE} > b`, `${FILE} > gone`])
    expect(r.result?.removed).toEqual([])
  })

  it('bad input is one line and exit 2, and leaves the baseline alone', async () => {
    await finish('all', [bench('a', 1000)])
    const text = readFileSync(baselinePath(), 'utf8')
    const r = await finish('new', [bench('a', 1000)], { options: resolveGateOptions({ history: false, reporters: ['console'], cpu: 'off', tags: ['nope'] }, {}), knownTags: new Set(['ci']) })
    expect(r.code).toBe(2)
    expect(r.result).toBeUndefined()
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^benchgate: .*nope/)
    expect(readFileSync(baselinePath(), 'utf8')).toBe(text)
  })
})

import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { affinityAvailable, allowedCpus, formatCpuList, parseCpuList } from '../../src/machine/affinity.ts'

const dir = mkdtempSync(join(tmpdir(), 'benchgate-affinity-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('CPU lists', () => {
  it('parses the kernel\'s ranges and singles, sorted and without repeats', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11])
    expect(parseCpuList('5,1,1')).toEqual([1, 5])
    expect(() => parseCpuList('0-x')).toThrow(/not a CPU list/)
  })

  it('formats a list that taskset -c accepts', () => {
    expect(formatCpuList([3, 0, 1])).toBe('0,1,3')
  })

  it('reads Cpus_allowed_list from a status file, and says nothing without one', () => {
    const status = join(dir, 'status')
    writeFileSync(status, 'Name:\tnode\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n')
    expect(allowedCpus(status)).toEqual([0, 1])
    expect(allowedCpus(join(dir, 'missing'))).toBeUndefined()
  })
})

// Pins a child (never this test process): it places itself and reports its own mask and
// its parent's, read from /proc.
const child = fileURLToPath(new URL('./fixtures/place-child.mjs', import.meta.url))
const canPin = process.platform === 'linux' && affinityAvailable() && (allowedCpus()?.length ?? 0) >= 2

describe.runIf(canPin)('placeThisProcess (Linux, 2+ CPUs)', () => {
  const run = (mode: string) => {
    // `sh -c '...; true'` stays the parent (it cannot exec node), so the child moves the shell, not us.
    const out = spawnSync('sh', ['-c', `"${process.execPath}" "${child}" ${mode}; true`], { encoding: 'utf8' })
    expect(out.stderr).toBe('')
    return JSON.parse(out.stdout) as { placement: { cpu?: number, speeds?: Record<string, number>, unpinned?: string }, self: number[], parent: number[] }
  }

  it('pins itself to the CPU asked for and moves its parent off it', () => {
    const { placement, self, parent } = run('1')
    expect(placement).toEqual({ cpu: 1 })
    expect(self).toEqual([1])
    expect(parent).not.toContain(1)
  })

  it('in auto mode times every CPU, pins itself to the fastest it found and moves its parent off it', () => {
    const { placement, self, parent } = run('auto')
    expect(Object.keys(placement.speeds ?? {}).sort()).toEqual(allowedCpus()!.map(String))
    const fastest = Object.entries(placement.speeds!).sort((a, b) => a[1] - b[1])[0]![0]
    expect(placement.cpu).toBe(Number(fastest))
    expect(self).toEqual([placement.cpu])
    expect(parent).not.toContain(placement.cpu)
  })

  it('does nothing when pinning is off, and says why', () => {
    const { placement, self } = run('off')
    expect(placement).toEqual({ unpinned: 'CPU pinning is off (cpu: \'off\')' })
    expect(self).toEqual(allowedCpus())
  })
})

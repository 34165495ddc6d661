import { describe, expect, it } from 'vitest'
import { runNumber } from '../../plugin/protocol.ts'

describe('runNumber', () => {
  it('reads the run from the replica project names of both majors', () => {
    expect(runNumber('benchgate-run-3')).toBe(3)
    expect(runNumber('benchgate-run-2 (bench)')).toBe(2)
    expect(runNumber('parent:benchgate-run-4 (bench)')).toBe(4)
    expect(runNumber('parent:benchgate-run-12')).toBe(12)
  })

  it('is run 1 for the project itself, whatever its name', () => {
    expect(runNumber('')).toBe(1)
    expect(runNumber(undefined)).toBe(1)
    expect(runNumber('my-app')).toBe(1)
    expect(runNumber('my-app (bench)')).toBe(1)
    expect(runNumber('benchgate-run-x')).toBe(1)
  })
})

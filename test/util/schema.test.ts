import { Ajv } from 'ajv'
import { afterEach, describe, expect, it, vi } from 'vitest'

// Every command loads the modules that declare the file formats; compiling all their schemas when
// they load was most of a command's start-up, whether or not it ever read a shard report.

afterEach(() => {
  vi.restoreAllMocks()
  vi.resetModules()
})

describe('compileSchema', () => {
  it('compiles a schema on its first use, once, not when the module that declares it loads', async () => {
    vi.resetModules()
    const compile = vi.spyOn(Ajv.prototype, 'compile')
    const shard = await import('../../src/shard/io.ts')
    await import('../../src/report/io.ts')
    await import('../../src/baseline/io.ts')
    expect(compile).not.toHaveBeenCalled()

    expect(shard.validateShardReport({})).toBe(false)
    expect(compile).toHaveBeenCalledTimes(1)
    expect(shard.validateShardReport({ schemaVersion: 1 })).toBe(false)
    expect(() => shard.validateShardReport.assert({}, 'x.json')).toThrow(/^x\.json: invalid at \/: must have required property/)
    expect(compile).toHaveBeenCalledTimes(1)
  })

  it('a schema that another one registered as its reference still compiles in any order', async () => {
    vi.resetModules()
    // the shard report's schema registers the report and baseline schemas by $id first
    const shard = await import('../../src/shard/io.ts')
    const report = await import('../../src/report/io.ts')
    const baseline = await import('../../src/baseline/io.ts')
    expect(shard.validateShardReport({})).toBe(false)
    expect(report.validateReport({})).toBe(false)
    expect(baseline.validateBaseline({ schemaVersion: 1, entries: {} })).toBe(true)
    expect(() => baseline.validateBaseline.assert({ schemaVersion: 1, entries: {}, extra: 1 }, 'b.json')).toThrow('b.json: invalid at /: has unknown property "extra"')
  })
})

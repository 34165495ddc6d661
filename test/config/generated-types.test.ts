import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const script = join(root, 'scripts/generate-types.mjs')

function generate(args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { cwd: root, encoding: 'utf8' })
}

describe('generated types', () => {
  it('the committed generated files match the schemas (npm run generate:types)', () => {
    const result = generate(['--check'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it('check mode exits 1 naming a stale file', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'benchgate-gentypes-'))
    try {
      const output = 'src/config/workload-types.generated.ts'
      mkdirSync(join(tmp, 'src/config'), { recursive: true })
      cpSync(join(root, 'src/config/workload.schema.json'), join(tmp, 'src/config/workload.schema.json'))
      const committed = readFileSync(join(root, output), 'utf8')
      writeFileSync(join(tmp, output), committed.replace('memory_limit_mb: number', 'memory_limit_mb: string'))
      const stale = generate(['--check', '--root', tmp, '--only', output])
      expect(stale.status).toBe(1)
      expect(stale.stderr).toContain('Generated types are stale')
      expect(stale.stderr).toContain('workload-types.generated.ts')

      const fixed = generate(['--root', tmp, '--only', output])
      expect(fixed.status).toBe(0)
      expect(readFileSync(join(tmp, output), 'utf8')).toBe(committed)
    }
    finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})

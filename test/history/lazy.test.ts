import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/run.ts'

// better-sqlite3 is an optional peer: it may load only inside a history command's action or the
// reporter's recording call, never with `import 'benchgate'`, the plugin, or the CLI's registration.
const STATIC = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

function walk(entry: string, includeDynamic: boolean) {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    const text = readFileSync(file, 'utf8')
    const specs = [...text.matchAll(STATIC)].map(m => m[1]!)
    if (includeDynamic) specs.push(...[...text.matchAll(DYNAMIC)].map(m => m[1]!))
    for (const spec of specs) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec)
        if (target.endsWith('.ts') && existsSync(target)) visit(target)
      }
      else packages.add(spec)
    }
  }
  visit(join(repoRoot, entry))
  return { files: [...files].map(f => relative(repoRoot, f)), packages }
}

describe('better-sqlite3 loads lazily', () => {
  it.each(['plugin/entry.ts', 'plugin/index.ts', 'src/cli/main.ts'])('%s does not import it statically', (entry) => {
    const { files, packages } = walk(entry, false)
    expect([...packages]).not.toContain('better-sqlite3')
    expect(files).not.toContain('src/history/db.ts')
  })

  it('the walk does find it through the dynamic imports (the check can fail)', () => {
    expect(walk('src/cli/main.ts', true).packages).toContain('better-sqlite3')
    expect(walk('plugin/index.ts', true).files).toContain('src/history/db.ts')
  })
})

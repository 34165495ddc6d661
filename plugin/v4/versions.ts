import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { readFileSync } from 'node:fs'

/** The version of the tinybench that Vitest itself runs (its own nested copy in vitest 4). */
export function tinybenchVersion(): string | undefined {
  try {
    const require = createRequire(import.meta.url)
    const vitestDir = dirname(require.resolve('vitest/package.json'))
    const vitestRequire = createRequire(join(vitestDir, 'package.json'))
    const entry = vitestRequire.resolve('tinybench')
    let dir = dirname(entry)
    for (let i = 0; i < 4; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string, version?: string }
        if (pkg.name === 'tinybench') return pkg.version
      }
      catch {}
      dir = dirname(dir)
    }
  }
  catch {}
  return undefined
}

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The version of the tinybench that the running vitest 5 uses (6.2.5 with vitest 5.1.1), found
 * from its `dist` directory (`vitest.distPath`): resolving `vitest` from benchgate's own location
 * could find another copy.
 */
export function tinybenchVersionV5(vitestDistPath: string): string | undefined {
  try {
    const vitestRequire = createRequire(join(vitestDistPath, '..', 'package.json'))
    let dir = dirname(vitestRequire.resolve('tinybench'))
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

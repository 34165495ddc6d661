import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The version of the tinybench that a Vitest install itself runs, resolved from that Vitest's
 * package.json (vitest 4 nests its own tinybench 2.9; vitest 5 depends on tinybench 6). Resolving
 * from benchgate's own location could find another copy. Undefined when it cannot be found.
 */
export function tinybenchVersionOf(vitestPackageJson: string): string | undefined {
  try {
    let dir = dirname(createRequire(vitestPackageJson).resolve('tinybench'))
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

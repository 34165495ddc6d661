import { join } from 'node:path'
import { tinybenchVersionOf } from '../versions.ts'

/**
 * The version of the tinybench that the running vitest 5 uses (6.2.5 with vitest 5.1.1), found
 * from its `dist` directory (`vitest.distPath`).
 */
export function tinybenchVersionV5(vitestDistPath: string): string | undefined {
  return tinybenchVersionOf(join(vitestDistPath, '..', 'package.json'))
}

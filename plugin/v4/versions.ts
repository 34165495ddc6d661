import { createRequire } from 'node:module'
import { tinybenchVersionOf } from '../versions.ts'

/** The version of the tinybench that vitest 4 runs (its own nested copy, 2.9). */
export function tinybenchVersion(): string | undefined {
  try {
    return tinybenchVersionOf(createRequire(import.meta.url).resolve('vitest/package.json'))
  }
  catch {
    return undefined
  }
}

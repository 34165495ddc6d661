import { ensureValgrindAddon } from '../../src/measure/addon.ts'
import { findValgrind } from '../../src/measure/valgrind.ts'

/**
 * The instruction-mode tests need Valgrind and node-gyp's toolchain (the addon is built here, into
 * `root`'s `.benchgate/native/`): without them a test file fails in its `beforeAll` with this
 * reason, never skips. `.ci/run` installs them.
 */
export function requireValgrind(root: string): void {
  try {
    findValgrind()
    ensureValgrindAddon(root)
  }
  catch (error) {
    throw new Error(`the instruction-mode tests need Valgrind and a C toolchain for its client-request addon (Debian: apt-get install valgrind python3 make gcc g++; .ci/run installs them): ${(error as Error).message}`)
  }
}

import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * A stand-alone config for the GIF speed benchmarks: no plugins, no gate, no reporters from the
 * project's vitest.config.ts. `npx vitest bench --run --config bench/vitest.config.ts`
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    benchmark: { include: ['bench/**/*.bench.ts'] },
  },
})

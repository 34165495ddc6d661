import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * A stand-alone config for the GIF speed benchmark (this file only, so nothing else in bench/ runs
 * beside it and skews the timings): no plugins, no gate, no reporters from the
 * project's vitest.config.ts. `npx vitest bench --run --config bench/vitest.config.ts`
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    benchmark: { include: ['bench/gif-speed.bench.ts'] },
  },
})

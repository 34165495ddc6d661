import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/**
 * A stand-alone config for the run-history scale benchmark (bench/history.bench.ts only): no plugins,
 * no gate, no reporters from the project's vitest.config.ts.
 * `npx vitest bench --run --config bench/history.vitest.config.ts`
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    benchmark: { include: ['bench/history.bench.ts'] },
  },
})

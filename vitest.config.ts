import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { benchgate } from './plugin/index.ts'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^benchgate$/, replacement: r('./src/index.ts') },
      { find: /^benchgate\/plugin$/, replacement: r('./plugin/index.ts') },
      { find: /^benchgate\/reporters$/, replacement: r('./reporters/index.ts') },
      { find: /^benchgate\/gif$/, replacement: r('./src/gif/index.ts') },
    ],
  },
  plugins: [benchgate()],
  test: {
    benchmark: { include: ['scenarios/**/*.bench.ts'] },
    // The GifLab scenarios collect the previous round's garbage before each round (beforeRound).
    execArgv: ['--expose-gc'],
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Integration tests time real benchmark runs: running test files one at a time keeps the
    // suite from being the noise that the gate must see through.
    fileParallelism: false,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/test-results.json' },
  },
})

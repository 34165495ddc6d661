import { configDefaults, defineConfig } from 'vitest/config'
import base from './vitest.config.ts'

// The instruction tier (`npm run test:instructions`): `--measure instructions` end to end, on
// vitest 4 and 5. Its verdicts come from instruction counts, so it could run beside anything, but
// every benchmark process runs under Valgrind (minutes of CPU per file), which would make the
// default tier several times slower; it needs Valgrind and a C toolchain (README).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/instructions/**/*.test.ts'],
    // Its fixtures load benchgate from the sources, and it runs beside `npm test` (.ci/run), whose
    // build of dist/ it must not race: no dist/ here (test/setup/dist.ts).
    globalSetup: [],
    exclude: [...configDefaults.exclude],
    outputFile: { json: '.tmp/test-results-instructions.json' },
  },
})

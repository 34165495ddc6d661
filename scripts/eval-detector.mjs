#!/usr/bin/env node
// `npm run eval:detector`: the detector harness (scripts/detector/main.ts), loaded through Vite's
// module runner so that the TypeScript sources run as they are. See docs/detection.md.
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const entry = fileURLToPath(new URL('./detector/main.ts', import.meta.url))
try {
  const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' })
  process.exitCode = await module.main(process.argv.slice(2))
}
catch (error) {
  process.stderr.write(`eval:detector: ${error instanceof Error ? error.message : String(error)}\n`)
  // bad input (a flag, a pool file) exits 2, as the CLI does; anything else 1
  process.exitCode = typeof error?.exitCode === 'number' ? error.exitCode : 1
}

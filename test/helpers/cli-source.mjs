#!/usr/bin/env node
// Runs the benchgate CLI from its TypeScript sources (through a Vite module runner that stays open
// for the CLI's lazy imports), so that integration tests exercise the working tree without a
// build: node test/helpers/cli-source.mjs <args>
import { fileURLToPath } from 'node:url'
import { createServer, createServerModuleRunner } from 'vite'

const server = await createServer({ configFile: false, logLevel: 'error', server: { middlewareMode: true, ws: false, watch: null }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] } })
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
try {
  const { main } = await runner.import(fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)))
  process.exitCode = await main(process.argv, '0.0.0-source')
}
finally {
  await runner.close()
  await server.close()
}

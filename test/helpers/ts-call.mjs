#!/usr/bin/env node
// Calls an export of one of benchgate's TypeScript modules in a process of its own (through a Vite
// module runner, like cli-source.mjs) and prints its JSON result, for tests of what separate
// processes do at once: node ts-call.mjs <module, relative to the repo> <export> '<JSON array of arguments>' [startAtMs]
import { fileURLToPath } from 'node:url'
import { createServer, createServerModuleRunner } from 'vite'

const [module, name, args, startAt] = process.argv.slice(2)
const server = await createServer({ configFile: false, logLevel: 'error', server: { middlewareMode: true, ws: false, watch: null }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] } })
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false })
try {
  const mod = await runner.import(fileURLToPath(new URL(`../../${module}`, import.meta.url)))
  // processes given the same start time begin their call together
  while (startAt && Date.now() < Number(startAt)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1)
  const result = await mod[name](...JSON.parse(args ?? '[]'))
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
finally {
  await runner.close()
  await server.close()
}

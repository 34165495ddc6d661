#!/usr/bin/env node
import { benchgateVersion } from '../util/version.ts'
import { main } from './main.ts'

main(process.argv, benchgateVersion()).then((code) => {
  process.exitCode = code
}, (error: unknown) => {
  process.stderr.write(`benchgate: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})

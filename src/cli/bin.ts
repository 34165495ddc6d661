#!/usr/bin/env node
import { benchgateVersion } from '../util/version.ts'
import { main } from './main.ts'

main(process.argv, benchgateVersion()).then((code) => {
  process.exitCode = code
}, (error: unknown) => {
  // Every failure is one line; the stack only on request (a bug report).
  const debug = process.env.BENCHGATE_LOG_LEVEL === 'debug'
  const text = error instanceof Error ? (debug ? error.stack ?? error.message : error.message) : String(error)
  process.stderr.write(`benchgate: ${debug ? text : `${text.trim().split('\n')[0]} (BENCHGATE_LOG_LEVEL=debug shows the stack)`}\n`)
  process.exitCode = 1
})

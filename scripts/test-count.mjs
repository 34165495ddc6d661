#!/usr/bin/env node
// Prints `tests: N passed, N failed` from a vitest JSON report (the last line CI reads).
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? '.tmp/test-results.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
}
catch (error) {
  console.log(`test-count: cannot read ${file}: ${error.message}`)
  console.log('tests: 0 passed, 1 failed')
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
const failed = report.numFailedTests ?? 0
const suiteErrors = (report.testResults ?? []).filter(r => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length
console.log(`tests: ${passed} passed, ${failed + suiteErrors} failed`)
process.exit(failed + suiteErrors > 0 ? 1 : 0)

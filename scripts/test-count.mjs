#!/usr/bin/env node
// Prints `tests: N passed, N failed` from one or more vitest JSON reports, summed (the last line CI
// reads). Usage: node scripts/test-count.mjs [results.json ...] (default: every tier's file).
import { readFileSync } from 'node:fs'

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.tmp/test-results.json', '.tmp/test-results-timing.json', '.tmp/test-results-instructions.json']
let passed = 0
let failed = 0
for (const file of files) {
  let report
  try {
    report = JSON.parse(readFileSync(file, 'utf8'))
  }
  catch (error) {
    // a tier that wrote no results (it did not start, or crashed) counts as one failure
    console.log(`test-count: cannot read ${file}: ${error.message}`)
    failed++
    continue
  }
  passed += report.numPassedTests ?? 0
  // a file that failed to load has no test results: count it as one failure
  const suiteErrors = (report.testResults ?? []).filter(r => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length
  failed += (report.numFailedTests ?? 0) + suiteErrors
}
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)

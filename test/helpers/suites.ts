import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { repoRoot } from './run.ts'

/**
 * Copies the fixture suite `test/fixtures/suites/<name>` into a new temp directory (outside this
 * repo: Vitest would find the repo's own config above it) with `node_modules` linked to `modules`
 * (none: the caller installs), as a project with its own install. Returns the project's root.
 */
export function stageSuite(name: string, modules?: string): string {
  const root = join(mkdtempSync(join(tmpdir(), `benchgate-suite-${name}-`)), name)
  cpSync(join(repoRoot, 'test/fixtures/suites', name), root, { recursive: true })
  if (modules) symlinkSync(modules, join(root, 'node_modules'), 'dir')
  return root
}

interface VitestBenchJson {
  files: Array<{ filepath: string, groups: Array<{ fullName: string, benchmarks: Array<{ name: string }> }> }>
}

/**
 * What a plain `vitest bench --outputJson <file>` (vitest 4) measured, one `file > describe > bench`
 * per benchmark and project that ran it, with the file relative to `root` (vitest names it relative
 * to its project's root), sorted. The same bench in two projects is listed twice.
 */
export function vitestBenchKeys(outputJson: string, root: string): string[] {
  const report = JSON.parse(readFileSync(outputJson, 'utf8')) as VitestBenchJson
  const keys: string[] = []
  for (const file of report.files) {
    const path = relative(root, file.filepath).split('\\').join('/')
    for (const group of file.groups) {
      // a group's full name starts with the file as its project names it
      const suites = group.fullName.split(' > ').slice(1)
      for (const bench of group.benchmarks) keys.push([path, ...suites, bench.name].join(' > '))
    }
  }
  return keys.sort()
}

/** Baseline keys without their `[project] ` prefix, sorted (a key per project that ran the bench). */
export function unprefixed(keys: Iterable<string>): string[] {
  return [...keys].map(key => key.replace(/^\[[^\]]+\] /, '')).sort()
}

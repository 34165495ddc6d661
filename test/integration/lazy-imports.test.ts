import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, run } from '../helpers/run.ts'

// The heavy stacks (GIF, perceptual model, history) must never load with the gate's entry points.
const HEAVY = /^resolve (sharp|onnxruntime-node|better-sqlite3|omggif)\b/m
const hook = pathToFileURL(join(repoRoot, 'test/fixtures/hooks/record-imports.mjs')).href

function importsOf(entry: string): string {
  const register = `import { register } from 'node:module'; register(${JSON.stringify(hook)});`
  const r = run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', `await import(${JSON.stringify(entry)}); console.log('loaded')`])
  expect(r.stdout.trim(), r.stderr).toBe('loaded')
  return r.stderr
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/plugin/index.js'))) {
    const build = run('npm', ['run', 'build'])
    expect(build.code, build.stderr).toBe(0)
  }
}, 300_000)

describe('entry points load no heavy dependency', () => {
  it.each(['benchgate', 'benchgate/plugin', 'benchgate/reporters'])('%s', (entry) => {
    expect(importsOf(entry)).not.toMatch(HEAVY)
  })

  it('the hook sees a heavy import when one happens (the check can fail)', () => {
    const log = importsOf('sharp')
    expect(log).toMatch(HEAVY)
  })
})

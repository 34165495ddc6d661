import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/run.ts'

// The shared generator, with the options the other data-file schemas use.
const { render } = await import(join(repoRoot, 'scripts/generate-types.mjs')) as { render: (target: { schema: string, output: string, options?: object }, root?: string) => Promise<string> }
const options = { ignoreMinAndMaxItems: true, strictIndexSignatures: false }
const read = (path: string) => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as { definitions: Record<string, unknown> }

describe('A/B schemas', () => {
  it.each([
    ['src/ab/experiment.schema.json', 'src/ab/experiment-types.generated.ts'],
    ['src/ab/results.schema.json', 'src/ab/results-types.generated.ts'],
  ])('%s: the committed generated types are current', async (schema, output) => {
    expect(await render({ schema, output, options }, repoRoot)).toBe(readFileSync(join(repoRoot, output), 'utf8'))
  })

  it('the results schema refers to the experiment schema\'s definitions by $id instead of copying them', () => {
    const experiment = JSON.parse(readFileSync(join(repoRoot, 'src/ab/experiment.schema.json'), 'utf8')) as { $id: string, definitions: Record<string, unknown> }
    const results = read('src/ab/results.schema.json').definitions
    for (const name of ['Direction', 'OverrideValue', 'Variant', 'Experiment', 'Environment']) {
      expect(experiment.definitions[name], name).toBeDefined()
      expect(results[name], name).toEqual({ $ref: `${experiment.$id}#/definitions/${name}` })
    }
  })
})

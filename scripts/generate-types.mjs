#!/usr/bin/env node
/**
 * Generates TypeScript types from the JSON Schemas (the schemas are the source of truth).
 *
 *   node scripts/generate-types.mjs            write every target
 *   node scripts/generate-types.mjs --check    exit 1, naming each stale file, when a committed
 *                                              generated file differs from what would be written
 *   --root <dir>                               resolve the paths against <dir> (default: the repo)
 *   --only <output>                            limit to this target (repeatable)
 *
 * To add a schema, append a { schema, output } pair to TARGETS (paths relative to the repo root).
 */
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs'
import { dirname, join, resolve, basename, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compile } from 'json-schema-to-typescript'

/** @type {{ schema: string, output: string, options?: Record<string, unknown> }[]} */
export const TARGETS = [
  { schema: 'src/config/workload.schema.json', output: 'src/config/workload-types.generated.ts' },
  // Data files: arrays stay plain `number[]` (minItems is checked by ajv, not by tuple types) and
  // map lookups rely on `noUncheckedIndexedAccess` rather than `| undefined` index signatures.
  { schema: 'src/baseline/baseline.schema.json', output: 'src/baseline/types.generated.ts', options: { ignoreMinAndMaxItems: true, strictIndexSignatures: false } },
  { schema: 'src/report/report.schema.json', output: 'src/report/types.generated.ts', options: { ignoreMinAndMaxItems: true, strictIndexSignatures: false } },
  { schema: 'src/ab/experiment.schema.json', output: 'src/ab/experiment-types.generated.ts', options: { ignoreMinAndMaxItems: true, strictIndexSignatures: false } },
  { schema: 'src/ab/results.schema.json', output: 'src/ab/results-types.generated.ts', options: { ignoreMinAndMaxItems: true, strictIndexSignatures: false } },
  { schema: 'src/shard/shard-report.schema.json', output: 'src/shard/types.generated.ts', options: { ignoreMinAndMaxItems: true, strictIndexSignatures: false } },
]

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Options shared by every target; changing them changes every generated file. */
const COMPILE_OPTIONS = {
  additionalProperties: false,
  strictIndexSignatures: true,
  unknownAny: true,
  format: true,
  style: { semi: false, singleQuote: true, trailingComma: 'all', printWidth: 110 },
}

/**
 * Resolves a `$ref` to another target's `$id` (e.g. the A/B results schema referring to the
 * experiment schema's definitions) to that schema's file, so that nothing is fetched.
 */
function targetResolver(root) {
  // built on the first external $ref only, from the targets present under root
  let byId
  const ids = () => {
    if (!byId) {
      byId = new Map()
      for (const target of TARGETS) {
        const path = resolve(root, target.schema)
        if (!existsSync(path)) continue
        const id = JSON.parse(readFileSync(path, 'utf8')).$id
        if (id) byId.set(id, path)
      }
    }
    return byId
  }
  const idOf = url => String(url).split('#')[0]
  return {
    order: 1,
    canRead: file => ids().has(idOf(file.url)),
    read: file => readFileSync(ids().get(idOf(file.url)), 'utf8'),
  }
}

/** Renders one target's TypeScript source (deterministic: no dates, no absolute paths). */
export async function render(target, root = REPO_ROOT) {
  const schemaPath = resolve(root, target.schema)
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'))
  const bannerComment = [
    '/* eslint-disable */',
    '/**',
    ` * GENERATED from ${target.schema} by scripts/generate-types.mjs. Do not edit by hand:`,
    ' * change the schema and run `npm run generate:types`.',
    ' */',
  ].join('\n')
  const source = await compile(schema, schema.title ?? basename(target.schema, '.schema.json'), {
    ...COMPILE_OPTIONS,
    ...target.options,
    bannerComment,
    cwd: dirname(schemaPath),
    $refOptions: { resolve: { targets: targetResolver(root) } },
  })
  return source.endsWith('\n') ? source : `${source}\n`
}

/**
 * Writes (or, with check, compares) the given targets. Returns the outputs that are stale
 * (check mode) or were written.
 */
export async function run({ check = false, root = REPO_ROOT, targets = TARGETS } = {}) {
  const changed = []
  for (const target of targets) {
    const out = resolve(root, target.output)
    const next = await render(target, root)
    let current = null
    try { current = readFileSync(out, 'utf8') }
    catch { current = null }
    if (current === next) continue
    changed.push(target.output)
    if (!check) {
      mkdirSync(dirname(out), { recursive: true })
      const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`)
      writeFileSync(tmp, next)
      renameSync(tmp, out)
    }
  }
  return changed
}

async function main(argv) {
  let check = false
  let root = REPO_ROOT
  const only = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--check') check = true
    else if (arg === '--root' && argv[i + 1]) root = resolve(argv[++i])
    else if (arg === '--only' && argv[i + 1]) only.push(argv[++i])
    else throw new Error(`generate-types: unknown argument ${JSON.stringify(arg)}; usage: node scripts/generate-types.mjs [--check] [--root <dir>] [--only <output>]`)
  }
  const targets = only.length === 0 ? TARGETS : TARGETS.filter(t => only.includes(t.output))
  const unknown = only.filter(o => !TARGETS.some(t => t.output === o))
  if (unknown.length > 0) throw new Error(`generate-types: --only ${unknown.join(', ')} is not a target; valid: ${TARGETS.map(t => t.output).join(', ')}`)
  const changed = await run({ check, root, targets })
  if (check) {
    if (changed.length > 0) {
      process.stderr.write(`Generated types are stale (run "npm run generate:types"): ${changed.map(c => relative(process.cwd(), resolve(root, c)) || c).join(', ')}\n`)
      process.exitCode = 1
    }
    else process.stdout.write(`Generated types are up to date (${targets.length} file${targets.length === 1 ? '' : 's'})\n`)
  }
  else {
    process.stdout.write(changed.length > 0 ? `wrote ${changed.join(', ')}\n` : 'generated types already up to date\n')
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  })
}

import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './helpers/run.ts'

// The layering of docs/architecture.md, checked on the import graph: a module imports only from
// its own layer or the ones below, and nothing in src/ reaches vitest. Imports are read with a
// small scanner (the first lines of every module are its imports; comments are dropped first),
// type-only imports included: a type is a dependency too.

/** Lowest first; a path belongs to the first entry that is it or contains it. */
const LAYERS: ReadonlyArray<{ name: string, paths: readonly string[] }> = [
  { name: 'util', paths: ['src/util'] },
  { name: 'stats and machine', paths: ['src/stats', 'src/machine'] },
  { name: 'model', paths: ['src/scenario', 'src/baseline', 'src/report', 'src/measure'] },
  { name: 'compare', paths: ['src/compare'] },
  { name: 'gate', paths: ['src/gate.ts', 'src/config'] },
  { name: 'services', paths: ['src/history', 'src/ab', 'src/shard', 'src/against'] },
  { name: 'showcase', paths: ['src/gif'] },
  { name: 'reporters', paths: ['reporters'] },
  { name: 'plugin', paths: ['plugin'] },
  { name: 'cli', paths: ['src/cli'] },
]

interface Import { from: string, specifier: string, target?: string, typeOnly: boolean, dynamic: boolean }

function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** The imports of a module: static ones (`import`, `export ... from`) and `import('...')`. */
function importsOf(text: string): Array<Omit<Import, 'from' | 'target'>> {
  // comments out (a JSDoc example is not an import); strings stay, so keep to statement starts
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const out: Array<Omit<Import, 'from' | 'target'>> = []
  for (const m of code.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?['"]([^'"]+)['"]/gm))
    out.push({ specifier: m[2]!, typeOnly: Boolean(m[1]), dynamic: false })
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push({ specifier: m[1]!, typeOnly: false, dynamic: true })
  return out
}

function graph(): Import[] {
  const files = [...sources('src'), ...sources('plugin'), ...sources('reporters')]
  return files.flatMap(from => importsOf(readFileSync(join(repoRoot, from), 'utf8')).map((i) => {
    if (!i.specifier.startsWith('.')) return { ...i, from }
    return { ...i, from, target: relative(repoRoot, normalize(join(repoRoot, dirname(from), i.specifier))).split('\\').join('/') }
  }))
}

/** The layer index of a path, or undefined for a file outside the layers. */
function layerOf(path: string): number | undefined {
  const i = LAYERS.findIndex(layer => layer.paths.some(p => path === p || path.startsWith(`${p}/`)))
  return i < 0 ? undefined : i
}

const imports = graph()

describe('the layers of docs/architecture.md', () => {
  it('place every module of src/, plugin/ and reporters/', () => {
    const files = [...new Set(imports.map(i => i.from))]
    expect(files.length).toBeGreaterThan(100)
    expect(files.filter(f => layerOf(f) === undefined)).toEqual([])
  })

  it('point only down: a module imports from its own layer or below', () => {
    const up = imports.filter(i => i.target !== undefined && (layerOf(i.target) ?? -1) > layerOf(i.from)!)
      .map(i => `${i.from} (${LAYERS[layerOf(i.from)!]!.name}) -> ${i.target} (${LAYERS[layerOf(i.target!)!]!.name})`)
    expect(up).toEqual([])
  })

  it('keep vitest out of src/: no module there imports it, or loads a module that does', () => {
    const vitest = (s: string) => s === 'vitest' || s.startsWith('vitest/')
    expect(imports.filter(i => i.from.startsWith('src/') && vitest(i.specifier)).map(i => `${i.from} -> ${i.specifier}`)).toEqual([])
    // what loading a module loads: its value imports, static or dynamic, followed through the repo
    const loads = new Map<string, Import[]>()
    for (const i of imports) if (!i.typeOnly) loads.set(i.from, [...loads.get(i.from) ?? [], i])
    const reaches = (file: string, seen = new Set<string>()): string[] | undefined => {
      if (seen.has(file)) return undefined
      seen.add(file)
      for (const i of loads.get(file) ?? []) {
        if (vitest(i.specifier)) return [file, i.specifier]
        const path = i.target && reaches(i.target, seen)
        if (path) return [file, ...path]
      }
      return undefined
    }
    const reached = [...new Set(imports.map(i => i.from))].filter(f => f.startsWith('src/')).flatMap(f => reaches(f)?.join(' -> ') ?? [])
    expect(reached).toEqual([])
  })

  it('keep the showcase out of the A/B engine: nothing src/ab imports, directly or through other modules, is the GifLab workload', () => {
    // the workload is a consumer of the engine (src/gif/workload-target.ts), never a dependency of it
    const workload = (path: string) => path.startsWith('src/gif/') || /^src\/config\/(workload|profiles)/.test(path)
    const edges = new Map<string, string[]>()
    for (const i of imports) if (i.target) edges.set(i.from, [...edges.get(i.from) ?? [], i.target])
    const reaches = (file: string, seen = new Set<string>()): string[] | undefined => {
      if (workload(file)) return [file]
      if (seen.has(file)) return undefined
      seen.add(file)
      for (const next of edges.get(file) ?? []) {
        const path = reaches(next, seen)
        if (path) return [file, ...path]
      }
      return undefined
    }
    const engine = [...new Set(imports.map(i => i.from))].filter(f => f.startsWith('src/ab/'))
    expect(engine.length).toBeGreaterThan(10)
    expect(engine.flatMap(f => reaches(f)?.join(' -> ') ?? [])).toEqual([])
    // and the check sees such a path when there is one
    edges.set('src/ab/probe.ts', ['src/ab/overrides.ts', 'src/config/workload.ts'])
    expect(reaches('src/ab/probe.ts')).toEqual(['src/ab/probe.ts', 'src/config/workload.ts'])
  })

  it('the scanner reads static, type-only and dynamic imports, and not those in comments; the layers are ordered', () => {
    expect(importsOf(`/** import { x } from './not-an-import.ts' */\nimport type { A } from '../compare/run.ts'\nexport { b } from './b.ts'\nconst m = await import('vitest/node')\n`)).toEqual([
      { specifier: '../compare/run.ts', typeOnly: true, dynamic: false },
      { specifier: './b.ts', typeOnly: false, dynamic: false },
      { specifier: 'vitest/node', typeOnly: false, dynamic: true },
    ])
    expect(layerOf('src/baseline/merge.ts')).toBeLessThan(layerOf('src/compare/verdicts.ts')!)
    expect(layerOf('src/compare/verdicts.ts')).toBeLessThan(layerOf('src/gate.ts')!)
    expect(layerOf('src/against/against.ts')).toBeGreaterThan(layerOf('src/config/gate.ts')!)
    expect(layerOf('plugin/api.ts')).toBeGreaterThan(layerOf('src/history/db.ts')!)
  })
})

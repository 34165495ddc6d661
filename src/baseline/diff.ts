import { diff } from 'jest-diff'
import { roundFloat } from '../util/json.ts'
import type { BaselineEntry, BaselineFile } from './types.generated.ts'

/** The part of an entry a human reviews: config hash, tags, rounds and per-metric summaries. */
function view(entry: BaselineEntry | undefined): unknown {
  if (!entry) return undefined
  return {
    configHash: entry.configHash,
    rounds: entry.rounds,
    runs: Object.values(entry.metrics)[0]?.runs.length ?? 0,
    tags: entry.tags,
    metrics: Object.fromEntries(Object.entries(entry.metrics).sort(([a], [b]) => a.localeCompare(b)).map(([name, m]) => [name, {
      median: roundFloat(m.summary.median, 4),
      cv: roundFloat(m.summary.cv, 2),
      unit: m.unit,
    }])),
  }
}

/**
 * A readable diff of what an update changed, one block per added, changed or removed entry,
 * rendered with jest-diff. Returns an empty string when nothing changed.
 */
export function baselineDiff(before: BaselineFile | undefined, after: BaselineFile, options: { color?: boolean } = {}): string {
  const keys = [...new Set([...Object.keys(before?.entries ?? {}), ...Object.keys(after.entries)])].sort()
  const blocks: string[] = []
  const plain = (s: string) => s
  const colorOpts = options.color
    ? {}
    : { aColor: plain, bColor: plain, changeColor: plain, commonColor: plain, patchColor: plain }
  for (const key of keys) {
    const a = before?.entries[key]
    const b = after.entries[key]
    if (a && b && a.updatedAt === b.updatedAt) continue
    if (!a && b) blocks.push(`+ added ${key}\n${JSON.stringify(view(b), null, 2)}`)
    else if (a && !b) blocks.push(`- removed ${key}`)
    else {
      const d = diff(view(a), view(b), { ...colorOpts, aAnnotation: 'Old baseline', bAnnotation: 'New baseline', contextLines: 1, expand: false })
      blocks.push(`~ updated ${key}\n${d ?? ''}`)
    }
  }
  return blocks.join('\n\n')
}

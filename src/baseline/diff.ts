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

/** One line for a new entry (a first baseline of a large suite adds hundreds): runs and each metric's median. */
function summaryLine(entry: BaselineEntry): string {
  const runs = Object.values(entry.metrics)[0]?.runs.length ?? 0
  const metrics = Object.entries(entry.metrics).sort(([a], [b]) => a.localeCompare(b))
    .map(([name, m]) => `${name} ${roundFloat(m.summary.median, 4)}${m.unit ? ` ${m.unit}` : ''}`)
  return `${runs} run${runs === 1 ? '' : 's'}, ${metrics.join(', ')}`
}

/**
 * A readable diff of what an update changed: one line per added entry, a jest-diff block per changed
 * one, one line per removed one. Returns an empty string when nothing changed.
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
    if (!a && b) blocks.push(`+ added ${key}: ${summaryLine(b)}`)
    else if (a && !b) blocks.push(`- removed ${key}`)
    else {
      const d = diff(view(a), view(b), { ...colorOpts, aAnnotation: 'Old baseline', bAnnotation: 'New baseline', contextLines: 1, expand: false })
      blocks.push(`~ updated ${key}\n${d ?? ''}`)
    }
  }
  // one-line blocks (added, removed) follow each other; a multi-line block gets a blank line around it
  return blocks.reduce((out, block, i) => {
    if (i === 0) return block
    const gap = block.includes('\n') || blocks[i - 1]!.includes('\n') ? '\n\n' : '\n'
    return `${out}${gap}${block}`
  }, '')
}

/**
 * The commit a baseline was recorded at, for `benchgate compare --against baseline`: re-measuring
 * that commit here, next to the working tree, decides without trusting how fast the machine was
 * when the baseline was recorded.
 */
import { matchesTags } from '../scenario/tags.ts'
import { BenchgateError } from '../util/errors.ts'
import type { BaselineFile } from './types.generated.ts'

/**
 * The one commit the selected entries were recorded at. Errors (one line, exit 2) when the file
 * has no selected entry, an entry without a commit, or entries from several commits (then it lists
 * them, newest first, so the user can pick one with `--against <commit>`).
 */
export function baselineCommit(file: BaselineFile | undefined, path: string, tags: readonly string[] = []): string {
  const entries = Object.values(file?.entries ?? {}).filter(e => matchesTags(e.tags, tags))
  if (entries.length === 0) throw new BenchgateError(`--against baseline: ${path} has no entries${tags.length ? ` tagged ${tags.join(',')}` : ''} to re-measure`, 2)
  const without = entries.find(e => !e.commit)
  if (without) throw new BenchgateError(`--against baseline: the entry "${without.key}" in ${path} records no commit (it was written outside a git checkout); use --against <ref>`, 2)
  const newest = new Map<string, string>()
  for (const e of entries) if (!newest.has(e.commit!) || newest.get(e.commit!)! < e.updatedAt) newest.set(e.commit!, e.updatedAt)
  if (newest.size > 1) {
    const list = [...newest].sort((a, b) => b[1].localeCompare(a[1])).map(([c, at]) => `${c.slice(0, 10)} (${at})`).join(', ')
    throw new BenchgateError(`--against baseline: the selected entries of ${path} were recorded at ${newest.size} commits (${list}); pick one with --against <commit>, or narrow with --tags`, 2)
  }
  return [...newest.keys()][0]!
}

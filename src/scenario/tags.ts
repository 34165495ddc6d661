/** Parses a comma- or space-separated tag list (`ci,quick` or `ci quick`). */
export function parseTags(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return []
  const parts = typeof value === 'string' ? [value] : value
  return [...new Set(parts.flatMap(p => p.split(/[\s,]+/)).map(t => t.trim()).filter(Boolean))]
}

/** True when no filter is set or the benchmark has any of the requested tags. */
export function matchesTags(tags: readonly string[], filter: readonly string[]): boolean {
  return filter.length === 0 || tags.some(t => filter.includes(t))
}

/** How to let a run pass when its tag filter matches nothing (the message of {@link checkTagFilter}). */
export const ALLOW_NO_TAG_MATCH_HINT = 'BENCHGATE_ALLOW_NO_TAG_MATCH=1, --allow-no-tag-match or the plugin option allowNoTagMatch'

/**
 * Checks a tag filter against every tag the run's benchmarks have (run or skipped). A filter none of
 * whose tags any benchmark has (a typo: `cl` for `ci`) would turn a CI gate into a run of nothing
 * that passes: the gate stops it (exit 2) listing the known tags, unless allowed. Returns the
 * unknown tags, and whether that is all of them; `undefined` when every tag is known.
 */
export function tagFilterProblem(filter: readonly string[], known: ReadonlySet<string>): { unknown: string[], matchesNothing: boolean } | undefined {
  if (filter.length === 0) return undefined
  const unknown = filter.filter(tag => !known.has(tag))
  if (unknown.length === 0) return undefined
  return { unknown, matchesNothing: unknown.length === filter.length }
}

/** One line about a tag filter with unknown tags, naming the known ones. */
export function tagFilterMessage(filter: readonly string[], known: ReadonlySet<string>, unknown: readonly string[]): string {
  const knownText = known.size ? `known tags: ${[...known].sort().join(', ')}` : 'no benchmark has any tag'
  return unknown.length === filter.length
    ? `tag filter ${filter.join(',')} matches no benchmark (${knownText}); check BENCHGATE_TAGS / --tags, or set ${ALLOW_NO_TAG_MATCH_HINT} to pass anyway`
    : `tag${unknown.length === 1 ? '' : 's'} ${unknown.join(',')} of the filter ${filter.join(',')} match${unknown.length === 1 ? 'es' : ''} no benchmark (${knownText})`
}

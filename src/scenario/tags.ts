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

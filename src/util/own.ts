/**
 * A property of a record keyed by user-chosen names (metric names, benchmark keys), or `undefined`:
 * only the object's own properties count, so a metric named `constructor` or `toString` is not
 * mistaken for what every object inherits.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined
}

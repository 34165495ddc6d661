/**
 * Plain-text tables for the history commands: left-aligned text, right-aligned numbers, floats at
 * 6 significant digits, NULL shown as `NULL`.
 */

/** Renders one cell value. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number') return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)))
  if (typeof value === 'bigint') return value.toString()
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`
  return String(value).replace(/\s*\n\s*/g, ' ')
}

/** Renders rows under a header and a rule, columns padded to their widest cell. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map(row => columns.map((_, i) => formatCell(row[i])))
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every(row => typeof row[i] === 'number' || row[i] === null || row[i] === undefined))
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(r => (r[i] as string).length)))
  const line = (values: readonly string[], header = false) => values
    .map((v, i) => (numeric[i] && !header ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number)))
    .join('  ')
    .trimEnd()
  return [line(columns, true), widths.map(w => '-'.repeat(w)).join('  '), ...cells.map(r => line(r))].join('\n') + '\n'
}

/**
 * Reading Callgrind's dump files: each dump (`CALLGRIND_DUMP_STATS`) writes the counts since the
 * previous one to `<out-file>.<n>` and ends with a `totals:` line, the sum over every function and
 * thread. The header's `summary:` line is not used: after instrumentation is switched off and on
 * it can come out wrapped around (seen with Valgrind 3.19), while `totals:` stays right.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs'
import { join } from 'node:path'

/** The `totals:` of a dump's text (its first event, Ir), or `undefined` when there is none. */
export function parseCallgrindTotals(text: string): number | undefined {
  const m = /^totals:\s+(\d+)/m.exec(text)
  return m ? Number(m[1]) : undefined
}

/** Reads a dump file's `totals:` from its end (dumps carry every function's cost before it). Throws when it has none. */
export function readCallgrindTotals(path: string, tailBytes = 4096): number {
  const fd = openSync(path, 'r')
  try {
    const size = fstatSync(fd).size
    const length = Math.min(size, tailBytes)
    const buffer = Buffer.alloc(length)
    readSync(fd, buffer, 0, length, size - length)
    const totals = parseCallgrindTotals(buffer.toString('utf8'))
    if (totals === undefined) throw new Error(`${path}: no "totals:" line in the last ${length} bytes of this Callgrind dump`)
    return totals
  }
  finally {
    closeSync(fd)
  }
}

/** The dump files of process `pid` in `dir` (`callgrind.<pid>.<n>`), oldest (lowest n) first. */
export function dumpFiles(dir: string, pid: number): string[] {
  const prefix = `callgrind.${pid}.`
  return readdirSync(dir)
    .filter(name => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)))
    .map(name => join(dir, name))
}

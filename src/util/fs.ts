import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * Writes a file atomically: a temp file in the same directory, then a rename, so readers see the
 * old content or the new, never a torn file.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const dir = dirname(path)
  mkdirSync(dir, { recursive: true })
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, path)
  }
  catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}

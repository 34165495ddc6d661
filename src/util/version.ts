import { readFileSync } from 'node:fs'

/** benchgate's own version, read from its package.json (found from the source or the built file). */
export function benchgateVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string, version?: string }
      if (pkg.name === 'benchgate' && pkg.version) return pkg.version
    }
    catch {}
  }
  return '0.0.0'
}

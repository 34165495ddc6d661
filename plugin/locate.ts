import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BenchgateError } from '../src/util/errors.ts'

/** The Vitest majors this benchgate version can drive (`plugin/v4/`, `plugin/v5/`). */
export const SUPPORTED_VITEST_MAJORS: readonly number[] = [4, 5]

/** The vitest a project has installed, as found from its root. */
export interface VitestInstall {
  version: string
  major: number
  /** Path of its `package.json`. */
  packageJson: string
  /** File URL of its Node API entry (`vitest/node`), for `import()`. */
  nodeApiUrl: string
}

/**
 * Finds the vitest the project at `root` resolves (Node's resolution from the root, so a project's
 * own install wins over any copy next to benchgate) and reads its major. Throws a one-line
 * {@link BenchgateError} (exit 2) when there is none or its major is not supported.
 */
export function locateVitest(root: string): VitestInstall {
  const projectRoot = resolve(root)
  const require = createRequire(join(projectRoot, 'package.json'))
  let packageJson: string
  try {
    packageJson = require.resolve('vitest/package.json')
  }
  catch {
    throw new BenchgateError(`cannot find vitest from ${projectRoot}: install it in the project (npm install -D vitest@4, or vitest@5 on Node 22)`)
  }
  let version: string
  try {
    const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }
    if (typeof pkg.version !== 'string') throw new Error('no version')
    version = pkg.version
  }
  catch {
    throw new BenchgateError(`cannot read the vitest version from ${packageJson}`)
  }
  const major = Number(version.split('.')[0])
  if (!SUPPORTED_VITEST_MAJORS.includes(major)) {
    throw new BenchgateError(`vitest ${version} (${packageJson}) is not supported by this benchgate version (supported: vitest ${SUPPORTED_VITEST_MAJORS.join(' and ')})`)
  }
  let nodeApi: string
  try {
    nodeApi = require.resolve('vitest/node')
  }
  catch {
    throw new BenchgateError(`cannot load vitest ${version} from ${packageJson}: its Node API (vitest/node) is missing; reinstall it`)
  }
  return { version, major, packageJson, nodeApiUrl: pathToFileURL(nodeApi).href }
}

import { cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { withFileLock } from '../../src/util/lock.ts'
import { builtBenchgate } from '../helpers/build.ts'
import type { VitestInstall } from '../helpers/project.ts'
import { repoRoot, run } from '../helpers/run.ts'

// Shared by the tests in test/v5/: the vitest 5 / Node 22 environment in .cache/v5/ and builds of
// benchgate that leave the repo's dist/ alone (others may be using or rebuilding it).

/** The vitest 5 test environment that scripts/setup-v5.sh installs (gitignored). */
export const v5Dir = join(repoRoot, '.cache/v5')
/** vitest 5's CLI entry in that environment. */
export const vitest5 = join(v5Dir, 'node_modules/vitest/vitest.mjs')

/**
 * Runs scripts/setup-v5.sh (installs Node 22 and vitest 5 into .cache/v5/ from the npm registry;
 * a quick check when they are there) and returns the Node 22 binary. Throws with the script's own
 * reason when it cannot: these tests fail rather than skip (see docs/compatibility.md).
 */
export function setupV5(): string {
  // test files run in parallel: one installs, the others wait for it and then only check
  const setup = withFileLock(v5Dir, () => run('bash', [join(repoRoot, 'scripts/setup-v5.sh')], { timeout: 600_000 }), { waitMs: 900_000, what: 'the vitest 5 test environment' })
  if (setup.code !== 0) {
    const why = setup.stderr.trim().split('\n').slice(-5).join('\n')
    throw new Error(`the vitest 5 environment is missing and scripts/setup-v5.sh could not install it (exit ${setup.code}); these tests need Node 22 and vitest 5 in .cache/v5/ from the npm registry:\n${why}`)
  }
  return setup.stdout.trim().split('\n').at(-1)!
}

/** The vitest 5 install in .cache/v5/ on `node` (Node 22, from {@link setupV5}), for a temp project. */
export function vitest5Install(node: string): VitestInstall {
  return { modules: join(v5Dir, 'node_modules'), node, bin: vitest5 }
}

/** The vitest 5 version installed in .cache/v5/ (what a test project installs too, so npm's cache has it). */
export function vitest5Version(): string {
  return (JSON.parse(readFileSync(join(v5Dir, 'node_modules/vitest/package.json'), 'utf8')) as { version: string }).version
}

/** An environment whose `node` (and so `npm`, `npx` and every `#!/usr/bin/env node` script) is `node`. */
export function pathWith(node: string): Record<string, string> {
  return { PATH: `${dirname(node)}:${process.env.PATH ?? ''}` }
}

function copySchemas(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) copySchemas(join(from, entry.name), join(to, entry.name))
    else if (entry.name.endsWith('.schema.json')) {
      mkdirSync(to, { recursive: true })
      cpSync(join(from, entry.name), join(to, entry.name))
    }
  }
}

/**
 * `npm pack` of benchgate as the repo would publish it (its package.json `files`: dist, models,
 * src schemas, README), staged in `work/package` with the shared test build as its dist, so that the
 * repo's dist/ is not rebuilt under others. Returns the tarball's path.
 */
export function packBenchgate(work: string): string {
  const stage = join(work, 'package')
  mkdirSync(stage, { recursive: true })
  for (const file of ['package.json', 'README.md']) cpSync(join(repoRoot, file), join(stage, file))
  cpSync(join(repoRoot, 'models'), join(stage, 'models'), { recursive: true })
  copySchemas(join(repoRoot, 'src'), join(stage, 'src'))
  cpSync(builtBenchgate(), join(stage, 'dist'), { recursive: true })
  // --ignore-scripts: prepack would rebuild dist/ from sources that are not staged here
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: stage })
  if (pack.code !== 0) throw new Error(`npm pack failed: ${pack.stderr}`)
  const tarball = readdirSync(work).find(f => f.endsWith('.tgz'))
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`)
  return join(work, tarball)
}

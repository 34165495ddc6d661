import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BENCH_HEAD, tempProject, type TempProject } from '../helpers/project.ts'
import { vitestBin } from '../helpers/run.ts'

// kill -9 of the Vitest main process during `vitest bench -u` (issue 13, item 7): its worker
// processes must die with it, and the baseline must stay as it was.
let project: TempProject
let pidDir: string

/** Alive, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  }
  catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  }
  catch {
    return false
  }
}

async function until(condition: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs
  while (Date.now() < end) {
    if (condition()) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return condition()
}

beforeAll(() => {
  project = tempProject('orphans')
  pidDir = join(project.root, 'pids')
  mkdirSync(pidDir)
  // FIXTURE_SLOW: each worker records its pid, then spins synchronously for 30 s (its main thread
  // never yields: only a watchdog outside it can notice that the parent is gone)
  project.write('bench/slow.bench.ts', `${BENCH_HEAD}import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
bench.scenario({
  name: 'slow',
  rounds: 2,
  warmupRounds: 0,
  run: () => {
    if (!process.env.FIXTURE_SLOW) { spin(2000); return }
    writeFileSync(join(process.env.FIXTURE_SLOW, String(process.pid)), '')
    const end = Date.now() + 30_000
    while (Date.now() < end) spin(1000)
  },
})
`)
  const r = project.bench(['-u'])
  expect(r.code, r.stdout + r.stderr).toBe(0)
}, 300_000)
afterAll(() => project.remove())

describe('kill -9 of vitest bench -u', () => {
  it('leaves no worker running and the baseline intact', async () => {
    const before = readFileSync(project.baselineFile, 'utf8')
    const env: NodeJS.ProcessEnv = { ...process.env, FIXTURE_SLOW: pidDir, BENCHGATE_HISTORY: 'off', FIXTURE_RUNS: '2' }
    for (const key of Object.keys(env)) if (key === 'VITEST' || key.startsWith('VITEST_') || key === 'TEST') delete env[key]
    const main = spawn(process.execPath, [vitestBin, 'bench', '--run', '-u', '--root', project.root], { env, stdio: 'ignore' })
    try {
      expect(await until(() => readdirSync(pidDir).length > 0, 60_000), 'a worker started measuring').toBe(true)
      const workers = readdirSync(pidDir).map(Number)
      expect(workers).not.toContain(main.pid)
      main.kill('SIGKILL')
      // the watchdog looks every 200 ms; a surviving worker would spin for 30 s
      expect(await until(() => workers.every(pid => !alive(pid)), 10_000), `workers ${workers.join(', ')} outlived their parent`).toBe(true)
    }
    finally {
      main.kill('SIGKILL')
    }
    expect(readFileSync(project.baselineFile, 'utf8')).toBe(before)
    expect(existsSync(`${project.baselineFile}.lock`)).toBe(false)
  }, 120_000)
})

describe('kill -9 of the command that started a measured run (compare --against, A/B batches)', () => {
  it('ends that run: its vitest process and the workers under it', async () => {
    rmSync(pidDir, { recursive: true, force: true })
    mkdirSync(pidDir)
    // measureInChild as compare --against calls it, from the sources (Vite's module runner)
    const starter = join(project.root, 'start-run.mjs')
    writeFileSync(starter, `import { runnerImport } from 'vite'
const { module } = await runnerImport(${JSON.stringify(fileURLToPath(new URL('../../src/against/child-run.ts', import.meta.url)))}, { configFile: false, logLevel: 'error' })
await module.measureInChild({ root: ${JSON.stringify(project.root)}, env: { FIXTURE_SLOW: ${JSON.stringify(pidDir)} } })
`)
    const env: NodeJS.ProcessEnv = { ...process.env }
    for (const key of Object.keys(env)) if (key === 'VITEST' || key.startsWith('VITEST_') || key === 'TEST') delete env[key]
    const command = spawn(process.execPath, [starter], { cwd: fileURLToPath(new URL('../..', import.meta.url)), env, stdio: 'ignore' })
    try {
      expect(await until(() => readdirSync(pidDir).length > 0, 60_000), 'a worker started measuring').toBe(true)
      const workers = readdirSync(pidDir).map(Number)
      command.kill('SIGKILL')
      // the run's vitest process sees its parent gone within 200 ms and dies; its workers follow
      expect(await until(() => workers.every(pid => !alive(pid)), 10_000), `workers ${workers.join(', ')} outlived the command`).toBe(true)
    }
    finally {
      command.kill('SIGKILL')
    }
  }, 120_000)
})

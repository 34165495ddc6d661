import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { MARKDOWN_HEADER } from '../reporters/markdown.ts'
import { createCli } from '../src/cli/main.ts'
import { repoRoot } from './helpers/run.ts'

// The workflows only call what exists: npm scripts in package.json and registered benchgate commands.

interface Step { name?: string, id?: string, run?: string, uses?: string, with?: Record<string, unknown>, env?: Record<string, string>, if?: string }
interface Job { 'if'?: string, 'steps': Step[], 'permissions'?: Record<string, string>, 'runs-on': string, 'container'?: unknown }
interface Workflow { on: Record<string, unknown>, jobs: Record<string, Job> }

const dir = join(repoRoot, '.github/workflows')
const load = (name: string) => parse(readFileSync(join(dir, name), 'utf8')) as Workflow
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap(job => job.steps)
const scripts = Object.keys((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts)
const commands = createCli('0.0.0').commands.map(c => c.name).filter(Boolean)

/** Every shell line of every `run:` step, comments dropped. */
function shellLines(wf: Workflow): string[] {
  return steps(wf).flatMap(s => (s.run ?? '').split('\n')).map(l => l.replace(/#.*$/, '').trim()).filter(Boolean)
}

describe('.github/workflows', () => {
  const files = readdirSync(dir).filter(f => /\.ya?ml$/.test(f)).sort()

  it('has the gate, the CI and the weekly trend workflows, each valid YAML with jobs and steps', () => {
    expect(files).toEqual(['ci.yml', 'performance-regression.yml', 'sharded-benchmarks.yml', 'weekly-trends.yml'])
    for (const f of files) {
      const wf = load(f)
      expect(Object.keys(wf.jobs).length, f).toBeGreaterThan(0)
      for (const [name, job] of Object.entries(wf.jobs)) expect(job.steps.length, `${f} ${name}`).toBeGreaterThan(0)
    }
  })

  it.each(['ci.yml', 'performance-regression.yml', 'sharded-benchmarks.yml', 'weekly-trends.yml'])('%s calls only npm scripts that exist and benchgate commands that are registered', (f) => {
    const lines = shellLines(load(f))
    for (const line of lines) {
      for (const m of line.matchAll(/\bnpm run(?:-script)? ([\w:-]+)/g)) expect(scripts, `${f}: ${line}`).toContain(m[1])
      if (/\bnpm test\b/.test(line)) expect(scripts, `${f}: ${line}`).toContain('test')
      for (const m of line.matchAll(/\bnpx benchgate ([\w-]+)/g)) expect(commands, `${f}: ${line}`).toContain(m[1])
    }
  })

  it('gates pull requests against their merge base measured on the runner: --tags ci, every reporter, the artifact, the comment found by its header, failing on critical', () => {
    const wf = load('performance-regression.yml')
    expect(Object.keys(wf.on)).toEqual(['pull_request', 'workflow_dispatch'])
    const gate = wf.jobs.gate!
    expect(gate.if).toBe('github.event_name == \'pull_request\'')
    expect(gate.permissions).toMatchObject({ 'pull-requests': 'write' })
    const run = gate.steps.find(s => s.id === 'gate')!
    expect(run.run).toContain('npx benchgate compare --against "$(git merge-base HEAD "origin/${{ github.base_ref }}")" --tags ci')
    // the merge base must be in the clone
    expect(gate.steps.find(s => s.uses?.startsWith('actions/checkout@'))!.with).toMatchObject({ 'fetch-depth': 0 })
    expect(run.env!.BENCHGATE_REPORTERS!.split(',').sort()).toEqual(['github', 'html', 'json', 'junit', 'markdown'])
    const install = gate.steps.find(s => s.run?.startsWith('npm ci'))!
    expect(install).toBeDefined()
    expect((wf as unknown as { env: Record<string, string> }).env.ONNXRUNTIME_NODE_INSTALL).toBe('skip')
    const upload = gate.steps.find(s => s.uses?.startsWith('actions/upload-artifact@'))!
    expect(upload.if).toBe('always()')
    expect(upload.with).toMatchObject({ name: 'performance-reports', path: 'benchmark_results/' })
    const comment = gate.steps.find(s => s.uses?.startsWith('actions/github-script@'))!
    expect(comment.with!.script).toContain(`const header = '${MARKDOWN_HEADER}'`)
    expect(comment.with!.script).toContain('benchmark_results/report.md')
    expect(comment.with!.script).toMatch(/updateComment[\s\S]*createComment/)
    const fail = gate.steps.at(-1)!
    expect(fail.if).toBe('steps.gate.outputs.exit_code != \'0\'')
    expect(fail.run).toMatch(/exit 1$/m)
    expect(gate.steps.find(s => s.uses?.startsWith('actions/setup-node@'))!.with).toMatchObject({ 'node-version': 20 })
  })

  it('refreshes baselines on workflow_dispatch with baseline_update and opens a pull request with them', () => {
    const wf = load('performance-regression.yml')
    expect(wf.on.workflow_dispatch).toMatchObject({ inputs: { baseline_update: { type: 'boolean' } } })
    const job = wf.jobs['baseline-update']!
    expect(job.if).toBe('github.event_name == \'workflow_dispatch\' && inputs.baseline_update')
    expect(job.steps.some(s => s.run === 'npm run baseline')).toBe(true)
    const pr = job.steps.find(s => s.uses?.startsWith('peter-evans/create-pull-request@'))!
    expect(pr.with).toMatchObject({ 'add-paths': 'baselines/' })
    expect(job.permissions).toMatchObject({ 'contents': 'write', 'pull-requests': 'write' })
  })

  it('shards: a matrix of the `shards` input, each shard uploading its report, a merge job that always runs, comments and fails', () => {
    const wf = load('sharded-benchmarks.yml')
    expect(Object.keys(wf.on)).toEqual(['pull_request', 'workflow_dispatch'])
    expect(wf.on.workflow_dispatch).toMatchObject({ inputs: { shards: { type: 'number', default: 4 }, baseline_update: { type: 'boolean' } } })
    const env = (wf as unknown as { env: Record<string, string> }).env
    expect(env.SHARDS).toBe('${{ inputs.shards || 4 }}')
    const plan = wf.jobs.plan!.steps[0]!
    expect(plan.run).toContain('seq -s, 1 "$SHARDS"')
    const shard = wf.jobs.shard as Job & { strategy: { 'fail-fast': boolean, 'matrix': { shard: string } }, 'needs': string }
    expect(shard.strategy.matrix.shard).toBe('${{ fromJSON(needs.plan.outputs.shards) }}')
    expect(shard.strategy['fail-fast']).toBe(false)
    const measure = shard.steps.find(s => s.run?.includes('--shard'))!
    expect(measure.run).toContain('npx benchgate test --tags ci --shard "$SHARD"')
    expect(measure.run).toContain('npx benchgate baseline --tags ci --shard "$SHARD"')
    expect(measure.env!.SHARD).toBe('${{ matrix.shard }}/${{ needs.plan.outputs.count }}')
    expect(shard.steps.find(s => s.uses?.startsWith('actions/upload-artifact@'))!.with).toMatchObject({ 'name': 'shard-${{ matrix.shard }}', 'path': 'benchmark_results/shard-*.json', 'if-no-files-found': 'error' })

    const merge = wf.jobs.merge as Job & { needs: string[] }
    expect(merge.needs).toEqual(['plan', 'shard'])
    // a failed shard must not skip the merge: the merge is what refuses the missing shard
    expect(merge.if).toContain('always()')
    expect(merge.steps.find(s => s.uses?.startsWith('actions/download-artifact@'))!.with).toMatchObject({ 'pattern': 'shard-*', 'path': 'shard-reports', 'merge-multiple': true })
    const gate = merge.steps.find(s => s.run?.includes('npx benchgate merge'))!
    expect(gate.run).toContain('npx benchgate merge shard-reports/')
    expect(gate.env!.BENCHGATE_REPORTERS!.split(',').sort()).toEqual(['github', 'html', 'json', 'junit', 'markdown'])
    const comment = merge.steps.find(s => s.uses?.startsWith('actions/github-script@'))!
    expect(comment.with!.script).toContain(`const header = '${MARKDOWN_HEADER}'`)
    expect(comment.with!.script).toContain('benchmark_results/report.md')
    expect(merge.permissions).toMatchObject({ 'pull-requests': 'write' })
    const fail = merge.steps.at(-1)!
    expect(fail.if).toBe('steps.gate.outputs.exit_code != \'0\'')
    expect(fail.run).toMatch(/exit 1$/m)
  })

  it('runs the README\'s test commands, all three tiers, in CI after installing xmllint, chromium, valgrind and its toolchain', () => {
    const lines = shellLines(load('ci.yml'))
    const at = (re: RegExp) => lines.findIndex(l => re.test(l))
    expect(at(/apt-get install .*libxml2-utils/)).toBeGreaterThanOrEqual(0)
    expect(at(/apt-get install .*\bchromium\b/)).toBeGreaterThanOrEqual(0)
    expect(at(/apt-get install .*\bvalgrind\b.*\bpython3\b.*\bmake\b.*\bgcc\b.*\bg\+\+/)).toBeGreaterThanOrEqual(0)
    expect(at(/^npm ci\b/)).toBeGreaterThan(at(/apt-get install/))
    expect(at(/^npm test$/)).toBeGreaterThan(at(/^npm ci\b/))
    expect(at(/^npm run test:instructions$/)).toBeGreaterThan(at(/^npm ci\b/))
    expect(at(/^npm run test:timing$/)).toBeGreaterThan(at(/^npm test$/))
  })

  it('.ci/run runs the README\'s test commands (the default and instruction tiers) and counts both in its closing line', () => {
    const script = readFileSync(join(repoRoot, '.ci/run'), 'utf8').split('\n').map(l => l.replace(/#.*$/, '').trim()).filter(Boolean)
    const at = (re: RegExp) => script.findIndex(l => re.test(l))
    expect(at(/apt-get install .*\blibxml2-utils\b.*\bchromium\b.*\bvalgrind\b.*\bpython3\b.*\bmake\b.*\bgcc\b/)).toBeGreaterThanOrEqual(0)
    expect(at(/^npm test\b/)).toBeGreaterThan(at(/^npm ci\b/))
    expect(at(/^npm run test:instructions\b/)).toBeGreaterThan(at(/^npm ci\b/))
    // the instruction tier runs beside the default tier, and its exit status is waited for
    expect(script.some(l => /^wait\b/.test(l))).toBe(true)
    expect(script[at(/scripts\/test-count\.mjs/)]).toContain('.tmp/test-results.json')
    expect(script[at(/scripts\/test-count\.mjs/)]).toContain('.tmp/test-results-instructions.json')
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts['test:timing']).toBe('vitest run --config vitest.timing.config.ts')
    expect(pkg.scripts['test:instructions']).toBe('vitest run --config vitest.instructions.config.ts')
  })

  it('test-count sums the tiers\' vitest JSON results, and counts a missing file or a file that failed to load as a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchgate-test-count-'))
    try {
      const write = (name: string, report: object) => writeFileSync(join(dir, name), JSON.stringify(report))
      write('a.json', { numPassedTests: 10, numFailedTests: 0, testResults: [] })
      write('b.json', { numPassedTests: 3, numFailedTests: 1, testResults: [{ status: 'failed', assertionResults: [] }] })
      const count = (...files: string[]) => spawnSync(process.execPath, [join(repoRoot, 'scripts/test-count.mjs'), ...files.map(f => join(dir, f))], { encoding: 'utf8' })
      const ok = count('a.json')
      expect([ok.status, ok.stdout.trim()]).toEqual([0, 'tests: 10 passed, 0 failed'])
      const both = count('a.json', 'b.json')
      expect([both.status, both.stdout.trim().split('\n').at(-1)]).toEqual([1, 'tests: 13 passed, 2 failed'])
      const missing = count('a.json', 'none.json')
      expect([missing.status, missing.stdout.trim().split('\n').at(-1)]).toEqual([1, 'tests: 10 passed, 1 failed'])
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

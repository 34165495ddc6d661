import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { addonPath, ensureValgrindAddon, findNodeGyp } from '../../src/measure/addon.ts'
import { baselineFileFor, checkBaselineMeasure, withMeasure } from '../../src/measure/baseline.ts'
import { dumpFiles, parseCallgrindTotals, readCallgrindTotals } from '../../src/measure/callgrind-out.ts'
import { measuringInstructions, resolveMeasureMode } from '../../src/measure/mode.ts'
import { measurementOf, reportMeasure } from '../../src/measure/report.ts'
import { callgrindArgs, findValgrind } from '../../src/measure/valgrind.ts'

// src/measure without Valgrind: choosing the mode, keeping the two modes' baselines apart, reading
// Callgrind's dumps, finding Valgrind and node-gyp (the counting itself: test/instructions/instructions.test.ts).
const dir = mkdtempSync(join(tmpdir(), 'benchgate-measure-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('measure mode', () => {
  it('BENCHGATE_MEASURE over the plugin option, else time; a bad value is one line naming where it came from', () => {
    expect(resolveMeasureMode(undefined, {})).toBe('time')
    expect(resolveMeasureMode('instructions', {})).toBe('instructions')
    expect(resolveMeasureMode('instructions', { BENCHGATE_MEASURE: 'time' })).toBe('time')
    expect(resolveMeasureMode(undefined, { BENCHGATE_MEASURE: '' })).toBe('time')
    expect(() => resolveMeasureMode(undefined, { BENCHGATE_MEASURE: 'cycles' })).toThrow('BENCHGATE_MEASURE: expected \'time\' or \'instructions\' but received "cycles"')
    expect(() => resolveMeasureMode('Instructions', {})).toThrow('benchgate option measure: expected \'time\' or \'instructions\' but received "Instructions"')
    expect(measuringInstructions({ BENCHGATE_MEASURE: 'instructions' })).toBe(true)
    expect(measuringInstructions({})).toBe(false)
  })

  it('each mode has its own baseline file, and a file of the other mode is refused in one line', () => {
    expect(baselineFileFor('b', 'time')).toBe(join('b', 'current_baselines.json'))
    expect(baselineFileFor('b', 'instructions')).toBe(join('b', 'current_baselines.instructions.json'))
    const time = { schemaVersion: 1 as const, entries: {} }
    const counts = withMeasure(time, 'instructions')
    expect(counts.measure).toBe('instructions')
    expect(withMeasure(time, 'time')).toBe(time)
    expect(() => checkBaselineMeasure('x.json', time, 'instructions')).toThrow('x.json: holds time baselines but this run measures instructions (each mode has its own file: current_baselines.json, current_baselines.instructions.json)')
    expect(() => checkBaselineMeasure('y.json', counts, 'time')).toThrow('y.json: holds instructions baselines but this run measures time')
    expect(() => checkBaselineMeasure('z.json', undefined, 'instructions')).not.toThrow()
    expect(() => checkBaselineMeasure('w.json', counts, 'instructions')).not.toThrow()
  })

  it('reports say what was measured (reports from before modes measured time)', () => {
    expect(measurementOf('time')).toEqual({ measure: 'time' })
    const counted = measurementOf('instructions', 'valgrind-3.19.0 callgrind')
    expect(counted.tool).toBe('valgrind-3.19.0 callgrind')
    expect(counted.limits).toMatch(/do not see I\/O waits/)
    expect(reportMeasure({})).toBe('time')
    expect(reportMeasure({ measurement: counted })).toBe('instructions')
  })
})

describe('Callgrind dumps', () => {
  it('the count is the totals line (not the header\'s summary, which can wrap around), read from the end of a dump', () => {
    const text = 'version: 1\nevents: Ir\nsummary: 18446744073709551000\nfn=(1) main\n3 100\n\ntotals: 123456\n'
    expect(parseCallgrindTotals(text)).toBe(123456)
    expect(parseCallgrindTotals('events: Ir\n')).toBeUndefined()
    const file = join(dir, 'callgrind.42.2')
    writeFileSync(file, `${'fn=(9) padding\n'.repeat(1000)}${text}`)
    expect(readCallgrindTotals(file)).toBe(123456)
    writeFileSync(join(dir, 'callgrind.42.10'), 'no totals here\n')
    expect(() => readCallgrindTotals(join(dir, 'callgrind.42.10'))).toThrow(/no "totals:" line in the last \d+ bytes/)
  })

  it('a process\'s dump files, oldest first (numerically), not other processes\' or the final dump', () => {
    for (const name of ['callgrind.7.1', 'callgrind.7.11', 'callgrind.7.2', 'callgrind.77.1', 'callgrind.7', 'callgrind.7.x'])
      writeFileSync(join(dir, name), '')
    expect(dumpFiles(dir, 7).map(f => f.slice(dir.length + 1))).toEqual(['callgrind.7.1', 'callgrind.7.2', 'callgrind.7.11'])
  })

  it('workers run with instrumentation off until a round, every thread collecting, one dump file per process and round', () => {
    expect(callgrindArgs('/out')).toEqual(['--tool=callgrind', '--instr-atstart=no', '--collect-atstart=yes', '--callgrind-out-file=/out/callgrind.%p', '-q'])
  })
})

describe('finding the tools', () => {
  it('a missing or broken valgrind is one line saying how to install it', () => {
    expect(() => findValgrind({ BENCHGATE_VALGRIND: join(dir, 'none') })).toThrow(`--measure instructions counts instructions with Valgrind, but ${join(dir, 'none')} was not found: install it (Debian/Ubuntu: sudo apt-get install valgrind`)
    const broken = join(dir, 'valgrind-broken')
    writeFileSync(broken, '#!/bin/sh\nexit 3\n')
    chmodSync(broken, 0o755)
    expect(() => findValgrind({ BENCHGATE_VALGRIND: broken, PATH: process.env.PATH })).toThrow(`counts instructions with Valgrind, but \`${broken} --version\` failed: install it`)
  })

  it('node-gyp: npm_config_node_gyp first; the addon\'s build is named by its sources\' hash', () => {
    const gyp = join(dir, 'node-gyp.js')
    writeFileSync(gyp, '')
    expect(findNodeGyp(dir, { npm_config_node_gyp: gyp, PATH: '' })).toBe(gyp)
    expect(addonPath('/project')).toMatch(/^\/project\/\.benchgate\/native\/valgrind-[0-9a-f]{12}\/benchgate_valgrind\.node$/)
  })
  it('a failed addon build is one line with node-gyp\'s reason and what the build needs, and leaves no partial build', () => {
    const project = join(dir, 'project')
    mkdirSync(project)
    const gyp = join(dir, 'failing-node-gyp.js')
    writeFileSync(gyp, "process.stderr.write('gyp info it worked if it ends with ok\\ngyp ERR! stack Error: not found: make\\ngyp ERR! not ok\\n'); process.exit(1)\n")
    const lines: string[] = []
    expect(() => ensureValgrindAddon(project, line => lines.push(line), { npm_config_node_gyp: gyp, PATH: process.env.PATH })).toThrow('--measure instructions: building the Valgrind addon with node-gyp failed (Error: not found: make); it needs python3, make, a C and C++ compiler (node-gyp links with g++) and Valgrind\'s headers (Debian/Ubuntu: sudo apt-get install python3 make gcc g++ valgrind;')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^benchgate: building the Valgrind client-request addon/)
    expect(existsSync(addonPath(project))).toBe(false)
    expect(readdirSync(join(project, '.benchgate/native'))).toEqual([])
  })
})

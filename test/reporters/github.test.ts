import { describe, expect, it } from 'vitest'
import { escapeData, escapeProperty, GithubReporter, renderGithub, workflowCommand } from '../../reporters/github.ts'
import { fullReport, okReport, WEIRD_NAME } from './fixture.ts'

const annotations = (text: string) => text.trimEnd().split('\n')

describe('github reporter', () => {
  it('prints an ::error at the bench file and line for each metric that fails the run', () => {
    const lines = annotations(renderGithub(fullReport())).filter(l => l.startsWith('::error'))
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^::error file=bench\/a\.bench\.ts,line=41,col=3,title=benchgate critical%3A group > slow \[time\]::critical: baseline 9\.\d+ ms -> current 12\.\d+ ms, change \+29\.\d %25 \(95 %25 CI \+2\d\.\d %25 to \+3\d\.\d %25\), p < 0\.001: worse by more than 10 %25$/)
    expect(lines[1]).toBe('::error file=bench/b.bench.ts,line=33,col=3,title=benchgate error%3A boom [time]::error: scenario threw: boom: <oops> & "bad"')
    expect(lines[2]).toBe('::error file=bench/b.bench.ts,line=34,col=3,title=benchgate critical%3A cache [hit_rate]::critical: current 0.4 ratio; median 0.4 ratio breaks the bound >= 0.6')
  })

  it('warns about warnings, unstable and stale results and the environment; notes improvements, new and missing benchmarks', () => {
    const lines = annotations(renderGithub(fullReport()))
    const titles = (level: string) => lines.filter(l => l.startsWith(`::${level} `)).map(l => /title=([^:]+)::/.exec(l)![1])
    expect(titles('warning')).toEqual(['benchgate%3A environment', 'benchgate warning%3A warm [time]', 'benchgate stale%3A changed [time]', 'benchgate unstable%3A noisy [time]'])
    expect(titles('notice')).toEqual(['benchgate improved%3A faster [time]', 'benchgate new%3A cache [time]', 'benchgate new%3A fresh [time]', 'benchgate missing%3A gone [time]'])
    // without a location, the annotation still names the file
    expect(lines.find(l => l.includes('missing%3A gone'))).toMatch(/^::notice file=bench\/b\.bench\.ts,title=/)
  })

  it('prints nothing for a clean run', () => {
    expect(renderGithub(okReport())).toBe('')
  })

  it('escapes properties and messages as @actions/core does, one command per line', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext')
    expect(escapeProperty('a,b: c%')).toBe('a%2Cb%3A c%25')
    expect(workflowCommand('warning', 'x', { file: 'a,b.ts', line: 3, col: undefined })).toBe('::warning file=a%2Cb.ts,line=3::x')
    const report = fullReport()
    const weird = report.benchmarks.find(b => b.name === WEIRD_NAME)!
    weird.metrics[0]!.verdict = 'warning'
    weird.metrics[0]!.message = 'line one\nline two'
    const line = annotations(renderGithub(report)).find(l => l.includes('weird'))!
    expect(line).toContain('title=benchgate warning%3A weird <name> & "quotes" | pipe%2C colon%3A 100%25 </script><!-- `tick` *star* _under_ [time]::')
  })

  it('writes to stdout and no file', () => {
    let printed = ''
    const written = new GithubReporter().emit(fullReport(), { root: '/nowhere', outputDir: 'x', stdout: (t) => { printed += t } })
    expect(written).toEqual([])
    expect(printed).toBe(renderGithub(fullReport()))
  })
})

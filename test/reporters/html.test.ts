import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chartJsUmd, escapeHtml, hasPlotData, renderHtml, scriptJson } from '../../reporters/html.ts'
import type { RunReport } from '../../src/report/types.generated.ts'
import { emptyReport, fullReport, okReport, WEIRD_NAME } from './fixture.ts'

// Debian's chromium, driven by playwright-core; override with CHROMIUM_PATH elsewhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

let browser: Browser
let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'benchgate-html-'))
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
})
afterAll(async () => {
  await browser?.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Opened {
  errors: string[]
  requests: string[]
  plots: { id: string, drawn: boolean, width: number, height: number }[]
  text: string
  embedded: RunReport
  title: string
}

/** Opens a rendered report from a file:// URL and reports what the browser saw. */
async function open(report: RunReport, name: string): Promise<Opened> {
  const file = join(dir, name)
  writeFileSync(file, renderHtml(report))
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()) })
  page.on('pageerror', e => errors.push(e.message))
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()) })
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    // A plot counts when its canvas has any non-transparent pixel.
    const plots = await page.$$eval('canvas', canvases => canvases.map((el) => {
      const canvas = el as unknown as { width: number, height: number, id: string, closest: (s: string) => { id: string }, getContext: (k: '2d') => { getImageData: (x: number, y: number, w: number, h: number) => { data: Uint8ClampedArray } } }
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
      let drawn = false
      for (let i = 3; i < data.length; i += 4) if (data[i]) { drawn = true; break }
      return { id: canvas.closest('figure').id, drawn, width: canvas.width, height: canvas.height }
    }))
    return {
      errors,
      requests,
      plots,
      text: await page.locator('body').innerText(),
      embedded: JSON.parse((await page.locator('#benchgate-report').textContent())!) as RunReport,
      title: await page.title(),
    }
  }
  finally {
    await page.close()
  }
}

describe('html reporter in headless Chromium', () => {
  it('renders every verdict without console errors or network requests, with one drawn plot per metric with data', async () => {
    const report = fullReport()
    const seen = await open(report, 'full.html')
    expect(seen.errors).toEqual([])
    expect(seen.requests).toEqual([])
    const expected = report.benchmarks.flatMap((b, i) => b.metrics.map((m, j) => hasPlotData(m) ? `plot-${i}-${j}` : '')).filter(Boolean)
    expect(expected).toHaveLength(12) // 13 metrics; the scenario that threw has nothing to plot
    expect(seen.plots.map(p => p.id).sort()).toEqual(expected.sort())
    for (const plot of seen.plots) {
      expect(plot.drawn, plot.id).toBe(true)
      expect(plot.width).toBeGreaterThan(300)
      expect(plot.height).toBeGreaterThan(100)
    }
    expect(seen.title).toBe('FAIL · Performance Regression Report · benchgate')
  })

  it('shows the summary: verdict, counts, decision, environment warning and options', async () => {
    const seen = await open(fullReport(), 'full.html')
    expect(seen.text).toContain('Fail: 2 critical regressions, 1 scenario error. Merge blocked.')
    expect(seen.text).toContain('Environment: baseline was recorded on a different environment (cpuModel: Other CPU -> Test CPU @ 3.0GHz)')
    expect(seen.text).toContain('11 benchmarks, 13 metrics, 10 passed, 3 failed')
    expect(seen.text).toContain('Block the merge: 2 critical regressions')
    expect(seen.text).toContain('Justification required: 1 warning')
    expect(seen.text).toMatch(/CPU\s+Test CPU @ 3\.0GHz \(4 cores\)/)
    expect(seen.text).toMatch(/Thresholds\s+warning 5 %, critical 10 %/)
    expect(seen.text).toContain('No per-round values to plot.')
  })

  it('keeps a benchmark named with </script> and quotes intact, as text and in the embedded data', async () => {
    const report = fullReport()
    const seen = await open(report, 'full.html')
    expect(seen.embedded).toEqual(JSON.parse(JSON.stringify(report)))
    expect(seen.text).toContain(WEIRD_NAME)
    expect(renderHtml(report)).not.toContain(WEIRD_NAME)
  })

  it('renders a clean run and an empty run too', async () => {
    const ok = await open(okReport(), 'ok.html')
    expect(ok.errors).toEqual([])
    expect(ok.plots).toHaveLength(2)
    expect(ok.plots.every(p => p.drawn)).toBe(true)
    expect(ok.title).toBe('PASS · Performance Regression Report · benchgate')
    const empty = await open(emptyReport(), 'empty.html')
    expect(empty.errors).toEqual([])
    expect(empty.plots).toHaveLength(0)
    expect(empty.text).toContain('No benchmarks ran')
  })
})

describe('html reporter output', () => {
  it('is one self-contained file: Chart.js inlined, no external scripts, styles or links, a CSP that forbids fetching', () => {
    const html = renderHtml(okReport())
    expect(html).toContain(chartJsUmd())
    expect(chartJsUmd()).toMatch(/^\/\*!\n \* Chart\.js v4\./)
    expect(chartJsUmd()).not.toMatch(/sourceMappingURL/)
    const ours = html.replace(chartJsUmd(), '')
    expect(ours).not.toMatch(/<script[^>]+src=|<link|<img|@import|url\(|https?:/i)
    expect(html).toContain('content="default-src \'none\'; script-src \'unsafe-inline\'; style-src \'unsafe-inline\'; img-src data:"')
    expect(html.match(/<\/script>/g)).toHaveLength(3)
  })

  it('escapes embedded JSON and text', () => {
    expect(scriptJson({ name: '</script><!-- x' })).toBe('{"name":"\\u003c/script>\\u003c!-- x"}')
    expect(JSON.parse(scriptJson({ name: '</script>\u2028' }))).toEqual({ name: '</script>\u2028' })
    expect(escapeHtml('<a href="x">\'&')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;')
  })
})

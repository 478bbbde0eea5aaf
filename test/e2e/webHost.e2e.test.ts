/**
 * End to end in a real browser: `riskdesk serve` on a temporary database holding the demo, opened in
 * Debian's Chromium (playwright-core, executablePath). Checks the grids show the demo positions, the
 * Plotly surface rendered (coloured pixels in its WebGL canvas), the API refuses calls without the token or
 * from another Host, and saves a screenshot to test-output/web-host.png.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, riskdeskCli, startServe } from '../support/browser'
import { REPO, tempDir, testOutputDir } from '../support/paths'
const DEMO_INSTRUMENTS = readFileSync(join(REPO, 'resources', 'demo', 'demo-portfolio.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',')[2]!)

let server: ChildProcess
let url: string
let browser: Browser

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await riskdeskCli(db, 'demo')
  ;({ server, url } = await startServe(db))
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('web host in Chromium', () => {
  it('serves on 127.0.0.1 with a token in the URL fragment', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
  })

  it('refuses API calls without the token, with a wrong token, or for another Host', async () => {
    const origin = new URL(url).origin
    const token = new URL(url).hash.slice('#token='.length)
    const call = (headers: Record<string, string>) =>
      fetch(`${origin}/api/listPortfolios`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' })
    expect((await call({})).status).toBe(401)
    expect((await call({ Authorization: 'Bearer nope' })).status).toBe(401)
    const ok = await call({ Authorization: `Bearer ${token}` })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { result: Array<{ name: string }> }).result[0]!.name).toBe('demo')
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    const rebinding = await new Promise<number>((resolve, reject) =>
      request(`${origin}/`, { headers: { Host: 'evil.example' } }, (res) => resolve(res.statusCode!)).on('error', reject).end(),
    )
    expect(rebinding).toBe(421)
    const bad = await call({ Authorization: `Bearer ${token}` }).then(() =>
      fetch(`${origin}/api/runStress`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{"spot":{"from":1,"to":0,"step":1}}' }),
    )
    expect(bad.status).toBe(400)
  })

  it('shows the demo positions, the stress grid and a rendered surface', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.goto(url)
    const positions = page.getByTestId('positions-grid')
    await positions.getByText('BTC-25DEC20-10000-C').waitFor({ timeout: 30_000 })
    // First render of the Overview, from the page's navigation start (reported, not asserted: speed is measured
    // here, never asserted; issue "Architecture" asks under 2 s on an idle machine).
    const gridMs = await page.evaluate(() => performance.now())
    for (const name of DEMO_INSTRUMENTS) await expect(positions.getByText(name, { exact: true }).count()).resolves.toBe(1)
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token')

    const stress = page.getByTestId('stress-grid')
    await stress.getByText('+50%', { exact: true }).waitFor()
    const rowIndices = await stress.locator('[role=row][row-index]').evaluateAll((rows) => new Set(rows.map((r) => r.getAttribute('row-index'))).size)
    expect(rowIndices).toBe(21)

    const surface = page.getByTestId('stress-surface')
    await surface.locator('canvas').first().waitFor()
    const surfaceMs = await page.evaluate(() => performance.now())
    console.log(
      `first Overview render in Chromium: positions grid after ${gridMs.toFixed(0)} ms, stress surface after ${surfaceMs.toFixed(0)} ms ` +
        `from navigation start (load average ${loadavg()[0]!.toFixed(2)})`,
    )
    await page.waitForTimeout(1000)
    const png = PNG.sync.read(await surface.screenshot())
    let coloured = 0
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++ // not white, grey or black: the surface's colours
    }
    expect(coloured / (png.width * png.height)).toBeGreaterThan(0.05)

    writeFileSync(join(testOutputDir(), 'web-host.png'), await page.screenshot({ fullPage: true }))
    expect(errors).toEqual([])
    await page.close()
  })
})

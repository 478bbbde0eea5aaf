/**
 * End to end in a real browser: `riskdesk serve` on a temporary database holding the demo, opened in
 * Debian's Chromium (playwright-core, executablePath). Checks the grids show the demo positions, the
 * Plotly surface rendered (coloured pixels in its WebGL canvas), the API refuses calls without the token or
 * from another Host (and the stress-progress event stream without its job's ticket), and saves a screenshot
 * to test-output/web-host.png.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, startServe } from '../support/browser'
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
  await demoDatabase(db)
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
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

  it("streams a stress job's progress (server-sent events) only with that job's ticket, and only for this Host", async () => {
    const origin = new URL(url).origin
    const token = new URL(url).hash.slice('#token='.length)
    const start = async () => {
      const r = await fetch(`${origin}/api/startStress`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' })
      return ((await r.json()) as { result: { jobId: string; ticket: string } }).result
    }
    const a = await start()
    const b = await start()
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/) // 256 random bits, base64url
    const events = (query: string, headers: Record<string, string> = {}) => fetch(`${origin}/api/events/stressJob?${query}`, { headers })
    // No ticket, a wrong one, another job's, or the main token in the query: refused before anything else.
    expect((await events(`jobId=${a.jobId}`)).status).toBe(401)
    expect((await events(`jobId=${a.jobId}&ticket=nope`)).status).toBe(401)
    expect((await events(`jobId=${a.jobId}&ticket=${b.ticket}`)).status).toBe(401)
    expect((await events(`jobId=${a.jobId}&token=${token}`)).status).toBe(401)
    expect((await fetch(`${origin}/api/events/nothing?jobId=${a.jobId}`)).status).toBe(401)
    // DNS rebinding: the right ticket from a page whose Host is not this origin.
    const rebinding = await new Promise<number>((resolve, reject) =>
      request(`${origin}/api/events/stressJob?jobId=${a.jobId}&ticket=${a.ticket}`, { headers: { Host: 'evil.example' } }, (res) => {
        resolve(res.statusCode!)
        res.destroy()
      })
        .on('error', reject)
        .end(),
    )
    expect(rebinding).toBe(421)
    // The right ticket: the job's events, the last one terminal. The default grid is 21 spot shocks (−50 % to
    // +50 % by 5) × 9 vol shocks (−30 to +50 points by 10) = 189 scenarios.
    const ok = await events(`jobId=${a.jobId}&ticket=${a.ticket}`)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'")
    const stream = (await ok.text()).split('\n\n').filter(Boolean)
    expect(stream.every((block) => block.startsWith('data: '))).toBe(true)
    expect(JSON.parse(stream.at(-1)!.slice('data: '.length))).toEqual({ jobId: a.jobId, status: 'done', done: 189, total: 189, error: null })
    // A ticket opens its own job's stream only; an unknown stream name is not found once admitted.
    const other = await fetch(`${origin}/api/events/nothing?jobId=${b.jobId}&ticket=${b.ticket}`)
    expect(other.status).toBe(404)
  })

  it('shows the demo positions, the stress grid and a rendered surface', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    // First render of the Overview: when the positions grid first holds a demo instrument, from the page's
    // navigation start, noted in the page as the DOM changes (polling from here would wait for a busy main
    // thread). Reported, not asserted: speed is never asserted in tests (issue "Architecture" asks under 2 s
    // on an idle machine).
    await page.addInitScript(`
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid=positions-grid]')?.textContent?.includes('BTC-25DEC20-10000-C')) {
          window.firstGridMs = performance.now()
          observer.disconnect()
        }
      }).observe(document, { childList: true, subtree: true, characterData: true })
    `)
    await page.goto(url)
    const positions = page.getByTestId('positions-grid')
    await positions.getByText('BTC-25DEC20-10000-C').waitFor({ timeout: 30_000 })
    const gridMs = await page.evaluate<number>('window.firstGridMs')
    console.log(`first Overview render in Chromium: positions grid after ${gridMs.toFixed(0)} ms from navigation start (load average ${loadavg()[0]!.toFixed(2)})`)
    for (const name of DEMO_INSTRUMENTS) await expect(positions.getByText(name, { exact: true }).count()).resolves.toBe(1)
    // The whole book: the two accounts' BTC collateral are lines of the grid and count in the Greeks, beside the
    // derivatives alone (45 + 4 BTC: resources/demo/demo-balances.csv).
    await expect(positions.getByText('BTC balance', { exact: true }).count()).resolves.toBe(2)
    await expect(page.getByTestId('delta-total-BTC').textContent()).resolves.toMatch(/^49\.70\d BTC/)
    await expect(page.getByTestId('delta-derivatives-BTC').textContent()).resolves.toMatch(/^0\.70\d BTC/)
    await expect(page.getByTestId('book-value').textContent()).resolves.toMatch(/Book value 466,1\d\d USD/)
    await expect(page.getByTestId('market-line').textContent()).resolves.toMatch(/Valued at 2020-05-14T05:44:06\.537Z .*market as of the book's last import.*BTC index 9,347\.68 USD/)
    await expect(page.getByTestId('overview-stress-summary').textContent()).resolves.toMatch(/worst of the whole book -296,\d{3} USD at spot -50%, vol 0; of the derivatives only -176,\d{3} USD at spot \+50%, vol -30/)
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token')

    const stress = page.getByTestId('stress-grid')
    await stress.getByText('+50%', { exact: true }).waitFor()
    const rowIndices = await stress.locator('[role=row][row-index]').evaluateAll((rows) => new Set(rows.map((r) => r.getAttribute('row-index'))).size)
    expect(rowIndices).toBe(21)

    const surface = page.getByTestId('stress-surface')
    // Drawn: Plotly has finished the draw (PlotlyChart's data-chart-state); then two frames put it on screen.
    await page.locator('[data-testid="stress-surface"][data-chart-state="drawn"]').waitFor()
    await surface.locator('canvas').first().waitFor()
    const surfaceMs = await page.evaluate(() => performance.now())
    console.log(`first Overview render in Chromium: stress surface drawn by ${surfaceMs.toFixed(0)} ms from navigation start`)
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    const png = PNG.sync.read(await surface.screenshot())
    let coloured = 0
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!]
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++ // not white, grey or black: the surface's colours
    }
    expect(coloured / (png.width * png.height)).toBeGreaterThan(0.05)

    writeFileSync(join(testOutputDir(), 'web-host.png'), await page.screenshot({ fullPage: true }))

    // The valuation-time picker lists the stored snapshots; "latest stored" revalues every panel.
    const picker = page.getByTestId('asof-picker')
    await expect(picker.locator('option').allTextContents()).resolves.toEqual([
      "as of the book's last import",
      'latest stored',
      expect.stringMatching(/^2020-05-14 05:44 UTC · deribit deribit-option-chain \(deribit_btc_option_chain_2020-05-14\.csv\)$/),
    ])
    await picker.selectOption('latest')
    await expect.poll(() => page.getByTestId('market-line').first().textContent(), { timeout: 30_000 }).toMatch(/latest stored market/)
    expect(errors).toEqual([])
    await page.close()
  })
})

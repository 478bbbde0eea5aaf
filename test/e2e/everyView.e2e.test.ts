/**
 * Every view of the app, opened in Debian's Chromium against `riskdesk serve` on the demo book, in the light
 * and the dark theme: the test fails on any console error or uncaught page error (the Plotly
 * "_redrawFromAutoMarginCount" error of leaving the Margin view while its charts draw among them), and saves
 * a 1600 × 1000 screenshot of each view in each theme under test-output/views/<view>-<theme>.png.
 * Views are read from the tab bar, so a view added later is covered without touching this file.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
/** expect.poll with room for a loaded machine (software WebGL, other builds beside). */
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 250 })
let url: string
let browser: Browser
let page: Page
/** Console errors and uncaught exceptions, with where they came from. */
const problems: string[] = []
let inFlight = 0
let outDir: string

/**
 * Waits until the shown view has been still for `quietMs`: no API request in flight, nothing it marks busy, and
 * every chart in it drawn (PlotlyChart's `data-chart-state`, "drawn" once Plotly has finished its last draw or
 * refit; "hidden" for the moment between a view's showing and its charts' drawing what changed while it was
 * hidden). The quiet spell catches a request that starts only after another's answer.
 */
async function settle(quietMs = 400, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs
  let quietSince = Date.now()
  while (Date.now() < end) {
    const busy = inFlight > 0 || (await shownView(page).locator('.busy, [data-testid="stress-progress"], [data-chart-state]:not([data-chart-state="drawn"])').count()) > 0
    if (busy) quietSince = Date.now()
    else if (Date.now() - quietSince >= quietMs) return
    await page.waitForTimeout(100)
  }
  throw new Error('the view did not settle')
}

/** Two animation frames: what Plotly drew (the WebGL surface renders on the next frame) is on screen. */
const nextFrames = () => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  // The What-if view with something to show: a what-if with one leg (Greeks, margin cards, profile chart).
  await riskdeskCli(db, 'whatif', 'new', 'paper')
  await riskdeskCli(db, 'whatif', 'add', 'paper', '--instrument', 'BTC-26JUN20-9000-C', '--quantity', '5', '--account', 'options')
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  // Generous: Chromium draws WebGL in software here, on a machine shared with other builds.
  page.setDefaultTimeout(120_000)
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location().url}:${m.location().lineNumber})`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    if (r.url().includes('/api/') && !r.url().includes('/api/events/')) inFlight++
  })
  const done = (r: { url(): string }) => {
    if (r.url().includes('/api/') && !r.url().includes('/api/events/')) inFlight--
  }
  page.on('requestfinished', done)
  page.on('requestfailed', done)
  outDir = join(testOutputDir(), 'views')
  mkdirSync(outDir, { recursive: true })
  await page.goto(url)
  await page.getByRole('tab').first().waitFor()
  // The first view draws a stress surface (WebGL in software): let it finish before driving the page.
  await settle()
}, 600_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('every view', () => {
  it('opens each view in the light and the dark theme with no console or page error', { timeout: 600_000 }, async () => {
    const tabs = await page.getByRole('tab').allTextContents()
    expect(tabs.length).toBeGreaterThanOrEqual(4)
    for (const theme of ['light', 'dark'] as const) {
      await page.getByTestId('theme-picker').selectOption(theme)
      await poll(() => page.evaluate<string>('document.documentElement.dataset.theme')).toBe(theme)
      // A chart in a view in the background is not redrawn there in the new theme: it waits to be shown
      // (PlotlyChart; drawn hidden, it would be drawn twice). The Overview's surface, hidden behind the last tab:
      if (theme === 'dark') await expect(page.locator('#view-overview [data-testid="stress-surface"]').getAttribute('data-chart-state')).resolves.toBe('hidden')
      for (const title of tabs) {
        await page.getByRole('tab', { name: title, exact: true }).click({ timeout: 120_000 })
        // Charts draw after their data: settle waits for them too (SwiftShader WebGL for the surface).
        await settle()
        await nextFrames()
        const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
        writeFileSync(join(outDir, `${slug}-${theme}.png`), await page.screenshot())
        expect(problems, `after opening ${title} (${theme})`).toEqual([])
      }
    }
  })

  it('leaves the Margin view while its charts draw without an error', { timeout: 300_000 }, async () => {
    await page.getByRole('button', { name: 'Reload data' }).click()
    for (let i = 0; i < 3; i++) {
      await page.getByRole('tab', { name: 'Margin', exact: true }).click()
      await page.waitForTimeout(50 + 100 * i)
      await page.getByRole('tab', { name: 'Overview', exact: true }).click()
      await page.getByRole('button', { name: 'Reload data' }).click()
    }
    await page.getByRole('tab', { name: 'Margin', exact: true }).click()
    await settle()
    await page.getByRole('tab', { name: 'Stress', exact: true }).click()
    await settle()
    expect(problems).toEqual([])
  })
})

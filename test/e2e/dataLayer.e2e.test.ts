/**
 * The renderer's data layer in Debian's Chromium against `riskdesk serve` on the demo database: views stay
 * mounted across tab switches (no refetch, no lost state), a stress run's progress is pushed as server-sent
 * events (no getStressJob polling while it runs), leaving the Margin view logs no error, and an import
 * invalidates the Overview (its positions count changes without a reload).
 *
 * API calls are counted in the page (page.on('request') on /api/…); the expected counts are by hand: one
 * getPositions per (portfolio, valuation time) shown, one more after an import.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let extraFile: string
let cliFile: string
let db: string
/** API calls the page made, in order: the path after /api/ (`getPositions`, `events/stressJob`…). */
const calls: string[] = []
const errors: string[] = []
const count = (name: string) => calls.filter((c) => c === name).length

/** Distinct body rows (numeric row-index) of the positions grid: ag-grid renders the pinned and scrolled parts
 * of a row separately, and the pinned totals per underlying have row indices of their own (`b-0`). */
const rowCount = (page: Page) =>
  shownView(page)
    .getByTestId('positions-grid')
    .locator('[role=row][row-index]')
    .evaluateAll((rows) => new Set(rows.map((r) => r.getAttribute('row-index')).filter((i) => /^\d+$/.test(i ?? ''))).size)

beforeAll(async () => {
  const dir = tempDir()
  db = join(dir, 'riskdesk.db')
  await demoDatabase(db)
  // Two positions in an account the demo does not have, imported into the demo portfolio from the Import view.
  extraFile = join(dir, 'extra-account.csv')
  writeFileSync(extraFile, ['venue,account,instrument,quantity,entry_price', 'deribit,e2e-extra,BTC-PERPETUAL,1000,9000', 'deribit,e2e-extra,BTC-25DEC20-10000-C,2,0.05'].join('\n'))
  // One more, imported by the CLI while the page is open.
  cliFile = join(dir, 'cli-account.csv')
  writeFileSync(cliFile, ['venue,account,instrument,quantity,entry_price', 'deribit,e2e-cli,BTC-PERPETUAL,500,9100'].join('\n'))
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname
    if (path.startsWith('/api/')) calls.push(path.slice('/api/'.length))
  })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('renderer data layer', () => {
  it('keeps the Overview mounted: Overview → Stress → Overview refetches nothing and keeps its state', async () => {
    const view = shownView(page)
    await view.getByTestId('positions-grid').getByText('BTC-25DEC20-10000-C').waitFor({ timeout: 30_000 })
    await view.getByTestId('overview-stress-summary').waitFor({ timeout: 30_000 })
    // 16 positions (resources/demo/demo-portfolio.csv) and the two accounts' BTC balances (demo-balances.csv).
    await expect(rowCount(page)).resolves.toBe(18)
    expect([count('listPortfolios'), count('getPositions'), count('runStress'), count('listMarketSnapshots')]).toEqual([1, 1, 1, 1])
    // State the Overview holds: the stress grid's scope.
    await view.getByTestId('scope-toggle').getByRole('button', { name: 'Derivatives only' }).click()

    await page.getByRole('tab', { name: 'Stress' }).click()
    await view.getByTestId('stress-summary').getByText(/× 189 scenarios/).waitFor({ timeout: 30_000 })
    await page.getByRole('tab', { name: 'Overview' }).click()
    // Shown at once, as it was left: the grid, and the scope the user chose.
    await view.getByTestId('positions-grid').getByText('BTC-25DEC20-10000-C').waitFor({ timeout: 1_000 })
    await expect(view.getByTestId('scope-toggle').getByRole('button', { name: 'Derivatives only' }).getAttribute('aria-pressed')).resolves.toBe('true')
    await page.waitForTimeout(500)
    expect([count('listPortfolios'), count('getPositions'), count('runStress'), count('listMarketSnapshots')]).toEqual([1, 1, 1, 1])

    // And back: the Stress view's result is still there, no second run.
    await page.getByRole('tab', { name: 'Stress' }).click()
    await view.getByTestId('stress-summary').getByText(/× 189 scenarios/).waitFor({ timeout: 1_000 })
    expect(count('startStress')).toBe(1)
    expect(count('listScenarioSets')).toBe(1) // fetched once, shared by the Stress view and its scenario editor
    expect(errors).toEqual([])
  })

  it("pushes a stress run's progress as server-sent events: no getStressJob polling while it runs", async () => {
    const view = shownView(page)
    // 201 spot shocks (−50 % to +50 % by 0.5) × 99 vol shocks (−50 to +48 points by 1) = 19,899 scenarios.
    await view.locator('label', { hasText: 'Spot %' }).locator('input').fill('-50:50:0.5')
    await view.locator('label', { hasText: 'Vol pts' }).locator('input').fill('-50:48:1')
    calls.length = 0
    // The messages the page's EventSource receives, as Chromium's network layer reports them (DevTools
    // protocol): the page closes its EventSource on the last one, after which the response body is gone.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    const events: Array<{ status: string; done: number; total: number }> = []
    cdp.on('Network.eventSourceMessageReceived', (m) => events.push(JSON.parse(m.data) as (typeof events)[number]))
    const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/events/stressJob')
    await view.getByTestId('stress-run').click()
    await view.getByTestId('stress-summary').getByText(/× 19,899 scenarios/).waitFor({ timeout: 60_000 })
    // One start, one event stream, one read of the finished job's result after its last event.
    expect(calls.filter((c) => /stress/i.test(c))).toEqual(['startStress', 'events/stressJob', 'getStressJob'])
    const response: Response = await stream
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^text\/event-stream/)
    await cdp.detach()
    const last = events.at(-1)!
    expect(last).toMatchObject({ status: 'done', done: 19_899, total: 19_899 })
    const running = events.filter((e) => e.status === 'running')
    // One event after each finished range of scenarios: the pool splits a run into min(scenarios, 8 × workers)
    // ranges (stressPool.ts), e.g. 16 on 2 workers; never going back.
    const workers = Number(/on (\d+) workers/.exec((await view.getByTestId('stress-summary').textContent())!)![1])
    expect(running.filter((e) => e.done > 0)).toHaveLength(Math.min(19_899, 8 * workers))
    for (let i = 1; i < running.length; i++) expect(running[i]!.done).toBeGreaterThanOrEqual(running[i - 1]!.done)
    expect(errors).toEqual([])
  })

  it('falls back to polling getStressJob when the event stream cannot be opened', async () => {
    const view = shownView(page)
    await page.route('**/api/events/**', (route) => route.abort())
    const errorsBefore = errors.length
    await view.locator('label', { hasText: 'Spot %' }).locator('input').fill('-50:50:5')
    await view.locator('label', { hasText: 'Vol pts' }).locator('input').fill('-30:50:10')
    calls.length = 0
    await view.getByTestId('stress-run').click()
    await view.getByTestId('stress-summary').getByText(/× 189 scenarios/).waitFor({ timeout: 30_000 })
    expect(count('startStress')).toBe(1)
    expect(count('events/stressJob')).toBe(1)
    expect(count('getStressJob')).toBeGreaterThanOrEqual(1)
    await page.unroute('**/api/events/**')
    // The refused stream is the browser's one message (a failed resource), nothing of the app's.
    expect(errors.splice(errorsBefore).every((e) => /Failed to load resource/.test(e))).toBe(true)
  })

  it('leaves the Margin view while its charts draw without a console error, and comes back without refetching', async () => {
    await page.getByRole('tab', { name: 'Margin' }).click()
    const view = shownView(page)
    // Left as soon as the ladder's element is there, while Plotly draws it: before the views stayed mounted
    // and the charts shared one setup/teardown, this logged "Cannot read properties of undefined (reading
    // '_redrawFromAutoMarginCount')" (a purge in the middle of a draw).
    await view.getByTestId('margin-ladder-BTC').waitFor({ timeout: 30_000 })
    await page.getByRole('tab', { name: 'Overview' }).click()
    // Back once the draws left running in the hidden view have finished (PlotlyChart's data-chart-state).
    await expect.poll(() => page.locator('#view-margin [data-chart-state="drawing"]').count(), { timeout: 30_000 }).toBe(0)
    await page.getByRole('tab', { name: 'Margin' }).click()
    await view.getByTestId('margin-ladder-BTC').locator('.scatterlayer .trace').first().waitFor({ timeout: 30_000 })
    await view.getByTestId('cascade-chart').locator('.scatterlayer .trace').first().waitFor({ timeout: 30_000 })
    expect([count('getMargin'), count('getMarginStress'), count('runCascade')]).toEqual([1, 1, 1])
    writeFileSync(join(testOutputDir(), 'data-layer-margin-again.png'), await page.screenshot({ fullPage: true }))
    expect(errors).toEqual([])
  })

  it('an import invalidates the Overview: its positions count changes without a reload', async () => {
    const before = count('getPositions')
    await page.getByRole('tab', { name: 'Import' }).click()
    const view = shownView(page)
    await view.getByTestId('setting-portfolio').fill('demo')
    await view.getByTestId('file-input').setInputFiles(extraFile)
    const card = view.getByTestId('import-file').filter({ hasText: 'extra-account.csv' })
    await card.getByTestId('import-status').getByText('ready to import').waitFor({ timeout: 30_000 })
    await card.getByTestId('import-confirm').click()
    await card.getByTestId('import-status').getByText(/^imported \(#\d+\)$/).waitFor()
    // The header's portfolio list follows at once: 16 + 2 positions.
    await page.getByTestId('portfolio-picker').locator('option', { hasText: 'demo (18 positions)' }).waitFor({ state: 'attached', timeout: 10_000 })
    await page.getByRole('tab', { name: 'Overview' }).click()
    // 18 positions and the 2 balances.
    await expect.poll(() => rowCount(page), { timeout: 30_000 }).toBe(20)
    await shownView(page).getByTestId('positions-grid').getByText('e2e-extra').first().waitFor()
    expect(count('getPositions')).toBe(before + 1)
    writeFileSync(join(testOutputDir(), 'data-layer-overview-after-import.png'), await page.screenshot({ fullPage: true }))
    expect(errors).toEqual([])
  })

  it('reads the database again on "Reload data" after the CLI wrote to it', async () => {
    const before = count('getPositions')
    await riskdeskCli(db, 'import', cliFile, '--portfolio', 'demo')
    // Kept answers are not re-read on their own: the Overview still shows 20 lines.
    await page.waitForTimeout(500)
    await expect(rowCount(page)).resolves.toBe(20)
    await page.getByTestId('reload-data').click()
    // 16 + 2 + 1 positions and the 2 balances.
    await expect.poll(() => rowCount(page), { timeout: 30_000 }).toBe(21)
    await page.getByTestId('portfolio-picker').locator('option', { hasText: 'demo (19 positions)' }).waitFor({ state: 'attached' })
    expect(count('getPositions')).toBe(before + 1)
    expect(errors).toEqual([])
  })
})

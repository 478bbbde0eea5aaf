/**
 * The VaR view in Debian's Chromium against `riskdesk serve`: the demo book with the real BTC daily file
 * (../shared/data/real/market/) — VaR and ES as the CLI gives them, the four methods, the contributions grid,
 * the backtest with its zone — and a long Monte Carlo run showing progress and cancelled from the UI.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VarResult } from '../../src/shared/varApi'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe, openAppOn } from '../support/browser'
import { BTC_DAILY } from '../support/dailyCloses'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let cli: VarResult

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  await riskdeskCli(db, 'import', BTC_DAILY, '--underlying', 'BTC')
  cli = JSON.parse(await riskdeskCli(db, 'var', '--json')) as VarResult
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1300 } })
  await openAppOn(page, url, { id: 'var', tab: 'VaR' }, 'demo (16 positions)')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

const usd = (x: number) => Math.round(x).toLocaleString('en-US')

describe('VaR view', () => {
  it('shows the CLI’s VaR and ES, four methods, contributions and the backtest', async () => {
    const view = shownView(page)
    const summary = view.getByTestId('var-summary')
    await summary.getByText('Expected Shortfall').waitFor({ timeout: 60_000 })
    // The same figures as `riskdesk var --json` (historical, 99 %, 1 day, 365 returns).
    await expect(summary.textContent()).resolves.toContain(`${usd(cli.var)} USD`)
    await expect(summary.textContent()).resolves.toContain(`${usd(cli.es)} USD`)
    await expect(summary.textContent()).resolves.toMatch(/2019-05-15 … 2020-05-13 \(365 returns\).*BTC vol \(proxy\)/)
    const methods = view.getByTestId('var-methods')
    await expect.poll(() => methods.locator('tbody tr td:nth-child(2)').allTextContents(), { timeout: 60_000 }).toSatisfy((cells: string[]) => cells.length === 4 && cells.every((c) => /^\d[\d,]*$/.test(c)))
    await expect(methods.locator('tbody tr').first().textContent()).resolves.toContain(usd(cli.var))
    const grid = view.getByTestId('var-contributions')
    // Polled: ag-grid adds rows over a few animation frames on a busy machine.
    await expect.poll(() => grid.locator('[role=row][row-index]').evaluateAll((r) => new Set(r.map((x) => x.getAttribute('row-index'))).size), { timeout: 30_000 }).toBe(18)
    await view.getByTestId('backtest-summary').waitFor({ timeout: 60_000 })
    await expect(view.getByTestId('backtest-summary').textContent()).resolves.toMatch(/exceptions in 730 days .* (green|yellow|red) zone/)
    await view.getByTestId('var-histogram').locator('.main-svg').first().waitFor()
    await view.getByTestId('backtest-chart').locator('.main-svg').first().waitFor()
    writeFileSync(join(testOutputDir(), 'var-view.png'), await page.screenshot({ fullPage: true }))
  }, 180_000)

  it('shows Monte Carlo progress and cancels it', async () => {
    const view = shownView(page)
    await view.getByTestId('var-method').selectOption('montecarlo')
    await view.getByTestId('var-paths').fill('1000000')
    await view.getByTestId('var-run').click()
    await view.getByTestId('var-progress').waitFor()
    writeFileSync(join(testOutputDir(), 'var-montecarlo-progress.png'), await page.screenshot())
    await view.getByTestId('var-cancel').click()
    await expect(view.getByTestId('var-error').textContent({ timeout: 60_000 })).resolves.toBe('cancelled')
    // The earlier result stays on show.
    await expect(view.getByTestId('var-summary').textContent()).resolves.toContain(`${usd(cli.var)} USD`)
  }, 180_000)
})

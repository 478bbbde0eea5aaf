/**
 * The Margin view in Debian's Chromium against `riskdesk serve` on the demo database: account cards with
 * the margin-ratio gauge, the liquidation price ladder, the scenario × account table of a chosen set, and the
 * cascade chart. The figures shown must be the API's (`riskdesk margin --json`, `cascade --json`, read
 * through the CLI here), which the integration tests check against hand computations and Binance's example.
 * Saves test-output/margin-view.png and margin-venue-figures.png (a Deribit get_positions dump: the venue's own
 * figures beside Riskdesk's).
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MarginReport } from '../../src/shared/marginApi'
import { demoDatabase, e2eBrowser, riskdeskCli, startServe, openAppOn } from '../support/browser'
import { DERIBIT_POSITIONS, tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let report: MarginReport
let db: string

beforeAll(async () => {
  db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  report = JSON.parse(await riskdeskCli(db, 'margin', '--json')) as MarginReport
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await openAppOn(page, url, { id: 'margin', tab: 'Margin' })
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('Margin view', () => {
  it('shows a card per account with equity, IM, MM, available and the margin-ratio gauge', async () => {
    const cards = page.getByTestId('margin-cards')
    await cards.waitFor({ timeout: 120_000 })
    for (const a of report.accounts) {
      const card = page.getByTestId(`margin-card-${a.key}`)
      await expect(card.getByTestId('margin-equity').textContent()).resolves.toContain(`${Number(a.equity).toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })} BTC`)
      await expect(card.getByTestId('margin-ratio').textContent()).resolves.toContain(`${(a.marginRatio! * 100).toFixed(1)} %`)
      await expect(card.textContent()).resolves.toMatch(/Maintenance margin.*Available/)
    }
    await expect(page.getByTestId('margin-summary').textContent()).resolves.toMatch(/venue tables as of 2020-05-14 \(valuation date\)/)
  })

  it('draws the liquidation ladder with every account’s liquidation price', async () => {
    const ladder = page.getByTestId('margin-ladder-BTC')
    await ladder.locator('.scatterlayer .trace').first().waitFor()
    const texts = await ladder.locator('.scatterlayer text').allTextContents()
    for (const a of report.accounts) {
      const below = a.liquidation[0]!.below!.indexPrice
      expect(texts).toContain(Math.round(below).toLocaleString('en-US'))
    }
  })

  it('colours the scenario × account table by margin ratio and switches sets', async () => {
    const table = page.getByTestId('margin-stress-table')
    await table.getByText('2020-03-12 Black Thursday').waitFor()
    // The hedge account is bankrupt in Black Thursday: ∞ ratio, liquidated, with a shortfall.
    await expect(table.locator('[row-index="1"] [col-id="a0"]').textContent()).resolves.toMatch(/∞ LIQ · short/)
    await expect(table.locator('[row-index="0"] [col-id="a1"]').textContent()).resolves.toBe(`${(report.accounts[1]!.marginRatio! * 100).toFixed(1)} %`)
    await page.getByTestId('margin-stress-set').selectOption('span16')
    await page.getByTestId('margin-stress-run').click()
    await table.getByText('13: price −3/3, vol up').waitFor()
  })

  it('runs a cascade and charts exogenous vs liquidation-driven prices', async () => {
    const chart = page.getByTestId('cascade-chart')
    await chart.locator('.scatterlayer .trace').first().waitFor()
    await expect(page.getByTestId('cascade-summary').textContent()).resolves.toMatch(/market on \(14 buckets\)/)
    await page.getByTestId('cascade-path').fill('historical:2020-03-12:10')
    await page.getByTestId('cascade-run').click()
    await page.getByTestId('cascade-summary').getByText(/Black Thursday/).waitFor()
    await expect(page.getByTestId('cascade-outcomes').textContent()).resolves.toMatch(/deribit\/hedge\/BTCyes/)
    writeFileSync(join(testOutputDir(), 'margin-view.png'), await page.screenshot({ fullPage: true }))
  })

  it('edits an account’s settings: portfolio margin by rule, saved, and the card recomputed under it', async () => {
    const editor = page.getByTestId('margin-settings')
    await editor.locator('summary').click()
    await editor.getByTestId('margin-settings-account').selectOption('deribit/options/BTC')
    await editor.getByTestId('margin-settings-rule').selectOption('deribit-portfolio')
    await editor.getByTestId('margin-settings-save').click()
    await editor.getByText('saved deribit/options/BTC').waitFor()
    const card = page.getByTestId('margin-card-deribit/options/BTC')
    await card.getByText(/portfolio margin.*\(set\)/i).waitFor()
    // The same as the CLI reads from the database now.
    const after = JSON.parse(await riskdeskCli(db, 'margin', '--json')) as MarginReport
    const a = after.accounts.find((x) => x.key === 'deribit/options/BTC')!
    expect(a.rule).toMatchObject({ id: 'deribit-portfolio', source: 'settings' })
    await expect(card.getByTestId('margin-ratio').textContent()).resolves.toContain(`${(a.marginRatio! * 100).toFixed(1)} %`)
    // A bad leverage is refused by the main side with its reason, and nothing is saved.
    await editor.getByTestId('margin-settings-leverage').fill('-3')
    await editor.getByTestId('margin-settings-save').click()
    await editor.locator('.error').waitFor()
    await expect(editor.locator('.error').textContent()).resolves.toMatch(/leverage/i)
    writeFileSync(join(testOutputDir(), 'margin-settings.png'), await editor.screenshot())
  })

  it("shows the venue's own figures of a position snapshot beside Riskdesk's", async () => {
    await expect(page.getByTestId('venue-figures').count()).resolves.toBe(0) // the demo is a generic CSV: none
    // Imported last (its marks are stamped with the import time, which would move the demo's valuation
    // time), then opened: the newest portfolio is the page's default.
    await riskdeskCli(db, 'import', DERIBIT_POSITIONS, '--portfolio', 'deribit-dump')
    await page.reload()
    await page.getByRole('tab', { name: 'Margin' }).click()
    const table = page.getByTestId('venue-figures')
    await table.waitFor({ timeout: 30_000 })
    // The file's "estimated_liquidation_price": 1.74, "initial_margin": 0.000197283, "maintenance_margin": 0.000143783, "leverage": 34.
    await expect(table.textContent()).resolves.toMatch(/deribit\/main\/BTCBTC-PERPETUAL34×1\.74—0\.000197283 BTC[\d.]+ BTC0\.000143783 BTC/)
    writeFileSync(join(testOutputDir(), 'margin-venue-figures.png'), await page.screenshot({ fullPage: true }))
  })
})

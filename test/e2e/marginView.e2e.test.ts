/**
 * The Margin view in Debian's Chromium against `riskdesk serve` on the demo database: account cards with
 * the margin-ratio gauge, the liquidation price ladder, the scenario × account table of a chosen set, and the
 * cascade chart. The figures shown must be the API's (`riskdesk margin --json`, `cascade --json`, read
 * through the CLI here), which the integration tests check against hand computations and Binance's example.
 * Saves test-output/margin-view.png.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MarginReport } from '../../src/shared/marginApi'
import { launchChromium, riskdeskCli, startServe } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let report: MarginReport

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await riskdeskCli(db, 'demo')
  report = JSON.parse(await riskdeskCli(db, 'margin', '--json')) as MarginReport
  ;({ server, url } = await startServe(db))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await page.goto(url)
  await page.getByRole('tab', { name: 'Margin' }).click()
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('Margin view', () => {
  it('shows a card per account with equity, IM, MM, available and the margin-ratio gauge', async () => {
    const cards = page.getByTestId('margin-cards')
    await cards.waitFor({ timeout: 30_000 })
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
})

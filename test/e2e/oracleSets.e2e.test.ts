/**
 * The built-in "oracle-lag" and "stablecoin-depeg" sets in the Stress view's set picker (Debian's Chromium against
 * `riskdesk serve`), run on the demo book. The view lists the built-in sets from shared/stressApi.ts, so no view
 * code names them. Expected figures by hand: the demo's whole book at BTC −10 % is the same in every lag row (the
 * stress P&L uses the market move; the oracle only moves margin at oracle-marked venues, and the demo holds
 * Deribit only); the demo holds no stablecoin, so every de-peg row is 0 USD.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, startServe, openAppOn } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  let url: string
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await openAppOn(page, url, { id: 'stress', tab: 'Stress' }, 'demo (16 positions)')
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

/** The scenario table's P&L cells of the rows whose name matches, as shown. */
async function rowTexts(name: RegExp): Promise<string[]> {
  const rows = page.getByTestId('scenario-table').locator('[role=row][row-index]').filter({ hasText: name })
  return rows.evaluateAll((r) => r.map((x) => x.textContent ?? ''))
}

describe('oracle and de-peg sets in the Stress view', () => {
  it('runs "oracle-lag": eight rows, the same P&L for every lag of one direction', async () => {
    await page.getByTestId('stress-set').selectOption('oracle-lag')
    await page.getByTestId('stress-run').click()
    const table = page.getByTestId('scenario-table')
    await table.getByText('BTC -10% in 60 s, oracle 5 min behind').waitFor({ timeout: 120_000 })
    const down = await rowTexts(/BTC -10% in 60 s/)
    expect(down).toHaveLength(4)
    // The name differs per row; the figures after it do not.
    const figures = down.map((t) => t.replace(/^.*?(in step|behind)/, ''))
    expect(new Set(figures).size).toBe(1)
    writeFileSync(join(testOutputDir(), 'stress-oracle-lag.png'), await page.screenshot({ fullPage: true }))
  })

  it('runs "stablecoin-depeg": four rows of 0 on a book without stablecoins', async () => {
    await page.getByTestId('stress-set').selectOption('stablecoin-depeg')
    await page.getByTestId('stress-run').click()
    const table = page.getByTestId('scenario-table')
    await table.getByText('USDT at 0.90 USD').waitFor({ timeout: 120_000 })
    expect(await rowTexts(/at 0\.9[07] USD/)).toHaveLength(4)
    writeFileSync(join(testOutputDir(), 'stress-stablecoin-depeg.png'), await page.screenshot({ fullPage: true }))
  })
})

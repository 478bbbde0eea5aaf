/**
 * The Import view in Debian's Chromium against `riskdesk serve` (files uploaded as bytes through the API):
 * a Binance trade log is picked, detected and previewed with canonical instruments, then imported; a broken
 * file shows its error grouped with line and value and cannot be imported; an unknown broker CSV is mapped
 * in the column-mapping dialog with a live preview and imported; the history lists them; the positions grid
 * shows the venue and canonical columns; Hyperliquid's 2023 clearinghouseState imports with the view's snapshot
 * time. Screenshot: test-output/import-view.png.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, startServe, openAppOn } from '../support/browser'
import { IMPORT_FIXTURES, REAL, tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
const errors: string[] = []

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  page.on('pageerror', (e) => errors.push(e.message))
  await openAppOn(page, url, { id: 'import', tab: 'Import' })
  await page.getByTestId('setting-portfolio').fill('e2e')
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

const card = (fileName: string) => page.getByTestId('import-file').filter({ hasText: fileName })

describe('Import view', () => {
  it('detects a Binance trade log, previews canonical positions, and imports it', async () => {
    const file = 'Export Trade History-2024-03-fixture(UTC--6).csv'
    await page.getByTestId('file-input').setInputFiles(join(IMPORT_FIXTURES, 'binance', file))
    const c = card(file)
    await c.getByTestId('import-status').getByText('ready to import').waitFor({ timeout: 30_000 })
    await expect(c.getByTestId('import-format').textContent()).resolves.toMatch(/^binance-futures-trades · utf-8 · comma-separated/)
    await expect(c.getByTestId('import-counts').textContent()).resolves.toMatch(/^6 rows read: 2 positions, 6 fills/)
    // The replay (logFormats.test.ts): 0.02 BTC of BTCUSDT at 63000; −100 USD of BTCUSD_PERP at 48000.
    const positions = c.getByTestId('import-positions')
    await positions.getByText('BTC/USDT:USDT', { exact: true }).waitFor()
    await positions.getByText('BTC/USD:BTC', { exact: true }).waitFor()
    await expect(c.getByTestId('import-notes').textContent()).resolves.toMatch(/UTC-06:00 \(from the file name "UTC--6"\)/)
    await c.getByTestId('import-confirm').click()
    await c.getByTestId('import-status').getByText(/^imported \(#\d+\)$/).waitFor()
  })

  it('shows a broken file’s error with its line and value, and offers no import', async () => {
    const file = 'wrong-delimiter-header-comma-rows-semicolon.csv'
    await page.getByTestId('file-input').setInputFiles(join(IMPORT_FIXTURES, 'broken', file))
    const c = card(file)
    await c.getByTestId('import-status').getByText('cannot be imported').waitFor()
    const row = c.getByTestId('import-errors').locator('tbody tr').first()
    await expect(row.textContent()).resolves.toMatch(/expected 5 fields separated by commas.*2deribit;main;BTC-PERPETUAL;1000;9000/)
    await expect(c.getByTestId('import-confirm').isDisabled()).resolves.toBe(true)
  })

  it('maps an unknown broker CSV in the dialog (live preview), then imports it', async () => {
    const file = 'broker_positions_export.csv'
    await page.getByTestId('file-input').setInputFiles(join(IMPORT_FIXTURES, 'mapping', file))
    const c = card(file)
    await c.getByTestId('import-status').getByText('cannot be imported').waitFor()
    await c.getByRole('button', { name: 'Map columns…' }).click()
    const dialog = page.getByTestId('mapping-dialog')
    // The header was found on line 2 (after a one-line preamble), split on semicolons.
    await expect(dialog.getByTestId('mapping-header-line').inputValue()).resolves.toBe('2')
    await expect(dialog.getByTestId('mapping-delimiter').inputValue()).resolves.toBe(';')
    // Quantities are unsigned with a Side column; the times are dd/MM/yyyy HH:mm in UTC.
    await dialog.getByTestId('mapping-side-column').selectOption('Side')
    await dialog.getByLabel('source of entry_time').selectOption('col:Opened (UTC)')
    await dialog.getByRole('combobox').filter({ hasText: 'ISO-8601 with zone' }).selectOption('pattern')
    await dialog.getByRole('textbox', { name: 'pattern' }).fill('dd/MM/yyyy HH:mm')
    await dialog.getByPlaceholder('+00:00').fill('+00:00')
    await dialog.getByTestId('mapping-preview-status').getByText('3 rows → 3 positions, 0 fills, 0 balances').waitFor()
    // "12,000" short of BTC-PERPETUAL → −12000 USD.
    await dialog.getByText('-12000', { exact: true }).waitFor()
    await dialog.getByTestId('mapping-use').click()
    await c.getByTestId('import-status').getByText('ready to import').waitFor()
    await c.getByTestId('import-confirm').click()
    await c.getByTestId('import-status').getByText(/^imported \(#\d+\)$/).waitFor()
  })

  it("imports Hyperliquid's 2023 clearinghouseState with the snapshot time given in the view", async () => {
    // The real 2023 response has no "time": the instant comes from the view's field (12 positions, identities hold).
    await page.getByTestId('setting-snapshot-time').fill('2023-03-27T12:00:00Z')
    const file = 'clearinghouseState_mainnet_2023-03-27_python-sdk.json'
    await page.getByTestId('file-input').setInputFiles(join(REAL, 'hyperliquid', file))
    const c = card(file)
    await c.getByTestId('import-status').getByText('ready to import').waitFor({ timeout: 30_000 })
    await expect(c.getByTestId('import-counts').textContent()).resolves.toMatch(/12 positions/)
    await expect(c.getByTestId('import-notes').textContent()).resolves.toMatch(/snapshot time 2023-03-27T12:00:00\.000Z as given/)
    await c.getByTestId('import-confirm').click()
    await c.getByTestId('import-status').getByText(/^imported \(#\d+\)$/).waitFor()
    await page.getByTestId('setting-snapshot-time').fill('')
  })

  it('lists the imports in the history, and the positions grid shows venue and canonical symbol', async () => {
    const history = page.getByTestId('import-history')
    await history.getByText('broker_positions_export.csv').waitFor()
    await history.getByText('Export Trade History-2024-03-fixture(UTC--6).csv').waitFor()
    writeFileSync(join(testOutputDir(), 'import-view.png'), await page.screenshot({ fullPage: true }))

    await page.getByTestId('portfolio-picker').selectOption('e2e')
    await page.getByRole('tab', { name: 'Overview' }).click()
    const grid = page.getByTestId('positions-grid')
    await grid.getByText('BTC/USDT:USDT', { exact: true }).first().waitFor({ timeout: 30_000 })
    await grid.getByText('BTC/USD:BTC', { exact: true }).first().waitFor()
    await grid.getByText('okx', { exact: true }).first().waitFor()
    expect(errors).toEqual([])
  })

  it('reopens on the view last shown (kept in localStorage), not on the Overview', async () => {
    await page.getByRole('tab', { name: 'Portfolios' }).click()
    await page.reload()
    const tab = page.getByRole('tab', { name: 'Portfolios' })
    await expect(tab.getAttribute('aria-selected')).resolves.toBe('true')
    await expect(page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).resolves.toBe('false')
    await page.getByRole('tabpanel').getByTestId('portfolio-table').waitFor()
    expect(errors).toEqual([])
  })
})

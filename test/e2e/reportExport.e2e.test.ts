/**
 * Export from the app in Debian's Chromium against `riskdesk serve` on the demo: a grid's CSV (ag-grid's own
 * export) and the PDF report, both as downloads. Independent sources: the CLI's `positions --json` and
 * `stress --json` documents (same database), and pdfinfo for the PDF. ag-grid writes a UTF-8 BOM (for spreadsheets).
 */
import type { ChildProcess } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let browser: Browser
let context: BrowserContext
let page: Page
let db: string
const dir = tempDir()

beforeAll(async () => {
  db = join(dir, 'riskdesk.db')
  await demoDatabase(db)
  let url: string
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin })
  page = await context.newPage()
  await page.goto(url)
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('export from the app', () => {
  it('downloads the positions grid as CSV: raw values as plain decimals, units in the headers, totals rows', async () => {
    await shownView(page).getByTestId('positions-grid').getByText('BTC-PERPETUAL').waitFor({ timeout: 60_000 })
    // Long timeouts: on a loaded machine the page is busy for tens of seconds while the Overview's charts load.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 150_000 }), shownView(page).getByTestId('positions-export-csv').click({ timeout: 150_000 })])
    expect(download.suggestedFilename()).toBe('positions-demo.csv')
    const file = join(dir, 'positions.csv')
    await download.saveAs(file)
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>
    const doc = JSON.parse(await riskdeskCli(db, 'positions', '--json'))
    // Every line of the book, then one pinned total per underlying.
    expect(rows).toHaveLength(doc.positions.length + doc.totals.length)
    const perp = rows.find((r) => r['Instrument'] === 'BTC-PERPETUAL')!
    const json = doc.positions.find((p: { instrument: string }) => p.instrument === 'BTC-PERPETUAL')
    expect(perp['Quantity (in quantity unit)']).toBe('20000')
    expect(perp['Quantity unit']).toBe('USD')
    expect(Number(perp['Value USD'])).toBe(json.valueUsd)
    expect(Number(perp['Δ coin (USD delta)'])).toBe(json.delta)
    // Gamma of a deep option is small: written without exponent notation.
    for (const r of rows) expect(r['Γ coin/USD'] ?? '').not.toMatch(/e/i)
    const copy = shownView(page).getByTestId('positions-export-copy')
    await copy.click({ timeout: 60_000 })
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()'), { timeout: 60_000 }).toContain('BTC-PERPETUAL')
  }, 300_000)

  it('downloads the stress grid as CSV equal to stress --json cell for cell', async () => {
    await page.getByRole('tab', { name: 'Stress' }).click()
    const grid = shownView(page).getByTestId('stress-grid')
    await grid.getByText('+50%', { exact: true }).waitFor({ timeout: 120_000 })
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), shownView(page).getByTestId('stress-grid-export-csv').click()])
    expect(download.suggestedFilename()).toBe('stress-grid-whole-book-pnl.csv')
    const file = join(dir, 'grid.csv')
    await download.saveAs(file)
    const [head, ...rows] = parse(readFileSync(file, 'utf8'), { bom: true }) as string[][]
    const doc = JSON.parse(await riskdeskCli(db, 'stress', '--json'))
    expect(head![0]).toBe('spot shock (relative)')
    expect(head!.slice(1).map((h) => Number(/vol ([+-]?[\d.]+) pts/.exec(h)![1]))).toEqual(doc.volShocks)
    expect(rows.map((r) => Number(r[0]))).toEqual(doc.spotShocks)
    rows.forEach((row, i) => row.slice(1).forEach((cell, j) => expect(Number(cell)).toBe(doc.pnlUsd[i][j])))
  }, 180_000)

  it('Export PDF… shows progress and downloads the report (pdfinfo: A4, header on every page)', async () => {
    await page.getByTestId('report-paper').selectOption('a4')
    const downloading = page.waitForEvent('download', { timeout: 240_000 })
    await page.getByTestId('export-pdf').click()
    await page.getByTestId('export-pdf-progress').waitFor()
    await expect(page.getByTestId('export-pdf').textContent()).resolves.toMatch(/Printing report… \d+ s/)
    writeFileSync(join(testOutputDir(), 'report-export-progress.png'), await page.screenshot())
    const download = await downloading
    expect(download.suggestedFilename()).toBe('riskdesk-report-demo-2020-05-14.pdf')
    const file = join(testOutputDir(), 'report-export-from-app.pdf')
    await download.saveAs(file)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/\(A4\)/)
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1])
    expect(pages).toBeGreaterThanOrEqual(7)
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1)
    expect(text.filter((t) => t.includes('Riskdesk risk report · portfolio demo'))).toHaveLength(pages)
    await expect(page.getByTestId('export-pdf-message').textContent()).resolves.toBe('saved riskdesk-report-demo-2020-05-14.pdf')
  }, 300_000)
})

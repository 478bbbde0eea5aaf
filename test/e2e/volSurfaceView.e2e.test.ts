/**
 * The Vol surface view in Debian's Chromium against `riskdesk serve`, on a database holding only the real Deribit
 * BTC option chain of 2020-05-14 (shared/data/real/market, SOURCES.md):
 *  - one fitted smile (line) per expiry of the chain: the expiries are read from the file itself (csv-parse),
 *    each with at least 5 quotes (the fit's minimum), so all of them are fitted;
 *  - beside the mark-IV points, bars from the file's own bid_iv to its ask_iv (checked for one option, read from the CSV);
 *  - the RMSE table shows exactly what `riskdesk surface --json` prints, rounded to 2 decimals;
 *  - the term structure has one ATM point per expiry, at increasing days.
 * The empty state (no portfolio yet) points to the Import tab. Screenshots (1600 × 1000): test-output/views/.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { VolSurfaceReport } from '../../src/shared/surfaceApi'
import { e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { CHAIN_2020_05_14, tempDir, testOutputDir } from '../support/paths'

const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
const EXPIRIES = [...new Set(chain.map((r) => Number(r.expiration_timestamp)))].sort((a, b) => a - b).map((ms) => new Date(ms).toISOString().slice(0, 10))

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let cli: VolSurfaceReport
const errors: string[] = []
/** Waits for what the page does after a click (a busy shared machine can take seconds). */
const POLL = { timeout: 30_000 }
const shots = () => {
  const dir = join(testOutputDir(), 'views')
  mkdirSync(dir, { recursive: true })
  return dir
}

beforeAll(async () => {
  const db = join(tempDir(), 'riskdesk.db')
  await riskdeskCli(db, 'import', CHAIN_2020_05_14)
  cli = JSON.parse(await riskdeskCli(db, 'surface', '--json')) as VolSurfaceReport
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

type Trace = { mode: string; x: Array<number | null>; y: Array<number | null>; text?: string[] }
const traces = (testId: string) => shownView(page).getByTestId(testId).evaluate((el) => (el as unknown as { data: unknown[] }).data) as Promise<Trace[]>

describe('Vol surface view', { timeout: 180_000 }, () => {
  it('with no portfolio, the empty state points to the Import tab and the CLI', async () => {
    const empty = page.getByTestId('empty-state')
    await expect(empty.textContent()).resolves.toMatch(/No portfolio yet\. Drop an exchange export on the Import tab, or from a terminal run riskdesk import FILE/)
    writeFileSync(join(shots(), 'empty-state.png'), await page.screenshot())
  })

  it('draws one fitted smile per expiry of the chain over its mark IVs, with bid/ask IV bars from the file', async () => {
    expect(EXPIRIES).toEqual(['2020-05-14', '2020-05-15', '2020-05-22', '2020-05-29', '2020-06-26', '2020-09-25', '2020-12-25'])
    await page.getByRole('tab', { name: 'Vol surface' }).click()
    await shownView(page).getByTestId('surface-rmse-table').locator('tbody tr').first().waitFor(POLL)
    await expect.poll(async () => (await traces('surface-smiles').catch(() => [])).length, POLL).toBe(3 * EXPIRIES.length)
    const data = await traces('surface-smiles')
    const lines = data.filter((t) => t.mode === 'lines')
    const points = data.filter((t) => t.mode === 'markers')
    const bidAsk = data.filter((t) => t.mode === 'lines+markers')
    expect(lines).toHaveLength(EXPIRIES.length)
    expect(points).toHaveLength(EXPIRIES.length)
    expect(bidAsk).toHaveLength(EXPIRIES.length)
    // Each expiry's points are the quotes its fit used (the CLI's `quotes`).
    expect(points.map((t) => t.x.length)).toEqual(cli.underlyings[0]!.expiries.map((e) => e.quotes))
    // BTC-22MAY20-9250-P, line 2 of the file: mark_iv 76.87, bid_iv 80.07, ask_iv 85.17 (the bid IV is above
    // the mark there: the bar is drawn from bid to ask as the file says, not around the mark).
    const csvRow = chain.find((r) => r.instrument_name === 'BTC-22MAY20-9250-P')!
    expect([csvRow.mark_iv, csvRow.bid_iv, csvRow.ask_iv]).toEqual(['76.87', '80.07', '85.17'])
    const k = EXPIRIES.indexOf('2020-05-22')
    const may22 = points[k]!
    const i = may22.text!.findIndex((t) => t.startsWith('BTC-22MAY20-9250-P:'))
    expect(i).toBeGreaterThanOrEqual(0)
    expect(may22.y[i]).toBe(76.87)
    const bars = bidAsk[k]!
    const at = bars.x.indexOf(9250)
    expect([bars.y[at], bars.y[at + 1]]).toEqual([80.07, 85.17])
    writeFileSync(join(shots(), 'vol-surface.png'), await page.screenshot())
  })

  it('shows per expiry the RMSE and fit figures of `riskdesk surface --json`', async () => {
    const rows = await shownView(page).getByTestId('surface-rmse-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))
    const f2 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    expect(rows.map((r) => r[0])).toEqual(EXPIRIES)
    expect(rows.map((r) => [r[3], r[4], r[5], r[6], r[7]])).toEqual(
      cli.underlyings[0]!.expiries.map((e) => [String(e.quotes), f2(e.rmseVolPoints), f2(e.vegaWeightedRmseVolPoints), f2(e.maxAbsErrorVolPoints), f2(e.atmVolPoints)]),
    )
    expect(rows.map((r) => r[8])).toEqual(cli.underlyings[0]!.expiries.map((e) => (e.butterfly || e.calendar ? expect.stringMatching(/butterfly|calendar/) : 'none')))
  })

  it('draws the ATM-vol term structure: one point per expiry at increasing days', async () => {
    const [term] = await traces('surface-term')
    expect(term!.x).toHaveLength(EXPIRIES.length)
    expect(term!.y).toEqual(cli.underlyings[0]!.expiries.map((e) => e.atmVolPoints))
    for (let i = 1; i < term!.x.length; i++) expect(term!.x[i]!).toBeGreaterThan(term!.x[i - 1]!)
  })

  it('no console error or uncaught page error on the way', () => {
    expect(errors).toEqual([])
  })
})

/**
 * The Portfolios view in Debian's Chromium against `riskdesk serve`: the header's picker follows an import made
 * in the Import view; a portfolio deleted in the UI (after its confirmation) is gone with its positions while
 * the others are unchanged (their `riskdesk positions --json` documents compared before and after); a rename
 * inline moves the picker with it; an import removed in the UI leaves the history saying so.
 *
 * Independent figures: the demo book is resources/demo/demo-portfolio.csv (16 positions, hand-counted) and
 * demo-balances.csv (2 balances); the real Deribit docs example holds 1 position (BTC-PERPETUAL, size 50); the
 * ETH variant fixture 1 position (ETH-PERPETUAL, size 40).
 * Screenshots (1600 × 1000): test-output/views/portfolios*.png.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { DERIBIT_POSITIONS, FIXTURES, tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let db: string
const errors: string[] = []
/** Waits for what the page does after a click (a busy shared machine can take seconds). */
const POLL = { timeout: 30_000 }
const shots = () => {
  const dir = join(testOutputDir(), 'views')
  mkdirSync(dir, { recursive: true })
  return dir
}

beforeAll(async () => {
  db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  await riskdeskCli(db, 'import', DERIBIT_POSITIONS, '--portfolio', 'perp-desk')
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
  // The Overview (first tab) values and stresses the book and draws its 3D surface: on a busy machine the page is
  // not idle until it is done, and a click meanwhile waits for the tab to be stable.
  await page.getByTestId('overview-stress-summary').waitFor({ timeout: 120_000 })
}, 240_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

const picker = () => page.getByTestId('portfolio-picker')
const pickerNames = async () => (await picker().locator('option').allTextContents()).map((t) => t.replace(/ \(.*$/, ''))
const positionsJson = async (portfolio: string) => JSON.parse(await riskdeskCli(db, 'positions', '--portfolio', portfolio, '--json')) as { positions: Array<Record<string, unknown>> }
const row = (name: string) => shownView(page).getByTestId('portfolio-table').locator(`tr[data-portfolio="${name}"]`)

// Each test drives the page and runs the CLI several times: minutes on a busy shared machine.
describe('Portfolios view', { timeout: 240_000 }, () => {
  it('the header picker follows an import made in the Import view', async () => {
    // Chosen by hand (not the default "most recent"), so only following the import can move it. The first actions
    // wait up to 2 minutes: the Overview's 3D surface (WebGL in software) can hold the page on a busy machine.
    await picker().selectOption('perp-desk', { timeout: 120_000 })
    await page.getByRole('tab', { name: 'Import' }).click({ timeout: 120_000 })
    await page.getByTestId('setting-portfolio').fill('fresh')
    const file = 'get_positions_eth-variant-of-docs-example.json'
    await page.getByTestId('file-input').setInputFiles(join(FIXTURES, 'deribit', file))
    const c = page.getByTestId('import-file').filter({ hasText: file })
    await c.getByTestId('import-status').getByText('ready to import').waitFor({ timeout: 30_000 })
    await c.getByTestId('import-confirm').click()
    await c.getByTestId('import-status').getByText(/^imported \(#\d+\)$/).waitFor(POLL)
    await expect.poll(() => picker().inputValue(), POLL).toBe('fresh')
    await expect.poll(pickerNames, POLL).toEqual(['fresh', 'perp-desk', 'demo'])
  })

  it('lists the portfolios with their positions and last import', async () => {
    await page.getByRole('tab', { name: 'Portfolios' }).click()
    await row('demo').waitFor({ timeout: 30_000 })
    await expect(row('demo').locator('td').nth(1).textContent()).resolves.toBe('16')
    await expect(row('perp-desk').locator('td').nth(1).textContent()).resolves.toBe('1')
    await expect(row('fresh').locator('td').nth(1).textContent()).resolves.toBe('1')
    await expect(row('fresh').locator('td').nth(2).textContent()).resolves.toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/)
  })

  it('deletes a portfolio after its confirmation: its positions are gone, the others unchanged', async () => {
    const demoBefore = await positionsJson('demo')
    const perpBefore = await positionsJson('perp-desk')
    expect(demoBefore.positions.filter((p) => p.origin === 'position')).toHaveLength(16)
    await row('fresh').getByRole('button', { name: 'Delete…' }).click()
    const confirm = row('fresh').getByRole('alertdialog')
    await expect(confirm.textContent()).resolves.toMatch(/Delete "fresh" with its 1 position, imports and balances\?/)
    writeFileSync(join(shots(), 'portfolios-confirm-delete.png'), await page.screenshot())
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => shownView(page).getByTestId('portfolios-message').textContent(), POLL).toMatch(/Deleted "fresh": 1 import, 1 position, 0 balances\./)
    await expect.poll(() => row('fresh').count(), POLL).toBe(0)
    // The picker no longer offers it, and falls back to the most recently imported portfolio.
    await expect.poll(pickerNames, POLL).toEqual(['perp-desk', 'demo'])
    await expect(picker().inputValue()).resolves.toBe('perp-desk')
    await expect(riskdeskCli(db, 'positions', '--portfolio', 'fresh', '--json')).rejects.toThrow(/no portfolio named "fresh"/)
    expect(await positionsJson('demo')).toEqual(demoBefore)
    expect(await positionsJson('perp-desk')).toEqual(perpBefore)
    const history = JSON.parse(await riskdeskCli(db, 'imports', '--portfolio', 'fresh', '--json')) as Array<{ removedAt: string | null; removals: Array<{ action: string }> }>
    expect(history).toHaveLength(1)
    expect(history[0]!.removedAt).not.toBeNull()
    expect(history[0]!.removals.map((r) => r.action)).toEqual(['portfolio'])
  })

  it('renames inline, and the header picker follows the new name', async () => {
    await picker().selectOption('perp-desk')
    await row('perp-desk').getByRole('button', { name: 'Rename' }).click()
    await row('perp-desk').getByLabel('new name for perp-desk').fill('perp hedges')
    await row('perp-desk').getByRole('button', { name: 'Save' }).click()
    await row('perp hedges').waitFor(POLL)
    await expect.poll(() => picker().inputValue(), POLL).toBe('perp hedges')
    expect((await positionsJson('perp hedges')).positions.map((p) => [p.instrument, p.quantity])).toEqual([['BTC-PERPETUAL', '50']])
  })

  it("removes one import of the chosen portfolio; the history marks it removed", async () => {
    await picker().selectOption('demo')
    const imports = shownView(page).getByTestId('portfolio-imports')
    const balances = imports.locator('tr').filter({ hasText: 'demo-balances.csv' })
    await balances.getByRole('button', { name: 'Remove…' }).click()
    await balances.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click()
    await expect.poll(() => shownView(page).getByTestId('portfolios-message').textContent(), POLL).toMatch(
      /Removed import #\d+ \(demo-balances\.csv\) from "demo": 0 positions, 2 balances; the book holds 16 positions \(was 16\)\./,
    )
    await balances.getByText(/^removed \d{4}-\d\d-\d\d \d\d:\d\d UTC$/).waitFor(POLL)
    const demo = await positionsJson('demo')
    expect(demo.positions.filter((p) => p.origin === 'balance')).toHaveLength(0)
    expect(demo.positions.filter((p) => p.origin === 'position')).toHaveLength(16)
    writeFileSync(join(shots(), 'portfolios.png'), await page.screenshot())
  })

  it('no console error or uncaught page error on the way', () => {
    expect(errors).toEqual([])
  })
})

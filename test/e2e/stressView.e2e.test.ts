/**
 * The Stress view in Debian's Chromium against `riskdesk serve`: the grid with its explain toggle and a
 * drill-down from a cell, the historical set's scenario table, a custom scenario saved in the editor and run,
 * and a long run showing progress and cancelled from the UI.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe, openAppOn } from '../support/browser'
import { REPO, tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let db: string

beforeAll(async () => {
  const dir = tempDir()
  db = join(dir, 'riskdesk.db')
  await demoDatabase(db)
  // A saved set of two scenarios with fields the editor's form does not show (source, weight, the oracle's move
  // time): editing its first scenario in the editor must keep them and the second scenario.
  const kept = {
    name: 'e2e kept',
    description: 'two scenarios',
    scenarios: [
      { name: 'lagged crash', source: 'e2e source', weight: 0.35, spot: { shock: -0.1 }, oracle: { lagSeconds: 30, moveSeconds: 120 }, stablecoins: { USDC: 0.97 } },
      { name: 'second', spot: { shock: 0.05 } },
    ],
  }
  writeFileSync(join(dir, 'kept.json'), JSON.stringify(kept))
  await riskdeskCli(db, 'scenarios', 'save', join(dir, 'kept.json'))
  // A large book for the cancel test: every option of the real chain in seven accounts (2,170 positions).
  const chain = readFileSync(join(REPO, 'resources', 'demo', 'deribit_btc_option_chain_2020-05-14.csv'), 'utf8').trim().split('\n').slice(1)
  const names = chain.map((line) => line.split(',')[3]!)
  const rows = Array.from({ length: 7 }, (_, a) => names.map((n, i) => `deribit,desk${a},${n},${((i % 7) - 3) || 1},0.05`)).flat()
  writeFileSync(join(dir, 'large.csv'), ['venue,account,instrument,quantity,entry_price', ...rows].join('\n'))
  await riskdeskCli(db, 'import', join(dir, 'large.csv'), '--portfolio', 'large')
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1100 } })
  await openAppOn(page, url, { id: 'stress', tab: 'Stress' }, 'demo (16 positions)')
})

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('Stress view', () => {
  it('shows the default grid, its Taylor error, and per-position P&L of a clicked cell', async () => {
    const grid = shownView(page).getByTestId('stress-grid')
    await grid.getByText('+50%', { exact: true }).waitFor({ timeout: 120_000 })
    // 16 positions and the two accounts' BTC balances (resources/demo/demo-balances.csv).
    await expect(page.getByTestId('stress-summary').textContent()).resolves.toMatch(/18 lines \(2 balances\) × 189 scenarios/)
    // The whole book's worst case is a crash (the 49 BTC of collateral fall with it); the derivatives' alone is
    // a rally with vol down — both named.
    await expect(page.getByTestId('stress-summary').textContent()).resolves.toMatch(/Worst, whole book: spot -50%.*Worst, derivatives only: spot \+50%, vol -30/)
    await expect(shownView(page).getByTestId('market-line').textContent()).resolves.toMatch(/deribit_btc_option_chain_2020-05-14\.csv.*BTC index 9,347\.68 USD/)
    const cell = grid.locator('[row-index="0"] [col-id="v3"]')
    const total = await cell.textContent()
    await shownView(page).getByTestId('scope-toggle').getByRole('button', { name: 'Derivatives only' }).click()
    await expect.poll(() => cell.textContent()).not.toBe(total)
    writeFileSync(join(testOutputDir(), 'stress-derivatives-only.png'), await page.screenshot({ fullPage: true }))
    await shownView(page).getByTestId('scope-toggle').getByRole('button', { name: /Whole book/ }).click()
    await expect.poll(() => cell.textContent()).toBe(total)
    await page.getByRole('button', { name: 'Estimate error' }).click()
    await page.getByRole('button', { name: 'Full revaluation' }).click()
    // Row 0 (spot −50 %), first vol column (−30 points).
    await grid.locator('[row-index="0"] [col-id="v0"]').click()
    const drill = page.getByTestId('drill-down')
    await drill.getByText('Per position: spot -50%, vol -30').waitFor()
    // Polled: ag-grid adds rows over a few animation frames on a busy machine.
    await expect.poll(() => drill.locator('[role=row][row-index]').evaluateAll((r) => new Set(r.map((x) => x.getAttribute('row-index'))).size)).toBe(18)
    // Room for the first grid's own 120 s wait (software WebGL draws the surface beside it on a loaded machine).
  }, 240_000)

  it('runs the historical episodes into a scenario table with the worst loss and its driver', async () => {
    await page.getByTestId('stress-set').selectOption('historical')
    await page.getByTestId('stress-run').click()
    const table = page.getByTestId('scenario-table')
    await table.getByText('2024-08-05 yen-carry unwind').waitFor()
    for (const name of ['2020-03-12 Black Thursday', '2021-05-19 China/Tesla sell-off', '2022-05 Terra/LUNA', '2022-11 FTX collapse'])
      await expect(table.getByText(name).count()).resolves.toBe(1)
    await expect(page.getByTestId('stress-summary').textContent()).resolves.toMatch(/Worst, whole book: .+ USD \(largest loss: /)
    writeFileSync(join(testOutputDir(), 'stress-historical.png'), await page.screenshot({ fullPage: true }))
  })

  it('saves a custom scenario in the editor and runs it', async () => {
    const editor = page.getByTestId('scenario-editor')
    await editor.getByTestId('scenario-name').fill('e2e crash')
    await editor.getByTestId('scenario-shock').fill('-25')
    await editor.getByTestId('scenario-save').click()
    await editor.getByText('saved "e2e crash"').waitFor()
    await page.getByTestId('stress-set').selectOption('e2e crash')
    await page.getByTestId('stress-run').click()
    await page.getByTestId('scenario-table').getByText('e2e crash').waitFor()
    await expect(page.getByTestId('stress-summary').textContent()).resolves.toMatch(/18 lines \(2 balances\) × 1 scenario on/)
  })

  it('edits a loaded set without dropping what the form does not show, nor its other scenarios', async () => {
    const editor = page.getByTestId('scenario-editor')
    await editor.getByRole('button', { name: 'e2e kept', exact: true }).click()
    await editor.getByText('the first is shown (saving keeps the others)').waitFor()
    await expect(editor.getByTestId('scenario-oracle-lag').inputValue()).resolves.toBe('30')
    await expect(editor.getByTestId('scenario-stablecoins').inputValue()).resolves.toBe('USDC:0.97')
    await expect(editor.getByTestId('scenario-name').inputValue()).resolves.toBe('e2e kept')
    await editor.getByTestId('scenario-shock').fill('-20')
    await editor.getByTestId('scenario-save').click()
    await editor.getByText('saved "e2e kept" (its other 1 scenario kept)').waitFor()
    // Read back through the CLI (another process, the stored set), not through the view.
    const set = JSON.parse(await riskdeskCli(db, 'scenarios', 'show', 'e2e kept')) as { scenarios: Array<Record<string, any>> }
    expect(set.scenarios).toHaveLength(2)
    const [first, second] = set.scenarios
    expect(first!.name).toBe('lagged crash')
    expect(first!.spot.shock).toBe(-0.2)
    expect(first!.source).toBe('e2e source')
    expect(first!.weight).toBe(0.35)
    expect(first!.oracle).toMatchObject({ lagSeconds: 30, moveSeconds: 120 })
    expect(first!.stablecoins).toEqual({ USDC: 0.97 })
    expect(second!.name).toBe('second')
    expect(second!.spot.shock).toBe(0.05)
  })

  it('shows progress on a long run and cancels it', async () => {
    await page.getByTestId('portfolio-picker').selectOption({ label: 'large (2,170 positions)' })
    await page.getByRole('tab', { name: 'Stress' }).click()
    await page.getByTestId('stress-set').selectOption('grid')
    await shownView(page).getByTestId('stress-spot').fill('-50:50:0.5')
    await shownView(page).getByTestId('stress-vol').fill('-50:48:1')
    await page.getByTestId('stress-run').click()
    await page.getByTestId('stress-progress').waitFor()
    await page.getByTestId('stress-cancel').click()
    await page.getByTestId('stress-progress').waitFor({ state: 'detached', timeout: 30_000 })
    writeFileSync(join(testOutputDir(), 'stress-cancelled.png'), await page.screenshot({ fullPage: true }))
    // Cancel is not an error: the previous result stays, marked stale (or, with none yet, a plain note).
    await page.locator('[data-testid="stress-stale"], [data-testid="stress-cancelled"]').first().waitFor({ timeout: 5_000 })
    await expect(page.locator('[data-testid="stress-stale"], [data-testid="stress-cancelled"]').first().textContent()).resolves.toMatch(/cancelled/)
    expect(await shownView(page).locator('.stress-view > p.error').count()).toBe(0)
    expect(await page.getByTestId('stress-progress').count()).toBe(0)
  })
})

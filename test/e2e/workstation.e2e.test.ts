/**
 * Issue 17 in Debian's Chromium against `riskdesk serve` on the demo book: nothing typed is silently ignored
 * (an invalid range shows its message beside the field and no request leaves the page), "By account" draws a
 * table whose rows sum to the book (figures compared with `riskdesk stress --by account --json`, the API's own
 * document), the dark theme renders and persists, tabs move with the arrow keys, the shortcut help lists the
 * view's keys, and a bad cascade path is answered beside the cascade form. Screenshots: test-output/
 * stress-invalid-range.png, stress-by-account.png, stress-dark.png, margin-cascade-invalid.png.
 */
import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StressResult } from '../../src/shared/stressApi'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe } from '../support/browser'
import { tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
/** expect.poll with room for a loaded machine (software WebGL, other builds beside). */
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 60_000, interval: 250 })
let url: string
let browser: Browser
let page: Page
let byAccount: StressResult
let dbPath: string
/** Every API request the page sends (path after /api/). */
const requests: string[] = []

/** USD as a grid shows it, written independently of shared/format.ts: en-US, no decimals, no "-0". */
const usd = (x: number) => (Math.round(x) === 0 ? '0' : Math.round(x).toLocaleString('en-US'))

beforeAll(async () => {
  const db = (dbPath = join(tempDir(), 'riskdesk.db'))
  await demoDatabase(db)
  byAccount = JSON.parse(await riskdeskCli(db, 'stress', '--by', 'account', '--json')) as StressResult
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  // Generous: Chromium draws WebGL in software here, on a machine shared with other builds.
  page.setDefaultTimeout(120_000)
  page.on('request', (r) => {
    const m = /\/api\/(.+?)(\?|$)/.exec(r.url())
    if (m) requests.push(m[1]!)
  })
  await page.goto(url)
  await page.getByRole('tab', { name: 'Stress' }).click()
  await shownView(page).getByTestId('stress-grid').getByText('+50%', { exact: true }).waitFor({ timeout: 60_000 })
}, 600_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

describe('Stress inputs', { timeout: 400_000 }, () => {
  it('shows an invalid range’s message beside its field, disables Run saying why, and sends nothing', async () => {
    const view = shownView(page)
    const spot = view.getByTestId('stress-spot')
    const before = requests.length
    await spot.fill('50:-50:5')
    const message = view.getByTestId('stress-spot-error')
    // The CLI's words (`riskdesk stress --spot 50:-50:5` answers the same from shared/format.ts parseRange).
    await expect(message.textContent()).resolves.toBe('TO must be at least FROM (FROM 50, TO -50)')
    await expect(spot.getAttribute('aria-invalid')).resolves.toBe('true')
    // Beside the field: on its line, starting right of it.
    const [a, b] = [await spot.boundingBox(), await message.boundingBox()]
    expect(Math.abs(a!.y + a!.height / 2 - (b!.y + b!.height / 2))).toBeLessThan(a!.height)
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.width)
    expect(b!.x - (a!.x + a!.width)).toBeLessThan(40)
    await view.getByTestId('stress-vol').fill('abc')
    await expect(view.getByTestId('stress-vol-error').textContent()).resolves.toBe('expected FROM:TO:STEP such as -50:50:5, got "abc"')
    await view.getByTestId('stress-horizon').fill('-1')
    await expect(view.getByTestId('stress-horizon-error').textContent()).resolves.toBe('days must be 0…3,650, got -1')
    await expect(view.getByTestId('stress-run').isDisabled()).resolves.toBe(true)
    await expect(view.getByTestId('stress-run-reason').textContent()).resolves.toBe('fix the spot range and vol range and horizon days to run')
    // Every way to run: Enter in a field, the Run button (forced past its disabled state), the shortcut.
    await spot.press('Enter')
    await view.getByTestId('stress-run').click({ force: true })
    await page.locator('h1').click()
    await page.keyboard.press('r')
    await page.waitForTimeout(500)
    writeFileSync(join(testOutputDir(), 'stress-invalid-range.png'), await page.screenshot())
    expect(requests.slice(before)).toEqual([])
    // Corrected, the same button runs (the counter sees requests when there are some).
    await spot.fill('-50:50:5')
    await view.getByTestId('stress-vol').fill('-30:50:10')
    await view.getByTestId('stress-horizon').fill('0')
    await expect(view.getByTestId('stress-spot-error').count()).resolves.toBe(0)
    await view.getByTestId('stress-run').click()
    await poll(() => requests.slice(before).includes('startStress')).toBe(true)
    await view.getByTestId('stress-progress').waitFor({ state: 'detached', timeout: 60_000 })
  })
})

describe('Stress by account', { timeout: 400_000 }, () => {
  it('draws a table whose rows are the CLI’s groups and sum to the book; a row drives the figures', async () => {
    const view = shownView(page)
    await view.getByTestId('stress-by').selectOption('account')
    const table = view.getByTestId('group-table')
    await table.getByText('P&L by account').waitFor({ timeout: 60_000 })
    const worst = byAccount.worst!
    // Rows: deribit/hedge and deribit/options, each at the worst scenario (spot -50%, vol 0), as the CLI groups them.
    const rows = table.getByTestId('group-row')
    await poll(() => rows.count()).toBe(byAccount.groups.length)
    expect(byAccount.groups.map((g) => g.key)).toEqual(['deribit/hedge', 'deribit/options'])
    await expect(table.locator('thead').textContent()).resolves.toContain(`P&L USD at ${worst.name}`)
    for (const [i, g] of byAccount.groups.entries()) {
      const cells = await rows.nth(i).locator('td').allTextContents()
      expect(cells[0]).toBe(g.key)
      expect(cells[1]).toBe(usd(g.pnlUsd[worst.index]!))
    }
    // Footer: the sum of the groups, which is the whole book's P&L in that scenario (the CLI's scenario row).
    const sum = byAccount.groups.reduce((s, g) => s + g.pnlUsd[worst.index]!, 0)
    expect(Math.abs(sum - byAccount.scenarios[worst.index]!.pnlUsd)).toBeLessThan(0.01)
    const footer = table.getByTestId('group-total')
    await expect(footer.locator('th').nth(1).textContent()).resolves.toBe(usd(sum))
    await expect(footer.textContent()).resolves.toContain(`whole book at ${worst.name}: ${usd(byAccount.scenarios[worst.index]!.pnlUsd)} USD — the rows sum to it`)
    writeFileSync(join(testOutputDir(), 'stress-by-account.png'), await page.screenshot({ fullPage: true }))
    // The heatmap follows a chosen group: row 0 (spot -50 %), column v3 (vol 0) = the group's scenario 3.
    await rows.nth(0).click()
    await view.getByTestId('stress-figure-of').getByText('deribit/hedge').waitFor()
    const cell = view.getByTestId('stress-grid').locator('[row-index="0"] [col-id="v3"]')
    const cols = byAccount.volShocks!.length
    await poll(() => cell.textContent()).toBe(usd(byAccount.groups[0]!.pnlUsd[0 * cols + 3]!))
    await view.getByTestId('group-focus-clear').click()
    await poll(() => cell.textContent()).toBe(usd(byAccount.pnlUsd![0]![3]!))
  })

  it('fits the default grid in its box: every column whole, no sideways scroll', async () => {
    const view = shownView(page)
    const grid = view.getByTestId('stress-grid')
    const overflow = await grid.locator('.ag-body-horizontal-scroll-viewport').evaluate((e) => e.scrollWidth - e.clientWidth)
    expect(overflow).toBeLessThanOrEqual(1)
    const clipped = await grid.locator('.ag-cell, .ag-header-cell-text').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent))
    expect(clipped).toEqual([])
  })

  it('labels a 0.5 % step with the decimals it needs', async () => {
    const view = shownView(page)
    await view.getByTestId('stress-spot').fill('-50:50:0.5')
    await view.getByTestId('stress-run').click()
    await view.getByTestId('stress-summary').getByText(/× 1,809 scenarios/).waitFor({ timeout: 120_000 })
    writeFileSync(join(testOutputDir(), 'stress-half-percent.png'), await page.screenshot())
    const grid = view.getByTestId('stress-grid')
    // Row 1 is −49.5 %, not a second "-50%" (201 spot rows × 9 vol columns = 1,809 scenarios).
    await grid.locator('[row-index="1"] [col-id="spot"]').getByText('-49.5%', { exact: true }).waitFor({ timeout: 60_000 })
    await expect(grid.locator('[row-index="0"] [col-id="spot"]').textContent()).resolves.toBe('-50.0%')
    // No figure cut: every visible cell's text fits its cell.
    const clipped = await grid.locator('.ag-cell').evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent))
    expect(clipped).toEqual([])
    await view.getByTestId('stress-spot').fill('-50:50:5')
    await view.getByTestId('stress-run').click()
    await grid.locator('[row-index="1"] [col-id="spot"]').getByText('-45%', { exact: true }).waitFor({ timeout: 120_000 })
  })
})

describe('Weighted sets', { timeout: 400_000 }, () => {
  it('shows the weighted and the unweighted worst of SPAN-16 side by side, labelled', async () => {
    const view = shownView(page)
    await view.getByTestId('stress-set').selectOption('span16')
    await view.getByTestId('stress-run').click()
    const worst = view.getByTestId('stress-worst')
    await worst.waitFor({ timeout: 120_000 })
    // The CLI's document of the same run: `worst` is the largest weighted loss; the unweighted worst is the
    // scenario with the lowest pnlUsd (the extremes weigh 0.35 in SPAN's 16, README "span16").
    const cli = JSON.parse(await riskdeskCli(dbPath, 'stress', '--set', 'span16', '--json')) as StressResult
    const plain = cli.scenarios.reduce((a, b) => (b.pnlUsd < a.pnlUsd ? b : a))
    const text = (await worst.textContent())!
    expect(text).toContain(`weighted (P&L × the scenario's weight, what the set's margin takes): ${cli.worst!.name} ${usd(cli.worst!.weightedPnlUsd)} USD`)
    expect(text).toContain(`unweighted: ${plain.name} ${usd(plain.pnlUsd)} USD (weight ${plain.weight.toFixed(2)}`)
    await view.getByTestId('stress-set').selectOption('grid')
  })
})

describe('Very large grids', { timeout: 600_000 }, () => {
  it('switches to a heatmap with a tooltip per cell', async () => {
    const view = shownView(page)
    // 201 spot shocks × 99 vol shocks = 19,899 scenarios: beyond the table's 2,500 cells.
    await view.getByTestId('stress-spot').fill('-50:50:0.5')
    await view.getByTestId('stress-vol').fill('-50:48:1')
    await view.getByTestId('stress-run').click()
    await view.getByTestId('stress-summary').getByText(/× 19,899 scenarios/).waitFor({ timeout: 300_000 })
    const heatmap = view.getByTestId('stress-heatmap')
    await poll(() => heatmap.locator('.scatterlayer .point').count()).toBe(19_899)
    await expect(view.getByTestId('stress-grid').count()).resolves.toBe(0)
    // Hover the middle of the plot: Plotly's tooltip names the cell and its P&L.
    const box = (await heatmap.locator('.nsewdrag').first().boundingBox())!
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await poll(() => heatmap.locator('.hovertext').count()).toBeGreaterThan(0)
    await expect(heatmap.locator('.hovertext').first().textContent()).resolves.toMatch(/^spot [+-]?\d+\.\d%, vol [+-]?\d+ ptsP&L -?[\d,]+ USD$/)
    writeFileSync(join(testOutputDir(), 'stress-heatmap.png'), await page.screenshot())
    await view.getByTestId('stress-spot').fill('-50:50:5')
    await view.getByTestId('stress-vol').fill('-30:50:10')
    await view.getByTestId('stress-run').click()
    await view.getByTestId('stress-grid').waitFor({ timeout: 120_000 })
  })
})

describe('Look and feel', { timeout: 400_000 }, () => {
  it('renders the dark theme, keeps it across a reload, and follows the system when asked to', async () => {
    await page.getByTestId('theme-picker').selectOption('dark')
    await expect(page.evaluate<string>('document.documentElement.dataset.theme')).resolves.toBe('dark')
    // styles.css's dark --bg #12151c; ag-grid's dark scheme paints the grid dark too (each channel < 80).
    await expect(page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).resolves.toBe('rgb(18, 21, 28)')
    const gridBg = await shownView(page).locator('.ag-root-wrapper').first().evaluate((e) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(e).backgroundColor)
    const channels = /rgba?\((\d+), (\d+), (\d+)/.exec(gridBg)!.slice(1).map(Number)
    expect(Math.max(...channels)).toBeLessThan(80)
    // The shown charts redrawn in the dark theme (PlotlyChart's data-chart-state), then two frames on screen.
    await poll(() => shownView(page).locator('[data-chart-state]:not([data-chart-state="drawn"])').count()).toBe(0)
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    writeFileSync(join(testOutputDir(), 'stress-dark.png'), await page.screenshot())
    await page.reload()
    await page.getByRole('tab', { name: 'Overview' }).waitFor()
    await expect(page.evaluate<string>('document.documentElement.dataset.theme')).resolves.toBe('dark')
    // The view is kept across the reload too (lastView.ts).
    await expect(page.locator('[role=tab][aria-selected=true]').textContent()).resolves.toBe('Stress')
    await page.getByTestId('theme-picker').selectOption('system')
    // Chromium reports a media change at its next rendering step: polled, moving the mouse to cause frames.
    const themeAfter = async () => {
      await page.mouse.move(Math.random() * 100, Math.random() * 100)
      return page.evaluate<string>('document.documentElement.dataset.theme')
    }
    await page.emulateMedia({ colorScheme: 'dark' })
    await poll(themeAfter).toBe('dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await poll(themeAfter).toBe('light')
    await expect(page.evaluate<string | null>("localStorage.getItem('riskdesk.theme')")).resolves.toBeNull()
  })

  it('moves between tabs with Left, Right, Home and End', async () => {
    const tabs = await page.getByRole('tab').allTextContents()
    const selected = () => page.locator('[role=tab][aria-selected=true]').textContent()
    // The first tab selected and focused (the app reopened on the view last shown: Stress, after the reload above).
    await page.getByRole('tab', { name: tabs[0] }).click()
    await page.keyboard.press('ArrowRight')
    await expect(selected()).resolves.toBe(tabs[1])
    await expect(page.evaluate<string>('document.activeElement?.textContent')).resolves.toBe(tabs[1])
    await page.keyboard.press('End')
    await expect(selected()).resolves.toBe(tabs.at(-1))
    await page.keyboard.press('ArrowRight')
    await expect(selected()).resolves.toBe(tabs[0])
    await page.keyboard.press('ArrowLeft')
    await expect(selected()).resolves.toBe(tabs.at(-1))
    await page.keyboard.press('Home')
    await expect(selected()).resolves.toBe(tabs[0])
    // Only the selected tab is in the Tab order.
    await expect(page.locator('[role=tab][tabindex="0"]').count()).resolves.toBe(1)
  })

  it('lists the shortcuts in force on ?, and the view keys work', async () => {
    await page.locator('h1').click()
    await page.keyboard.press('2')
    await expect(page.locator('[role=tab][aria-selected=true]').textContent()).resolves.toBe('Stress')
    await page.keyboard.press('?')
    const help = page.getByTestId('shortcut-help')
    await help.waitFor()
    const text = await help.textContent()
    for (const s of ['Run the stress set', 'Cancel the running stress', 'show the Margin view', 'reload data']) expect(text).toContain(s)
    writeFileSync(join(testOutputDir(), 'shortcut-help.png'), await page.screenshot())
    await page.keyboard.press('Escape')
    await help.waitFor({ state: 'detached' })
    await page.keyboard.press('3')
    await expect(page.locator('[role=tab][aria-selected=true]').textContent()).resolves.toBe('Margin')
    // The Margin view registers its keys once its code has loaded and it is on show.
    await page.getByTestId('margin-run').waitFor()
    await page.keyboard.press('?')
    await poll(() => help.textContent()).toContain('Recompute margin')
    await expect(help.textContent()).resolves.not.toContain('Run the stress set')
    await page.keyboard.press('Escape')
  })
})

describe('Cascade form', { timeout: 400_000 }, () => {
  it('answers a bad path beside the form and sends nothing', async () => {
    await page.getByRole('tab', { name: 'Margin' }).click()
    const view = shownView(page)
    await view.getByTestId('cascade-chart').waitFor({ timeout: 60_000 })
    const before = requests.length
    const path = view.getByTestId('cascade-path')
    await path.fill('crash:-40')
    const message = view.getByTestId('cascade-path-error')
    await expect(message.textContent()).resolves.toBe('path "crash:-40": expected crash:MOVE%[:STEPS] such as crash:-40% or crash:-40%:20 (steps 1…10,000)')
    await expect(view.getByTestId('cascade-run').isDisabled()).resolves.toBe(true)
    await path.press('Enter')
    const [a, b] = [await path.boundingBox(), await message.boundingBox()]
    expect(Math.abs(b!.y - a!.y)).toBeLessThan(40)
    await message.scrollIntoViewIfNeeded()
    writeFileSync(join(testOutputDir(), 'margin-cascade-invalid.png'), await page.screenshot())
    await page.waitForTimeout(300)
    expect(requests.slice(before).filter((r) => r === 'runCascade')).toEqual([])
    await path.fill('crash:-40%')
    await expect(message.count()).resolves.toBe(0)
  })
})

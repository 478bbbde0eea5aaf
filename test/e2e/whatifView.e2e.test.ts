/**
 * The What-if view in Debian's Chromium against `riskdesk serve` on the demo book (real Deribit chain of
 * 2020-05-14, shared/data/real/market): make a what-if, add a leg by typing its name, see the Greeks change, the
 * margin cards and the risk profile chart, resize the leg by typing over its quantity, shift the vols, remove it.
 *
 * Independent figures:
 *  - the chain's own Greeks and prices of BTC-26JUN20-9000-C (Deribit's `greeks` column: delta 0.60978, vega
 *    12.33696 USD per vol point, per coin; mark 0.13206676, bid 0.1295, ask 0.134 BTC), read from the file by this
 *    test: 5 calls bought at the ask side, mark + (ask − bid)/2 = 0.13431676 BTC, change the book's delta by the
 *    calls' 5 × 0.60978 less the BTC premium paid (Deribit pays option premiums in BTC), 5 × (0.60978 −
 *    0.13431676) = 2.3773 coin, and its vega by 5 × 12.33696 = 61.68 USD;
 *  - `riskdesk whatif show NAME --json` and `riskdesk profile --whatif NAME --json`, separate CLI processes on the
 *    same database: the view's change and its chart's points are the API's, not numbers of its own;
 *  - the chain's mark IVs of the listed neighbours BTC-26JUN20-9000-C (83.58) and -10000-C (80.86): a custom
 *    (unlisted) 9500 call of that expiry, priced off the fitted smile, has a vol between them;
 *  - `riskdesk var --json` on the plain book (the VaR service on its own, real BTC daily closes of
 *    shared/data/real/market): the what-if's VaR before its legs is the book's VaR;
 *  - Deribit's BTC-PERPETUAL contract is 10 USD (resources/contract-specs.json, Deribit's contract specification):
 *    a hedge leg in it is a whole number of 10 USD contracts.
 */
import type { ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RiskProfile } from '../../src/shared/profileApi'
import type { WhatIfReport } from '../../src/shared/whatifApi'
import { demoDatabase, e2eBrowser, riskdeskCli, shownView, startServe, openAppOn } from '../support/browser'
import { BTC_DAILY } from '../support/dailyCloses'
import { CHAIN_2020_05_14, tempDir, testOutputDir } from '../support/paths'

let server: ChildProcess
let url: string
let browser: Browser
let page: Page
let db: string
const problems: string[] = []
const poll = <T,>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 90_000, interval: 250 })

const LEG = 'BTC-26JUN20-9000-C'
const chainRow = (parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>).find((r) => r.instrument_name === LEG)!
// The chain writes its greeks as a Python dict: {'vega': 12.33696, …, 'delta': 0.60978}.
const chainGreek = (name: string) => Number(new RegExp(`'${name}': (-?[\\d.]+)`).exec(chainRow.greeks!)![1])
/** The leg's entry when bought at the ask side: mark + (ask − bid) / 2, BTC. */
const askEntry = Number(chainRow.mark_price) + (Number(chainRow.best_ask_price) - Number(chainRow.best_bid_price)) / 2
/** Delta of q calls bought at askEntry, coin: their own and the premium's (BTC held less). */
const legDelta = (q: number) => q * (chainGreek('delta') - askEntry)

/** A figure as the view writes it ("+3.0489", "-1,234") as a number. */
const num = (text: string | null) => Number((text ?? '').replace(/[,+\s]/g, '').replace('−', '-'))

beforeAll(async () => {
  db = join(tempDir(), 'riskdesk.db')
  await demoDatabase(db)
  await riskdeskCli(db, 'import', BTC_DAILY, '--underlying', 'BTC')
  ;({ server, url } = await startServe(db))
  browser = await e2eBrowser()
  page = await browser.newPage({ viewport: { width: 1600, height: 1400 } })
  page.setDefaultTimeout(90_000)
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  await openAppOn(page, url, { id: 'whatif', tab: 'What-if' }, 'demo (16 positions)')
}, 180_000)

afterAll(async () => {
  await browser?.close()
  server?.kill('SIGTERM')
})

/** The figures on show once nothing is being typed, saved or recomputed. */
const settled = async () => {
  const figures = shownView(page).getByTestId('whatif-figures')
  await poll(() => figures.getAttribute('data-stale')).toBe('false')
  return figures
}
/** The test id of the element with the keyboard focus. */
const focused = () => page.evaluate<string | undefined>('document.activeElement?.dataset.testid')
const deltaChange = () => shownView(page).getByTestId('greek-BTC-delta').getByTestId('change').textContent()

describe('What-if view', () => {
  it('adds a leg typed by name and shows the Greeks change of the chain’s own Greeks, the margin cards and the profile', { timeout: 300_000 }, async () => {
    const view = shownView(page)
    await view.getByTestId('whatif-name').fill('paper')
    await view.getByTestId('whatif-create').click()
    await poll(() => view.getByTestId('whatif-book').inputValue()).toBe('paper')

    // Keyboard first: "/" focuses the search, typing narrows the list, Enter picks and moves to the quantity.
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('/')
    await expect(focused()).resolves.toBe('leg-instrument')
    await page.keyboard.type(LEG, { delay: 15 })
    const choices = view.getByTestId('leg-choices').getByRole('option')
    await poll(() => choices.count()).toBe(1)
    await expect(choices.first().textContent()).resolves.toContain(LEG)
    await page.keyboard.press('Enter')
    await expect(focused()).resolves.toBe('leg-quantity')
    // The demo book has two Deribit accounts: the leg's account is the user's choice, never a guess.
    await page.keyboard.type('5')
    await expect(view.getByTestId('leg-problem').textContent()).resolves.toMatch(/choose the account/)
    await view.getByTestId('leg-account').selectOption('deribit/options')
    await view.getByTestId('leg-quantity').press('Enter')

    const legs = view.getByTestId('whatif-legs')
    await legs.getByText(LEG).waitFor()
    await legs.getByText(/mark 0\.13206676 \+ half the spread/).waitFor()
    // The premium paid, 5 × 0.13431676 = 0.6715838 BTC, in its own column.
    await legs.getByText(/^[-−]0\.6715838 BTC$/).waitFor()
    await settled()
    await poll(deltaChange).not.toBe('0.0000')

    // The change is the leg's: 5 × Deribit's delta net of the premium and its vega, and what `riskdesk whatif show` says.
    const cli = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    const cliChange = cli.change.greeks.find((g) => g.underlying === 'BTC')!
    const shownDelta = num(await deltaChange())
    expect(shownDelta).toBeCloseTo(legDelta(5), 3)
    expect(shownDelta).toBeCloseTo(cliChange.delta, 4)
    const shownVega = num(await view.getByTestId('greek-BTC-vegaUsd').getByTestId('change').textContent())
    expect(shownVega).toBeCloseTo(5 * chainGreek('vega'), -1)
    expect(shownVega).toBe(Math.round(cliChange.vegaUsd))

    // Margin cards before → after for both accounts, and the bucket table by tenor.
    await view.getByTestId('whatif-margin-deribit/options/BTC').waitFor()
    await view.getByTestId('whatif-margin-deribit/hedge/BTC').waitFor()
    await view.getByTestId('buckets-tenor').click()
    await expect(view.getByTestId('whatif-buckets').textContent()).resolves.toContain('30–90d')

    // The profile: three dates, before (dashed) and after (solid), and its points are the API's.
    const chart = view.getByTestId('profile-chart')
    await chart.locator('.main-svg').first().waitFor()
    const traces = () => chart.evaluate((el) => ((el as unknown as { data?: Array<{ name: string; y: number[] }> }).data ?? []).map((t) => ({ name: t.name, y: t.y })))
    await poll(async () => (await traces()).filter((t) => /^(today|\+7 d|at expiry), (before|after)$/.test(t.name)).length).toBe(6)
    const profile = JSON.parse(await riskdeskCli(db, 'profile', '--whatif', 'paper', '--json')) as RiskProfile
    const afterToday = (await traces()).find((t) => t.name === 'today, after')!
    expect(afterToday.y[50]).toBeCloseTo(profile.curves[0]!.after![50]!, 6)
    expect(afterToday.y[100]).toBeCloseTo(profile.curves[0]!.after![100]!, 6)
    const names = (await traces()).map((t) => t.name)
    expect(names).toEqual(expect.arrayContaining(['index now', 'liquidation after', '±1σ, ±2σ']))
    // VaR and ES before and after (historical, 99 %, 1 day): before = the plain book's `riskdesk var`, and both
    // sides as `riskdesk whatif show --var` gives them.
    await view.getByTestId('whatif-var-run').click()
    const varRows = view.getByTestId('whatif-var-table').locator('tbody tr')
    await varRows.first().waitFor()
    const shownVar = await varRows.first().locator('td').allTextContents()
    const book = JSON.parse(await riskdeskCli(db, 'var', '--portfolio', 'demo', '--json')) as { var: number }
    const whatIfVar = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--var', '--json')) as { before: { var: number }; after: { var: number } }
    expect(num(shownVar[1]!)).toBe(Math.round(book.var))
    expect(num(shownVar[1]!)).toBe(Math.round(whatIfVar.before.var))
    expect(num(shownVar[2]!)).toBe(Math.round(whatIfVar.after.var))
    expect(problems).toEqual([])
    writeFileSync(join(testOutputDir(), 'whatif-view-light.png'), await page.screenshot({ fullPage: true }))
  })

  it('resizes the leg as its quantity is typed over, shifts the vols, and shows it in the dark theme', { timeout: 300_000 }, async () => {
    const view = shownView(page)
    const cli = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    const leg = cli.legs[0]!
    const field = view.getByTestId(`leg-quantity-${leg.id}`)
    await field.fill('10')
    // Resized, the leg keeps its entry price: 10 × (0.60978 − 0.13431676) = 4.7546 coin.
    await poll(async () => num(await deltaChange())).toBeCloseTo(legDelta(10), 3)
    await settled()
    const resized = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    expect(resized.legs[0]!.quantity).toBe('10')

    await view.getByTestId('profile-vol-shift').fill('10')
    await expect(view.getByTestId('profile-vol-shift-value').textContent()).resolves.toBe('+10 pts')
    const chart = view.getByTestId('profile-chart')
    await chart.getByText('vols shifted +10 pts').waitFor()

    await page.getByTestId('theme-picker').selectOption('dark')
    await settled()
    await page.waitForTimeout(1_000)
    writeFileSync(join(testOutputDir(), 'whatif-view-dark.png'), await page.screenshot({ fullPage: true }))
    await page.getByTestId('theme-picker').selectOption('light')

    // Removing the leg brings every change back to zero.
    await view.getByTestId(`leg-remove-${leg.id}`).click()
    await poll(deltaChange).toBe('0.0000')
    expect(problems).toEqual([])
  })

  it('suggests a perpetual hedge of the delta, adds its leg, and the book’s delta lands in the band', { timeout: 300_000 }, async () => {
    const view = shownView(page)
    await settled()
    const panel = view.getByTestId('hedge-panel')
    const target = panel.getByTestId('hedge-target-0')
    await expect(target.getByTestId('hedge-greek').inputValue()).resolves.toBe('delta')
    await target.getByTestId('hedge-band').fill('0.5')
    await panel.getByTestId('hedge-kind-future').uncheck()
    await panel.getByTestId('hedge-run').click()
    await poll(() => panel.getByTestId('hedge-status').textContent()).toBe('optimal')
    const legs = panel.getByTestId('hedge-legs').locator('tbody tr')
    await expect(legs.count()).resolves.toBe(1)
    const row = await legs.first().locator('td').allTextContents()
    expect(row[0]).toBe('BTC-PERPETUAL')
    const contracts = num(row[3]!.replace(' usd', '')) / 10
    expect(Number.isInteger(contracts)).toBe(true)
    // The delta to hedge is the book's (the what-if has no leg now): a perpetual of USD face −delta × index (its
    // coin delta is face ÷ mark, the mark being the index here), to within the band (0.5 coin) and one contract.
    const before = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    const book = before.after.greeks.find((g) => g.underlying === 'BTC')!
    const index = book.deltaUsd / book.delta
    expect(Math.abs(contracts * 10 + book.deltaUsd)).toBeLessThanOrEqual(0.5 * index + 10)
    const hedgeAfter = num(await panel.getByTestId('hedge-targets-result').locator('tbody tr').first().locator('td').nth(2).textContent())
    writeFileSync(join(testOutputDir(), 'whatif-hedge-light.png'), await page.screenshot({ fullPage: true }))

    await panel.getByTestId('hedge-add').click()
    await panel.getByTestId('hedge-added').waitFor()
    await view.getByTestId('whatif-legs').getByText('BTC-PERPETUAL').waitFor()
    await settled()
    const after = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    expect(after.legs.map((l) => [l.instrument, l.quantity])).toEqual([['BTC-PERPETUAL', String(contracts * 10)]])
    const afterDelta = after.after.greeks.find((g) => g.underlying === 'BTC')!.delta
    expect(Math.abs(afterDelta)).toBeLessThanOrEqual(0.5)
    const shownAfter = await view.getByTestId('greek-BTC-delta').locator('td').nth(2).textContent()
    expect(num(shownAfter)).toBeCloseTo(afterDelta, 4)
    // The hedge's own after-figure is the what-if's after-delta once its leg is in (the same book, the same pricer).
    expect(hedgeAfter).toBeCloseTo(afterDelta, 4)

    // A vega target with perpetuals only cannot be met, and the panel says why.
    await target.getByTestId('hedge-greek').selectOption('vega')
    await target.getByTestId('hedge-band').fill('10')
    await panel.getByTestId('hedge-run').click()
    await poll(() => panel.getByTestId('hedge-status').textContent()).toBe('infeasible')
    await expect(panel.getByTestId('hedge-reason').textContent()).resolves.toMatch(/vega cannot move with the allowed candidates \(perpetual\)/)
    await expect(panel.getByTestId('hedge-add').count()).resolves.toBe(0)
    expect(problems).toEqual([])
  })

  it('adds an unlisted option as a custom leg, priced off the surface and labelled so', { timeout: 300_000 }, async () => {
    const view = shownView(page)
    await settled()
    const iv = (name: string) => Number((parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>).find((r) => r.instrument_name === name)!.mark_iv)
    await view.getByTestId('leg-instrument').fill('BTC-26JUN20-9500-C')
    await poll(() => view.getByTestId('leg-choices').count()).toBe(0) // not listed: nothing to pick
    await view.getByTestId('leg-custom').check()
    await view.getByTestId('leg-account').selectOption('deribit/options')
    await view.getByTestId('leg-quantity').fill('1')
    await view.getByTestId('leg-quantity').press('Enter')
    const cell = view.getByTestId('whatif-legs').getByText(/option, off the surface \(σ [\d.]+ %\)/)
    await cell.waitFor()
    const sigma = Number(/σ ([\d.]+) %/.exec((await cell.textContent())!)![1])
    expect(sigma).toBeLessThan(iv('BTC-26JUN20-9000-C'))
    expect(sigma).toBeGreaterThan(iv('BTC-26JUN20-10000-C'))
    const cli = JSON.parse(await riskdeskCli(db, 'whatif', 'show', 'paper', '--json')) as WhatIfReport
    const leg = cli.legs.find((l) => l.instrument === 'BTC-26JUN20-9500-C')!
    expect(leg.custom!.surfaceVol).toBeCloseTo(sigma, 1)
    await view.getByTestId(`leg-remove-${leg.id}`).click()
    await poll(() => view.getByTestId('whatif-legs').getByText('BTC-26JUN20-9500-C').count()).toBe(0)
    expect(problems).toEqual([])
  })
})

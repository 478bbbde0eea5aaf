/**
 * The whole book (issue "Whole-book exposure"): balances and spot count as risk, each book keeps its own
 * market, everything as of the valuation date. Real SQLite file, real worker threads, the real Deribit chain
 * of 2020-05-14 and the real BTC daily closes (shared/data/real, SOURCES.md).
 *
 * Independent figures:
 *  - the chain's BTC index: the index_price of its latest row (timestamp 1589435046537), read from the file
 *    by this test with a plain CSV reader — every line on BTC is valued at that one index;
 *  - P&L of coin held = amount × index × shock (a coin balance is 1 coin of delta per coin);
 *  - the margin engine's account equity (Deribit "equity": balance + futures P&L + option value), an
 *    independent path through domain/margin: the book's total USD P&L must equal the change of the sum of
 *    its accounts' USD equity;
 *  - σ of daily log returns computed by hand (Python, shown in the test) from the file's closes.
 */
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MarginReport, PositionsReport, StressResult } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { StressPool } from '../../src/main/engine/stressPool'
import { importFile } from '../../src/main/services/importService'
import { marginReport, marginUnderStress } from '../../src/main/services/marginService'
import { saveSet } from '../../src/main/services/scenarioService'
import { runStress } from '../../src/main/services/stressService'
import { valueBook } from '../../src/main/services/valuationService'
import { runRiskdesk } from '../support/cli'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, FIXTURES, REAL, REPO, tempDir } from '../support/paths'
import { stressRequest } from '../../src/shared/stressApi'
import { marginStressRequest } from '../../src/shared/marginApi'

const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
const INDEX = Number(chain.reduce((a, b) => (Number(b.timestamp) > Number(a.timestamp) ? b : a)).index_price)
const DEMO = join(REPO, 'resources', 'demo')
const WHOLE = join(FIXTURES, 'wholebook')

let db: Db
let pool: StressPool

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'whole.db'))
  pool = new StressPool({ workers: 2 })
  importFile(db, CHAIN_2020_05_14)
  importFile(db, join(WHOLE, 'ten-btc-collateral-balances.csv'), { portfolio: 'treasury' })
  importFile(db, join(WHOLE, 'usdt-btc-usd-balances.csv'), { portfolio: 'spot-desk' })
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
})
afterAll(async () => {
  await pool.close()
  db.close()
})

describe('balances are positions of the book', () => {
  it('a book of only 10 BTC of collateral has delta 10 BTC and P&L of exactly 10 × index × shock at every spot shock', async () => {
    expect(INDEX).toBe(9347.68)
    const r = valueBook(db, { portfolio: 'treasury' }).report
    expect(r.positions).toHaveLength(1)
    expect(r.positions[0]).toMatchObject({ origin: 'balance', kind: 'spot', instrument: 'BTC balance', quantity: '10', delta: 10, valueUsd: 10 * INDEX })
    expect(r.totals[0]).toMatchObject({ underlying: 'BTC', indexPrice: INDEX, delta: 10, balance: 10, derivativesDelta: 0, gamma: 0, vegaUsd: 0 })
    expect(r.totals[0]!.deltaUsd).toBeCloseTo(10 * INDEX, 9)
    expect(r.market.indices).toEqual([expect.objectContaining({ underlying: 'BTC', price: INDEX })])

    const s = await runStress(db, pool, stressRequest.parse({ portfolio: 'treasury' }))
    expect(s.balances).toBe(1)
    s.spotShocks!.forEach((shock, i) =>
      s.volShocks!.forEach((_, j) => {
        expect(s.pnlUsd![i]![j]).toBeCloseTo(10 * INDEX * shock, 8)
        expect(s.derivativesPnlUsd![i]![j]).toBe(0)
      }),
    )
    // Measured in BTC the holding stays 10 BTC whatever the price.
    for (const sc of s.scenarios) expect(sc.bookPnlInCoin.BTC).toBeCloseTo(0, 12)
    expect(s.worst).toMatchObject({ name: 'spot -50%, vol -30', driver: { instrument: 'BTC balance', account: 'treasury' } })
    expect(s.worst!.pnlUsd).toBeCloseTo(-5 * INDEX, 8)
  })

  it('values USD stablecoins at par, never moves them with BTC, and lets a scenario de-peg them; USD is cash', async () => {
    const r = valueBook(db, { portfolio: 'spot-desk' }).report
    const line = (c: string) => r.positions.find((p) => p.instrument === `${c} balance`)!
    expect(line('USDT')).toMatchObject({ markPrice: 1, valueUsd: 50_000, delta: 50_000 })
    expect(line('USDT').markSource).toMatch(/par/)
    expect(line('USD')).toMatchObject({ valueUsd: 1000, delta: 0, markSource: 'USD is the numeraire (cash)' })
    expect(line('BTC').valueUsd).toBeCloseTo(2 * INDEX, 9)
    expect(r.book.valueUsd).toBeCloseTo(50_000 + 1000 + 2 * INDEX, 2)
    expect(r.totals.map((t) => t.underlying).sort()).toEqual(['BTC', 'USDT'])
    expect(r.market.notes.some((n) => /USDT valued at par/.test(n))).toBe(true)

    const grid = await runStress(db, pool, stressRequest.parse({ portfolio: 'spot-desk' }))
    grid.spotShocks!.forEach((shock, i) => expect(grid.pnlUsd![i]![0]).toBeCloseTo(2 * INDEX * shock, 8))
    saveSet(db, { name: 'USDT de-peg', description: 'USDT −5 %, BTC unchanged', scenarios: [{ name: 'de-peg', spot: { driver: 'BTC', shock: 0, byUnderlying: { USDT: -0.05 } } }] })
    const depeg = await runStress(db, pool, stressRequest.parse({ portfolio: 'spot-desk', set: 'USDT de-peg' }))
    expect(depeg.scenarios[0]!.pnlUsd).toBeCloseTo(-0.05 * 50_000, 9)
  })

  it('an account with spot fills and no balance import holds what its fills add up to, and says so', () => {
    // The real Binance legacy spot export (shared/data/real/binance, everytrade v001): BUY 1.61 LTC at
    // 0.007393 BTC (total 0.01190273 BTC, fee 0.00161 LTC), SELL 0.96 LTC at 0.007384 (total 0.00708864 BTC,
    // fee 0.00000709 BTC). By hand: LTC 1.61 − 0.96 − 0.00161 = 0.64839; BTC −0.01190273 + 0.00708864 −
    // 0.00000709 = −0.00482118.
    importFile(db, join(REAL, 'binance', 'binance_spot_trade_history_legacy_semicolon_everytrade_v001.csv'), { portfolio: 'spot-fills' })
    const r = valueBook(db, { portfolio: 'spot-fills' }).report
    const qty = Object.fromEntries(r.positions.map((p) => [p.instrument, p.quantity]))
    expect(qty).toEqual({ 'LTC balance': '0.64839', 'BTC balance': '-0.00482118' })
    // BTC has the chain's index; LTC has none, so that line is kept with the reason and left out of totals.
    const btc = r.positions.find((p) => p.instrument === 'BTC balance')!
    expect(btc.valueUsd).toBeCloseTo(-0.00482118 * INDEX, 9)
    expect(btc.markSource).toMatch(/net of 2 spot fills .*started empty/)
    expect(r.positions.find((p) => p.instrument === 'LTC balance')!.error).toBe('no LTC index price in the market snapshot')
    expect(r.market.notes.some((n) => /binance\/main are the net of their spot fills/.test(n))).toBe(true)
  })

  it("the demo book's total USD P&L at −50 % and +50 % equals the change of its accounts' USD equity under margin --stress", async () => {
    const request = { portfolio: 'demo', set: 'grid', spot: { from: -50, to: 50, step: 100 }, vol: { from: 0, to: 0, step: 1 } }
    const stress = await runStress(db, pool, stressRequest.parse(request))
    const margin = marginUnderStress(db, marginStressRequest.parse(request))
    const equity = (cells: Array<{ equityUsd: string } | null>) => cells.reduce((a, c) => a + Number(c!.equityUsd), 0)
    const now = equity(margin.current)
    // Two accounts, each equity rounded to the cent: 1 cent of rounding each way.
    for (const [k, row] of [0, 1].entries()) {
      const change = equity(margin.cells[k]!) - now
      expect(Math.abs(stress.pnlUsd![row]![0]! - change), `spot ${stress.spotShocks![row]}`).toBeLessThan(0.03)
    }
    // What the issue measured by hand on this book: about −296,487 USD at −50 % and +66,400 USD at +50 %
    // (at an index of 9,347.57; this valuation uses the chain's one index 9,347.68).
    expect(stress.pnlUsd![0]![0]).toBeGreaterThan(-296_600)
    expect(stress.pnlUsd![0]![0]).toBeLessThan(-296_400)
    expect(stress.pnlUsd![1]![0]).toBeGreaterThan(66_300)
    expect(stress.pnlUsd![1]![0]).toBeLessThan(66_500)
    // The book's value now equals its accounts' equity (USD).
    expect(stress.valueUsd).toBeCloseTo(now, 1)
  })
})

describe('each book keeps its own market', () => {
  it("importing a Deribit get_positions dump into another portfolio leaves the demo's positions, greeks, stress and margin output byte-identical", async () => {
    const dir = tempDir()
    const file = join(dir, 'cli.db')
    expect((await runRiskdesk(file, 'demo', '--json')).code).toBe(0)
    const outputs = async () => {
      const runs = await Promise.all([
        runRiskdesk(file, 'positions', '--portfolio', 'demo', '--json'),
        runRiskdesk(file, 'greeks', '--portfolio', 'demo', '--json'),
        runRiskdesk(file, 'stress', '--portfolio', 'demo', '--json', '--workers', '1'),
        runRiskdesk(file, 'margin', '--portfolio', 'demo', '--json'),
      ])
      for (const r of runs) expect(r.code, r.stderr).toBe(0)
      // A stress run is a new stored run with its own duration: its id and elapsed time differ by nature.
      const stress = JSON.parse(runs[2]!.stdout) as Partial<StressResult>
      delete stress.runId
      delete stress.elapsedMs
      return [runs[0]!.stdout, runs[1]!.stdout, JSON.stringify(stress), runs[3]!.stdout]
    }
    const before = await outputs()
    const imported = await runRiskdesk(file, 'import', DERIBIT_POSITIONS, '--portfolio', 'other', '--json')
    expect(imported.code, imported.stderr).toBe(0)
    const after = await outputs()
    expect(after).toEqual(before)

    // The other portfolio sees its own dump: the perpetual at its mark 7,476.65 and the dump's index 7,466.79.
    const other = JSON.parse((await runRiskdesk(file, 'positions', '--portfolio', 'other', '--json')).stdout) as PositionsReport
    expect(other.positions[0]).toMatchObject({ markPrice: 7476.65, indexPrice: 7466.79 })
    // …while the demo's perpetual, which has no quote in the chain, stays at the chain's index.
    const demo = JSON.parse(before[0]!) as PositionsReport
    expect(demo.positions.find((p) => p.instrument === 'BTC-PERPETUAL')).toMatchObject({ markPrice: INDEX, indexPrice: INDEX })
    expect(demo.market.indices).toEqual([expect.objectContaining({ underlying: 'BTC', price: INDEX })])
  })

  it('values a book at the market of its own time; --as-of picks another stored snapshot; a future as-of is refused', () => {
    // A book imported on 2020-05-01 (before the chain's 2020-05-14 snapshot was taken) is valued at what was
    // known then: the chain is newer, so its options have no quote, and the report says how to use it.
    const early = Date.UTC(2020, 4, 1)
    importFile(db, join(FIXTURES, 'generic', 'single-long-call.csv'), { portfolio: 'early', now: early })
    const asBooked = valueBook(db, { portfolio: 'early' }, Date.UTC(2026, 0, 1)).report
    expect(asBooked.market.rule).toBe('book')
    expect(asBooked.market.cutoff).toBe(new Date(early).toISOString())
    expect(asBooked.positions[0]!.error).toMatch(/no .*index price|no quote/)
    expect(asBooked.market.notes.some((n) => /newer market snapshot.*--as-of latest/.test(n))).toBe(true)
    const latest = valueBook(db, { portfolio: 'early', asOf: 'latest' }, Date.UTC(2026, 0, 1)).report
    expect(latest.market.rule).toBe('latest')
    expect(latest.positions[0]!.error).toBeNull()
    expect(latest.valuationTime).toBe('2020-05-14T05:44:06.537Z')
    const onDate = valueBook(db, { portfolio: 'early', asOf: '2020-05-14' }, Date.UTC(2026, 0, 1)).report
    expect(onDate.positions[0]!.markPrice).toBe(latest.positions[0]!.markPrice)
    expect(() => valueBook(db, { portfolio: 'early', asOf: '2026-06-01' }, Date.UTC(2026, 0, 1))).toThrow(/in the future/)
    expect(() => valueBook(db, { portfolio: 'early', asOf: '2020-02-30' })).toThrow(/calendar date/)
  })

  it('uses one index per underlying for every line and says which', () => {
    const r = valueBook(db, { portfolio: 'demo' }).report
    const indices = new Set(r.positions.filter((p) => p.underlying === 'BTC' && p.error === null).map((p) => p.indexPrice))
    expect([...indices]).toEqual([INDEX])
    expect(r.market.indices[0]!.source).toMatch(/index price, deribit-option-chain deribit_btc_option_chain_2020-05-14/)
    expect(r.market.snapshots).toEqual([expect.objectContaining({ venue: 'deribit', scope: 'shared', quotesUsed: 15 })])
  })
})

describe('σ as of the valuation date', () => {
  it('distance to liquidation uses the 365 daily returns ending on the valuation date, not the end of the file', () => {
    const dir = tempDir()
    const sigmaDb = openDatabase(join(dir, 'sigma.db'))
    try {
      importFile(sigmaDb, CHAIN_2020_05_14)
      for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(sigmaDb, join(DEMO, f), { portfolio: 'demo' })
      const closes = join(dir, 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv')
      copyFileSync(join(REAL, 'market', 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv'), closes)
      importFile(sigmaDb, closes, { underlying: 'BTC' })
      // Computed by hand (Python, csv + math) from the file: the valuation instant is 2020-05-14T05:44:06Z,
      // so the last daily close known is the one dated 2020-05-13 (its day ended at 2020-05-14 00:00 UTC).
      // Closes dated 2019-05-14 … 2020-05-13 (366 closes, 7,990.92 … 9,321.26), 365 log returns, sample σ
      // 0.04757715871283633 (4.76 %/day). The file's last 365 returns (2024-09-24 … 2025-09-24) give 2.29 %.
      const report: MarginReport = marginReport(sigmaDb, { portfolio: 'demo', sigma: 'history' })
      const hedge = report.accounts.find((a) => a.key === 'deribit/hedge/BTC')!
      const cross = hedge.liquidation[0]!
      expect(cross.dailyVol).toBeCloseTo(0.04757715871283633, 12)
      expect(cross.dailyVolSource).toMatch(/365 daily log returns .* 2019-05-14 … 2020-05-13 .*ending on the valuation date 2020-05-14/)
      // The hedge account's distance: about 3.3 daily σ (the hand figure), not 6.8.
      expect(cross.below!.dailySigmas).toBeGreaterThan(3.2)
      expect(cross.below!.dailySigmas).toBeLessThan(3.4)
    } finally {
      sigmaDb.close()
    }
  })
})

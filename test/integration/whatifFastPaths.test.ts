/**
 * The what-if recompute's fast paths (issue 13's bench) give the slow paths' figures to the bit. Real SQLite file, the
 * real Deribit chain of 2020-05-14 and Binance's USDⓈ-M positionRisk docs example (shared/data/real, SOURCES.md), the
 * bundled demo book.
 *
 *  - Adding a leg (valuationService.ts valueExtraLine: the book's market without valuing its lines) against the slow
 *    path, valueBook of the whole book with that one line: the same market inputs, mark source and refusals, for a
 *    spread of the chain's instruments; the bid/ask it returns against the chain file's own best_bid_price and
 *    best_ask_price columns (read here with a plain CSV reader); a perpetual on an underlying the book does not hold
 *    and has no stored index, whose own mark becomes the index (Binance ADAUSDT, markPrice 0.41047590 in the file).
 *  - Liquidation and bankruptcy prices along one shared price path (liquidation.ts AccountPricePath, totals only while
 *    scanning) against the solve as it was written before: solvers.ts firstCrossing on h built from revalueAccount at
 *    every call, once for the liquidation threshold and again for bankruptcy (cross on the demo book; isolated on
 *    Binance's 2020 USDⓈ-M worked example, its positions and marks). Same factors, prices and valuations
 *    (toBe / toEqual, no tolerance), and every distinct factor revalued once (and each price found once more, for its
 *    per-position rows).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/main/db/database'
import { findPortfolio } from '../../src/main/db/bookStore'
import { instrumentsNamed } from '../../src/main/db/whatifStore'
import { importFile } from '../../src/main/services/importService'
import { removePositions } from '../../src/main/services/portfolioService'
import { buildMarginBook } from '../../src/main/services/marginBook'
import { valueBook, valueExtraLine, type ExtraLine, type ExtraLineValuation } from '../../src/main/services/valuationService'
import {
  AccountPricePath,
  bankruptcyPrices,
  crossLiquidationPrices,
  isolatedLiquidationPrices,
  revalueAccount,
  type LiquidationPrices,
  type MarginAccount,
  type MarginRule,
} from '../../src/main/domain/margin/index'
import { firstCrossing } from '../../src/main/domain/margin/solvers'
import { binanceRule } from '../../src/main/domain/margin/rules'
import { BINANCE_USDM_BTCUSDT, selectAsOf } from '../../src/main/domain/margin/params/index'
import { buildTierTable, singleTier } from '../../src/main/domain/margin/tiers'
import { account, futurePosition, linearFuture } from '../unit/margin/helpers'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, REAL, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
const chain = parse(readFileSync(CHAIN_2020_05_14), { columns: true }) as Array<Record<string, string>>
let db: Db

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'fast-paths.db'))
  importFile(db, CHAIN_2020_05_14)
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'demo' })
})
afterAll(() => db.close())

const lineOf = (name: string, account: string, quantity: string, entryPrice: string | null = null): ExtraLine => {
  const [found] = instrumentsNamed(db, name)
  if (!found) throw new Error(`${name} is not stored`)
  return { id: 0, venue: found.instrument.venue, account, instrument: found.instrument, quantity, entryPrice }
}
/** A leg at the chain file's own mark (options, coin) or at a given price. */
const legAt = (name: string, account: string, quantity: string, price?: string) =>
  lineOf(name, account, quantity, price ?? chain.find((r) => r.instrument_name === name)!.mark_price!)

/** The slow path: the whole book valued with the line; the line's row and engine inputs. */
function slow(portfolio: string, line: ExtraLine, now: number) {
  const valued = valueBook(db, { portfolio }, now, [line])
  const row = valued.report.positions.find((r) => r.origin === 'whatif')!
  const at = valued.engineRows.indexOf(row)
  return { row, inputs: at >= 0 ? valued.engine[at]!.inputs : null, scope: valued.scope }
}

describe('a leg priced without valuing the book', () => {
  it('gives valueBook\'s inputs and mark source for the chain\'s instruments, and refuses what valueBook does not value', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    const portfolio = findPortfolio(db, 'demo')
    // Every 12th instrument of the chain file (options of every expiry, calls and puts), its futures and the
    // perpetual the demo's hedge account holds (marked at the index: no quote of its own).
    const names = [...new Set(chain.filter((_, i) => i % 12 === 0).map((r) => r.instrument_name!)), 'BTC-25SEP20', 'BTC-26JUN20', 'BTC-PERPETUAL']
    expect(names.length).toBeGreaterThan(20)
    for (const name of names) {
      for (const quantity of ['-3', '7']) {
        const line = lineOf(name, 'options', quantity)
        const answer = valueExtraLine(db, portfolio, undefined, now, line)
        const s = slow('demo', line, now)
        if (s.row.error !== null) {
          expect(answer, `${name} is refused by valueBook: ${s.row.error}`).toEqual({ error: s.row.error })
          continue
        }
        expect('error' in answer, name).toBe(false)
        const fast = answer as ExtraLineValuation
        expect(fast.inputs, name).toEqual(s.inputs)
        expect(fast.markSource, name).toBe(s.row.markSource)
        expect(fast.scope, name).toEqual(s.scope)
        const q = chain.find((r) => r.instrument_name === name)
        if (q && Number(q.best_bid_price) > 0 && Number(q.best_ask_price) > 0) {
          // An option's quote: the chain file's own columns.
          expect(fast.quote!.bidPrice, name).toBe(Number(q.best_bid_price))
          expect(fast.quote!.askPrice, name).toBe(Number(q.best_ask_price))
          expect(fast.inputs.mark, name).toBe(Number(q.mark_price))
        }
      }
    }
  })

  it('refuses an option expired at the market\'s instant with valueBook, and a perpetual\'s own mark stands for a missing index', () => {
    // Deribit's get_positions example has no time: stamped at import (now), it makes the market's instant today
    // for the portfolio it is imported into, and every option of the 2020 chain is expired there: valueBook refuses
    // such a leg, and so must the fast path.
    importFile(db, DERIBIT_POSITIONS, { portfolio: 'dump', account: 'acct-1' })
    const now = Date.now()
    const expiredLine = lineOf('BTC-26JUN20-9000-C', 'acct-1', '1')
    const s = slow('dump', expiredLine, now)
    expect(s.row.error).toMatch(/^expired: awaiting settlement: BTC-26JUN20-9000-C expired 2020-06-26T08:00:00.000Z/)
    expect(valueExtraLine(db, findPortfolio(db, 'dump'), undefined, now, expiredLine)).toEqual({ error: s.row.error })
    // The book's own perpetual, added again: valued on both paths alike (its quote carries the index).
    const perp = lineOf('BTC-PERPETUAL', 'acct-1', '-1000')
    expect((valueExtraLine(db, findPortfolio(db, 'dump'), undefined, now, perp) as ExtraLineValuation).inputs).toEqual(slow('dump', perp, now).inputs)

    // Binance's positionRisk example: one ADAUSDT perpetual, mark 0.41047590, no index. With the position removed,
    // the book holds no ADA and no ADA index is stored: only a leg's own quote can give ADA its index.
    importFile(db, join(REAL, 'binance', 'binance_usdm_positionRisk_v3_oneway_docs_example.jsonc'), { portfolio: 'ada', account: 'main' })
    removePositions(db, { portfolio: 'ada', instrument: 'ADAUSDT' })
    const ada = lineOf('ADAUSDT', 'main', '100')
    const fast = valueExtraLine(db, findPortfolio(db, 'ada'), undefined, now, ada) as ExtraLineValuation
    const adaSlow = slow('ada', ada, now)
    expect(adaSlow.row.error).toBeNull()
    expect(fast.inputs).toEqual(adaSlow.inputs)
    expect(fast.inputs.index).toBe(0.4104759)
    expect(fast.inputs.mark).toBe(0.4104759)
    expect(fast.markSource).toBe(adaSlow.row.markSource)
  })
})

/** The solve as written before the shared path: h from revalueAccount at every call, each threshold scanned apart. */
function reference(account: MarginAccount, rule: MarginRule, underlying: string) {
  const factors = new Set<number>()
  const at = (f: number) => {
    factors.add(f)
    return revalueAccount(account, rule, { spot: { [underlying]: f - 1 } })
  }
  const solve = (h: (f: number) => number) => (h(1) <= 0 ? { breached: true as const } : { breached: false as const, below: firstCrossing(h, -1), above: firstCrossing(h, 1) })
  const liquidation = solve((f) => {
    const v = at(f)
    return v.equity - v.maintenanceMargin - v.liquidationFee
  })
  const bankruptcy = solve((f) => at(f).equity)
  return { liquidation, bankruptcy, factors, at }
}

/** The rule with its per-position requirement counted (one call per position per revaluation). */
function counted(rule: MarginRule): { rule: MarginRule; calls: () => number } {
  let n = 0
  return { rule: { ...rule, position: (v) => (n++, rule.position!(v)) }, calls: () => n }
}

function expectSame(solved: LiquidationPrices, ref: ReturnType<typeof reference>['liquidation'], at: (f: number) => unknown) {
  expect(solved.alreadyBreached).toBe(ref.breached)
  if (ref.breached) return
  for (const side of ['below', 'above'] as const) {
    const r = ref[side]
    const p = solved[side]
    if (r === null) {
      expect(p, side).toBeNull()
      continue
    }
    expect(p!.factor, side).toBe(r.factor)
    expect(p!.valuation, side).toEqual(at(r.factor))
  }
}

describe('liquidation and bankruptcy prices along one shared price path', () => {
  it('equal the solves revaluing at every call, on the demo accounts and with legs that bring both prices in range', () => {
    const legs: Array<[string, ExtraLine[]]> = [
      ['demo', []],
      // Short calls: liquidation above; a short perpetual on top in the hedge account.
      ['short calls', [legAt('BTC-26JUN20-9000-C', 'options', '-150'), legAt('BTC-PERPETUAL', 'hedge', '-300000', '9350')]],
      // Short puts and calls: a liquidation price on both sides.
      ['short strangle', [legAt('BTC-26JUN20-7000-P', 'options', '-200'), legAt('BTC-26JUN20-13000-C', 'options', '-200')]],
    ]
    let prices = 0
    for (const [label, extra] of legs) {
      const book = buildMarginBook(db, { portfolio: 'demo' }, Date.parse('2026-01-01T00:00:00Z'), extra)
      for (const a of book.accounts) {
        const rule = a.resolved!.rule
        const ref = reference(a.model, rule, 'BTC')
        const c = counted(rule)
        const path = new AccountPricePath(a.model, c.rule, 'BTC')
        const liq = crossLiquidationPrices(a.model, c.rule, 'BTC', { path })
        const bk = bankruptcyPrices(a.model, c.rule, 'BTC', undefined, { path })
        expectSame(liq, ref.liquidation, ref.at)
        expectSame(bk, ref.bankruptcy, ref.at)
        // Each factor the two solves ask for is revalued once for its totals, and each price found once more for its
        // rows (the Deribit standard rule: one requirement call per position and revaluation).
        const points = new Set([liq.below, liq.above, bk.below, bk.above].flatMap((p) => (p ? [p.factor] : [])))
        expect(c.calls(), `${label} ${a.key}`).toBe((ref.factors.size + points.size) * a.model.positions.length)
        prices += [liq.below, liq.above, bk.below, bk.above].filter((p) => p !== null).length
      }
    }
    // The cases reach prices on both sides (not only "none in range").
    expect(prices).toBeGreaterThanOrEqual(4)
  })
  it('equal them for isolated positions too (Binance USDⓈ-M, the 2020 worked example\'s BTCUSDT isolated beside a cross ETHUSDT)', () => {
    // Binance's 2020 USDⓈ-M example (FAQ b3c689c1f50a44cabb3a84e663b81d93): BTCUSDT short 0.005 at 9,451.53 (mark
    // 9,462.81) and ETHUSDT long 1 at 199.53 (mark 200); here BTCUSDT isolated with 5 USDT of margin, ETHUSDT cross.
    const btc = linearFuture('BTCUSDT', 'BTC')
    const acct = account('USDT', 10.72, [
      futurePosition(btc, -0.005, 9_451.53, 9_462.81, { isolatedMargin: 5 }),
      futurePosition(linearFuture('ETHUSDT', 'ETH'), 1, 199.53, 200),
    ])
    const rule = binanceRule({ kind: 'usdm', brackets: (name) => (name === 'BTCUSDT' ? buildTierTable(selectAsOf(BINANCE_USDM_BTCUSDT, '2020-06-11').values) : singleTier(0.0065, 0, 'USDT')) })
    const factors = new Set<number>()
    const rowAt = (f: number) => {
      factors.add(f)
      return revalueAccount(acct, rule, { spot: { BTC: f - 1 } }).positions.find((x) => x.id === 'BTCUSDT')!
    }
    const liqGap = (f: number) => {
      const r = rowAt(f)
      return r.isolatedEquity! - r.maintenanceMargin! - r.liquidationFee!
    }
    const bkGap = (f: number) => rowAt(f).isolatedEquity!
    expect(liqGap(1)).toBeGreaterThan(0)
    const liqRef = { breached: false as const, below: firstCrossing(liqGap, -1), above: firstCrossing(liqGap, 1) }
    const bkRef = { breached: false as const, below: firstCrossing(bkGap, -1), above: firstCrossing(bkGap, 1) }
    const c = counted(rule)
    const path = new AccountPricePath(acct, c.rule, 'BTC')
    const liq = isolatedLiquidationPrices(acct, c.rule, 'BTCUSDT', { path })
    const bk = bankruptcyPrices(acct, c.rule, 'BTC', 'BTCUSDT', { path })
    const at = (f: number) => revalueAccount(acct, rule, { spot: { BTC: f - 1 } })
    expectSame(liq, liqRef, at)
    expectSame(bk, bkRef, at)
    // A short: liquidated and bankrupt above only.
    expect([liq.below, liq.above !== null, bk.below, bk.above !== null]).toEqual([null, true, null, true])
    const points = new Set([liq.above!.factor, bk.above!.factor])
    expect(c.calls()).toBe((factors.size + points.size) * acct.positions.length)
  })
})

/**
 * Must-show: for each supported trade-log format, a fixture whose replay gives a known position, average
 * entry and realized P&L, computed by hand in the comments — inverse contracts included. Fixtures:
 * test/fixtures/importers/<venue>/ (synthetic rows in each venue's documented layout; newest row first,
 * as the venues export, unless said otherwise).
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBalances } from '../../../src/main/db/balanceStore'
import { currentBook, findPortfolio } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { importFile, type ImportOptions } from '../../../src/main/services/importService'
import { valueBook } from '../../../src/main/services/valuationService'
import { importIssuesOf } from '../../support/importFailure'
import { IMPORT_FIXTURES, tempDir } from '../../support/paths'

let db: Db
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterEach(() => db.close())

const NOW = Date.UTC(2026, 10, 21)
const imp = (rel: string, o: ImportOptions = {}) => importFile(db, join(IMPORT_FIXTURES, rel), { portfolio: 'logs', now: NOW, ...o })
const positions = () => Object.fromEntries(currentBook(db, findPortfolio(db, 'logs').id).map((p) => [p.instrument.name, p]))
const totals = (importId: number) =>
  db
    .prepare<[number], { name: string | null; measure: string; currency: string; amount: string }>(
      `SELECT i.name, t.measure, t.currency, t.amount FROM trade_totals t LEFT JOIN instruments i ON i.id = t.instrument_id
       WHERE t.import_id = ? ORDER BY i.name, t.measure, t.currency`,
    )
    .all(importId)
    .map((t) => `${t.name ?? '(account)'} ${t.measure} ${t.amount} ${t.currency}`)

describe('Deribit transaction log (all four header versions)', () => {
  // BTC-PERPETUAL (inverse, USD face): open buy 10,000 @ 8000, open buy 10,000 @ 12000
  //   → 20,000 USD at the harmonic average 20,000 / (10,000/8000 + 10,000/12000) = 9600;
  // close sell 4,800 @ 16000 → realized 4800 × (1/9600 − 1/16000) = 4800/24000 = 0.2 BTC; 15,200 USD left at 9600.
  // Settlement row (04/06/20 08:00): Cash Flow 0.05, Funding −0.0001 → settlement 0.0501, funding −0.0001 (no effect on the above).
  // Fees charged 0.0005 + 0.0004 + 0.0002 = 0.0011 BTC.
  it.each(['v1', 'v2', 'v3', 'v4'])('header %s: 15,200 USD of BTC-PERPETUAL at 9600, 0.2 BTC realized', (v) => {
    const r = imp(`deribit/transaction_log-123456-BTC-2020-06-header-${v}.csv`)
    expect(r.format).toBe('deribit-transaction-log')
    expect(positions()['BTC-PERPETUAL']).toMatchObject({ quantity: '15200', entryPrice: '9600', entryTime: Date.UTC(2020, 5, 2, 10) })
    const t = totals(r.importId)
    expect(t).toContain('BTC-PERPETUAL realized_pnl 0.2 BTC')
    expect(t).toContain('BTC-PERPETUAL fees 0.0011 BTC')
    expect(t).toContain('BTC-PERPETUAL funding -0.0001 BTC')
    expect(t).toContain('BTC-PERPETUAL settlement 0.0501 BTC')
    expect(t).toContain('(account) deposit 1.5 BTC')
  })

  it('v4 with an option: 1 call bought at 0.1 BTC, 0.5 sold at 0.15, 0.5 delivered in the money', () => {
    // Option (coin-quoted): realized 0.5 × (0.15 − 0.1) = 0.025 BTC. Delivery at index 10,000: value per call
    // (10,000 − 9,000)/10,000 = 0.1 BTC (= Cash Flow 0.05 / 0.5), so the delivered half realizes 0.5 × (0.1 − 0.1) = 0.
    // The last row in time (26/06/20, line 2) leaves the BTC balance at 1.6733.
    const r = imp('deribit/transaction_log-123456-BTC-2020-06-header-v4.csv')
    expect(positions()['BTC-26JUN20-9000-C']).toBeUndefined()
    expect(totals(r.importId)).toContain('BTC-26JUN20-9000-C realized_pnl 0.025 BTC')
    expect(currentBalances(db, findPortfolio(db, 'logs').id)).toEqual([expect.objectContaining({ currency: 'BTC', amount: '1.6733', source: 'log' })])
    expect(r.asOf).toBe('2020-06-26T08:00:00.000Z')
  })
})

describe('Binance futures trade history', () => {
  it('new layout, times in the UTC−6 of the file name: USDⓈ-M linear and COIN-M inverse', () => {
    // BTCUSDT: buy 0.010 @ 60000, buy 0.030 @ 64000 → avg (600 + 1920)/0.04 = 63000; sell 0.020 @ 65000 → 0.02 × 2000 = 40 USDT.
    // BTCUSD_PERP (2 contracts = 200 USD): sell 200 @ 40000, sell 200 @ 60000 → avg 400/(0.005 + 0.0033…) = 48000;
    // buy 300 @ 32000 → 300 × (1/32000 − 1/48000) = 300/96000 = 0.003125 BTC; −100 USD left at 48000.
    // "24-03-01 06:00:00" in UTC−6 is 12:00 UTC.
    const r = imp('binance/Export Trade History-2024-03-fixture(UTC--6).csv')
    const p = positions()
    expect(p.BTCUSDT).toMatchObject({ quantity: '0.02', entryPrice: '63000', entryTime: Date.UTC(2024, 2, 1, 12) })
    expect(p.BTCUSD_PERP).toMatchObject({ quantity: '-100', entryPrice: '48000', instrument: { quantityUnit: 'usd', contractSize: '100' } })
    const t = totals(r.importId)
    expect(t).toContain('BTCUSDT realized_pnl 40 USDT')
    expect(t).toContain('BTCUSD_PERP realized_pnl 0.003125 BTC')
    expect(t).toContain('BTCUSDT fees 1.528 USDT')
    expect(r.notes.join('\n')).toMatch(/UTC-06:00 \(from the file name "UTC--6"\)/)
  })

  it('refuses an offset that contradicts the file name', () => {
    expect(() => imp('binance/Export Trade History-2024-03-fixture(UTC--6).csv', { utcOffset: '+00:00' })).toThrow(/disagrees with the file's own/)
  })

  it('old layout with quoted thousands separators and the fee asset in Quote Asset', () => {
    // ETHUSDT: buy 1.5 @ "1,800.00", sell 0.5 @ "2,000.00" → realized 0.5 × 200 = 100 USDT; 1 ETH left at 1800. Fees 1.08 + 0.4 USDT.
    const r = imp('binance/binance_futures_trade_history_old_layout_thousands.csv')
    expect(positions().ETHUSDT).toMatchObject({ quantity: '1', entryPrice: '1800' })
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['ETHUSDT realized_pnl 100 USDT', 'ETHUSDT fees 1.48 USDT', 'ETHUSDT venue_realized_pnl 100 USDT']))
  })
})

describe('Bybit transaction logs', () => {
  it('Unified Trading Account log with its UID preamble, 20-decimal numbers and -- for empty', () => {
    // BTCUSD (inverse): buy 1000 @ 20000, buy 1000 @ 30000 → avg 2000/(0.05 + 0.0333…) = 24000;
    // sell 1200 @ 40000 → 1200 × (1/24000 − 1/40000) = 1200/60000 = 0.02 BTC; 800 USD left at 24000.
    // ETHUSDT (linear): buy 2 @ 1500, sell 1 @ 1600 → 100 USDT; 1 ETH left at 1500.
    // SETTLEMENT (funding) Change −0.0001 BTC. Wallet balances of the latest rows: BTC 1.01983, USDT 1597.24.
    const r = imp('bybit/bybit_uta_transaction_log_with_preamble.csv')
    const p = positions()
    expect(p.BTCUSD).toMatchObject({ quantity: '800', entryPrice: '24000' })
    expect(p.ETHUSDT).toMatchObject({ quantity: '1', entryPrice: '1500' })
    const t = totals(r.importId)
    expect(t).toEqual(expect.arrayContaining(['BTCUSD realized_pnl 0.02 BTC', 'ETHUSDT realized_pnl 100 USDT', 'BTCUSD funding -0.0001 BTC', '(account) transfer 500 USDT']))
    expect(currentBalances(db, findPortfolio(db, 'logs').id).map((b) => `${b.currency} ${b.amount}`)).toEqual(['BTC 1.01983', 'USDT 1597.24'])
  })

  it('UTA log of a Bybit EU account (variant built from the documented columns): BTCEUR spot rows and BTCUSDT rows', () => {
    // Spot rows, one per currency (Bybit v5 transaction log: spot qty = that currency's signed change):
    //   buy 0.01 BTC @ 60,000 EUR, fee 0.00001 BTC; sell 0.004 BTC @ 65,000 EUR, fee 0.26 EUR (on the EUR leg).
    //   → spot fills BTC/EUR net 0.01 − 0.004 = 0.006 BTC; fees 0.00001 BTC and 0.26 EUR; the two EUR legs skipped.
    // Wallet Balance of each currency's last row: BTC 0.00599 (= 0.01 − 0.00001 − 0.004), EUR 659.74
    //   (= 1000 − 600 + 260 − 0.26), USDT 499.66725 (= 500 − fee 0.33275 = 0.01 × 60,500 × 0.055 %).
    // BTCUSDT (linear, as before): long 0.01 at 60,500.
    const r = imp('bybit/bybit_uta_transaction_log_spot_fiat_variant.csv')
    expect(r.format).toBe('bybit-transaction-log')
    expect(positions().BTCUSDT).toMatchObject({ quantity: '0.01', entryPrice: '60500' })
    expect(positions()['BTC/EUR']).toBeUndefined()
    expect(r.skipped.map((s) => s.line)).toEqual([3, 6])
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['BTC/EUR net_quantity 0.006 BTC', 'BTC/EUR fees 0.00001 BTC', 'BTC/EUR fees 0.26 EUR', 'BTCUSDT fees 0.33275 USDT']))
    const pid = findPortfolio(db, 'logs').id
    expect(currentBalances(db, pid).map((b) => `${b.currency} ${b.amount}`)).toEqual(['BTC 0.00599', 'EUR 659.74', 'USDT 499.66725'])
    // No EUR/USD price stored: the EUR balance is left out with that reason, never valued at a guessed rate.
    const before = valueBook(db, { portfolio: 'logs' }, NOW)
    expect(before.excluded).toContainEqual({ instrument: 'EUR balance', reason: expect.stringContaining('no EUR/USD price in the market snapshot') })
    // A stored EUR/USD daily series (1.08 on 5 June, 1.10 on 6 June 2026): the balance is 659.74 × 1.10 = 725.714 USD.
    imp('generic/eurusd_daily_2026-06_time_close.csv', { underlying: 'EUR', quoteCurrency: 'USD' })
    const after = valueBook(db, { portfolio: 'logs' }, NOW)
    const eur = after.report.positions.find((p) => p.instrument === 'EUR balance')!
    expect(eur.valueUsd).toBeCloseTo(725.714, 9)
  })

  it('older layout (Open/Close Long/Short): needs the UTC offset; a short closed flat', () => {
    // BTCUSD: Open Short 480 @ 40000 and 480 @ 60000 → avg 960/(0.012 + 0.008) = 48000;
    // Close Short 960 @ 32000 → 960 × (1/32000 − 1/48000) = 960/96000 = 0.01 BTC, flat. Funding Change −0.00001.
    expect(() => imp('bybit/bybit_legacy_transaction_log_no_time_zone.csv')).toThrow(/carry no time zone/)
    const r = imp('bybit/bybit_legacy_transaction_log_no_time_zone.csv', { utcOffset: 'Z' })
    expect(r.positions).toBe(0)
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['BTCUSD realized_pnl 0.01 BTC', 'BTCUSD funding -0.00001 BTC']))
  })
})

describe('OKX trading history (BOM, preamble with its time zone, contracts × ctVal)', () => {
  it('linear BTC-USDT-SWAP at 0.01 BTC a contract and inverse BTC-USD-SWAP at 100 USD', () => {
    // BTC-USDT-SWAP: buy 10 cont (0.1 BTC) @ 60000, 10 cont @ 62000 → avg 61000; sell 5 cont (0.05) @ 64000 → 0.05 × 3000 = 150 USDT.
    // BTC-USD-SWAP: sell 6 cont (600 USD) @ 40000, 6 @ 60000 → avg 1200/(0.015 + 0.01) = 48000;
    // buy 12 cont (1200 USD) @ 32000 → 1200 × (1/32000 − 1/48000) = 1200/96000 = 0.0125 BTC, flat.
    // Fee −3 USDT (OKX writes fees paid as negative) → 3 USDT paid. Times in the preamble's UTC+8.
    const r = imp('okx/okx_trading_history_with_bom_and_preamble.csv')
    expect(r.encoding).toBe('utf-8 (BOM)')
    expect(positions()['BTC-USDT-SWAP']).toMatchObject({ quantity: '0.15', entryPrice: '61000', entryTime: Date.UTC(2024, 5, 3, 2) })
    expect(totals(r.importId)).toEqual(
      expect.arrayContaining(['BTC-USDT-SWAP realized_pnl 150 USDT', 'BTC-USD-SWAP realized_pnl 0.0125 BTC', 'BTC-USDT-SWAP fees 7.7 USDT']),
    )
  })
})

describe('BitMEX execution history (inverse XBTUSD, satoshi amounts)', () => {
  it('replays the trades, skips the order event without a fill, books funding from execComm', () => {
    // XBTUSD, BitMEX's whole-satoshi values (execCost = lastQty × round(1e8 / lastPx)): Buy 1000 @ 8000 → 12,500,000 sat;
    // Buy 1000 @ 12000 → 1000 × round(8333.33) = 8,333,000 sat; the long costs 20,833,000 sat for 2000 contracts, so its
    // average is 2000 / 0.20833 = 9600.15360246 (not the unrounded 9600). Sell 1200 @ 16000 → 7,500,000 sat back
    // against 1200/2000 of the cost (12,499,800 sat): realized 12,499,800 − 7,500,000 = 4,999,800 sat = 0.049998 BTC.
    // execComm 9375 + 6250 + 5625 sat = 0.0002125 BTC of fees; Funding execComm 1000 sat → −0.00001 BTC.
    const r = imp('bitmex/bitmex_execution_history_xbtusd.csv', { utcOffset: '+00:00' })
    expect(positions().XBTUSD).toMatchObject({ quantity: '800', entryPrice: '9600.15360246', instrument: { symbol: 'BTC/USD:BTC' } })
    expect(r.skipped).toEqual([{ line: 6, reason: 'execType New (not a fill)' }])
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['XBTUSD realized_pnl 0.049998 BTC', 'XBTUSD fees 0.0002125 BTC', 'XBTUSD funding -0.00001 BTC']))
  })

  it('a round trip at whole-satoshi values ends flat with BitMEX\'s realized P&L', () => {
    // Buy 127 @ 8564.5: 1e8 / 8564.5 = 11,676.1049 → 11,676 sat a contract, execCost 127 × 11,676 = 1,482,852 (the
    // real row of issue 16; the unrounded 1,482,853.3 is what the old check expected). Sell 127 @ 9000.5: 1e8 / 9000.5 =
    // 11,110.4939 → 11,110, execCost 127 × 11,110 = 1,410,970. Realized = 1,482,852 − 1,410,970 = 71,882 sat =
    // 0.00071882 XBT (the guide's 127 × (1/8564.5 − 1/9000.5) would give 71,820.6 sat). Fees 1112 + 1058 = 2170 sat.
    const r = imp('bitmex/bitmex_execution_history_xbtusd_round_trip_whole_satoshi.csv', { utcOffset: '+00:00' })
    expect(positions().XBTUSD).toBeUndefined()
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['XBTUSD realized_pnl 0.00071882 BTC', 'XBTUSD fees 0.0000217 BTC']))
  })

  it('from 2021-06-08 04:30 UTC a lot is 100 contracts, valued at whole satoshi per lot', () => {
    // Buy 100 @ 35,000.5: one lot worth round(100 × 1e8 / 35,000.5) = round(285,710.204) = 285,710 sat (per contract it
    // would be 100 × round(2,857.102) = 285,700). Sell 100 @ 36,000: round(277,777.8) = 277,778 (per contract 277,800).
    // Realized = 285,710 − 277,778 = 7,932 sat = 0.00007932 XBT. The same lot value dated 2020 (lot 1) is refused.
    const r = imp('bitmex/bitmex_execution_history_xbtusd_lot_100_after_2021-06-08.csv', { utcOffset: '+00:00' })
    expect(positions().XBTUSD).toBeUndefined()
    expect(totals(r.importId)).toContain('XBTUSD realized_pnl 0.00007932 BTC')
    const issues = importIssuesOf(() => imp('bitmex/bitmex_execution_history_xbtusd_lot_100_value_in_2020.csv', { utcOffset: '+00:00' }))
    expect(issues[0]!.message).toContain('expected 285700 satoshi')
  })

  it('refuses an execCost that is not the whole-satoshi value, saying which value it expected', () => {
    // 1,482,853 is 127 / 8564.5 × 1e8 rounded once for the whole trade; BitMEX rounds per contract: 1,482,852.
    const issues = importIssuesOf(() => imp('bitmex/bitmex_execution_history_xbtusd_unrounded_cost.csv', { utcOffset: '+00:00' }))
    expect(issues[0]).toMatchObject({ line: 2, column: 'execCost (7)', message: expect.stringContaining('expected 1482852 satoshi') })
  })
})

describe('generic trades CSV (oldest first)', () => {
  it('replays each instrument by its own convention', () => {
    // BTC-PERPETUAL as in the Deribit case: 15,200 USD at 9600, 0.2 BTC realized.
    // ETH_USDC-PERPETUAL (linear, coin): buy 3 @ 2000, sell 1 @ 2300 → 300 USDC; 2 ETH left at 2000.
    const r = imp('generic/generic_trades_deribit.csv')
    const p = positions()
    expect(p['BTC-PERPETUAL']).toMatchObject({ account: 'desk', quantity: '15200', entryPrice: '9600' })
    expect(p['ETH_USDC-PERPETUAL']).toMatchObject({ quantity: '2', entryPrice: '2000' })
    expect(totals(r.importId)).toEqual(expect.arrayContaining(['BTC-PERPETUAL realized_pnl 0.2 BTC', 'ETH_USDC-PERPETUAL realized_pnl 300 USDC']))
  })
})

describe('a large file imports in a worker thread with the same result', () => {
  it('gives the same positions and totals in the worker as in this thread', () => {
    const a = imp('deribit/transaction_log-123456-BTC-2020-06-header-v4.csv', { inWorker: false })
    const inThread = { book: currentBook(db, findPortfolio(db, 'logs').id).map(({ id: _, ...p }) => p), totals: totals(a.importId) }
    db.close()
    db = openDatabase(join(tempDir(), 'riskdesk.db'))
    const b = imp('deribit/transaction_log-123456-BTC-2020-06-header-v4.csv', { inWorker: true })
    expect(b).toMatchObject({ status: 'imported', fills: a.fills, positions: a.positions })
    expect({ book: currentBook(db, findPortfolio(db, 'logs').id).map(({ id: _, ...p }) => p), totals: totals(b.importId) }).toEqual(inThread)
  })
})

/**
 * Must-show: every real file in ../shared/data/real/ that holds positions, trades, balances or prices
 * imports with the right units and signs. Each expected number was read by hand from the file; the
 * comment names the line and field. Provenance of the files: ../shared/data/real/SOURCES.md.
 */
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBalances } from '../../../src/main/db/balanceStore'
import { currentBook, findPortfolio, marketView } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { listPriceSeries, priceCloses } from '../../../src/main/db/priceStore'
import { importFile, type ImportOptions } from '../../../src/main/services/importService'
import { REAL, tempDir } from '../../support/paths'

let db: Db
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterEach(() => db.close())

const NOW = Date.UTC(2026, 10, 21)
const real = (dir: string, f: string) => join(REAL, dir, f)
const imp = (dir: string, f: string, o: ImportOptions = {}) => importFile(db, real(dir, f), { portfolio: 'real', now: NOW, ...o })
const book = () =>
  Object.fromEntries(currentBook(db, findPortfolio(db, 'real').id).map((p) => [`${p.venue}:${p.instrument.name}:${p.note ?? ''}`, p]))
const fills = (importId: number) =>
  db.prepare<[number], Record<string, string | number | null>>('SELECT * FROM fills WHERE import_id = ? ORDER BY ts, source_line').all(importId)
const ledger = (importId: number) =>
  db.prepare<[number], Record<string, string | number | null>>('SELECT * FROM ledger_entries WHERE import_id = ? ORDER BY ts, source_line').all(importId)

describe('positions (JSON API dumps)', () => {
  it('Deribit get_positions: BTC-PERPETUAL 50 USD at 7440.18, canonical BTC/USD:BTC', () => {
    imp('deribit', 'deribit_get_positions_future_docs_example.json', { account: 'acct-1' })
    // "size": 50 (USD), "average_price": 7440.18, "direction": "buy".
    expect(book()['deribit:BTC-PERPETUAL:']).toMatchObject({ account: 'acct-1', quantity: '50', entryPrice: '7440.18', instrument: { symbol: 'BTC/USD:BTC', quantityUnit: 'usd' } })
  })

  it('Binance COIN-M positionRisk: 1 contract = 100 USD face; zero BOTH and SHORT rows skipped and counted', () => {
    const r = imp('binance', 'binance_coinm_positionRisk_docs_example.jsonc')
    // Element at line 18: "positionAmt": "1", "positionSide": "LONG", "entryPrice": "11707.70000003", "markPrice": "11788.66626667",
    // "updateTime": 1627026881327. Elements at lines 2 (BOTH) and 34 (SHORT) have "positionAmt": "0".
    expect(r).toMatchObject({ format: 'binance-coinm-position-risk', rows: 3, positions: 1 })
    expect(r.skipped.map((s) => s.line)).toEqual([2, 34])
    expect(book()['binance:BTCUSD_201225:hedge-mode LONG side']).toMatchObject({
      quantity: '100',
      entryPrice: '11707.70000003',
      instrument: { symbol: 'BTC/USD:BTC-201225', settlement: 'inverse', quantityUnit: 'usd', contractSize: '100', expiryMs: Date.UTC(2020, 11, 25, 8) },
    })
    expect(marketView(db, 'binance', ['BTCUSD_201225']).quotes.get('BTCUSD_201225')).toMatchObject({ markPrice: 11788.66626667, ts: 1627026881327 })
  })

  it('Binance USDⓈ-M positionRisk v2 hedge: LONG 0.001 BTC at 22185.2; the zero SHORT row skipped', () => {
    const r = imp('binance', 'binance_usdm_positionRisk_v2_hedge_docs_example.jsonc')
    // Line 2 element: "positionAmt": "0.001", "entryPrice": "22185.2", "notional": "21.12305052" (= 0.001 × markPrice 21123.05052574).
    expect(r.skipped).toEqual([{ line: 20, reason: 'zero-size SHORT row of BTCUSDT (hedge mode lists both sides)' }])
    expect(book()['binance:BTCUSDT:hedge-mode LONG side']).toMatchObject({ quantity: '0.001', entryPrice: '22185.2', instrument: { symbol: 'BTC/USDT:USDT', quantityUnit: 'coin' } })
  })

  it('Binance USDⓈ-M positionRisk v3 hedge: a long ADA and a short COMP (negative positionAmt)', () => {
    imp('binance', 'binance_usdm_positionRisk_v3_hedge_docs_example.jsonc')
    // Line 2: ADAUSDT LONG "positionAmt": "30", "entryPrice": "0.385"; line 24: COMPUSDT SHORT "positionAmt": "-1.000", "entryPrice": "70.92841".
    const b = book()
    expect(b['binance:ADAUSDT:hedge-mode LONG side']).toMatchObject({ quantity: '30', entryPrice: '0.385' })
    expect(b['binance:COMPUSDT:hedge-mode SHORT side']).toMatchObject({ quantity: '-1', entryPrice: '70.92841' })
    const quotes = marketView(db, 'binance', ['ADAUSDT', 'COMPUSDT']).quotes
    expect(quotes.get('COMPUSDT')).toMatchObject({ markPrice: 49.72023376, ts: 1708943511656 })
  })

  it('Binance USDⓈ-M positionRisk v3 one-way: ADAUSDT 30 at 0.385, no note', () => {
    imp('binance', 'binance_usdm_positionRisk_v3_oneway_docs_example.jsonc')
    expect(book()['binance:ADAUSDT:']).toMatchObject({ quantity: '30', entryPrice: '0.385' })
  })

  it('Bybit v5 inverse position list: Sell 300 USD contracts → −300 USD at 27464.50441675', () => {
    imp('bybit', 'bybit_v5_position_list_inverse_docs_example.json')
    // "side": "Sell", "size": "300", "avgPrice": "27464.50441675", "positionValue": "0.01092319" (= 300 / avgPrice, BTC),
    // "markPrice": "28224.50", "updatedTime": "1697673600012".
    expect(book()['bybit:BTCUSD:']).toMatchObject({ quantity: '-300', entryPrice: '27464.50441675', instrument: { symbol: 'BTC/USD:BTC', quantityUnit: 'usd' } })
    expect(marketView(db, 'bybit', ['BTCUSD']).quotes.get('BTCUSD')).toMatchObject({ markPrice: 28224.5, ts: 1697673600012 })
  })
})

describe('trades and transaction logs', () => {
  it('Binance userTrades: one SELL of 0.002 BTC at 7819.01, commission as Binance signs it', () => {
    const r = imp('binance', 'binance_usdm_userTrades_docs_example.json')
    // "side": "SELL", "qty": "0.002", "price": "7819.01", "commission": "-0.07819010" (USDT), "realizedPnl": "-0.91539999", "time": 1569514978020.
    expect(fills(r.importId)).toEqual([
      expect.objectContaining({ ts: 1569514978020, quantity: '-0.002', price: '7819.01', fee: '-0.0781901', fee_currency: 'USDT', venue_realized_pnl: '-0.91539999', fill_key: 'binance:BTCUSDT:698759' }),
    ])
    expect(r.notes.join('\n')).toMatch(/differs from the venue's own column -0.91539999/)
  })

  it('Binance income: a transfer out and a commission paid (income −0.01 → fee 0.01 USDT)', () => {
    const r = imp('binance', 'binance_usdm_income_docs_example.jsonc')
    // Line 2: TRANSFER "income": "-0.37500000" USDT; line 12: COMMISSION "income": "-0.01000000" USDT, tradeId 2059192.
    expect(ledger(r.importId).map((e) => [e.kind, e.amount, e.currency])).toEqual([
      ['transfer', '-0.375', 'USDT'],
      ['fee', '0.01', 'USDT'],
    ])
  })

  it('Bybit v5 transaction log: two fills of 12 and 88 XRP (same instant, list newest first) → 100 XRP at 0.3615', () => {
    const r = imp('bybit', 'bybit_v5_transaction_log_docs_example.json')
    // Line 55: TRADE "qty": "12", "size": "12"; line 31: TRADE "qty": "88", "size": "100" (same transactionTime 1672121182224);
    // line 7: SETTLEMENT "funding": "-0.003676", "change": "-0.003676", "cashBalance": "5086.55825002" at 1672128000000.
    expect(r).toMatchObject({ positions: 1, fills: 2, ledgerEntries: 1, balances: 1 })
    expect(book()['bybit:XRPUSDT:replayed from 2 fills of bybit_v5_transaction_log_docs_example.json']).toMatchObject({ quantity: '100', entryPrice: '0.3615' })
    expect(ledger(r.importId)).toEqual([expect.objectContaining({ kind: 'funding', amount: '-0.003676', currency: 'USDT' })])
    expect(currentBalances(db, findPortfolio(db, 'real').id)).toEqual([expect.objectContaining({ currency: 'USDT', amount: '5086.55825002', ts: 1672128000000 })])
  })

  it('Bybit v5 executions: one buy of 0.1 ETH at 1190.15, fee 0.071409 in the USDC the contract settles in', () => {
    const r = imp('bybit', 'bybit_v5_execution_list_docs_example.json')
    expect(fills(r.importId)).toEqual([expect.objectContaining({ ts: 1672282722429, quantity: '0.1', price: '1190.15', fee: '0.071409', fee_currency: 'USDC' })])
    expect(book()['bybit:ETHPERP:replayed from 1 fills of bybit_v5_execution_list_docs_example.json'].instrument.symbol).toBe('ETH/USDC:USDC')
  })

  it('Bybit v5 closed P&L: −47.4065323 USDC realized (after fees; gross −43.1305 = cumExitValue − cumEntryValue)', () => {
    const r = imp('bybit', 'bybit_v5_closed_pnl_docs_example.json')
    expect(ledger(r.importId)).toEqual([
      expect.objectContaining({ kind: 'realized_pnl', amount: '-47.4065323', currency: 'USDC', note: expect.stringMatching(/gross -43.1305 USDC/) }),
    ])
  })

  it('Binance legacy spot trades (semicolons): +1.61 LTC and −0.96 LTC against BTC, fees in their coins, no position', () => {
    const r = imp('binance', 'binance_spot_trade_history_legacy_semicolon_everytrade_v001.csv')
    // Line 2: BUY Price 0.007393 Amount 1.61 Fee 0.00161 LTC; line 3: SELL 0.007384 × 0.96, Fee 0.00000709 BTC.
    expect(r).toMatchObject({ delimiter: 'semicolon', positions: 0, fills: 2 })
    expect(fills(r.importId).map((f) => [f.quantity, f.price, f.fee, f.fee_currency])).toEqual([
      ['-0.96', '0.007384', '0.00000709', 'BTC'],
      ['1.61', '0.007393', '0.00161', 'LTC'],
    ])
    expect(db.prepare("SELECT amount FROM trade_totals WHERE import_id = ? AND measure = 'net_quantity'").pluck().get(r.importId)).toBe('0.65')
  })

  it('Binance legacy spot orders: the fills nested under each order, fees with their asset suffix', () => {
    const r = imp('binance', 'binance_spot_order_history_legacy_semicolon_everytrade_v002.csv')
    // Lines 7–8: 0.092957 @ 5904.68 and 0.047943 @ 5904.61 at 16:07:38 (SELL order line 5); line 4: 0.041600 @ 6236.39 at
    // 17:02:52, fee 0.01612653BNB (BUY order line 2). In time order; amounts as decimals (0.041600 = 0.0416).
    expect(fills(r.importId).map((f) => [f.quantity, f.price, f.fee, f.fee_currency])).toEqual([
      ['-0.092957', '5904.68', '0.03640176', 'BNB'],
      ['-0.047943', '5904.61', '0.01877415', 'BNB'],
      ['0.0416', '6236.39', '0.01612653', 'BNB'],
    ])
  })

  it('OKEx 2020 spot trades (a BOM before every field): signed amounts in LTC, fees paid as positive amounts', () => {
    const r = imp('okx', 'okex_spot_trade_history_2020_everytrade_v001.csv', { utcOffset: '+08:00' })
    // Line 2: Amount 2.273693 (LTC bought), Price 46.17, Total -104.97… USDT, Fee -0.0034105395 LTC, 2020-09-25 17:27:02.
    // Line 3: Amount -2.291153 (sold), Price 45.89, Fee -0.10514101117 USDT, 2020-09-25 17:00:01.
    expect(fills(r.importId).map((f) => [f.ts, f.quantity, f.price, f.fee, f.fee_currency])).toEqual([
      [Date.UTC(2020, 8, 25, 9, 0, 1), '-2.291153', '45.89', '0.10514101117', 'USDT'],
      [Date.UTC(2020, 8, 25, 9, 27, 2), '2.273693', '46.17', '0.0034105395', 'LTC'],
    ])
  })

  it('refuses the OKEx file without a stated UTC offset: its times have no zone', () => {
    expect(() => imp('okx', 'okex_spot_trade_history_2020_everytrade_v001.csv')).toThrow(/carry no time zone/)
  })
})

describe('balances', () => {
  it('Bybit funding-account asset changes: the latest balance of each coin, movements as ledger entries', () => {
    const r = imp('bybit', 'bybit_eu_funding_account_asset_change_everytrade.csv')
    // Line 3 (2026-06-10 05:09:23): BTC Account Balance 0.000672271700000000; line 4 (2026-06-05 08:18:57): EUR 0.430000000000000000.
    expect(r).toMatchObject({ format: 'bybit-funding-asset-changes', ledgerEntries: 4, balances: 2 })
    expect(currentBalances(db, findPortfolio(db, 'real').id).map((b) => [b.account, b.currency, b.amount, b.ts])).toEqual([
      ['funding', 'BTC', '0.0006722717', Date.UTC(2026, 5, 10, 5, 9, 23)],
      ['funding', 'EUR', '0.43', Date.UTC(2026, 5, 5, 8, 18, 57)],
    ])
    expect(ledger(r.importId).map((e) => [e.kind, e.amount, e.currency])).toContainEqual(['transfer', '-17', 'EUR'])
  })
})

describe('price history', () => {
  const series = (underlying: string) => listPriceSeries(db, underlying)

  it('Binance BTCUSDT daily (CryptoDataDownload): URL preamble, newest first, ms, 6 missing days in 2026', () => {
    const r = imp('market', 'binance_btcusdt_daily_2017-2026_cryptodatadownload.csv')
    expect(r).toMatchObject({ format: 'cryptodatadownload-ohlc', rows: 3142, closes: 3142 })
    const [s] = series('BTC')
    expect(s).toMatchObject({ quoteCurrency: 'USDT', interval: '1d', closes: 3142, firstTs: Date.UTC(2017, 7, 17), lastTs: Date.UTC(2026, 2, 30) })
    expect(s!.gaps.reduce((n, g) => n + g.missing, 0)).toBe(6)
    const closes = priceCloses(db, s!.id)
    // Last line of the file: 2017-08-17 Close 4285.08; line 3: 2026-03-30 Close 66797.37.
    expect(closes[0]).toEqual({ ts: Date.UTC(2017, 7, 17), close: '4285.08' })
    expect(closes.at(-1)).toEqual({ ts: Date.UTC(2026, 2, 30), close: '66797.37' })
  })

  it('Binance ETHUSDT daily: 3142 closes, the latest 2026-03-30 at 2026.48', () => {
    imp('market', 'binance_ethusdt_daily_2017-2026_cryptodatadownload.csv')
    const [s] = series('ETH')
    expect(priceCloses(db, s!.id).at(-1)).toEqual({ ts: Date.UTC(2026, 2, 30), close: '2026.48' })
  })

  it('Bitstamp BTC/USD hourly: Unix seconds, 37,387 hourly closes, the swapped volume columns noted (volumes not read)', () => {
    const r = imp('market', 'bitstamp_btcusd_hourly_2018-2022_cryptodatadownload.csv')
    expect(r.closes).toBe(37387)
    expect(r.notes.join('\n')).toMatch(/rows have their two volume columns swapped/)
    const [s] = series('BTC')
    expect(s).toMatchObject({ quoteCurrency: 'USD', interval: '1h' })
    const closes = priceCloses(db, s!.id)
    // Line 3: 1660953600 (2022-08-20 00:00:00) close 20963.00; last line: 1526364000 (2018-05-15 06:00:00) close 8740.99.
    expect(closes.at(-1)).toEqual({ ts: 1660953600000, close: '20963.00' })
    expect(closes[0]).toEqual({ ts: 1526364000000, close: '8740.99' })
  })

  it('mathaszip BTC/USD daily: close read by name from its unusual column order; the underlying must be stated', () => {
    expect(() => imp('market', 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv')).toThrow(/give the underlying/)
    const r = imp('market', 'btcusd_daily_bitstamp-coinbase_2011-2025_mathaszip.csv', { underlying: 'btc' })
    expect(r.closes).toBe(5152)
    const closes = priceCloses(db, series('BTC')[0]!.id)
    // Line 2: 2011-08-18, open 10.9, close 10.9 (3rd column); last line: 2025-09-24, close 113700.11 (not open 112017.21).
    expect(closes[0]).toEqual({ ts: Date.UTC(2011, 7, 18), close: '10.9' })
    expect(closes.at(-1)).toEqual({ ts: Date.UTC(2025, 8, 24), close: '113700.11' })
  })
})

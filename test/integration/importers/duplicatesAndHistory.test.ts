/**
 * Must-show: re-importing the same file (sha256) or the same rows (other bytes) is detected and reported;
 * zero-size hedge-mode rows are skipped and counted; import history is queryable. Also: the robustness
 * fixtures (UTF-16 LE/BE with BOM, UTF-8 BOM with semicolons and quoted thousands, CRLF with quoted
 * fields), generic balances, OKX and ccxt positions (synthetic fixtures in the documented layouts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBalances } from '../../../src/main/db/balanceStore'
import { currentBook, findPortfolio, marketView } from '../../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../../src/main/db/database'
import { listImports } from '../../../src/main/db/importHistoryStore'
import { importBytes, importFile, type ImportOptions } from '../../../src/main/services/importService'
import { dataSnapshot } from '../../support/dbSnapshot'
import { IMPORT_FIXTURES, REAL, tempDir } from '../../support/paths'

let db: Db
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterEach(() => db.close())

const GENERIC_TRADES = join(IMPORT_FIXTURES, 'generic', 'generic_trades_deribit.csv')
const NOW = Date.UTC(2026, 10, 21, 12)
const opts = (o: ImportOptions = {}): ImportOptions => ({ portfolio: 'p', now: NOW, ...o })
const book = (portfolio = 'p') =>
  Object.fromEntries(currentBook(db, findPortfolio(db, portfolio).id).map((p) => [`${p.venue}/${p.account} ${p.instrument.name}`, p]))
const realized = (importId: number, instrument: string) =>
  db
    .prepare<[number, string], { amount: string }>(
      `SELECT t.amount FROM trade_totals t JOIN instruments i ON i.id = t.instrument_id WHERE t.import_id = ? AND i.name = ? AND t.measure = 'realized_pnl'`,
    )
    .get(importId, instrument)?.amount

describe('re-imports', () => {
  it('the same bytes (sha256): reported as a duplicate of the first import, nothing written', () => {
    const first = importFile(db, GENERIC_TRADES, opts())
    const before = dataSnapshot(db)
    const again = importFile(db, GENERIC_TRADES, opts({ now: NOW + 1000 }))
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: first.importId, firstImportedAt: new Date(NOW).toISOString(), fills: 0 })
    expect(dataSnapshot(db)).toBe(before)
  })

  it('the same rows in other bytes (CRLF line ends, another name): every row a duplicate, nothing written', () => {
    const first = importFile(db, GENERIC_TRADES, opts())
    const before = dataSnapshot(db)
    const crlf = Buffer.from(readFileSync(GENERIC_TRADES, 'utf8').replace(/\n/g, '\r\n'))
    const again = importBytes(db, 'generic_trades_deribit (copy).csv', crlf, opts())
    expect(again).toMatchObject({ status: 'duplicate', rows: 5, duplicateRows: 5, duplicateOf: first.importId })
    expect(dataSnapshot(db)).toBe(before)
  })

  it('a longer export overlapping an earlier one: the new rows are stored, the old ones counted, the replay covers all', () => {
    const first = importFile(db, GENERIC_TRADES, opts())
    // One more fill after the fixture's last: sell 5,200 BTC-PERPETUAL at 20,000.
    const text = readFileSync(GENERIC_TRADES, 'utf8') + 'deribit,desk,BTC-PERPETUAL,2024-01-04T08:00:00Z,sell,5200,20000,0.0002,BTC,g-6\n'
    const longer = importBytes(db, 'generic_trades_deribit_to_2024-01-04.csv', Buffer.from(text), opts())
    expect(longer).toMatchObject({ status: 'imported', rows: 6, fills: 1, duplicateRows: 5, duplicateOf: first.importId })
    // 15,200 USD at 9600 (logFormats.test.ts) − 5,200 → 10,000 USD at 9600; realized 0.2 + 5200 × (1/9600 − 1/20000)
    // = 0.2 + 5200 × 10400/192,000,000 = 0.2 + 0.281666… = 0.4816666667 BTC (10 decimals).
    expect(book()['deribit/desk BTC-PERPETUAL']).toMatchObject({ quantity: '10000', entryPrice: '9600' })
    expect(realized(longer.importId, 'BTC-PERPETUAL')).toBe('0.4816666667')
    expect(longer.asOf).toBe('2024-01-04T08:00:00.000Z')
  })

  it('a log ending flat empties its account in the book; other accounts keep theirs', () => {
    importFile(db, join(IMPORT_FIXTURES, 'robustness', 'generic_positions_crlf_quoted_fields.csv'), opts())
    importBytes(
      db,
      'bitmex-round-trip.csv',
      Buffer.from(
        'venue,account,instrument,time,side,quantity,price,fee,fee_currency,trade_id\n' +
          'bitmex,main,XBTUSD,2024-02-01T00:00:00Z,buy,100,40000,0,XBT,r-1\n' +
          'bitmex,main,XBTUSD,2024-02-02T00:00:00Z,sell,100,50000,0,XBT,r-2\n',
      ),
      opts(),
    )
    expect(Object.keys(book())).toEqual(['bybit/uta BTCUSD'])
  })
})

describe('skipped rows and history', () => {
  it('zero-size hedge-mode rows are skipped, counted and kept in the history with their lines', () => {
    const r = importFile(db, join(REAL, 'binance', 'binance_coinm_positionRisk_docs_example.jsonc'), opts({ account: 'coinm' }))
    expect(r.skipped).toHaveLength(2)
    const [h] = listImports(db)
    expect(h).toMatchObject({
      id: r.importId,
      portfolio: 'p',
      format: 'binance-coinm-position-risk',
      rowsRead: 3,
      rowsImported: 1,
      rowsSkipped: 2,
      options: { account: 'coinm' },
      counts: { positions: 1, quotes: 1 },
      accounts: ['binance/coinm'],
      host: 'cli',
      importedAt: NOW,
    })
    expect(h!.skipped.reduce((n, s) => n + s.count, 0)).toBe(2)
    expect(h!.skipped.flatMap((s) => s.lines).sort((a, b) => a - b)).toEqual([2, 34])
  })

  it('lists imports newest first, filtered by portfolio, format and time', () => {
    importFile(db, GENERIC_TRADES, opts({ now: NOW }))
    importFile(db, join(IMPORT_FIXTURES, 'generic', 'generic_balances.csv'), opts({ now: NOW + 60_000, portfolio: 'q' }))
    expect(listImports(db).map((h) => h.format)).toEqual(['generic-balances', 'generic-trades'])
    expect(listImports(db, { portfolio: 'p' }).map((h) => h.fileName)).toEqual(['generic_trades_deribit.csv'])
    expect(listImports(db, { format: 'generic-balances' })).toHaveLength(1)
    expect(listImports(db, { since: NOW + 1 })).toHaveLength(1)
    const [, trades] = listImports(db)
    expect(trades).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), encoding: 'utf-8', delimiter: 'comma', asOf: Date.UTC(2024, 0, 3, 8) })
    expect(trades!.sourcePath).toBe(GENERIC_TRADES)
  })
})

describe('robustness: encodings, delimiters, quoting', () => {
  it.each([
    // Excel "Unicode text": UTF-16 LE with BOM, tabs. Row 2: 2 BTC-26JUN20-9000-C calls at 0.12 BTC; row 3: −500 USD of BTCUSD_PERP (5 contracts × 100).
    ['generic_positions_utf16le_bom_tab_excel_unicode_text.txt', 'utf-16le (BOM)', 'tab'],
    ['generic_positions_utf16be_bom_tab.txt', 'utf-16be (BOM)', 'tab'],
  ])('%s', (file, encoding, delimiter) => {
    const r = importFile(db, join(IMPORT_FIXTURES, 'robustness', file), opts())
    expect(r).toMatchObject({ encoding, delimiter, positions: 2 })
    const b = book()
    expect(b['deribit/desk BTC-26JUN20-9000-C']).toMatchObject({ quantity: '2', entryPrice: '0.12', instrument: { symbol: 'BTC/USD:BTC-200626-9000-C' } })
    expect(b['binance/futures BTCUSD_PERP']).toMatchObject({ quantity: '-500', entryPrice: '48000', instrument: { settlement: 'inverse' } })
  })

  it('UTF-8 with BOM, semicolons, quoted thousands separators and a quoted semicolon', () => {
    // Row 2: "-20,000" USD of BTC-PERPETUAL at "9,455.5", note "hedge; see notes"; row 3: 0.15 BTC-USDT-SWAP = 15 contracts? No:
    // the generic file states quantities in the instrument's unit (coin for linear), so 0.15 BTC at 61000.
    const r = importFile(db, join(IMPORT_FIXTURES, 'robustness', 'generic_positions_utf8_bom_semicolon_thousands.csv'), opts())
    expect(r).toMatchObject({ encoding: 'utf-8 (BOM)', delimiter: 'semicolon', positions: 2 })
    const b = book()
    expect(b['deribit/desk BTC-PERPETUAL']).toMatchObject({ quantity: '-20000', entryPrice: '9455.5', note: 'hedge; see notes' })
    expect(b['okx/swap BTC-USDT-SWAP']).toMatchObject({ quantity: '0.15', entryPrice: '61000', instrument: { quantityUnit: 'coin' } })
  })

  it('CRLF line ends and a quoted field holding a comma and doubled quotes', () => {
    importFile(db, join(IMPORT_FIXTURES, 'robustness', 'generic_positions_crlf_quoted_fields.csv'), opts())
    expect(book()['bitmex/main XBTUSD']).toMatchObject({ quantity: '800', entryPrice: '9600', note: 'long, from "the" log' })
  })
})

describe('balances and other position dumps', () => {
  it('generic balances: one balance per venue/account/currency, with or without a time', () => {
    // Lines 2–4: deribit/desk 1.25 BTC at 2024-01-03T08:00Z; deribit/desk 5000.5 USDC (no time); binance/futures −12.5 USDT at 1704268800000 ms.
    const r = importFile(db, join(IMPORT_FIXTURES, 'generic', 'generic_balances.csv'), opts())
    expect(r).toMatchObject({ format: 'generic-balances', balances: 3 })
    const bal = Object.fromEntries(currentBalances(db, findPortfolio(db, 'p').id).map((b) => [`${b.venue}/${b.account} ${b.currency}`, b]))
    expect(bal['deribit/desk BTC']).toMatchObject({ amount: '1.25', ts: Date.UTC(2024, 0, 3, 8) })
    expect(bal['deribit/desk USDC']).toMatchObject({ amount: '5000.5', ts: null })
    expect(bal['binance/futures USDT']).toMatchObject({ amount: '-12.5', ts: 1704268800000 })
  })

  it('OKX positions: net-mode sign kept, long/short mode signed by posSide, contracts × ctVal, zero side skipped', () => {
    // Line 5: BTC-USDT-SWAP net pos "-3" × 0.01 BTC = −0.03 BTC at 61000.5 USDT; line 16: BTC-USD-SWAP long "5" × 100 USD = 500 USD
    // at 58000; line 27: the short side "0" (skipped); line 38: option pos "10" × 0.01 BTC = 0.1 BTC of calls at 0.05 BTC.
    const r = importFile(db, join(IMPORT_FIXTURES, 'okx', 'okx_account_positions_synthetic.json'), opts())
    expect(r).toMatchObject({ format: 'okx-positions', rows: 4, positions: 3 })
    expect(r.skipped).toEqual([{ line: 27, reason: 'zero position in BTC-USD-SWAP (short)' }])
    const b = book()
    expect(b['okx/main BTC-USDT-SWAP']).toMatchObject({ quantity: '-0.03', entryPrice: '61000.5', instrument: { symbol: 'BTC/USDT:USDT' } })
    expect(b['okx/main BTC-USD-SWAP']).toMatchObject({ quantity: '500', entryPrice: '58000', note: 'long side (long/short mode)', instrument: { quantityUnit: 'usd' } })
    expect(b['okx/main BTC-USD-241227-60000-C']).toMatchObject({ quantity: '0.1', entryPrice: '0.05', instrument: { kind: 'option', priceCurrency: 'BTC' } })
    expect(marketView(db, 'okx', ['BTC-USD-SWAP']).quotes.get('BTC-USD-SWAP')).toMatchObject({ markPrice: 60510.2, ts: 1732003200000 })
  })

  it('ccxt fetchPositions: the venue must be stated; the symbol is cross-checked; the same numbers as the OKX dump', () => {
    const file = join(IMPORT_FIXTURES, 'ccxt', 'ccxt_fetch_positions_okx_synthetic.json')
    const before = dataSnapshot(db)
    expect(() => importFile(db, file, opts())).toThrow(/ccxt positions do not name their exchange: give the venue/)
    expect(dataSnapshot(db)).toBe(before)
    const r = importFile(db, file, opts({ venue: 'okx' }))
    // Line 2: contracts 3 × contractSize 0.01, side short → −0.03 BTC at 61000.5; line 14: 5 × 100 USD long at 58000; line 26: contracts 0 (skipped).
    expect(r).toMatchObject({ format: 'ccxt-positions', positions: 2, skipped: [{ line: 26, reason: 'zero position in ETH/USDT:USDT' }] })
    const b = book()
    expect(b['okx/main BTC-USDT-SWAP']).toMatchObject({ quantity: '-0.03', entryPrice: '61000.5' })
    expect(b['okx/main BTC-USD-SWAP']).toMatchObject({ quantity: '500', entryPrice: '58000' })
  })
})

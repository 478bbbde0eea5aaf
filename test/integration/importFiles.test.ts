/**
 * Importers end to end into a real SQLite file: the real Deribit files from shared/data/real, the generic
 * positions CSV, and broken files that must be refused with file, line and column and leave the database
 * unchanged.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { currentBook, findPortfolio, marketView } from '../../src/main/db/bookStore'
import { openDatabase, type Db } from '../../src/main/db/database'
import { ImportFailedError } from '../../src/main/importers/core/importIssue'
import { importFile } from '../../src/main/services/importService'
import { dataSnapshot } from '../support/dbSnapshot'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, FIXTURES, tempDir } from '../support/paths'

let db: Db
beforeEach(() => {
  db = openDatabase(join(tempDir(), 'riskdesk.db'))
})
afterEach(() => db.close())

const generic = (name: string) => join(FIXTURES, 'generic', name)

function failure(path: string): ImportFailedError {
  try {
    importFile(db, path, { portfolio: 'p' })
  } catch (e) {
    if (e instanceof ImportFailedError) return e
    throw e
  }
  throw new Error(`${path} was imported but should have failed`)
}

describe('Deribit option chain snapshot (real file, 2020-05-14)', () => {
  it('stores 310 option quotes, the three real futures and the index, as the file states them', () => {
    const r = importFile(db, CHAIN_2020_05_14)
    expect(r).toMatchObject({ status: 'imported', format: 'deribit-option-chain', rows: 310, positions: 0 })
    // 310 options + BTC-26JUN20, BTC-25SEP20, BTC-25DEC20 (the chain's non-synthetic underlying_index values).
    expect(r.quotes).toBe(313)
    const view = marketView(db, 'deribit', ['BTC-22MAY20-9250-P', 'BTC-26JUN20', 'BTC-25DEC20', 'BTC-PERPETUAL'])
    // Read by hand from the file's first data row (line 2).
    expect(view.quotes.get('BTC-22MAY20-9250-P')).toMatchObject({
      ts: 1589434896486,
      markPrice: 0.04010621,
      markIv: 76.87,
      underlyingPrice: 9352.58,
      indexPrice: 9350.67,
      source: 'deribit option chain',
    })
    // The latest row whose underlying_index is BTC-25DEC20 (by timestamp) carries the future's price.
    expect(view.quotes.get('BTC-25DEC20')?.source).toMatch(/underlying_price of the options on BTC-25DEC20/)
    expect(view.quotes.get('BTC-25DEC20')?.markPrice).toBeGreaterThan(9500)
    expect(view.quotes.has('BTC-PERPETUAL')).toBe(false)
    // index_price of the latest row of the file (timestamp 1589435046537, BTC-25SEP20-9000-C).
    expect(view.indices.get('BTC')).toEqual({ price: 9347.68, ts: 1589435046537 })
  })

  it('detects a second import of the same file by its hash and writes nothing', () => {
    importFile(db, CHAIN_2020_05_14)
    const before = dataSnapshot(db)
    const again = importFile(db, CHAIN_2020_05_14)
    expect(again.status).toBe('duplicate')
    expect(dataSnapshot(db)).toBe(before)
  })
})

describe('Deribit get_positions (real docs example)', () => {
  it('reads the BTC-PERPETUAL position in USD with its average price and mark', () => {
    const r = importFile(db, DERIBIT_POSITIONS, { portfolio: 'deribit', account: 'acct-1', now: 1_700_000_000_000 })
    expect(r).toMatchObject({ status: 'imported', format: 'deribit-positions', rows: 1, positions: 1, quotes: 1 })
    const book = currentBook(db, findPortfolio(db, 'deribit').id)
    // From the file: "size": 50 (USD), "average_price": 7440.18, "direction": "buy".
    expect(book).toHaveLength(1)
    expect(book[0]).toMatchObject({ venue: 'deribit', account: 'acct-1', quantity: '50', entryPrice: '7440.18' })
    expect(book[0]!.instrument).toMatchObject({ kind: 'perpetual', settlement: 'inverse', quantityUnit: 'usd' })
    const q = marketView(db, 'deribit', ['BTC-PERPETUAL']).quotes.get('BTC-PERPETUAL')
    // "mark_price": 7476.65, "index_price": 7466.79; the file has no time, so the import time is used.
    expect(q).toMatchObject({ markPrice: 7476.65, indexPrice: 7466.79, ts: 1_700_000_000_000 })
  })
})

describe('generic positions CSV', () => {
  it('reads every row with its units, skips and reports a zero quantity', () => {
    const r = importFile(db, generic('good-positions.csv'), { portfolio: 'fund' })
    expect(r).toMatchObject({ status: 'imported', rows: 5, positions: 4 })
    expect(r.skipped).toEqual([{ line: 6, reason: 'quantity is 0 (no position)' }])
    const book = currentBook(db, findPortfolio(db, 'fund').id)
    const byName = Object.fromEntries(book.map((p) => [p.instrument.name, p]))
    expect(byName['BTC-26JUN20-9000-C']).toMatchObject({ quantity: '1.5', entryPrice: '0.132', entryTime: Date.parse('2020-05-01T08:00:00Z') })
    expect(byName['BTC-26JUN20-9000-P']).toMatchObject({ quantity: '-2', entryTime: 1588320000000 })
    expect(byName['BTC-PERPETUAL']).toMatchObject({ quantity: '-30000', entryPrice: '8812.5', note: 'hedge' })
    // Venue names are case-insensitive and stored lower case.
    expect(byName['BTC-25SEP20']).toMatchObject({ venue: 'deribit', account: 'other' })
  })

  it('replaces an account’s positions with those of its latest import, keeping other accounts', () => {
    importFile(db, generic('good-positions.csv'), { portfolio: 'fund' })
    importFile(db, generic('good-positions-update.csv'), { portfolio: 'fund' })
    const book = currentBook(db, findPortfolio(db, 'fund').id)
    expect(book.map((p) => `${p.account}:${p.instrument.name}`).sort()).toEqual(['main:BTC-26JUN20-10000-C', 'other:BTC-25SEP20'])
  })

  const broken: Array<[string, { line: number | null; column: RegExp | null; message: RegExp }]> = [
    ['bad-missing-column.csv', { line: 1, column: /entry_price/, message: /missing required column/ }],
    ['bad-number.csv', { line: 3, column: /^quantity \(4\)$/, message: /expected a decimal number/ }],
    ['bad-unknown-instrument.csv', { line: 4, column: /^instrument \(3\)$/, message: /not a Deribit instrument name.*31FEB20/ }],
    ['bad-contracts-not-usd.csv', { line: 2, column: /^quantity/, message: /USD face value.*write 50/ }],
    ['bad-usd-premium.csv', { line: 2, column: /^entry_price/, message: /below 1 BTC.*USD price/ }],
    ['bad-unclosed-quote.csv', { line: 3, column: null, message: /malformed CSV/ }],
  ]
  it.each(broken)('%s is refused with its line and column, and the database is unchanged', (name, expected) => {
    importFile(db, CHAIN_2020_05_14)
    const before = dataSnapshot(db)
    const e = failure(generic(name))
    const issue = e.issues[0]!
    expect(issue.file).toBe(name)
    expect(issue.line).toBe(expected.line)
    if (expected.column === null) expect(issue.column).toBeNull()
    else expect(issue.column).toMatch(expected.column)
    expect(issue.message).toMatch(expected.message)
    expect(e.message).toContain(`${name}, line ${expected.line}`)
    expect(dataSnapshot(db)).toBe(before)
  })

  it('refuses a file that is not UTF-8', () => {
    const dir = tempDir()
    const path = join(dir, 'latin1.csv')
    writeFileSync(path, Buffer.from([0x76, 0x65, 0x6e, 0x75, 0x65, 0xe9, 0x0a]))
    expect(failure(path).issues[0]!.message).toMatch(/not UTF-8/)
  })
})

describe('what an import replaces', () => {
  it('a venue dump replaces only its settlement currency; a generic CSV replaces the whole account', () => {
    // Deribit get_positions is one call per currency: the BTC dump and then an ETH dump of the same account.
    importFile(db, DERIBIT_POSITIONS, { portfolio: 'p', account: 'main' })
    importFile(db, join(FIXTURES, 'deribit', 'get_positions_eth-variant-of-docs-example.json'), { portfolio: 'p', account: 'main' })
    const book = () => currentBook(db, findPortfolio(db, 'p').id).map((p) => `${p.account}:${p.instrument.name}:${p.quantity}`).sort()
    expect(book()).toEqual(['main:BTC-PERPETUAL:50', 'main:ETH-PERPETUAL:40'])
    // A generic positions CSV is a whole snapshot of the accounts it names.
    const dir = tempDir()
    writeFileSync(join(dir, 'snapshot.csv'), 'venue,account,instrument,quantity,entry_price\nderibit,main,BTC-PERPETUAL,30,9000\n')
    importFile(db, join(dir, 'snapshot.csv'), { portfolio: 'p' })
    expect(book()).toEqual(['main:BTC-PERPETUAL:30'])
  })
})

/**
 * Portfolio management through the typed API (dispatch on the real handler map) on a real SQLite file with real
 * imports: the real Deribit get_positions docs example and the real 2020-05-14 BTC option chain and Binance BTC
 * daily closes (shared/data/real, SOURCES.md), plus the bundled demo book (resources/demo).
 *
 * Independent figures, counted by hand from the files:
 *  - demo-portfolio.csv: 16 data rows (14 options in account "options", BTC-PERPETUAL and BTC-25SEP20 in "hedge");
 *  - demo-balances.csv: 2 balances (options 45 BTC, hedge 4 BTC);
 *  - the Deribit docs example: 1 position (BTC-PERPETUAL, size 50) with its mark (1 quote);
 *  - ten-btc-collateral-balances.csv: 1 balance (treasury 10 BTC).
 * "Untouched" is checked by comparing every row of the tables involved before and after (SELECT *).
 */
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import type { ApiInput, ApiName, ApiOutput } from '../../src/shared/api'
import { openDatabase, type Db } from '../../src/main/db/database'
import { createRiskdeskHandlers, dispatch } from '../../src/main/services/riskdeskApi'
import { importFile } from '../../src/main/services/importService'
import { saveSet } from '../../src/main/services/scenarioService'
import { dataSnapshot } from '../support/dbSnapshot'
import { CHAIN_2020_05_14, DERIBIT_POSITIONS, FIXTURES, REAL, REPO, tempDir } from '../support/paths'

const DEMO = join(REPO, 'resources', 'demo')
const BTC_DAILY = join(REAL, 'market', 'binance_btcusdt_daily_2017-2026_cryptodatadownload.csv')

let db: Db
let call: <K extends ApiName>(name: K, input: ApiInput<K>) => Promise<ApiOutput<K>>
const opened: Db[] = []

beforeEach(() => {
  db = openDatabase(join(tempDir(), 'book.db'))
  opened.push(db)
  const handlers = createRiskdeskHandlers({
    db,
    stressPool: () => {
      throw new Error('no stress pool in these tests')
    },
  })
  call = async (name, input) => (await dispatch(handlers, name, input)) as never
  importFile(db, CHAIN_2020_05_14)
  importFile(db, BTC_DAILY)
  for (const f of ['demo-portfolio.csv', 'demo-balances.csv']) importFile(db, join(DEMO, f), { portfolio: 'desk' })
  importFile(db, DERIBIT_POSITIONS, { portfolio: 'desk', account: 'perp' })
  importFile(db, join(FIXTURES, 'wholebook', 'ten-btc-collateral-balances.csv'), { portfolio: 'treasury' })
  saveSet(db, { name: 'crash', description: 'BTC −30 %', scenarios: [{ name: 'crash', spot: { driver: 'BTC', shock: -0.3 } }] })
})
afterAll(() => {
  for (const d of opened) d.close()
})

/** Every row of a query, as text: equal strings mean byte-for-byte equal rows. */
const rows = (sql: string, ...args: Array<string | number>) => JSON.stringify(db.prepare(sql).all(...args))

/** The rows of one portfolio, whatever table holds them. */
function portfolioRows(name: string): string {
  const id = (db.prepare('SELECT id FROM portfolios WHERE name = ?').get(name) as { id: number }).id
  const inImports = (t: string) => rows(`SELECT * FROM ${t} WHERE import_id IN (SELECT id FROM imports WHERE portfolio_id = ?) ORDER BY rowid`, id)
  return [
    rows('SELECT * FROM portfolios WHERE id = ?', id),
    rows('SELECT * FROM accounts WHERE portfolio_id = ? ORDER BY id', id),
    rows('SELECT * FROM imports WHERE portfolio_id = ? ORDER BY id', id),
    ...['positions', 'balances', 'import_accounts', 'import_scopes', 'fills', 'ledger_entries', 'trade_totals', 'market_snapshots'].map(inImports),
    rows('SELECT * FROM margin_settings WHERE account_id IN (SELECT id FROM accounts WHERE portfolio_id = ?)', id),
  ].join('\n')
}

/** Market-wide data and saved settings no portfolio owns. */
function sharedRows(): string {
  const shared = 'SELECT id FROM market_snapshots WHERE import_id IN (SELECT id FROM imports WHERE portfolio_id IS NULL)'
  return [
    rows('SELECT * FROM imports WHERE portfolio_id IS NULL ORDER BY id'),
    rows(`SELECT * FROM market_snapshots WHERE id IN (${shared})`),
    rows(`SELECT * FROM market_quotes WHERE snapshot_id IN (${shared}) ORDER BY rowid`),
    rows(`SELECT * FROM index_prices WHERE snapshot_id IN (${shared}) ORDER BY rowid`),
    rows('SELECT * FROM price_series ORDER BY id'),
    rows('SELECT * FROM price_closes ORDER BY rowid'),
    rows('SELECT * FROM scenario_sets ORDER BY id'),
    rows('SELECT * FROM instruments ORDER BY id'),
  ].join('\n')
}

const count = (sql: string, ...args: Array<string | number>) => (db.prepare(sql).get(...args) as { n: number }).n

describe('deletePortfolio', () => {
  it("removes the portfolio's positions and balances; another portfolio and the market data are byte-for-byte unchanged", async () => {
    const treasuryBefore = portfolioRows('treasury')
    const sharedBefore = sharedRows()
    const deskImports = (db.prepare("SELECT id FROM imports WHERE portfolio_id = (SELECT id FROM portfolios WHERE name = 'desk') ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id)
    expect(deskImports).toHaveLength(3)

    const r = await call('deletePortfolio', { name: 'desk' })
    // 16 + 1 positions, 2 balances, 1 quote (the docs example's mark): counted by hand from the files.
    expect(r).toEqual({ name: 'desk', imports: 3, removed: { positions: 17, balances: 2, fills: 0, ledgerEntries: 0, quotes: 1, closes: 0 }, stressRuns: 0 })

    expect((await call('listPortfolios', {})).map((p) => p.name)).toEqual(['treasury'])
    expect(count(`SELECT COUNT(*) AS n FROM positions WHERE import_id IN (${deskImports.join(',')})`)).toBe(0)
    expect(count(`SELECT COUNT(*) AS n FROM balances WHERE import_id IN (${deskImports.join(',')})`)).toBe(0)
    expect(count("SELECT COUNT(*) AS n FROM accounts WHERE name IN ('options', 'hedge', 'perp')")).toBe(0)
    expect(portfolioRows('treasury')).toBe(treasuryBefore)
    expect(sharedRows()).toBe(sharedBefore)
    await expect(call('getPositions', { portfolio: 'desk' })).rejects.toThrow(/no portfolio named "desk"; known: treasury/)
  })

  it('keeps the deleted imports in the history, marked removed with what they held', async () => {
    const before = await call('listImports', { portfolio: 'desk' })
    await call('deletePortfolio', { name: 'desk' })
    const history = await call('listImports', { portfolio: 'desk' })
    expect(history.map((e) => e.id)).toEqual(before.map((e) => e.id))
    for (const e of history) {
      expect(e.removedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
      expect(e.removals).toEqual([{ removedAt: e.removedAt, action: 'portfolio', what: 'portfolio "desk" deleted', rows: expect.any(Object) }])
    }
    const byFile = new Map(history.map((e) => [e.fileName, e]))
    expect(byFile.get('demo-portfolio.csv')!.removals[0]!.rows.positions).toBe(16)
    expect(byFile.get('demo-balances.csv')!.removals[0]!.rows.balances).toBe(2)
    expect(byFile.get('deribit_get_positions_future_docs_example.json')!.removals[0]!.rows).toMatchObject({ positions: 1, quotes: 1 })
    // The whole history still lists the market imports and treasury's, not removed.
    const all = await call('listImports', {})
    expect(all.filter((e) => e.removedAt === null).map((e) => e.portfolio ?? e.content).sort()).toEqual(['market', 'prices', 'treasury'])
  })

  it('an import of the same file afterwards is a new import (not a duplicate of the removed one), with an id above it', async () => {
    await call('deletePortfolio', { name: 'desk' })
    const maxRemoved = Math.max(...(await call('listImports', { portfolio: 'desk' })).map((e) => e.id))
    const again = importFile(db, join(DEMO, 'demo-portfolio.csv'), { portfolio: 'desk' })
    expect(again.status).toBe('imported')
    expect(again.importId).toBeGreaterThan(maxRemoved)
    expect((await call('getPositions', { portfolio: 'desk' })).positions.filter((p) => p.origin === 'position')).toHaveLength(16)
  })
})

describe('renamePortfolio', () => {
  it('keeps every position and balance under the new name; the old name is gone', async () => {
    const before = await call('getPositions', { portfolio: 'desk' })
    const deskRows = portfolioRows('desk').replace('"name":"desk"', '"name":"book A"')
    expect(await call('renamePortfolio', { from: 'desk', to: 'book A' })).toMatchObject({ name: 'book A', previousName: 'desk' })
    const after = await call('getPositions', { portfolio: 'book A' })
    expect(after.positions).toEqual(before.positions)
    expect(after.positions.filter((p) => p.origin === 'position')).toHaveLength(17)
    expect(portfolioRows('book A')).toBe(deskRows)
    expect((await call('listPortfolios', {})).map((p) => p.name).sort()).toEqual(['book A', 'treasury'])
  })

  it('refuses a name in use, and changes nothing', async () => {
    const snap = dataSnapshot(db)
    await expect(call('renamePortfolio', { from: 'desk', to: 'treasury' })).rejects.toThrow(/a portfolio named "treasury" already exists/)
    await expect(call('renamePortfolio', { from: 'nope', to: 'x' })).rejects.toThrow(/no portfolio named "nope"/)
    await expect(call('renamePortfolio', { from: 'desk', to: '  ' })).rejects.toThrow(/invalid input for renamePortfolio: to/)
    expect(dataSnapshot(db)).toBe(snap)
  })
})

describe('removeImport', () => {
  it("takes one import's positions out and leaves the rest of the book and the other portfolio", async () => {
    const treasuryBefore = portfolioRows('treasury')
    const book = (await call('getPositions', { portfolio: 'desk' })).positions
    const perpImport = (await call('listImports', { portfolio: 'desk' })).find((e) => e.fileName === 'deribit_get_positions_future_docs_example.json')!
    const r = await call('removeImport', { importId: perpImport.id })
    expect(r).toEqual({
      importId: perpImport.id,
      fileName: 'deribit_get_positions_future_docs_example.json',
      portfolio: 'desk',
      removed: { positions: 1, balances: 0, fills: 0, ledgerEntries: 0, quotes: 1, closes: 0 },
      positionsBefore: 17,
      positionsAfter: 16,
    })
    const after = (await call('getPositions', { portfolio: 'desk' })).positions
    // Every other line (16 demo positions and 2 balances) is still there with the same id and quantity.
    const key = (p: (typeof book)[number]) => `${p.origin}:${p.id}:${p.account}:${p.instrument}:${p.quantity}`
    expect(after.map(key)).toEqual(book.filter((p) => p.account !== 'perp').map(key))
    expect(after.filter((p) => p.origin === 'balance').map((p) => p.quantity).sort()).toEqual(['4', '45'])
    expect(portfolioRows('treasury')).toBe(treasuryBefore)
    const entry = (await call('listImports', { portfolio: 'desk' })).find((e) => e.id === perpImport.id)!
    expect(entry.removedAt).not.toBeNull()
    expect(entry.removals.map((x) => x.action)).toEqual(['import'])
  })

  it('removing a balances import removes those balances only', async () => {
    const balances = (await call('listImports', { portfolio: 'desk' })).find((e) => e.fileName === 'demo-balances.csv')!
    const r = await call('removeImport', { importId: balances.id })
    expect(r.removed).toEqual({ positions: 0, balances: 2, fills: 0, ledgerEntries: 0, quotes: 0, closes: 0 })
    const after = (await call('getPositions', { portfolio: 'desk' })).positions
    expect(after.filter((p) => p.origin === 'balance')).toHaveLength(0)
    expect(after.filter((p) => p.origin === 'position')).toHaveLength(17)
  })

  it('refuses market-wide imports and unknown ids, changing nothing', async () => {
    const snap = dataSnapshot(db)
    const chain = (await call('listImports', {})).find((e) => e.content === 'market')!
    await expect(call('removeImport', { importId: chain.id })).rejects.toThrow(/is market-wide market data, not part of a portfolio's book/)
    await expect(call('removeImport', { importId: 9999 })).rejects.toThrow(/there is no import #9999/)
    expect(dataSnapshot(db)).toBe(snap)
  })
})

describe('removePositions', () => {
  it('by instrument and account: exactly those positions leave the book, recorded against their import', async () => {
    const r = await call('removePositions', { portfolio: 'desk', instrument: 'BTC-PERPETUAL', account: 'hedge' })
    // demo-portfolio.csv line 16: deribit,hedge,BTC-PERPETUAL,20000 (the perp account's BTC-PERPETUAL stays).
    expect(r.positions.map((p) => [p.account, p.instrument, p.quantity])).toEqual([['hedge', 'BTC-PERPETUAL', '20000']])
    expect(r.positionsLeft).toBe(16)
    const after = (await call('getPositions', { portfolio: 'desk' })).positions.filter((p) => p.origin === 'position')
    expect(after.filter((p) => p.instrument === 'BTC-PERPETUAL').map((p) => [p.account, p.quantity])).toEqual([['perp', '50']])
    const entry = (await call('listImports', { portfolio: 'desk' })).find((e) => e.fileName === 'demo-portfolio.csv')!
    expect(entry.removedAt).toBeNull()
    expect(entry.counts.positions).toBe(15)
    expect(entry.removals).toEqual([{ removedAt: expect.any(String), action: 'positions', what: 'BTC-PERPETUAL 20000 in deribit/hedge', rows: { positions: 1, balances: 0, fills: 0, ledgerEntries: 0, quotes: 0, closes: 0 } }])
  })

  it('by ids; an id outside the current book fails the whole call', async () => {
    const book = (await call('getPositions', { portfolio: 'desk' })).positions.filter((p) => p.origin === 'position')
    const options = book.filter((p) => p.kind === 'option').slice(0, 2).map((p) => p.id)
    const treasuryBefore = portfolioRows('treasury')
    const snap = dataSnapshot(db)
    await expect(call('removePositions', { portfolio: 'desk', positionIds: [...options, 424242] })).rejects.toThrow(/position id 424242 not in the current book of "desk"/)
    expect(dataSnapshot(db)).toBe(snap)
    await expect(call('removePositions', { portfolio: 'desk', instrument: 'BTC-PERPETUAL', positionIds: options })).rejects.toThrow(/either positionIds or instrument/)
    const r = await call('removePositions', { portfolio: 'desk', positionIds: options })
    expect(r.positions.map((p) => p.id)).toEqual(options)
    expect(r.positionsLeft).toBe(15)
    expect(portfolioRows('treasury')).toBe(treasuryBefore)
  })
})

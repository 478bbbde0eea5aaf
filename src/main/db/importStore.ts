/**
 * Writes one imported file — its import record, portfolio, accounts, instruments, positions and market
 * snapshot — in a single transaction: either all of it lands or none of it does.
 */
import type { Instrument } from '../../shared/instrument'
import type { ImportedFile } from '../importers/importTypes'
import type { Db } from './database'

export interface ImportRecord {
  id: number
  portfolio: string | null
  kind: 'positions' | 'market'
  format: string
  fileName: string
  sha256: string
  rowsRead: number
  rowsImported: number
  rowsSkipped: number
  /** ms since epoch UTC. */
  importedAt: number
}

interface ImportRow {
  id: number
  portfolio: string | null
  kind: 'positions' | 'market'
  format: string
  file_name: string
  sha256: string
  rows_read: number
  rows_imported: number
  rows_skipped: number
  imported_at: number
}

const toRecord = (r: ImportRow): ImportRecord => ({
  id: r.id,
  portfolio: r.portfolio,
  kind: r.kind,
  format: r.format,
  fileName: r.file_name,
  sha256: r.sha256,
  rowsRead: r.rows_read,
  rowsImported: r.rows_imported,
  rowsSkipped: r.rows_skipped,
  importedAt: r.imported_at,
})

/** The earlier import of a file with this content hash, if any. */
export function findImportBySha256(db: Db, sha256: string): ImportRecord | null {
  const row = db
    .prepare<[string], ImportRow>(
      `SELECT i.*, p.name AS portfolio FROM imports i LEFT JOIN portfolios p ON p.id = i.portfolio_id WHERE sha256 = ?`,
    )
    .get(sha256)
  return row ? toRecord(row) : null
}

/** Id of the instrument, inserting it on first sight. */
function instrumentId(db: Db, i: Instrument): number {
  const found = db
    .prepare<[string, string], { id: number }>('SELECT id FROM instruments WHERE venue = ? AND name = ?')
    .get(i.venue, i.name)
  if (found) return found.id
  return Number(
    db
      .prepare(
        `INSERT INTO instruments (venue, name, kind, settlement, underlying, quote_currency, settlement_currency,
           contract_size, contract_size_unit, quantity_unit, price_unit, expiry_ms, strike, option_type)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        i.venue,
        i.name,
        i.kind,
        i.settlement,
        i.underlying,
        i.quoteCurrency,
        i.settlementCurrency,
        i.contractSize,
        i.contractSizeUnit,
        i.quantityUnit,
        i.priceUnit,
        i.expiryMs,
        i.strike === null ? null : String(i.strike),
        i.optionType,
      ).lastInsertRowid,
  )
}

function portfolioId(db: Db, name: string, now: number): number {
  const found = db.prepare<[string], { id: number }>('SELECT id FROM portfolios WHERE name = ?').get(name)
  if (found) return found.id
  return Number(db.prepare('INSERT INTO portfolios (name, created_at) VALUES (?, ?)').run(name, now).lastInsertRowid)
}

function accountId(db: Db, portfolio: number, venue: string, name: string): number {
  const found = db
    .prepare<[number, string, string], { id: number }>(
      'SELECT id FROM accounts WHERE portfolio_id = ? AND venue = ? AND name = ?',
    )
    .get(portfolio, venue, name)
  if (found) return found.id
  return Number(
    db.prepare('INSERT INTO accounts (portfolio_id, venue, name) VALUES (?, ?, ?)').run(portfolio, venue, name)
      .lastInsertRowid,
  )
}

export interface WriteImportInput {
  fileName: string
  sha256: string
  /** Portfolio for positions; ignored for market-only files. */
  portfolio: string
  imported: ImportedFile
  /** ms since epoch UTC. */
  now: number
}

/**
 * Writes the import in one transaction and returns its record. Files with positions belong to `portfolio`;
 * market-only files belong to no portfolio.
 * @throws better-sqlite3's error (e.g. a UNIQUE violation on sha256); the transaction is then rolled back.
 */
export function writeImport(db: Db, input: WriteImportInput): ImportRecord {
  const { imported, now } = input
  const kind = imported.positions.length > 0 || imported.market === null ? 'positions' : 'market'
  return db.transaction((): ImportRecord => {
    const portfolio = kind === 'positions' ? portfolioId(db, input.portfolio, now) : null
    const rowsImported = imported.positions.length + (kind === 'market' ? (imported.market?.quotes.length ?? 0) : 0)
    const importId = Number(
      db
        .prepare(
          `INSERT INTO imports (portfolio_id, kind, format, file_name, sha256, rows_read, rows_imported, rows_skipped,
             imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(portfolio, kind, imported.format, input.fileName, input.sha256, imported.rowsRead, rowsImported,
          imported.skipped.length, now).lastInsertRowid,
    )
    if (portfolio !== null) {
      const insert = db.prepare(
        `INSERT INTO positions (import_id, account_id, instrument_id, quantity, entry_price, entry_time, note,
           source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const p of imported.positions)
        insert.run(importId, accountId(db, portfolio, p.venue, p.account), instrumentId(db, p.instrument), p.quantity,
          p.entryPrice, p.entryTime, p.note, p.line)
    }
    const market = imported.market
    if (market) {
      const snapshot = Number(
        db.prepare('INSERT INTO market_snapshots (import_id, venue, as_of) VALUES (?, ?, ?)')
          .run(importId, market.venue, market.asOf).lastInsertRowid,
      )
      const insertQuote = db.prepare(
        `INSERT INTO market_quotes (snapshot_id, instrument_id, ts, mark_price, mark_iv, underlying_price, index_price,
           venue_delta, venue_gamma, venue_vega, venue_theta, venue_rho, source)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      for (const q of market.quotes) {
        const g = q.venueGreeks ?? {}
        insertQuote.run(snapshot, instrumentId(db, q.instrument), q.ts, q.markPrice, q.markIv, q.underlyingPrice,
          q.indexPrice, g.delta ?? null, g.gamma ?? null, g.vega ?? null, g.theta ?? null, g.rho ?? null, q.source)
      }
      const insertIndex = db.prepare('INSERT INTO index_prices (snapshot_id, underlying, ts, price) VALUES (?, ?, ?, ?)')
      for (const i of market.indices) insertIndex.run(snapshot, i.underlying, i.ts, i.price)
    }
    return {
      id: importId,
      portfolio: portfolio === null ? null : input.portfolio,
      kind,
      format: imported.format,
      fileName: input.fileName,
      sha256: input.sha256,
      rowsRead: imported.rowsRead,
      rowsImported,
      rowsSkipped: imported.skipped.length,
      importedAt: now,
    }
  })()
}

/**
 * Reads what valuation needs: portfolios, a portfolio's current book and the latest market data.
 */
import type { Instrument } from '../../shared/instrument'
import type { Position } from '../../shared/position'
import type { MarketQuote, MarketView } from '../../shared/market'
import { venueMarginTerms, type VenueMarginTerms } from '../../shared/venueMargin'
import type { Db } from './database'

export interface PortfolioRow {
  id: number
  name: string
  positions: number
  /** ms since epoch UTC, null before any import. */
  lastImportAt: number | null
}

/** A stored position of the current book, with its row id. */
export interface BookPosition extends Position {
  id: number
}

// A position is current when its import is the latest one that spoke for its account in its settlement
// currency: import_scopes holds '*' for whole-account snapshots (generic CSV) and the settlement currencies
// of venue dumps and trade logs, so a Deribit BTC dump does not erase the account's ETH positions, and a log
// ending flat empties only the currencies it traded in.
const CURRENT_BOOK = `
  SELECT p.id, a.venue, a.name AS account, p.quantity, p.entry_price, p.entry_time, p.note,
         ins.venue AS ins_venue, ins.name, ins.symbol, ins.kind, ins.settlement, ins.underlying, ins.quote_currency,
         ins.settlement_currency, ins.contract_size, ins.contract_size_unit, ins.quantity_unit, ins.price_unit,
         ins.price_currency, ins.expiry_ms, ins.strike, ins.option_type
  FROM positions p
  JOIN accounts a ON a.id = p.account_id
  JOIN instruments ins ON ins.id = p.instrument_id
  WHERE a.portfolio_id = ?
    AND p.import_id = (
      SELECT MAX(s.import_id) FROM import_scopes s
      WHERE s.account_id = p.account_id AND (s.scope = '*' OR s.scope = ins.settlement_currency))
  ORDER BY a.venue, a.name, ins.underlying, ins.kind, ins.expiry_ms, ins.strike + 0, ins.option_type, ins.name`

export function listPortfolios(db: Db): PortfolioRow[] {
  const rows = db
    .prepare<[], { id: number; name: string; last_import_at: number | null }>(
      `SELECT p.id, p.name, MAX(i.imported_at) AS last_import_at
       FROM portfolios p LEFT JOIN imports i ON i.portfolio_id = p.id
       GROUP BY p.id ORDER BY last_import_at DESC, p.id DESC`,
    )
    .all()
  const count = db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM (${CURRENT_BOOK})`)
  return rows.map((r) => ({ id: r.id, name: r.name, positions: count.get(r.id)!.n, lastImportAt: r.last_import_at }))
}

/** Thrown when a named portfolio does not exist, or there is none at all. */
export class PortfolioNotFoundError extends Error {
  constructor(name: string | undefined, known: string[]) {
    super(
      name === undefined
        ? 'there is no portfolio yet: import a positions file first (riskdesk import FILE) or run riskdesk demo'
        : `no portfolio named "${name}"; known: ${known.length > 0 ? known.join(', ') : 'none'}`,
    )
    this.name = 'PortfolioNotFoundError'
  }
}

/** The named portfolio, or the most recently imported one. @throws PortfolioNotFoundError */
export function findPortfolio(db: Db, name?: string): PortfolioRow {
  const all = listPortfolios(db)
  const found = name === undefined ? all[0] : all.find((p) => p.name === name)
  if (!found) throw new PortfolioNotFoundError(name, all.map((p) => p.name))
  return found
}

/**
 * The venue's own margin terms of stored positions (position snapshots that carry them), by position id;
 * positions without any are absent.
 * @throws ZodError for a stored value that no longer validates (a hand-edited row)
 */
export function positionVenueMargins(db: Db, positionIds: readonly number[]): Map<number, VenueMarginTerms> {
  const out = new Map<number, VenueMarginTerms>()
  const read = db.prepare<[number], { venue_margin: string | null }>('SELECT venue_margin FROM positions WHERE id = ?')
  for (const id of positionIds) {
    const json = read.get(id)?.venue_margin
    if (json) out.set(id, venueMarginTerms.parse(JSON.parse(json)))
  }
  return out
}

/** The columns of an `instruments` row (alias `ins`) that instrumentOfRow reads. */
export const INSTRUMENT_COLUMNS = `ins.venue AS ins_venue, ins.name, ins.symbol, ins.kind, ins.settlement, ins.underlying, ins.quote_currency,
         ins.settlement_currency, ins.contract_size, ins.contract_size_unit, ins.quantity_unit, ins.price_unit,
         ins.price_currency, ins.expiry_ms, ins.strike, ins.option_type`

/** A stored instrument from the columns of INSTRUMENT_COLUMNS. */
export function instrumentOfRow(r: Record<string, string | number | null>): Instrument {
  return {
    venue: r.ins_venue as string,
    name: r.name as string,
    symbol: r.symbol as string,
    kind: r.kind as Instrument['kind'],
    settlement: r.settlement as Instrument['settlement'],
    underlying: r.underlying as string,
    quoteCurrency: r.quote_currency as string,
    settlementCurrency: r.settlement_currency as string,
    contractSize: r.contract_size as string,
    contractSizeUnit: r.contract_size_unit as Instrument['contractSizeUnit'],
    quantityUnit: r.quantity_unit as Instrument['quantityUnit'],
    priceUnit: r.price_unit as Instrument['priceUnit'],
    priceCurrency: r.price_currency as string,
    expiryMs: r.expiry_ms as number | null,
    strike: r.strike === null ? null : Number(r.strike),
    optionType: r.option_type as Instrument['optionType'],
  }
}

/**
 * The current book of a portfolio: per account, the positions of the account's latest import that spoke for
 * it (import_accounts: a log ending flat speaks for its account with no positions), with each instrument's
 * canonical symbol and price currency. Quantities and prices are decimal strings in the instrument's units.
 */
export function currentBook(db: Db, portfolioId: number): BookPosition[] {
  type Row = Record<string, string | number | null>
  return db
    .prepare<[number], Row>(CURRENT_BOOK)
    .all(portfolioId)
    .map((r) => ({
      id: r.id as number,
      venue: r.venue as string,
      account: r.account as string,
      quantity: r.quantity as string,
      entryPrice: r.entry_price as string,
      entryTime: r.entry_time as number | null,
      note: r.note as string | null,
      instrument: instrumentOfRow(r),
    }))
}

const num = (s: string | null): number | null => (s === null ? null : Number(s))

/**
 * Which stored market data a portfolio may be valued against: snapshots of market imports (option chains:
 * shared by every portfolio) and of the portfolio's own imports (venue position dumps with their marks), whose
 * instant is at or before `cutoffMs`. Another portfolio's imports are never seen.
 */
export interface MarketScope {
  portfolioId: number
  /** Market data at or after this instant (ms UTC) is not used. */
  cutoffMs: number
}

/** One stored market snapshot as the valuation lists it. */
export interface MarketSnapshotInfo {
  id: number
  venue: string
  /** Snapshot instant, ms UTC (the file's own time, or its import time when the file has none). */
  asOf: number
  importId: number
  fileName: string
  format: string
  /** ms UTC. */
  importedAt: number
  /** `shared`: a market import (option chain); `portfolio`: an import of this portfolio. */
  scope: 'shared' | 'portfolio'
}

// Snapshots of market imports or of @portfolioId's own imports, at or before @cutoffMs; a NULL parameter lifts
// its condition (every portfolio, any time).
const IN_SCOPE = `(@portfolioId IS NULL OR i.portfolio_id IS NULL OR i.portfolio_id = @portfolioId) AND (@cutoffMs IS NULL OR s.as_of <= @cutoffMs)`

/**
 * The snapshots a portfolio may be valued against (market imports and its own), newest first; with
 * `cutoffMs`, only those at or before it.
 */
export function marketSnapshots(db: Db, portfolioId: number, cutoffMs = Number.MAX_SAFE_INTEGER): MarketSnapshotInfo[] {
  return db
    .prepare<{ portfolioId: number; cutoffMs: number }, Record<string, string | number | null>>(
      `SELECT s.id, s.venue, s.as_of, s.import_id, i.file_name, i.format, i.imported_at, i.portfolio_id
       FROM market_snapshots s JOIN imports i ON i.id = s.import_id
       WHERE ${IN_SCOPE}
       ORDER BY s.as_of DESC, s.id DESC`,
    )
    .all({ portfolioId, cutoffMs })
    .map((r) => ({
      id: r.id as number,
      venue: r.venue as string,
      asOf: r.as_of as number,
      importId: r.import_id as number,
      fileName: r.file_name as string,
      format: r.format as string,
      importedAt: r.imported_at as number,
      scope: r.portfolio_id === null ? 'shared' : 'portfolio',
    }))
}

/**
 * The time of a portfolio's book: its latest import (positions, trade logs, balances), ms UTC; null when
 * it has none. The default valuation rule reads the market as of this instant.
 */
export function bookTime(db: Db, portfolioId: number): number | null {
  return db.prepare<[number], { t: number | null }>('SELECT MAX(imported_at) AS t FROM imports WHERE portfolio_id = ?').get(portfolioId)?.t ?? null
}

/** A stored quote with the snapshot it belongs to. */
export interface ScopedQuote extends MarketQuote {
  snapshotId: number
  /** Best bid and ask in the instrument's price unit, as the venue reported them; null when none. */
  bidPrice: number | null
  askPrice: number | null
}

/**
 * Per instrument of one venue, the quote of the latest snapshot that has one (by snapshot instant, then import
 * order): within a portfolio's market scope, or — scope null — among every stored snapshot.
 */
export function scopedQuotes(db: Db, venue: string, instrumentNames: readonly string[], scope: MarketScope | null): Map<string, ScopedQuote> {
  const quotes = new Map<string, ScopedQuote>()
  const wanted = new Set(instrumentNames)
  const rows = db
    .prepare<{ venue: string; portfolioId: number | null; cutoffMs: number | null }, Record<string, string | number | null>>(
      `SELECT ins.name, q.ts, q.mark_price, q.mark_iv, q.underlying_price, q.index_price, q.source, q.bid_price, q.ask_price, s.id AS snapshot_id
       FROM market_quotes q
       JOIN market_snapshots s ON s.id = q.snapshot_id
       JOIN imports i ON i.id = s.import_id
       JOIN instruments ins ON ins.id = q.instrument_id
       WHERE ins.venue = @venue AND ${IN_SCOPE}
       ORDER BY s.as_of, s.id`,
    )
    .all({ venue, portfolioId: scope?.portfolioId ?? null, cutoffMs: scope?.cutoffMs ?? null })
  for (const r of rows) {
    if (!wanted.has(r.name as string)) continue
    quotes.set(r.name as string, {
      instrument: r.name as string,
      ts: r.ts as number,
      markPrice: num(r.mark_price as string | null),
      markIv: num(r.mark_iv as string | null),
      underlyingPrice: num(r.underlying_price as string | null),
      indexPrice: num(r.index_price as string | null),
      source: r.source as string,
      snapshotId: r.snapshot_id as number,
      bidPrice: num(r.bid_price as string | null),
      askPrice: num(r.ask_price as string | null),
    })
  }
  return quotes
}

/** An index price stored with a snapshot. */
export interface StoredIndex {
  underlying: string
  /** USD. */
  price: number
  /** ms UTC. */
  ts: number
  snapshotId: number
  venue: string
}

/**
 * Per underlying, the latest stored index price (by its time, then snapshot): within a portfolio's market scope
 * (scope null: every stored snapshot), of one venue's snapshots when `venue` is given.
 */
export function scopedIndices(db: Db, scope: MarketScope | null, venue?: string): Map<string, StoredIndex> {
  const out = new Map<string, StoredIndex>()
  const rows = db
    .prepare<{ portfolioId: number | null; cutoffMs: number | null; venue: string | null }, { underlying: string; ts: number; price: string; snapshot_id: number; venue: string }>(
      `SELECT x.underlying, x.ts, x.price, s.id AS snapshot_id, s.venue
       FROM index_prices x JOIN market_snapshots s ON s.id = x.snapshot_id JOIN imports i ON i.id = s.import_id
       WHERE ${IN_SCOPE} AND (@cutoffMs IS NULL OR x.ts <= @cutoffMs) AND (@venue IS NULL OR s.venue = @venue)
       ORDER BY x.ts, s.id`,
    )
    .all({ portfolioId: scope?.portfolioId ?? null, cutoffMs: scope?.cutoffMs ?? null, venue: venue ?? null })
  for (const r of rows) out.set(r.underlying, { underlying: r.underlying, price: Number(r.price), ts: r.ts, snapshotId: r.snapshot_id, venue: r.venue })
  return out
}

/**
 * The latest market data for the given instruments of one venue, whatever portfolio imported it: per
 * instrument the quote of the most recent snapshot, and per underlying the latest index price of the venue's
 * snapshots. For inspecting what an import stored; valuation reads `scopedQuotes` and `scopedIndices` with a
 * portfolio's scope, which keeps each portfolio to its own data.
 */
export function marketView(db: Db, venue: string, instrumentNames: readonly string[]): MarketView {
  const indices = new Map([...scopedIndices(db, null, venue)].map(([u, x]) => [u, { price: x.price, ts: x.ts }]))
  return { quotes: scopedQuotes(db, venue, instrumentNames, null), indices }
}

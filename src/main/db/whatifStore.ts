/**
 * What-if books (issue 13): named sandboxes on a portfolio, and their legs — hypothetical positions in
 * instruments of the stored market data. Only `whatif_books` and `whatif_legs` are written here: imported
 * positions, balances and quotes are never touched (a what-if is valued on top of them by whatifService.ts).
 *
 * Quantities and prices are decimal strings in the instrument's own units (as `positions`); the fee is USD.
 * Writers run inside the caller's write transaction (writeGate.ts `inWriteTransaction`).
 */
import type { Instrument } from '../../shared/instrument'
import { INSTRUMENT_COLUMNS, instrumentOfRow } from './bookStore'
import type { Db } from './database'

export interface WhatIfBookRow {
  id: number
  portfolioId: number
  portfolio: string
  name: string
  legs: number
  /** ms UTC. */
  createdAt: number
  updatedAt: number
}

export interface WhatIfLegRow {
  id: number
  venue: string
  account: string
  instrument: Instrument
  /** Signed, in the instrument's quantity unit. */
  quantity: string
  /** In the instrument's price unit. */
  entryPrice: string
  /** Where the entry price came from (the user, the ask/bid, the mark). */
  priceSource: string
  /** USD; null when the fee is not known (feeSource says why). */
  feeUsd: string | null
  feeSource: string
  createdAt: number
  /** Set for a custom option (strike or expiry not listed), priced off the fitted vol surface; null otherwise. */
  custom: CustomLegTerms | null
}

/** What a custom-option leg stores besides its instrument (migration 10). */
export interface CustomLegTerms {
  /** USD. */
  strike: number
  /** ms UTC, at the venue's expiry hour. */
  expiryMs: number
  optionType: 'call' | 'put'
  /** The surface's implied vol at the strike and expiry when the leg was added, vol points. */
  surfaceVolPoints: number
  /** Which surface gave it (venue, underlying, snapshot, slice or interpolation). */
  surfaceNote: string
}

export interface NewWhatIfLeg {
  /** The listed instrument's row; null for a custom option (then `custom` and `customInstrument` are set). */
  instrumentId: number | null
  customInstrument?: Instrument
  custom?: CustomLegTerms
  venue: string
  account: string
  quantity: string
  entryPrice: string
  priceSource: string
  feeUsd: string | null
  feeSource: string
}

/** Thrown for a what-if name that does not exist. */
export class WhatIfNotFoundError extends Error {
  constructor(name: string, known: string[]) {
    super(`no what-if named "${name}"; known: ${known.length > 0 ? known.join(', ') : 'none (riskdesk whatif new NAME)'}`)
    this.name = 'WhatIfNotFoundError'
  }
}

/** Thrown when a what-if name is already taken (names are unique across portfolios). */
export class WhatIfExistsError extends Error {
  constructor(name: string) {
    super(`a what-if named "${name}" already exists: pick another name (or riskdesk whatif delete "${name}")`)
    this.name = 'WhatIfExistsError'
  }
}

/** Thrown for a leg id that is not a leg of the what-if. */
export class WhatIfLegNotFoundError extends Error {
  constructor(book: string, legId: number, known: number[]) {
    super(`what-if "${book}" has no leg ${legId}; its legs: ${known.length > 0 ? known.join(', ') : 'none'}`)
    this.name = 'WhatIfLegNotFoundError'
  }
}

const BOOKS = `
  SELECT b.id, b.portfolio_id, p.name AS portfolio, b.name, b.created_at, b.updated_at,
         (SELECT COUNT(*) FROM whatif_legs l WHERE l.book_id = b.id) AS legs
  FROM whatif_books b JOIN portfolios p ON p.id = b.portfolio_id`

const bookOfRow = (r: Record<string, string | number>): WhatIfBookRow => ({
  id: r.id as number,
  portfolioId: r.portfolio_id as number,
  portfolio: r.portfolio as string,
  name: r.name as string,
  legs: r.legs as number,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
})

/** Rows this connection changed through the writers below (what-if rows only), per connection. */
const whatIfChanges = new WeakMap<Db, number>()
const totalChanges = (db: Db) => db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()!.n

/** Runs a what-if writer, counting the rows it changes as what-if changes (bookDataVersion leaves them out). */
function tracked<T>(db: Db, write: () => T): T {
  const before = totalChanges(db)
  try {
    return write()
  } finally {
    whatIfChanges.set(db, (whatIfChanges.get(db) ?? 0) + totalChanges(db) - before)
  }
}

/**
 * A key that changes whenever data a book's figures read may have changed, and not when only what-if books or legs
 * do: SQLite's `data_version` (changes when another connection — another process, the import thread — commits)
 * and this connection's `total_changes()` less the rows the what-if writers changed. An import, a removal, a margin
 * or scenario setting saved here or elsewhere all change it. Used to key the what-if's cached "before" figures.
 */
export function bookDataVersion(db: Db): string {
  return `${db.pragma('data_version', { simple: true }) as number}:${totalChanges(db) - (whatIfChanges.get(db) ?? 0)}`
}

/** Every what-if book (of one portfolio when `portfolioId` is given), by name. */
export function listWhatIfBooks(db: Db, portfolioId?: number): WhatIfBookRow[] {
  return db
    .prepare<{ portfolioId: number | null }, Record<string, string | number>>(`${BOOKS} WHERE @portfolioId IS NULL OR b.portfolio_id = @portfolioId ORDER BY b.name`)
    .all({ portfolioId: portfolioId ?? null })
    .map(bookOfRow)
}

/** @throws WhatIfNotFoundError */
export function findWhatIfBook(db: Db, name: string): WhatIfBookRow {
  const r = db.prepare<[string], Record<string, string | number>>(`${BOOKS} WHERE b.name = ?`).get(name)
  if (!r) throw new WhatIfNotFoundError(name, listWhatIfBooks(db).map((b) => b.name))
  return bookOfRow(r)
}

const nameTaken = (db: Db, name: string) => db.prepare<[string], { id: number }>('SELECT id FROM whatif_books WHERE name = ?').get(name) !== undefined

/** @throws WhatIfExistsError */
export function createWhatIfBook(db: Db, portfolioId: number, name: string, now: number): WhatIfBookRow {
  return tracked(db, () => {
    if (nameTaken(db, name)) throw new WhatIfExistsError(name)
    db.prepare('INSERT INTO whatif_books (portfolio_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(portfolioId, name, now, now)
    return findWhatIfBook(db, name)
  })
}

/** @throws WhatIfNotFoundError; WhatIfExistsError */
export function renameWhatIfBook(db: Db, from: string, to: string, now: number): WhatIfBookRow {
  return tracked(db, () => {
    const book = findWhatIfBook(db, from)
    if (from !== to && nameTaken(db, to)) throw new WhatIfExistsError(to)
    db.prepare('UPDATE whatif_books SET name = ?, updated_at = ? WHERE id = ?').run(to, now, book.id)
    return findWhatIfBook(db, to)
  })
}

/** A copy of a what-if with all its legs (new leg ids) under a new name. @throws WhatIfNotFoundError; WhatIfExistsError */
export function duplicateWhatIfBook(db: Db, from: string, to: string, now: number): WhatIfBookRow {
  return tracked(db, () => {
    const book = findWhatIfBook(db, from)
    const copy = createWhatIfBook(db, book.portfolioId, to, now)
    db.prepare(
      `INSERT INTO whatif_legs (book_id, instrument_id, venue, account, quantity, entry_price, price_source, fee_usd, fee_source, created_at,
                                custom, custom_instrument, strike, expiry_ms, option_type, surface_vol, surface_note)
       SELECT ?, instrument_id, venue, account, quantity, entry_price, price_source, fee_usd, fee_source, created_at,
              custom, custom_instrument, strike, expiry_ms, option_type, surface_vol, surface_note
       FROM whatif_legs WHERE book_id = ? ORDER BY id`,
    ).run(copy.id, book.id)
    return findWhatIfBook(db, to)
  })
}

/** Deletes a what-if and its legs. @throws WhatIfNotFoundError */
export function deleteWhatIfBook(db: Db, name: string): WhatIfBookRow {
  return tracked(db, () => {
    const book = findWhatIfBook(db, name)
    db.prepare('DELETE FROM whatif_books WHERE id = ?').run(book.id)
    return book
  })
}

/** The legs of a what-if, in the order they were added (a custom leg with the instrument it stored). */
export function whatIfLegs(db: Db, bookId: number): WhatIfLegRow[] {
  return db
    .prepare<[number], Record<string, string | number | null>>(
      `SELECT l.id, l.venue, l.account, l.quantity, l.entry_price, l.price_source, l.fee_usd, l.fee_source, l.created_at,
              l.custom, l.custom_instrument, l.strike AS custom_strike, l.expiry_ms AS custom_expiry_ms, l.option_type AS custom_option_type,
              l.surface_vol, l.surface_note, ${INSTRUMENT_COLUMNS}
       FROM whatif_legs l LEFT JOIN instruments ins ON ins.id = l.instrument_id
       WHERE l.book_id = ? ORDER BY l.id`,
    )
    .all(bookId)
    .map((r) => ({
      id: r.id as number,
      venue: r.venue as string,
      account: r.account as string,
      instrument: r.custom === 1 ? (JSON.parse(r.custom_instrument as string) as Instrument) : instrumentOfRow(r),
      custom:
        r.custom === 1
          ? {
              strike: r.custom_strike as number,
              expiryMs: r.custom_expiry_ms as number,
              optionType: r.custom_option_type as 'call' | 'put',
              surfaceVolPoints: r.surface_vol as number,
              surfaceNote: r.surface_note as string,
            }
          : null,
      quantity: r.quantity as string,
      entryPrice: r.entry_price as string,
      priceSource: r.price_source as string,
      feeUsd: r.fee_usd as string | null,
      feeSource: r.fee_source as string,
      createdAt: r.created_at as number,
    }))
}

/** Adds a leg; returns its id. A custom leg (`custom` set) stores `customInstrument` instead of a listed row. */
export function addWhatIfLeg(db: Db, bookId: number, leg: NewWhatIfLeg, now: number): number {
  return tracked(db, () => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO whatif_legs (book_id, instrument_id, venue, account, quantity, entry_price, price_source, fee_usd, fee_source, created_at,
                                    custom, custom_instrument, strike, expiry_ms, option_type, surface_vol, surface_note)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          bookId,
          leg.instrumentId,
          leg.venue,
          leg.account,
          leg.quantity,
          leg.entryPrice,
          leg.priceSource,
          leg.feeUsd,
          leg.feeSource,
          now,
          leg.custom ? 1 : 0,
          leg.custom && leg.customInstrument ? JSON.stringify(leg.customInstrument) : null,
          leg.custom?.strike ?? null,
          leg.custom?.expiryMs ?? null,
          leg.custom?.optionType ?? null,
          leg.custom?.surfaceVolPoints ?? null,
          leg.custom?.surfaceNote ?? null,
        ).lastInsertRowid,
    )
    db.prepare('UPDATE whatif_books SET updated_at = ? WHERE id = ?').run(now, bookId)
    return id
  })
}

/** Sets a leg's quantity (and its fee, which scales with it). @throws WhatIfLegNotFoundError */
export function resizeWhatIfLeg(db: Db, book: WhatIfBookRow, legId: number, quantity: string, feeUsd: string | null, now: number): void {
  return tracked(db, () => {
    const changed = db.prepare('UPDATE whatif_legs SET quantity = ?, fee_usd = ? WHERE id = ? AND book_id = ?').run(quantity, feeUsd, legId, book.id).changes
    if (changed === 0) throw new WhatIfLegNotFoundError(book.name, legId, whatIfLegs(db, book.id).map((l) => l.id))
    db.prepare('UPDATE whatif_books SET updated_at = ? WHERE id = ?').run(now, book.id)
  })
}

/** Removes a leg. @throws WhatIfLegNotFoundError */
export function removeWhatIfLeg(db: Db, book: WhatIfBookRow, legId: number, now: number): void {
  return tracked(db, () => {
    const changed = db.prepare('DELETE FROM whatif_legs WHERE id = ? AND book_id = ?').run(legId, book.id).changes
    if (changed === 0) throw new WhatIfLegNotFoundError(book.name, legId, whatIfLegs(db, book.id).map((l) => l.id))
    db.prepare('UPDATE whatif_books SET updated_at = ? WHERE id = ?').run(now, book.id)
  })
}

/** Stored instruments named `name` (of `venue` when given), with their ids. */
export function instrumentsNamed(db: Db, name: string, venue?: string): Array<{ id: number; instrument: Instrument }> {
  return db
    .prepare<{ name: string; venue: string | null }, Record<string, string | number | null>>(
      `SELECT ins.id AS instrument_id, ${INSTRUMENT_COLUMNS} FROM instruments ins
       WHERE ins.name = @name AND (@venue IS NULL OR ins.venue = @venue) ORDER BY ins.venue`,
    )
    .all({ name, venue: venue ?? null })
    .map((r) => ({ id: r.instrument_id as number, instrument: instrumentOfRow(r) }))
}

/** The accounts of a portfolio at a venue, by name. */
export function accountsAt(db: Db, portfolioId: number, venue: string): string[] {
  return db
    .prepare<[number, string], { name: string }>('SELECT name FROM accounts WHERE portfolio_id = ? AND venue = ? ORDER BY name')
    .all(portfolioId, venue)
    .map((r) => r.name)
}

/** The accounts of a portfolio, by venue then name. */
export function accountsOf(db: Db, portfolioId: number): Array<{ venue: string; account: string }> {
  return db
    .prepare<[number], { venue: string; name: string }>('SELECT venue, name FROM accounts WHERE portfolio_id = ? ORDER BY venue, name')
    .all(portfolioId)
    .map((r) => ({ venue: r.venue, account: r.name }))
}

/** Every stored instrument of a venue (what a what-if leg or a hedge may trade), by name. */
export function instrumentsAtVenue(db: Db, venue: string): Array<{ id: number; instrument: Instrument }> {
  return db
    .prepare<[string], Record<string, string | number | null>>(`SELECT ins.id AS instrument_id, ${INSTRUMENT_COLUMNS} FROM instruments ins WHERE ins.venue = ? ORDER BY ins.name`)
    .all(venue)
    .map((r) => ({ id: r.instrument_id as number, instrument: instrumentOfRow(r) }))
}

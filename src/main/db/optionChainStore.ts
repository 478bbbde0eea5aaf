/**
 * The option chain of one underlying in a venue's latest market snapshot that has options on it: what a
 * volatility surface is fitted to.
 */
import type { Db } from './database'

export interface ChainQuote {
  instrument: string
  type: 'call' | 'put'
  /** ms since epoch UTC. */
  expiryMs: number
  /** USD. */
  strike: number
  /** Forward (underlying price) of the quote, USD. */
  forward: number
  /** Mark IV, decimal. */
  iv: number
}

export interface OptionChain {
  /** Snapshot time, ms since epoch UTC. */
  asOf: number
  /** Index price of the underlying in that snapshot, USD, when it has one. */
  index: number | null
  quotes: ChainQuote[]
}

/** Null when no snapshot of the venue has options on the underlying. */
export function latestOptionChain(db: Db, venue: string, underlying: string): OptionChain | null {
  const snapshot = db
    .prepare<[string, string], { id: number; as_of: number }>(
      `SELECT s.id, s.as_of FROM market_snapshots s
       WHERE s.venue = ? AND EXISTS (
         SELECT 1 FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
         WHERE q.snapshot_id = s.id AND i.kind = 'option' AND i.underlying = ? AND q.mark_iv IS NOT NULL)
       ORDER BY s.as_of DESC, s.id DESC LIMIT 1`,
    )
    .get(venue, underlying)
  if (!snapshot) return null
  const rows = db
    .prepare<[number, string], { name: string; option_type: 'call' | 'put'; expiry_ms: number; strike: string; underlying_price: string | null; mark_iv: string }>(
      `SELECT i.name, i.option_type, i.expiry_ms, i.strike, q.underlying_price, q.mark_iv
       FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
       WHERE q.snapshot_id = ? AND i.kind = 'option' AND i.underlying = ? AND q.mark_iv IS NOT NULL`,
    )
    .all(snapshot.id, underlying)
  const index = db
    .prepare<[number, string], { price: string }>('SELECT price FROM index_prices WHERE snapshot_id = ? AND underlying = ?')
    .get(snapshot.id, underlying)
  return {
    asOf: snapshot.as_of,
    index: index ? Number(index.price) : null,
    quotes: rows
      .filter((r) => r.underlying_price !== null)
      .map((r) => ({
        instrument: r.name,
        type: r.option_type,
        expiryMs: r.expiry_ms,
        strike: Number(r.strike),
        forward: Number(r.underlying_price),
        iv: Number(r.mark_iv) / 100,
      })),
  }
}

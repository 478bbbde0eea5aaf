/**
 * Read-only queries for the volatility surface: the option quotes of the latest market snapshot that has
 * any (tables market_snapshots, market_quotes, instruments, index_prices; see migrations.ts). Amounts are
 * stored as decimal strings and converted to float64 here, at the boundary to pricing (DESIGN.md §4).
 */
import type { Db } from './database'

export interface SurfaceSnapshotQuote {
  instrument: string
  underlying: string
  optionType: 'call' | 'put'
  /** ms since epoch UTC. */
  expiryMs: number
  strike: number
  /** Quote time, ms since epoch UTC. */
  ts: number
  /** Mark IV in vol points (Deribit `mark_iv`). */
  markIv: number
  /** Forward of the expiry (Deribit `underlying_price`), USD. */
  underlyingPrice: number
  /** Mark price in the instrument's price unit (coin for Deribit inverse options), or null. */
  markPrice: number | null
  /** Best bid and ask IVs, vol points; null when the file had none. */
  bidIv: number | null
  askIv: number | null
}

export interface SurfaceSnapshot {
  snapshotId: number
  venue: string
  /** Snapshot time, ms since epoch UTC. */
  asOf: number
  quotes: SurfaceSnapshotQuote[]
  /** Index price per underlying in this snapshot, USD. */
  indices: Map<string, number>
}

/**
 * The latest snapshot (by snapshot time, then id) holding option quotes with a mark IV and an underlying
 * price — of one venue and/or underlying when given, and within a portfolio's market scope when given (market
 * imports and that portfolio's own imports, at or before the cutoff: bookStore.ts `MarketScope`) — with those
 * quotes; null when there is none.
 */
export function latestOptionSnapshot(
  db: Db,
  filter: { venue?: string; underlying?: string; scope?: { portfolioId: number; cutoffMs: number }; snapshotId?: number } = {},
): SurfaceSnapshot | null {
  const snap = db
    .prepare<Record<string, string | number | null>, { id: number; venue: string; as_of: number }>(
      `SELECT s.id, s.venue, s.as_of FROM market_snapshots s JOIN imports imp ON imp.id = s.import_id
       WHERE (@venue IS NULL OR s.venue = @venue) AND (@snapshotId IS NULL OR s.id = @snapshotId)
         AND (@portfolioId IS NULL OR imp.portfolio_id IS NULL OR imp.portfolio_id = @portfolioId)
         AND (@cutoffMs IS NULL OR s.as_of <= @cutoffMs)
         AND EXISTS (SELECT 1 FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
                     WHERE q.snapshot_id = s.id AND i.kind = 'option' AND q.mark_iv IS NOT NULL AND q.underlying_price IS NOT NULL
                       AND (@underlying IS NULL OR i.underlying = @underlying))
       ORDER BY s.as_of DESC, s.id DESC LIMIT 1`,
    )
    .get({
      venue: filter.venue ?? null,
      underlying: filter.underlying ?? null,
      portfolioId: filter.scope?.portfolioId ?? null,
      cutoffMs: filter.scope?.cutoffMs ?? null,
      snapshotId: filter.snapshotId ?? null,
    })
  if (!snap) return null
  const rows = db
    .prepare<[number], { name: string; underlying: string; option_type: 'call' | 'put'; expiry_ms: number; strike: string; ts: number; mark_iv: string; underlying_price: string; mark_price: string | null; bid_iv: string | null; ask_iv: string | null }>(
      `SELECT i.name, i.underlying, i.option_type, i.expiry_ms, i.strike, q.ts, q.mark_iv, q.underlying_price, q.mark_price, q.bid_iv, q.ask_iv
       FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
       WHERE q.snapshot_id = ? AND i.kind = 'option' AND q.mark_iv IS NOT NULL AND q.underlying_price IS NOT NULL
         AND i.expiry_ms IS NOT NULL AND i.strike IS NOT NULL AND i.option_type IS NOT NULL
       ORDER BY i.underlying, i.expiry_ms, i.strike + 0, i.option_type`,
    )
    .all(snap.id)
  const indices = new Map<string, number>()
  for (const r of db
    .prepare<[number], { underlying: string; price: string }>('SELECT underlying, price FROM index_prices WHERE snapshot_id = ?')
    .all(snap.id))
    indices.set(r.underlying, Number(r.price))
  return {
    snapshotId: snap.id,
    venue: snap.venue,
    asOf: snap.as_of,
    indices,
    quotes: rows.map((r) => ({
      instrument: r.name,
      underlying: r.underlying,
      optionType: r.option_type,
      expiryMs: r.expiry_ms,
      strike: Number(r.strike),
      ts: r.ts,
      markIv: Number(r.mark_iv),
      underlyingPrice: Number(r.underlying_price),
      markPrice: r.mark_price === null ? null : Number(r.mark_price),
      bidIv: r.bid_iv === null ? null : Number(r.bid_iv),
      askIv: r.ask_iv === null ? null : Number(r.ask_iv),
    })),
  }
}

/** A stored snapshot with option mark IVs, as the surface view's picker lists it. */
export interface OptionSnapshotInfo {
  snapshotId: number
  venue: string
  /** ms UTC. */
  asOf: number
  fileName: string
  underlyings: string[]
}

/** Every snapshot holding option quotes with a mark IV and a forward, newest first (market-wide and portfolios' own). */
export function listOptionSnapshots(db: Db): OptionSnapshotInfo[] {
  return db
    .prepare<[], { id: number; venue: string; as_of: number; file_name: string; underlyings: string }>(
      `SELECT s.id, s.venue, s.as_of, imp.file_name,
         (SELECT GROUP_CONCAT(DISTINCT i.underlying) FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
          WHERE q.snapshot_id = s.id AND i.kind = 'option' AND q.mark_iv IS NOT NULL AND q.underlying_price IS NOT NULL) AS underlyings
       FROM market_snapshots s JOIN imports imp ON imp.id = s.import_id
       WHERE EXISTS (SELECT 1 FROM market_quotes q JOIN instruments i ON i.id = q.instrument_id
                     WHERE q.snapshot_id = s.id AND i.kind = 'option' AND q.mark_iv IS NOT NULL AND q.underlying_price IS NOT NULL)
       ORDER BY s.as_of DESC, s.id DESC`,
    )
    .all()
    .map((r) => ({ snapshotId: r.id, venue: r.venue, asOf: r.as_of, fileName: r.file_name, underlyings: r.underlyings.split(',').sort() }))
}

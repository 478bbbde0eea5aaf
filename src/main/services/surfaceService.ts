/**
 * Volatility-surface report for the latest market snapshot: one SVI surface per underlying (see
 * domain/pricing/volSurface), with fit quality per expiry (RMSE in vol points) and arbitrage flags.
 */
import type { MarketScope } from '../db/bookStore'
import type { Db } from '../db/database'
import { latestOptionSnapshot } from '../db/surfaceStore'
import { buildVolSurface, type SurfaceQuote, type VolSurface } from '../domain/pricing/volSurface'
import type { SurfaceSnapshotQuote } from '../db/surfaceStore'

export interface SurfaceExpiryReport {
  /** Expiry, ISO 8601 UTC. */
  expiry: string
  /** Years to expiry from the valuation instant (ACT/365). */
  T: number
  /** Forward of the expiry, USD. */
  forward: number
  quotes: number
  rmseVolPoints: number
  vegaWeightedRmseVolPoints: number
  maxAbsErrorVolPoints: number
  /** Raw SVI parameters in total variance (a, b, rho, m, s). */
  svi: { a: number; b: number; rho: number; m: number; s: number }
  /** Most negative Gatheral–Jacquier g(k) over the quoted range, when negative (butterfly arbitrage). */
  butterfly: { k: number; g: number } | null
  /** Largest excess of this expiry's total variance over the next one's, when positive (calendar arbitrage). */
  calendar: { k: number; excessTotalVariance: number; nextExpiry: string } | null
}

export interface SurfaceUnderlyingReport {
  underlying: string
  /** Valuation instant: the latest quote time of the snapshot, ISO 8601 UTC. */
  valuationTime: string
  indexPrice: number | null
  expiries: SurfaceExpiryReport[]
  /** Expiries with too few usable quotes. */
  unfitted: Array<{ expiry: string; quotes: number }>
  /** Quotes not fitted, with the reason. */
  excluded: Array<{ instrument: string; reason: string }>
}

export interface SurfaceReportResult {
  snapshotId: number
  venue: string
  asOf: string
  underlyings: SurfaceUnderlyingReport[]
}

const iso = (ms: number) => new Date(ms).toISOString()

/** Stored quotes as the surface fit reads them (mark IV from vol points to a decimal). */
function toSurfaceQuotes(qs: readonly SurfaceSnapshotQuote[]): SurfaceQuote[] {
  return qs.map((q) => ({ instrument: q.instrument, type: q.optionType, expiryMs: q.expiryMs, strike: q.strike, forward: q.underlyingPrice, iv: q.markIv / 100 }))
}

/** Thrown when the store holds no option quotes to fit a surface to (none at all, or none of the underlying asked). */
export class SurfaceDataNotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SurfaceDataNotFoundError'
  }
}

/**
 * Fits the surfaces of the latest snapshot with option quotes.
 * @throws Error when the database holds no option quotes with mark IVs (import a chain first).
 */
export function surfaceReport(db: Db, underlying?: string): SurfaceReportResult {
  const snap = latestOptionSnapshot(db)
  if (!snap) throw new SurfaceDataNotFoundError('no market snapshot with option mark IVs: import an option chain first (riskdesk import FILE or riskdesk demo)')
  const names = [...new Set(snap.quotes.map((q) => q.underlying))].filter((u) => underlying === undefined || u === underlying)
  if (names.length === 0) throw new SurfaceDataNotFoundError(`the latest snapshot has no ${String(underlying).slice(0, 40)} options; it has ${[...new Set(snap.quotes.map((q) => q.underlying))].join(', ')}`)
  const underlyings = names.map((u): SurfaceUnderlyingReport => {
    const qs = snap.quotes.filter((q) => q.underlying === u)
    const valuationMs = Math.max(...qs.map((q) => q.ts))
    const quotes = toSurfaceQuotes(qs)
    const index = snap.indices.get(u)
    const surface = buildVolSurface(quotes, { valuationMs, index })
    const r = surface.report
    return {
      underlying: u,
      valuationTime: iso(valuationMs),
      indexPrice: index ?? null,
      expiries: r.slices.map((s) => {
        const b = r.butterfly.find((f) => f.expiryMs === s.expiryMs)
        const c = r.calendar.find((f) => f.expiryMs === s.expiryMs)
        return {
          expiry: iso(s.expiryMs),
          T: s.T,
          forward: s.forward,
          quotes: s.quotes,
          rmseVolPoints: s.rmseVolPoints,
          vegaWeightedRmseVolPoints: s.vegaWeightedRmseVolPoints,
          maxAbsErrorVolPoints: s.maxAbsErrorVolPoints,
          svi: { ...s.params },
          butterfly: b ? { k: b.k, g: b.g } : null,
          calendar: c ? { k: c.k, excessTotalVariance: c.excessTotalVariance, nextExpiry: iso(c.nextExpiryMs) } : null,
        }
      }),
      unfitted: r.unfitted.map((x) => ({ expiry: iso(x.expiryMs), quotes: x.quotes })),
      excluded: r.excluded,
    }
  })
  return { snapshotId: snap.snapshotId, venue: snap.venue, asOf: iso(snap.asOf), underlyings }
}

/**
 * The volatility surface of one venue's underlying, fitted to the latest option snapshot in a book's market
 * scope (for stress scenarios under sticky-moneyness); null when there is no such snapshot.
 * @throws RangeError when no expiry has enough usable quotes
 */
export function fitSurface(db: Db, venue: string, underlying: string, scope: MarketScope): VolSurface | null {
  const snap = latestOptionSnapshot(db, { venue, underlying, scope })
  if (!snap) return null
  const qs = snap.quotes.filter((q) => q.underlying === underlying)
  return buildVolSurface(toSurfaceQuotes(qs), { valuationMs: Math.max(...qs.map((q) => q.ts)), index: snap.indices.get(underlying) })
}

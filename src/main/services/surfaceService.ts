/**
 * Volatility-surface report for the latest market snapshot: one SVI surface per underlying (see
 * domain/pricing/volSurface), with fit quality per expiry (RMSE in vol points) and arbitrage flags.
 */
import type { VolSurfaceReport } from '../../shared/surfaceApi'
import type { MarketScope } from '../db/bookStore'
import type { Db } from '../db/database'
import { latestOptionSnapshot, listOptionSnapshots } from '../db/surfaceStore'
import { DAYS_PER_YEAR } from '../domain/time'
import { buildVolSurface, type SurfaceQuote, type VolSurface } from '../domain/pricing/volSurface'
import type { SurfaceSnapshotQuote } from '../db/surfaceStore'

export type SurfaceReportResult = VolSurfaceReport
export type SurfaceUnderlyingReport = VolSurfaceReport['underlyings'][number]
export type SurfaceExpiryReport = SurfaceUnderlyingReport['expiries'][number]

/** Points of each fitted smile drawn by the Vol surface view. */
const SMILE_SAMPLES = 41

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
 * Fits the surfaces of a snapshot with option quotes (the latest when `snapshotId` is not given): per expiry the
 * fit quality, arbitrage flags, the ATM-forward vol, each quote beside the fit and the fitted smile.
 * @throws Error when the database holds no option quotes with mark IVs (import a chain first), or the snapshot
 *   asked for holds none
 */
export function surfaceReport(db: Db, underlying?: string, snapshotId?: number): SurfaceReportResult {
  const snap = latestOptionSnapshot(db, { snapshotId })
  if (!snap && snapshotId !== undefined) throw new SurfaceDataNotFoundError(`snapshot ${snapshotId} holds no option quotes with mark IVs (or does not exist)`)
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
    const excluded = new Set(r.excluded.map((x) => x.instrument))
    return {
      underlying: u,
      valuationTime: iso(valuationMs),
      indexPrice: index ?? null,
      expiries: r.slices.map((s) => {
        const b = r.butterfly.find((f) => f.expiryMs === s.expiryMs)
        const c = r.calendar.find((f) => f.expiryMs === s.expiryMs)
        // The surface's own vol at a strike of this expiry (its forward at s.T is the slice's forward).
        const volPts = (K: number) => surface.vol(K, s.T) * 100
        const smile = Array.from({ length: SMILE_SAMPLES }, (_, i) => {
          const k = s.kMin + ((s.kMax - s.kMin) * i) / (SMILE_SAMPLES - 1)
          const strike = s.forward * Math.exp(k)
          return { strike, k, iv: volPts(strike) }
        })
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
          atmVolPoints: volPts(s.forward),
          days: s.T * DAYS_PER_YEAR,
          points: qs
            .filter((q) => q.expiryMs === s.expiryMs)
            .map((q) => ({
              instrument: q.instrument,
              optionType: q.optionType,
              strike: q.strike,
              k: Math.log(q.strike / s.forward),
              markIv: q.markIv,
              bidIv: q.bidIv,
              askIv: q.askIv,
              fitIv: volPts(q.strike),
              fitted: !excluded.has(q.instrument),
            })),
          smile,
        }
      }),
      unfitted: r.unfitted.map((x) => ({ expiry: iso(x.expiryMs), quotes: x.quotes })),
      excluded: r.excluded,
    }
  })
  const snapshots = listOptionSnapshots(db).map((x) => ({ snapshotId: x.snapshotId, venue: x.venue, asOf: iso(x.asOf), fileName: x.fileName, underlyings: x.underlyings }))
  return { snapshots, snapshotId: snap.snapshotId, venue: snap.venue, asOf: iso(snap.asOf), underlyings }
}

/**
 * The volatility surface of one venue's underlying, fitted to the latest option snapshot in a book's market
 * scope (for stress scenarios under sticky-moneyness); null when there is no such snapshot.
 * @throws RangeError when no expiry has enough usable quotes
 */
export function fitSurface(db: Db, venue: string, underlying: string, scope: MarketScope): VolSurface | null {
  return fitSurfaceOfSnapshot(db, venue, underlying, scope)?.surface ?? null
}

/**
 * fitSurface with the id of the snapshot fitted (a custom what-if option names it).
 * @throws RangeError when no expiry has enough usable quotes
 */
export function fitSurfaceOfSnapshot(db: Db, venue: string, underlying: string, scope: MarketScope): { surface: VolSurface; snapshotId: number } | null {
  const snap = latestOptionSnapshot(db, { venue, underlying, scope })
  if (!snap) return null
  const qs = snap.quotes.filter((q) => q.underlying === underlying)
  return { snapshotId: snap.snapshotId, surface: buildVolSurface(toSurfaceQuotes(qs), { valuationMs: Math.max(...qs.map((q) => q.ts)), index: snap.indices.get(underlying) }) }
}

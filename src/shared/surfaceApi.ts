/**
 * API schema of the volatility-surface report: one SVI surface per underlying of the latest option snapshot
 * (domain/pricing/volSurface), with the fit quality per expiry (vol points) and arbitrage flags. Times ISO-8601
 * UTC; T in years (ACT/365); forwards and index in USD.
 */
import { z } from 'zod'

export const volSurfaceRequest = z.object({
  /** Only this underlying; omitted = every underlying of the snapshot. */
  underlying: z.string().min(1).max(20).optional(),
  /** This stored snapshot (report `snapshots` lists them); omitted = the latest with option mark IVs. */
  snapshotId: z.number().int().positive().optional(),
})

/** One option quote of an expiry beside the fit: IVs in vol points, strike and forward in USD. */
const surfacePoint = z.object({
  instrument: z.string(),
  optionType: z.enum(['call', 'put']),
  strike: z.number(),
  /** Log-moneyness ln(K / F) against the expiry's forward. */
  k: z.number(),
  markIv: z.number(),
  /** Best bid and ask IVs as the venue reported them; null when there was no bid (ask) or the file has none. */
  bidIv: z.number().nullable(),
  askIv: z.number().nullable(),
  /** The fitted surface's vol at this strike. */
  fitIv: z.number(),
  /** False when the fit left the quote out (see `excluded` for why). */
  fitted: z.boolean(),
})

const expiryReport = z.object({
  expiry: z.string(),
  /** Years to expiry from the valuation instant (ACT/365). */
  T: z.number(),
  /** Forward of the expiry, USD. */
  forward: z.number(),
  quotes: z.number().int(),
  rmseVolPoints: z.number(),
  vegaWeightedRmseVolPoints: z.number(),
  maxAbsErrorVolPoints: z.number(),
  /** Raw SVI parameters in total variance (a, b, rho, m, s). */
  svi: z.object({ a: z.number(), b: z.number(), rho: z.number(), m: z.number(), s: z.number() }),
  /** Most negative Gatheral–Jacquier g(k) over the quoted range, when negative (butterfly arbitrage). */
  butterfly: z.object({ k: z.number(), g: z.number() }).nullable(),
  /** Largest excess of this expiry's total variance over the next one's, when positive (calendar arbitrage). */
  calendar: z.object({ k: z.number(), excessTotalVariance: z.number(), nextExpiry: z.string() }).nullable(),
  /** The fitted vol at the forward (k = 0), vol points. */
  atmVolPoints: z.number(),
  /** Days to expiry from the valuation instant (T × 365). */
  days: z.number(),
  points: z.array(surfacePoint),
  /** The fitted smile sampled over the quoted log-moneyness range (41 points): strike USD, vol points. */
  smile: z.array(z.object({ strike: z.number(), k: z.number(), iv: z.number() })),
})

export const volSurfaceReport = z.object({
  /** Every stored snapshot with option mark IVs, newest first (for a picker); times ISO-8601 UTC. */
  snapshots: z.array(z.object({ snapshotId: z.number().int(), venue: z.string(), asOf: z.string(), fileName: z.string(), underlyings: z.array(z.string()) })),
  snapshotId: z.number().int(),
  venue: z.string(),
  asOf: z.string(),
  underlyings: z.array(
    z.object({
      underlying: z.string(),
      valuationTime: z.string(),
      indexPrice: z.number().nullable(),
      expiries: z.array(expiryReport),
      unfitted: z.array(z.object({ expiry: z.string(), quotes: z.number().int() })),
      excluded: z.array(z.object({ instrument: z.string(), reason: z.string() })),
    }),
  ),
})
export type VolSurfaceReport = z.infer<typeof volSurfaceReport>

export const surfaceCalls = {
  getVolSurface: { input: volSurfaceRequest, output: volSurfaceReport },
} as const

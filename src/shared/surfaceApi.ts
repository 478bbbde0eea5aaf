/**
 * API schema of the volatility-surface report: one SVI surface per underlying of the latest option snapshot
 * (domain/pricing/volSurface), with the fit quality per expiry (vol points) and arbitrage flags. Times ISO-8601
 * UTC; T in years (ACT/365); forwards and index in USD.
 */
import { z } from 'zod'

export const volSurfaceRequest = z.object({
  /** Only this underlying; omitted = every underlying of the snapshot. */
  underlying: z.string().min(1).max(20).optional(),
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
})

export const volSurfaceReport = z.object({
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

/**
 * API schemas of the risk profile (issue 13 item 3, data only): the whole book's P&L in USD against the
 * underlying's index price (not a % shock), today, on chosen future dates and with every option at its own
 * expiry, before and after a what-if. Vol sticky-strike at the current marks (optionally shifted in parallel by
 * `volShiftPoints`); P&L from the valuation's value,
 * a what-if leg's from its entry price (the half-spread paid) less its fee when known.
 */
import { z } from 'zod'
import { valuationAsOf } from './valuationAsOf'

/** A curve's date: days from the valuation time (0 = today), or `expiry` (each option at its own expiry). */
export const profileDate = z.union([z.number().min(0).max(3650), z.literal('expiry')])
export type ProfileDate = z.infer<typeof profileDate>

export const riskProfileRequest = z.object({
  portfolio: z.string().min(1).optional(),
  /** A what-if on the portfolio: the `after` curves are the book with its legs. */
  whatIf: z.string().min(1).optional(),
  asOf: valuationAsOf.optional(),
  /** Underlying coin; omitted = the book's only (or largest by |delta USD|) underlying. */
  underlying: z.string().min(1).optional(),
  dates: z.array(profileDate).min(1).max(12).default([0, 7, 'expiry']),
  /** Price range as % moves of the index: from, to (−90…+400) and points (3…401). */
  fromPercent: z.number().min(-90).max(0).default(-50),
  toPercent: z.number().min(0).max(400).default(50),
  points: z.number().int().min(3).max(401).default(101),
  /** Parallel shift of every option's vol on the underlying, in vol points (−50…+100; +10 = σ + 0.10), for every
   * curve, before and after alike; each shifted vol is floored at VOL_FLOOR_POINTS (1 point), as in stress. */
  volShiftPoints: z.number().min(-50).max(100).default(0),
})
export type RiskProfileRequest = z.input<typeof riskProfileRequest>

export const riskProfileCurve = z.object({
  date: profileDate,
  /** USD P&L of the whole book at each price of `prices`. */
  before: z.array(z.number()),
  /** With the what-if's legs; null without a what-if. */
  after: z.array(z.number()).nullable(),
})

export const riskProfile = z.object({
  portfolio: z.string(),
  whatIf: z.string().nullable(),
  valuationTime: z.string().nullable(),
  underlying: z.string(),
  /** The valuation's index, USD. */
  indexPrice: z.number(),
  /** The request's vol shift, vol points (0 = vols at their marks). */
  volShiftPoints: z.number(),
  /** Index prices of the x axis, USD. */
  prices: z.array(z.number()),
  curves: z.array(riskProfileCurve),
  /** Lines on other underlyings are held fixed; lines not valued are left out (named here). */
  notes: z.array(z.string()),
})
export type RiskProfile = z.infer<typeof riskProfile>

export const profileCalls = {
  getRiskProfile: { input: riskProfileRequest, output: riskProfile },
} as const

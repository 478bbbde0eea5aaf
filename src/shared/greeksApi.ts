/**
 * API schemas of the Greeks buckets (issue 15 / issue 13 item 2): the whole book's Greeks per underlying ×
 * expiry, × tenor bucket (<7 d, 7–30 d, 30–90 d, >90 d) or × strike (domain/valuation/greeksBuckets.ts).
 * Units: delta in coin (USD delta), gamma in coin per USD, vega in USD per vol point, theta in USD per calendar
 * day, value in USD.
 */
import { z } from 'zod'
import { valuationMarket } from './stressApi'
import { valuationAsOf } from './valuationAsOf'

export const GREEKS_BUCKET_BYS = ['expiry', 'tenor', 'strike'] as const
export const greeksBucketBy = z.enum(GREEKS_BUCKET_BYS)
export type GreeksBucketBy = z.infer<typeof greeksBucketBy>

export const greeksBucketsRequest = z.object({
  /** Portfolio name; omitted = the most recently imported portfolio. */
  portfolio: z.string().min(1).optional(),
  asOf: valuationAsOf.optional(),
  by: greeksBucketBy.default('expiry'),
})
export type GreeksBucketsRequest = z.input<typeof greeksBucketsRequest>

export const greeksBucket = z.object({
  underlying: z.string(),
  /** Expiry date YYYY-MM-DD / `perpetual` / `spot` / `balances`; tenor label / `no expiry`; strike USD / `no strike`. */
  bucket: z.string(),
  lines: z.number().int(),
  /** Lines not valued (left out of the sums). */
  excluded: z.number().int(),
  /** Coin (USD delta). */
  delta: z.number(),
  /** Coin per USD. */
  gamma: z.number(),
  /** USD per vol point. */
  vegaUsd: z.number(),
  /** USD per calendar day. */
  thetaUsd: z.number(),
  /** USD. */
  valueUsd: z.number(),
})
export type GreeksBucketRow = z.infer<typeof greeksBucket>

export const greeksBucketsResult = z.object({
  portfolio: z.string(),
  valuationTime: z.string().nullable(),
  market: valuationMarket,
  by: greeksBucketBy,
  /** Sorted by underlying, then expiry / tenor / strike. */
  buckets: z.array(greeksBucket),
})
export type GreeksBucketsResult = z.infer<typeof greeksBucketsResult>

export const greeksCalls = {
  getGreeksBuckets: { input: greeksBucketsRequest, output: greeksBucketsResult },
} as const

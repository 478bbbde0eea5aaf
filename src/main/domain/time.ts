/**
 * Time conventions of pricing, stated once (DESIGN.md §4): instants are UTC milliseconds since the epoch;
 * year fractions are ACT/365 — calendar milliseconds ÷ (365 × 86,400,000), as Deribit computes the time to
 * expiry of its options (its Greeks reproduce with it: docs/pricing.md). Day counts for theta, funding and
 * scenario time shifts use the same 365-day year.
 */

/** Milliseconds per calendar day. */
export const MS_PER_DAY = 86_400_000
/** Calendar days per year (ACT/365). */
export const DAYS_PER_YEAR = 365
/** Milliseconds per ACT/365 year. */
export const MS_PER_YEAR = DAYS_PER_YEAR * MS_PER_DAY

/** Years from `fromMs` to `toMs`, ACT/365 (negative when `toMs` is earlier). */
export function yearFraction(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_YEAR
}

/** Calendar days as an ACT/365 year fraction. */
export function daysToYears(days: number): number {
  return days / DAYS_PER_YEAR
}

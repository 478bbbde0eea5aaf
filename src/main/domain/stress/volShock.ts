/**
 * A scenario's vol shock applied to one option's vol.
 *
 *   size(DTE) = size × (refDays / DTE)^p, p = powerShort if DTE < splitDays else powerLong (term-scaled), or
 *   size (parallel);
 *   absolute: σ₁ = σ + size/100;  relative: σ₁ = σ × (1 + size);  then σ₁ = max(σ₁, floor/100).
 *
 * Term scaling follows Deribit's portfolio-margin vol shock, IV × (1 ± range × (30/DTE)^p) with p = 0.30 below
 * 30 days and 0.13 above (Deribit PM parameters short/long_term_vega_power; research/margin-and-stress.md
 * §1.3). DTE is floored at one hour so the scale stays finite for options about to expire.
 */

/** Smallest days to expiry used in term scaling (one hour). */
export const MIN_SCALING_DTE_DAYS = 1 / 24

/**
 * @param sigma current vol, decimal
 * @param dteDays days to expiry of the option (before any time shift)
 * @param size the shock for this underlying (vol points when absolute, fraction when relative)
 * @param relative true for relative mode
 * @param refDays term-scaling reference days; 0 = parallel
 * @param floor minimum vol after the shock, decimal
 * @returns the shocked vol, decimal
 */
export function shockVol(
  sigma: number,
  dteDays: number,
  size: number,
  relative: boolean,
  refDays: number,
  powerShort: number,
  powerLong: number,
  splitDays: number,
  floor: number,
): number {
  let s = size
  if (refDays > 0 && s !== 0) {
    const dte = Math.max(dteDays, MIN_SCALING_DTE_DAYS)
    s *= (refDays / dte) ** (dte < splitDays ? powerShort : powerLong)
  }
  const shocked = relative ? sigma * (1 + s) : sigma + s / 100
  return shocked > floor ? shocked : floor
}

/**
 * The decimal type of the trade replay: decimal.js with 50 significant digits, so sums of exchange amounts
 * (8–20 decimals) are exact and averages (a division) carry far more digits than any venue prints.
 */
import Decimal from 'decimal.js'

export const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 })
export type D = InstanceType<typeof D>
export const ZERO = new D(0)

/** Plain decimal text (never exponent notation), trailing zeros removed. */
export function text(x: D): string {
  return x.toFixed()
}


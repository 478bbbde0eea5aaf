/**
 * OKX: margin ratio, tiered MMR, inverse isolated liquidation/bankruptcy prices, and the portfolio-margin
 * MR7 minimum charge.
 *
 * Margin ratio [P] (https://www.okx.com/help/11951498951821; tiered MMR rules mirrored at
 * https://okx.huicker.com/fr-fr/help/v-tiered-maintenance-margin-ratio-rules):
 *   margin ratio = adjusted equity ÷ (maintenance margin + liquidation fee); liquidation at ≤ 100%.
 *   (This is the reciprocal of Binance's/Bybit's ratio; `AccountValuation.marginRatio` in account.ts uses
 *   the Binance form, `okxMarginRatio` converts.)
 * Position tiers [P]: MMR and minimum IMR per tier in contracts, no deduction; the tier MMR applies to the
 *   whole position [U] (implied by the tables), so OKX MM jumps at tier boundaries.
 * Inverse isolated closed forms [D] (from "margin + P&L = MM at the liquidation price"; they agree with
 *   https://ukcamo.com/5262.html), fixed margin M (coin), N = face value × contracts (USD):
 *   LP_long = (1 + MMR)/(1/EP + M/N),  LP_short = (1 − MMR)/(1/EP − M/N); the taker fee is added to MMR when
 *   the liquidation fee is part of the threshold. Bankruptcy price: MMR = 0.
 * Portfolio margin [P] (help mirror https://www.morjqactby.com/en-au/help/search; example
 *   https://www.okx.com/support/hc/en-us/articles/4417291853837):
 *   risk-unit MMR = max(max(MR1, MR2, MR6) + MR3 + MR4 + MR5, MR7 adjusted); IMR = 1.3 × MMR;
 *   MR7 adjusted = the raw minimum charge scaled progressively per tier (×1 up to 10k, ×2 to 70k, …).
 *   MR1 vol shocks and MR2/MR3/MR5/MR9 formulas are [U]: callers pass the component values.
 */
import type { OkxPmParams } from './params/venues'

/** Thrown for inputs outside the formulas' domain. */
export class OkxInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'OkxInputError'
  }
}

/**
 * OKX margin ratio = adjusted equity ÷ (MM + liquidation fee); +Infinity with nothing required.
 * Same currency for all three (USD or coin).
 */
export function okxMarginRatio(adjustedEquity: number, maintenanceMargin: number, liquidationFee = 0): number {
  const req = maintenanceMargin + liquidationFee
  if (req <= 0) return Infinity
  return adjustedEquity / req
}

export interface OkxInverseIsolatedInput {
  side: 'long' | 'short'
  /** Margin of the position, coin. */
  margin: number
  /** Face value × contracts, USD (> 0). */
  faceValueUsd: number
  entryPrice: number
  mmr: number
  /** Taker fee rate added to MMR for the liquidation fee; default 0. */
  takerFeeRate?: number
}

/**
 * Inverse isolated liquidation and bankruptcy prices (module comment).
 * @returns USD prices; non-positive/non-finite = none on that side
 * @throws OkxInputError for non-positive face value, entry or negative margin/MMR.
 */
export function okxInverseIsolated(input: OkxInverseIsolatedInput): { liquidationPrice: number; bankruptcyPrice: number } {
  const { side, margin: M, faceValueUsd: N, entryPrice: EP, mmr } = input
  if (!(N > 0) || !(EP > 0) || !(M >= 0) || !(mmr >= 0)) throw new OkxInputError('face value and entry > 0, margin and MMR ≥ 0 required')
  const r = mmr + (input.takerFeeRate ?? 0)
  if (side === 'long') return { liquidationPrice: (1 + r) / (1 / EP + M / N), bankruptcyPrice: 1 / (1 / EP + M / N) }
  return { liquidationPrice: (1 - r) / (1 / EP - M / N), bankruptcyPrice: 1 / (1 / EP - M / N) }
}

/**
 * MR7 adjusted: the raw minimum charge scaled progressively, each slice of the raw charge by its tier's
 * multiplier (10,000 × 1 + 20,000 × 2 = 50,000 for a raw 30,000 with the BTC/ETH tiers).
 * @param raw USD, ≥ 0
 * @throws OkxInputError for a negative raw charge or tiers not ending open-ended.
 */
export function okxMr7Adjusted(raw: number, tiers: OkxPmParams['mr7Tiers']): number {
  if (!(raw >= 0)) throw new OkxInputError(`raw MR7 ${raw}: expected ≥ 0`)
  let lower = 0
  let total = 0
  for (const t of tiers) {
    const upper = t.cap ?? Infinity
    if (raw > lower) total += (Math.min(raw, upper) - lower) * t.multiplier
    if (raw <= upper) return total
    lower = upper
  }
  throw new OkxInputError('MR7 tiers must end with an open-ended tier (cap null)')
}

export interface OkxPmComponents {
  /** Spot shock, theta decay, vega term structure, basis, interest rate (USD); [U] formulas: inputs. */
  mr1: number
  mr2: number
  mr3: number
  mr4: number
  mr5: number
  /** Extreme move. */
  mr6: number
  /** Raw minimum charge before tier scaling. */
  mr7Raw: number
}

/**
 * Risk-unit MMR = max(max(MR1, MR2, MR6) + MR3 + MR4 + MR5, MR7 adjusted); IMR = imrFactor × MMR.
 * @returns figures in USD
 */
export function okxPortfolioMaintenance(c: OkxPmComponents, params: OkxPmParams): { mr: number; mr7Adjusted: number; maintenanceMargin: number; initialMargin: number } {
  const mr = Math.max(c.mr1, c.mr2, c.mr6) + c.mr3 + c.mr4 + c.mr5
  const mr7Adjusted = okxMr7Adjusted(c.mr7Raw, params.mr7Tiers)
  const maintenanceMargin = Math.max(mr, mr7Adjusted)
  return { mr, mr7Adjusted, maintenanceMargin, initialMargin: params.imrFactor * maintenanceMargin }
}

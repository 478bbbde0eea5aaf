/**
 * Value and Greeks of one position from its instrument, quantity and market inputs.
 *
 * Conventions (DESIGN.md §3):
 *  - options: Black-76 on the expiry's forward, r = 0 (Deribit); an inverse option's coin premium is the USD
 *    price ÷ forward (Deribit, "Options" contract specification);
 *  - delta in coin: ∂(USD value)/∂(underlying USD price), i.e. quantity × Black-76 forward delta for options,
 *    USD face ÷ price for inverse futures, quantity for linear futures and spot;
 *  - premium-adjusted delta (inverse options): quantity × (delta − mark price in coin), the figure Deribit
 *    sums into an account's delta because the premium itself is held in coin (Deribit uses its mark, not a
 *    model value, for the premium term);
 *  - gamma in coin per USD, vega in USD per vol point, theta in USD per calendar day;
 *  - coin amounts are valued in USD at the index price.
 */
import type { Instrument } from '../../../shared/instrument'
import { black76 } from '../pricing/black76'
import type { PricingInputs } from './marketInputs'

export interface PositionGreeks {
  /** Market value in USD (options: quantity × premium; spot: quantity × price; futures: 0). */
  marketValueUsd: number
  /** Unrealized P&L since entry in USD. */
  unrealizedPnlUsd: number
  /** Coin. */
  delta: number
  /** Coin. */
  deltaPremiumAdjusted: number
  /** Coin per USD. */
  gamma: number
  /** USD per vol point. */
  vega: number
  /** USD per calendar day. */
  theta: number
}

/**
 * @param quantity signed, in `instrument.quantityUnit` (coin for options/linear/spot, USD face for inverse
 *   futures and perpetuals)
 * @param entryPrice in `instrument.priceUnit` (coin for inverse options, USD otherwise)
 * @throws PricingInputError (from Black-76) when an option's inputs are out of domain.
 */
export function positionGreeks(
  instrument: Instrument,
  quantity: number,
  entryPrice: number,
  m: PricingInputs,
): PositionGreeks {
  const q = quantity
  if (instrument.kind === 'option') {
    const g = black76({ type: instrument.optionType!, F: m.underlying, K: instrument.strike!, T: m.T!, sigma: m.sigma! })
    const inverse = instrument.settlement === 'inverse'
    // Venue mark and entry are in coin for inverse options and USD for linear ones.
    const toUsd = inverse ? m.index : 1
    return {
      marketValueUsd: q * m.mark * toUsd,
      unrealizedPnlUsd: q * (m.mark - entryPrice) * toUsd,
      delta: q * g.delta,
      deltaPremiumAdjusted: inverse ? q * (g.delta - m.mark) : q * g.delta,
      gamma: q * g.gamma,
      vega: q * g.vega,
      theta: q * g.theta,
    }
  }
  const zeroOptionality = { gamma: 0, vega: 0, theta: 0 }
  if (instrument.kind === 'spot') {
    return {
      marketValueUsd: q * m.mark,
      unrealizedPnlUsd: q * (m.mark - entryPrice),
      delta: q,
      deltaPremiumAdjusted: q,
      ...zeroOptionality,
    }
  }
  if (instrument.settlement === 'inverse') {
    // USD face q: coin P&L = q·(1/entry − 1/mark); USD exposure q/mark coin.
    const delta = q / m.mark
    return {
      marketValueUsd: 0,
      unrealizedPnlUsd: q * (1 / entryPrice - 1 / m.mark) * m.index,
      delta,
      deltaPremiumAdjusted: delta,
      ...zeroOptionality,
    }
  }
  return {
    marketValueUsd: 0,
    unrealizedPnlUsd: q * (m.mark - entryPrice),
    delta: q,
    deltaPremiumAdjusted: q,
    ...zeroOptionality,
  }
}

/**
 * Value and Greeks of one position from its instrument, quantity and market inputs.
 *
 * Conventions (DESIGN.md §3; value and delta from the one scalar pricer, revaluePosition.ts):
 *  - options: Black-76 on the expiry's forward, r = 0 (Deribit); an inverse option's coin premium is the USD
 *    price ÷ forward (Deribit, "Options" contract specification);
 *  - delta in coin is the USD delta, ∂(USD value)/∂(index): quantity × Black-76 forward delta for options,
 *    USD face ÷ entry price for inverse futures (the contract's face ÷ mark plus the coin its P&L holds),
 *    quantity for linear futures and spot;
 *  - coin delta (`deltaPremiumAdjusted`, the figure Deribit sums into an account's delta): inverse options
 *    quantity × (delta − mark price in coin), because the premium itself is held in coin (Deribit uses its
 *    mark, not a model value, for the premium term); inverse futures USD face ÷ mark; otherwise the delta;
 *  - gamma in coin per USD, vega in USD per vol point, theta in USD per calendar day;
 *  - coin amounts are valued in USD at the index price.
 */
import type { Instrument } from '../../../shared/instrument'
import { black76 } from '../pricing/black76'
import type { MarketInputs } from './marketInputs'
import { revaluePosition } from './revaluePosition'

export interface PositionGreeks {
  /** Market value in USD (options: quantity × premium; spot: quantity × price; futures: 0). */
  marketValueUsd: number
  /** What the position adds to the book's value (equity), USD: options and spot their market value, futures
   * their unrealized P&L. */
  valueUsd: number
  /** Unrealized P&L since entry in USD; 0 when the entry is unknown (balances); NaN when it cannot be
   * expressed in USD here (a spot pair quoted in another coin). */
  unrealizedPnlUsd: number
  /** USD delta, coin. */
  delta: number
  /** The venue's coin delta (premium-adjusted for inverse options), coin. */
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
 * @param entryPrice in `instrument.priceUnit` (coin for inverse options, USD otherwise); null when unknown
 * @throws PricingInputError (from Black-76) when an option's inputs are out of domain; ValuationInputError
 *   (revaluePosition.ts) for a quantity unit that does not fit the instrument
 */
export function positionGreeks(instrument: Instrument, quantity: number, entryPrice: number | null, m: MarketInputs): PositionGreeks {
  const q = quantity
  const r = revaluePosition(instrument, q, entryPrice, m)
  const pnlUsd = instrument.kind === 'spot' && instrument.priceUnit === 'coin' && entryPrice !== null ? NaN : r.unrealizedPnlUsd
  if (instrument.kind === 'option') {
    const g = black76({ type: instrument.optionType!, F: m.underlying, K: instrument.strike!, T: m.T!, sigma: m.sigma! })
    const inverse = instrument.settlement === 'inverse'
    return {
      marketValueUsd: r.valueUsd,
      valueUsd: r.valueUsd,
      unrealizedPnlUsd: pnlUsd,
      delta: q * g.delta,
      deltaPremiumAdjusted: inverse ? q * (g.delta - m.mark) : q * g.delta,
      gamma: q * g.gamma,
      vega: q * g.vega,
      theta: q * g.theta,
    }
  }
  return {
    marketValueUsd: instrument.kind === 'spot' ? r.valueUsd : 0,
    valueUsd: r.valueUsd,
    unrealizedPnlUsd: pnlUsd,
    delta: r.deltaUsd,
    deltaPremiumAdjusted: r.deltaCoin,
    gamma: 0,
    vega: 0,
    theta: 0,
  }
}

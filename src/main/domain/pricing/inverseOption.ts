/**
 * Inverse (coin-settled) European options as Deribit defines them: the option is on the USD price of the
 * coin; its premium and settlement are paid in the coin.
 *
 * Sources: Deribit, "Options" documentation (https://www.deribit.com/pages/docs/options: premium quoted in
 * BTC; "this option will settle with a value of 2,500 USD, which is 0.2 BTC (2,500/12,500) at a price of
 * 12,500 dollar" — settlement value in coin = intrinsic/delivery price, the delivery price being the
 * 30-minute average of the index before expiry) and Knowledge Base "Inverse Options" (the implied
 * volatility uses the forward, not the index, as the underlying). The premium in coin is therefore the USD
 * Black-76 value with F = the expiry's `underlying_price` and r = `interest_rate` (0), divided by F.
 * Deribit's API field `delta_total` (schema "Delta Total": "Net Transaction Delta = Black Scholes Delta −
 * Mark Price of Options") sums the premium-adjusted delta below.
 *
 *   priceCoin       = V/F                 coin per 1 coin of underlying
 *   deltaCoin       = delta − V/F         coin: the premium-adjusted ("net transaction") delta
 *   ∂priceCoin/∂F   = (delta − V/F)/F     coin per USD
 *
 * Why delta − V/F: the option's USD value moves by delta per USD of the underlying, but priceCoin of it is
 * the coin premium itself, which already moves one-for-one with the coin. What is left, delta − priceCoin,
 * is the exposure that nets against coin balances and futures in an account's delta total.
 */
import { black76Greeks, checkBlack76Input, toDeskUnits, type Black76Input, type Black76Result, type OptionType, PricingInputError } from './black76'

export type InverseOptionInput = Black76Input

export interface InverseOptionResult extends Black76Result {
  /** Premium in coin per 1 coin of underlying: Black-76 USD price ÷ F. */
  priceCoin: number
  /** Premium-adjusted delta in coin: delta − priceCoin (what Deribit sums into the account delta). */
  deltaCoin: number
  /** ∂priceCoin/∂F, coin per USD: (delta − priceCoin)/F. */
  deltaCoinPerUsd: number
  /** Vega in coin per vol point: vega ÷ F. */
  vegaCoin: number
  /** Theta in coin per calendar day: theta ÷ F. */
  thetaCoin: number
}

/**
 * Price and Greeks of a Deribit inverse option: the Black-76 USD figures of `black76` (per vol point, per
 * day, per 1%) plus the coin figures above. F is the expiry's `underlying_price`, r Deribit's
 * `interest_rate`. Expired (T ≤ 0): intrinsic value / F in coin.
 * @throws PricingInputError for F, K or σ ≤ 0 or non-finite inputs.
 */
export function inverseOption(input: InverseOptionInput): InverseOptionResult {
  checkBlack76Input(input)
  const g = toDeskUnits(black76Greeks(input))
  const F = input.F
  const priceCoin = g.price / F
  return {
    ...g,
    priceCoin,
    deltaCoin: g.delta - priceCoin,
    deltaCoinPerUsd: (g.delta - priceCoin) / F,
    vegaCoin: g.vega / F,
    thetaCoin: g.theta / F,
  }
}

/**
 * Settlement value of an inverse option in coin per 1 coin of underlying: max(θ(S_T − K), 0)/S_T, with
 * S_T the delivery price (USD). Deribit: "the payoff is converted to BTC at the delivery price".
 * @throws PricingInputError for K or the delivery price ≤ 0 or non-finite.
 */
export function inverseSettlementCoin(type: OptionType, K: number, deliveryPrice: number): number {
  if (!(K > 0) || !Number.isFinite(K)) throw new PricingInputError('K', K, 'a finite strike > 0')
  if (!(deliveryPrice > 0) || !Number.isFinite(deliveryPrice))
    throw new PricingInputError('deliveryPrice', deliveryPrice, 'a finite delivery price > 0')
  const intrinsic = Math.max(type === 'call' ? deliveryPrice - K : K - deliveryPrice, 0)
  return intrinsic / deliveryPrice
}

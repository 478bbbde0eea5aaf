/**
 * dYdX v4 perpetual margin (USDC, linear, cross margin per subaccount). Sources: dYdX docs "Margining"
 * (docs.dydx.exchange/concepts-trading/margin; v4-documentation docs/pages/concepts/trading/margin.mdx) and the
 * protocol's `LiquidityTier.GetInitialMarginQuoteQuantums` (v4-chain protocol/x/perpetuals/types/liquidity_tier.go);
 * research note defi-hedging-var-reports.md §2.
 *  - IM = |S × P × IMF|, MM = |S × P × MMF|, P the market's oracle price (the market snapshot's mark for dYdX is
 *    the oracle price), S the signed size in coin;
 *  - open-interest-based IMF: open notional = open interest × oracle price; with the liquidity tier's caps (USDC),
 *    scaling = (open notional − lower cap) ÷ (upper cap − lower cap), effective IMF = min(base IMF + max(scaling ×
 *    (1 − base IMF), 0), 1): the base IMF up to the lower cap, rising linearly to 100 % at the upper cap; an upper
 *    cap of 0 turns the scaling off; the MMF never scales;
 *  - account value (equity) = USDC balance Q + Σ S × P per subaccount; the subaccount can be liquidated when its
 *    equity falls below Σ MM (margin ratio MM ÷ equity ≥ 100 %, the account model's test), and cannot open or grow
 *    a position that would take equity below Σ IM; free collateral = equity − Σ IM.
 * The liquidation price of a position is where that ratio reaches 100 % with the other prices fixed (solved by
 * liquidation.ts on solvers.ts). For one position: Q + S × P = |S| × P × MMF, P = −Q ÷ (S − |S| × MMF).
 */
import { MarginInputError, type MarginRule, type Requirement, type ValuedPosition } from './account'
import type { DydxMarketValues } from './params/dydx'

/** A market's margin parameters as numbers (USDC caps, open interest in coin). */
export interface DydxMarketParams {
  baseImf: number
  mmf: number
  lowerCap: number
  upperCap: number
  /** Coin; null when unknown (then a market with caps has an unknown IM). */
  openInterest: number | null
}

/**
 * Parses and checks one market's table values.
 * @throws MarginInputError for an IMF outside (0, 1], an MMF outside [0, IMF], a negative cap or open interest,
 *   or a lower cap above the upper cap (the protocol's own validation, LiquidityTier.Validate).
 */
export function dydxMarketParams(ticker: string, v: DydxMarketValues): DydxMarketParams {
  const p: DydxMarketParams = {
    baseImf: Number(v.initialMarginFraction),
    mmf: Number(v.maintenanceMarginFraction),
    lowerCap: Number(v.openInterestLowerCap),
    upperCap: Number(v.openInterestUpperCap),
    openInterest: v.openInterest === null ? null : Number(v.openInterest),
  }
  if (!(p.baseImf > 0 && p.baseImf <= 1)) throw new MarginInputError(`dYdX ${ticker}: initial margin fraction ${v.initialMarginFraction} outside (0, 1]`)
  if (!(p.mmf >= 0 && p.mmf <= p.baseImf)) throw new MarginInputError(`dYdX ${ticker}: maintenance margin fraction ${v.maintenanceMarginFraction} outside [0, IMF ${v.initialMarginFraction}]`)
  if (!(p.lowerCap >= 0 && p.upperCap >= 0 && Number.isFinite(p.upperCap))) throw new MarginInputError(`dYdX ${ticker}: open-interest caps must be finite and ≥ 0`)
  if (p.upperCap !== 0 && p.lowerCap > p.upperCap) throw new MarginInputError(`dYdX ${ticker}: open-interest lower cap ${v.openInterestLowerCap} above the upper cap ${v.openInterestUpperCap}`)
  if (p.openInterest !== null && !(p.openInterest >= 0 && Number.isFinite(p.openInterest))) throw new MarginInputError(`dYdX ${ticker}: open interest ${v.openInterest} must be ≥ 0`)
  return p
}

/**
 * The effective IMF at an open notional (USDC), as the protocol computes it: base IMF when the upper cap is 0
 * (scaling off) or the open notional is at or below the lower cap; 100 % at or above the upper cap; linear between.
 */
export function dydxEffectiveImf(p: Pick<DydxMarketParams, 'baseImf' | 'lowerCap' | 'upperCap'>, openNotional: number): number {
  if (p.upperCap === 0 || openNotional <= p.lowerCap) return p.baseImf
  if (openNotional >= p.upperCap) return 1
  const scaling = (openNotional - p.lowerCap) / (p.upperCap - p.lowerCap)
  return Math.min(p.baseImf + Math.max(scaling * (1 - p.baseImf), 0), 1)
}

/**
 * The account-model rule: per position IM = |S| × P × effective IMF, MM = |S| × P × MMF, at the position's price
 * in the market state (the oracle price; shocked under a scenario). The open notional of the IMF scaling is the
 * market's open interest (held at the table's figure) × that same price. No liquidation fee is reserved: dYdX's
 * liquidation fee (up to 1.5 % of the closed notional) is taken from what is left after the threshold is crossed.
 * `position` throws MarginInputError for anything but a perpetual, or a market without parameters.
 */
export function dydxRule(p: { markets: (ticker: string) => DydxMarketParams }): MarginRule {
  return {
    id: 'dydx',
    label: 'dYdX v4 perpetuals (USDC, cross per subaccount)',
    approximations: [
      "IM and MM at the market snapshot's price, which for dYdX is the oracle price",
      "open-interest IMF scaling: the market's open interest held at the parameters' figure, its open notional moving with the price",
      'margin amounts not rounded up to the quote quantum (1e-6 USDC) as the protocol rounds IM',
    ],
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind !== 'perpetual') throw new MarginInputError(`the dYdX rule margins perpetuals only, not ${ins.kind} ${ins.name}`)
      const m = p.markets(ins.name)
      const notional = v.notionalUsd
      let imf: number
      if (m.upperCap === 0) imf = m.baseImf
      else if (m.openInterest === null) imf = NaN
      else imf = dydxEffectiveImf(m, m.openInterest * v.mark)
      return { initialMargin: notional * imf, maintenanceMargin: notional * m.mmf, liquidationFee: 0 }
    },
  }
}

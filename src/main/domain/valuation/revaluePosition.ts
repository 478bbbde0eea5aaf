/**
 * The one scalar pricer of a position: its mark, value, P&L against entry, delta and notional in a market
 * state, unshocked or shocked. Greeks (positionGreeks.ts), margin (domain/margin), cascades, what-if and VaR
 * call it; the stress engine's SoA kernel (domain/stress/revaluationKernel.ts) is its fast twin, held equal
 * to it by a seeded property test (test/unit/pricerKernelEquivalence.test.ts).
 *
 * Value is what the position adds to the book's equity, the figure a venue's margin engine sums (Deribit
 * "equity", Binance "margin balance"; domain/margin/account.ts states the convention):
 *  - inverse future/perpetual, q USD face, entry E, mark M: value in coin = q·(1/E − 1/M) (its unrealized
 *    coin P&L, Deribit/BitMEX inverse contract specification), in USD × index S;
 *  - linear future/perpetual, q coin: value in USD = q·(M − E);
 *  - option: q × mark (inverse: mark in coin, × S for USD; linear: mark in USD);
 *  - spot (a coin balance or a spot holding), q coin: value in USD = q × price (the index; a stablecoin's
 *    own price, 1 by default).
 *
 * Shocks follow the stress engine's model (revaluationKernel.ts): index S₁ = S₀(1 + s); forwards and futures
 * marks M₁ = M₀(1 + s)·e^{b·T} (b = basis shock, T = years to the contract's expiry; 0 for perpetuals and
 * spot); an option's vol is the caller's (vol rules and smiles are resolved in domain/stress/volShock.ts and
 * smileSlice.ts); time passes by Δt (options at T₁ ≤ 0 are worth intrinsic value at F₁); perpetual funding
 * accrues over Δt on the position's value at M₁ (paid by longs when the rate is positive). An option's mark
 * moves by the Black-76 model change from its current inputs, added to the venue's mark and floored at 0,
 * so a zero shock gives the venue's mark back.
 *
 * Delta (`deltaUsd`) is the USD delta in coin, ∂(value in USD)/∂S: options q·Δ (Black-76 forward delta);
 * inverse futures q/E (= q/M for the contract plus q·(1/E − 1/M) for the coin its P&L holds); linear futures
 * and spot q. `deltaCoin` is the venue's coin delta (what Deribit sums into `delta_total`): inverse options
 * premium-adjusted q·(Δ − V/F), inverse futures q/M, otherwise equal to `deltaUsd`. For a coin-margined
 * account, USD delta = equity in coin + Σ coin deltas.
 *
 * Units: USD prices; q in `instrument.quantityUnit` (coin, or USD face for inverse futures); mark and entry in
 * `instrument.priceUnit` (coin for inverse options). Float64 throughout (DESIGN.md §4).
 */
import type { Instrument } from '../../../shared/instrument'
import { black76PriceGreeksUnchecked, black76PriceUnchecked } from '../pricing/black76'
import type { MarketInputs } from './marketInputs'

/** The parts of an instrument valuation reads (a full `Instrument` satisfies it). */
export type ValuationInstrument = Pick<Instrument, 'name' | 'kind' | 'settlement' | 'underlying' | 'quantityUnit' | 'strike' | 'optionType'>

/** A move of the market from its current state; every field optional (absent = unchanged). */
export interface PositionShock {
  /** Relative move of the underlying (−0.3 = −30 %): index, forwards and futures marks move by 1 + spot. */
  spot?: number
  /** Options: the shocked vol, decimal (the caller resolves vol rules); default the current vol. */
  sigma?: number
  /** Years that pass (ACT/365). */
  dtYears?: number
  /** Value options at their own expiry (intrinsic at the shocked forward) instead of shifting time. */
  atExpiry?: boolean
  /** Annualised basis shock (decimal): dated futures and forwards move by the factor e^{b·T}. */
  basis?: number
  /** Perpetuals: funding accrued over the shift as a fraction of the position's value (rate per 8 h × periods). */
  funding?: number
}

/** A position revalued in one market state. */
export interface Revaluation {
  /** Index of the underlying, USD. */
  index: number
  /** Forward (options), futures mark or spot price, USD. */
  underlying: number
  /** Options: vol (decimal) and years to expiry in this state; null otherwise. */
  sigma: number | null
  T: number | null
  /** Mark in the instrument's price unit. */
  mark: number
  /** Value in the underlying coin (equity contribution measured in coin; inverse: the coin the position holds). */
  valueCoin: number
  /** Value in USD. */
  valueUsd: number
  /** Value in the settlement currency: coin for inverse instruments, USD for linear ones (margin's equity contribution). */
  valueSettlement: number
  /** P&L since entry in the settlement currency (0 when the entry is unknown). */
  unrealizedPnlSettlement: number
  /** P&L since entry in USD (coin P&L at this state's index). */
  unrealizedPnlUsd: number
  /** USD delta in coin: ∂(USD value)/∂(index). */
  deltaUsd: number
  /** The venue's coin delta (module comment). */
  deltaCoin: number
  /** |size| in coin (inverse futures: |USD face| ÷ mark). */
  sizeCoin: number
  /** Notional in USD: size in coin × mark (futures, spot) or × index (options). */
  notionalUsd: number
}

/** Thrown for a position the pricer cannot value (a quantity unit that does not fit the settlement, missing option inputs). */
export class ValuationInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'ValuationInputError'
  }
}

const scratch = new Float64Array(4)

/**
 * Revalues one position.
 * @param quantity signed, in `instrument.quantityUnit`
 * @param entryPrice in `instrument.priceUnit`; null when unknown (a balance): P&L since entry is then 0 and a
 *   future's value is measured from its current mark
 * @param market the current inputs (marketInputs.ts): index and underlying in USD, vol decimal, T years, the
 *   venue's mark in the price unit; for an option, optionally `model`: its Black-76 value at these inputs in USD
 *   (black76PriceUnchecked(call, underlying, strike, T, sigma)), from a caller revaluing it many times (margin's
 *   liquidation scans), computed here when absent
 * @param shock default: none
 * @throws ValuationInputError for an inverse future whose quantity is not USD face, a linear one not in coin,
 *   or an option without strike, type, vol and time to expiry
 */
export function revaluePosition(
  instrument: ValuationInstrument,
  quantity: number,
  entryPrice: number | null,
  market: Pick<MarketInputs, 'index' | 'underlying' | 'sigma' | 'T' | 'mark'> & { model?: number },
  shock: PositionShock = {},
): Revaluation {
  const q = quantity
  const factor = 1 + (shock.spot ?? 0)
  const S1 = market.index * factor
  const T0 = market.T ?? 0
  const basis = shock.basis ?? 0
  const M0 = market.underlying
  const M1 = basis === 0 || T0 <= 0 ? M0 * factor : M0 * factor * Math.exp(basis * T0)
  const inverse = instrument.settlement === 'inverse'
  switch (instrument.kind) {
    case 'option': {
      if (instrument.strike === null || instrument.optionType === null || market.sigma === null || market.T === null)
        throw new ValuationInputError(`${instrument.name}: an option needs strike, type, vol and time to expiry`)
      const isCall = instrument.optionType === 'call'
      const K = instrument.strike
      const sigma1 = shock.sigma ?? market.sigma
      const T1 = shock.atExpiry ? 0 : T0 - (shock.dtYears ?? 0)
      // The model's value now needs no Greeks: black76PriceUnchecked is the same price to the bit, cheaper.
      const v0 = market.model ?? black76PriceUnchecked(isCall, M0, K, T0, market.sigma)
      black76PriceGreeksUnchecked(isCall, M1, K, T1, sigma1, 1, scratch, 0)
      const v1 = scratch[0]!
      const delta1 = scratch[1]!
      // The venue's mark plus the model's change, in the price unit (coin for inverse options).
      const modelChange = inverse ? v1 / M1 - v0 / M0 : v1 - v0
      const mark = Math.max(market.mark + modelChange, 0)
      const valueSettlement = q * mark
      const valueUsd = inverse ? valueSettlement * S1 : valueSettlement
      const pnl = entryPrice === null ? 0 : q * (mark - entryPrice)
      return {
        index: S1,
        underlying: M1,
        sigma: sigma1,
        T: T1,
        mark,
        valueCoin: inverse ? valueSettlement : valueUsd / S1,
        valueUsd,
        valueSettlement,
        unrealizedPnlSettlement: pnl,
        unrealizedPnlUsd: inverse ? pnl * S1 : pnl,
        deltaUsd: q * delta1,
        deltaCoin: inverse ? q * (delta1 - v1 / M1) : q * delta1,
        sizeCoin: Math.abs(q),
        notionalUsd: Math.abs(q) * S1,
      }
    }
    case 'future':
    case 'perpetual': {
      const funding = instrument.kind === 'perpetual' ? (shock.funding ?? 0) : 0
      if (inverse) {
        if (instrument.quantityUnit !== 'usd') throw new ValuationInputError(`${instrument.name}: an inverse future's quantity must be its USD face value`)
        // Coin P&L since entry: q·(1/E − 1/M); with no entry the position is measured from its current mark.
        const held0 = entryPrice === null ? 0 : q * (1 / entryPrice - 1 / M0)
        const valueCoin = held0 + q * (1 / M0 - 1 / M1) - (q / M1) * funding
        return {
          index: S1,
          underlying: M1,
          sigma: null,
          T: null,
          mark: M1,
          valueCoin,
          valueUsd: valueCoin * S1,
          valueSettlement: valueCoin,
          unrealizedPnlSettlement: valueCoin,
          unrealizedPnlUsd: valueCoin * S1,
          deltaUsd: entryPrice === null ? q / M1 : q / entryPrice,
          deltaCoin: q / M1,
          sizeCoin: Math.abs(q) / M1,
          notionalUsd: Math.abs(q),
        }
      }
      if (instrument.quantityUnit !== 'coin') throw new ValuationInputError(`${instrument.name}: a linear future's quantity must be in coin`)
      const held0 = entryPrice === null ? 0 : q * (M0 - entryPrice)
      const valueUsd = held0 + q * (M1 - M0) - q * M1 * funding
      return {
        index: S1,
        underlying: M1,
        sigma: null,
        T: null,
        mark: M1,
        valueCoin: valueUsd / S1,
        valueUsd,
        valueSettlement: valueUsd,
        unrealizedPnlSettlement: valueUsd,
        unrealizedPnlUsd: valueUsd,
        deltaUsd: q,
        deltaCoin: q,
        sizeCoin: Math.abs(q),
        notionalUsd: Math.abs(q) * M1,
      }
    }
    case 'spot': {
      const valueUsd = q * M1
      const pnl = entryPrice === null ? 0 : q * (M1 - entryPrice)
      return {
        index: S1,
        underlying: M1,
        sigma: null,
        T: null,
        mark: M1,
        valueCoin: q,
        valueUsd,
        valueSettlement: valueUsd,
        unrealizedPnlSettlement: pnl,
        unrealizedPnlUsd: pnl,
        deltaUsd: q,
        deltaCoin: q,
        sizeCoin: Math.abs(q),
        notionalUsd: Math.abs(valueUsd),
      }
    }
  }
}

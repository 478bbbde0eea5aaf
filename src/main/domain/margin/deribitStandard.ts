/**
 * Deribit standard (non-portfolio) margin.
 *
 * Futures and perpetuals (inverse and linear), since 11 Jan 2022 [P]:
 *   IM rate = initialBase + |size_coin| × increasePerCoin,  MM rate = maintenanceBase + |size_coin| × increasePerCoin
 *   margin in coin = |size_coin| × rate; linear (USDC) contracts: converted to USDC at the index price.
 *   BTC: 2% / 1% + 0.005% per BTC; ETH: 2% / 1% + 0.0004% per ETH; SOL_USDC: 4% / 2% + 0.0005% per SOL.
 *   Sources: https://support.deribit.com/hc/en-us/articles/25944826427293-11-January-2022 ;
 *   https://support.deribit.com/hc/en-us/articles/25944738177565-Linear-Perpetual (worked table).
 *
 * Inverse options, per contract of 1 coin, OTM = out-of-the-money amount in USD (call: max(K − S, 0); put:
 * max(S − K, 0)), S the index, mark the option mark in coin [S]:
 *   long:       IM = MM = 0 (the premium is paid);
 *   short call: IM = max(0.15 − OTM/S, 0.10) + mark;          MM = 0.075 + mark;
 *   short put:  IM = max(max(0.15 − OTM/S, 0.10) + mark, MM);  MM = max(0.075, 0.075 × mark) + mark.
 *   Source: https://doc.tslab.pro/tslab/eng/data-providers/connection-to-broker/deribit-cryptocurrency-exchange/deribit-margin-requirements-calculation
 *   (third party; Deribit's own article text was not retrievable — see params/deribit.ts).
 * Linear (USDC) options: the rate terms multiplied by S, mark in USDC — [U] for Deribit (confirmed only for
 * Aevo's copy of the rule, https://docs.aevo.xyz/aevo-exchange/options-specifications/standard-margin).
 *
 * Numbers are float64 (they are evaluated per scenario and inside liquidation solvers); published examples
 * are reproduced to the exchange's precision (1e-8 coin, 1e-6 USDC), see test/unit/margin.
 */
import type { DeribitFuturesRates, DeribitOptionConstants } from './params/deribit'

/** Thrown for inputs outside the formulas' domain. */
export class DeribitMarginInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'DeribitMarginInputError'
  }
}

export interface DeribitFuturesMarginInput {
  /** Position size in coin, signed or not (inverse: USD face ÷ mark, Deribit's `size_currency`). */
  sizeCoin: number
  rates: DeribitFuturesRates
  settlement: 'inverse' | 'linear'
  /** Index price, USD; used to express linear margin in USDC (required for linear). */
  indexPrice?: number
}

export interface DeribitFuturesMargin {
  initialMarginRate: number
  maintenanceMarginRate: number
  /** In coin. */
  initialMarginCoin: number
  maintenanceMarginCoin: number
  /** In the settlement currency: coin (inverse) or USDC (linear). */
  initialMargin: number
  maintenanceMargin: number
  unit: 'coin' | 'USDC'
}

/**
 * Standard margin of one futures/perpetual position.
 * @throws DeribitMarginInputError for a non-finite size, or a linear position without a positive index.
 */
export function deribitFuturesMargin(input: DeribitFuturesMarginInput): DeribitFuturesMargin {
  const size = Math.abs(input.sizeCoin)
  if (!Number.isFinite(size)) throw new DeribitMarginInputError(`size ${input.sizeCoin}: expected a finite number`)
  const { initialBase, maintenanceBase, increasePerCoin } = input.rates
  const initialMarginRate = initialBase + size * increasePerCoin
  const maintenanceMarginRate = maintenanceBase + size * increasePerCoin
  const initialMarginCoin = size * initialMarginRate
  const maintenanceMarginCoin = size * maintenanceMarginRate
  if (input.settlement === 'inverse')
    return { initialMarginRate, maintenanceMarginRate, initialMarginCoin, maintenanceMarginCoin, initialMargin: initialMarginCoin, maintenanceMargin: maintenanceMarginCoin, unit: 'coin' }
  const S = input.indexPrice
  if (S === undefined || !(S > 0)) throw new DeribitMarginInputError(`linear futures need an index price > 0, got ${S}`)
  return {
    initialMarginRate,
    maintenanceMarginRate,
    initialMarginCoin,
    maintenanceMarginCoin,
    initialMargin: initialMarginCoin * S,
    maintenanceMargin: maintenanceMarginCoin * S,
    unit: 'USDC',
  }
}

export interface DeribitOptionMarginInput {
  /** Signed number of contracts (1 contract = 1 coin); > 0 long, < 0 short. */
  contracts: number
  optionType: 'call' | 'put'
  /** Strike, USD. */
  strike: number
  /** Index price S, USD. */
  indexPrice: number
  /** Option mark per contract: coin (inverse) or USDC (linear). */
  mark: number
  constants: DeribitOptionConstants
  /** Default `inverse`. `linear` is [U] at Deribit (see the module comment). */
  settlement?: 'inverse' | 'linear'
}

export interface DeribitOptionMargin {
  /** OTM amount in USD per contract. */
  otmAmount: number
  /** Per contract, in the settlement currency (coin or USDC). */
  initialMarginPerContract: number
  maintenanceMarginPerContract: number
  /** × |contracts|. */
  initialMargin: number
  maintenanceMargin: number
  unit: 'coin' | 'USDC'
  /** True for the linear variant (an approximation at Deribit). */
  approximation: boolean
}

/**
 * Standard margin of one option position (formulas in the module comment).
 * @throws DeribitMarginInputError for a non-positive strike or index, a negative mark, or non-finite size.
 */
export function deribitOptionMargin(input: DeribitOptionMarginInput): DeribitOptionMargin {
  const { contracts, optionType, strike: K, indexPrice: S, mark, constants } = input
  if (!(K > 0) || !(S > 0)) throw new DeribitMarginInputError(`strike ${K} and index ${S} must be > 0`)
  if (!(mark >= 0)) throw new DeribitMarginInputError(`mark ${mark}: expected ≥ 0`)
  if (!Number.isFinite(contracts)) throw new DeribitMarginInputError(`contracts ${contracts}: expected a finite number`)
  const linear = input.settlement === 'linear'
  const unit = linear ? 'USDC' : 'coin'
  const otmAmount = Math.max(optionType === 'call' ? K - S : S - K, 0)
  if (contracts >= 0)
    return { otmAmount, initialMarginPerContract: 0, maintenanceMarginPerContract: 0, initialMargin: 0, maintenanceMargin: 0, unit, approximation: linear }
  // Rates per coin of underlying; the linear variant scales them by S (mark is then in USDC).
  const scale = linear ? S : 1
  const markCoin = linear ? mark / S : mark
  const imRate = Math.max(constants.otmBase - otmAmount / S, constants.floor)
  let im: number
  let mm: number
  if (optionType === 'call') {
    mm = constants.maintenance * scale + mark
    im = imRate * scale + mark
  } else {
    mm = Math.max(constants.maintenance, constants.maintenance * markCoin) * scale + mark
    im = Math.max(imRate * scale + mark, mm)
  }
  const n = Math.abs(contracts)
  return { otmAmount, initialMarginPerContract: im, maintenanceMarginPerContract: mm, initialMargin: im * n, maintenanceMargin: mm * n, unit, approximation: linear }
}

/**
 * Bybit isolated-margin liquidation and bankruptcy prices, linear (USDT/USDC) and inverse, with the formula
 * version pinned: Bybit changed its inverse formula, and the two give different prices for the same inputs
 * (45,662.10 vs 45,681.8 in the research note's example), so every call names the version.
 *
 * Maintenance margin (risk-limit tiers) [P]: MM = position value × MMR − MM deduction, the deduction by the
 * same recursion as Binance's cum (tiers.ts). https://bybit-tr.com/en-TR/announcement-info/margin-parameters
 *
 * Linear isolated [P] (https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract):
 *   IM = PV ÷ leverage, MM = PV × MMR − deduction, both at the ENTRY value PV = size × entry;
 *   LP_long = EP − (IM − MM)/size − extra/size;  LP_short = EP + (IM − MM)/size + extra/size.
 *   (Binance evaluates MM at the liquidation price instead; the conventions differ, 19,700 vs 19,698.49.)
 * Bankruptcy price (linear isolated) = EP ∓ (IM + extra)/size = EP·(1 ∓ 1/leverage) without extra margin
 *   [S] (https://mobie.io/faq/what-is-bybits-bankruptcy-price-how-can-i-calculate-it).
 *
 * Inverse isolated, `v2024-entry-mm` [P formula, D example] (2024 version of
 * https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account):
 *   PV = contracts ÷ EP (coin); IM = PV ÷ leverage; MM = PV × MMR − deduction (entry value);
 *   LP_long = contracts ÷ (PV + (IM − MM));  LP_short = contracts ÷ (PV − (IM − MM)).
 *   Extra margin: the page subtracts "extra margin ÷ contracts" outside the fraction, which mixes USD and
 *   coin/USD; here it is added to (IM − MM) inside the bracket (coin), which is what "margin + P&L = MM"
 *   gives [D].
 * Inverse isolated, `v2026-mark-mm` [P formula, D example] (updated 2026,
 * https://www.kbybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account):
 *   MM at the liquidation price, closing fee through the taker rate:
 *   LP_long  = size·(1 + MMR) ÷ [size/EP + size/EP/lev + extra/(1 + taker) + deduction]
 *   LP_short = size·(1 − MMR) ÷ [size/EP − size/EP/lev − extra/(1 − taker) − deduction]
 *
 * Inverse cross [P] (Bybit help center, "How to calculate Liquidation Price (Inverse Contract)",
 * https://help.bybit.com/hc/en-us/articles/360039261334), with Q the contracts (USD face; the article's long
 * example) and t the taker fee rate of the fee to close (the article writes 0.075 %, Bybit's inverse taker fee
 * then):
 *   long:  Q·(1/EP − 1/LP) = −(balance − order margin − Q/EP·MMR − Q·t/BP)
 *   short: Q·(1/LP − 1/EP) = −(balance − order margin − Q/EP·MMR − Q·t/BP)
 *   BP_long = (1 + t)·Q ÷ (Q/EP + (balance − order margin))                       [P; worked example 5,718.57]
 *   BP_short = (1 − t)·Q ÷ (Q/EP − (balance − order margin))   [D: the same equation, "equity at BP = fee to
 *     close at BP", for a short; the same form is printed by https://help.mcs.io/hc/en-us/articles/360040683032]
 * In words: the account is liquidated where its equity (wallet + P&L) equals the maintenance margin at the
 * entry value plus the fee to close the position at the bankruptcy price, and bankrupt where equity equals
 * that fee alone. `bybitInverseCross` solves both for any set of inverse positions on one coin (long and
 * short, one-way or hedge): equity is linear in 1/P, so
 *   1/BP = (B + Σ Qᵢ/EPᵢ) ÷ (Σ Qᵢ + t·Σ|Qᵢ|),   1/LP = (B + Σ Qᵢ/EPᵢ − MM − t·Σ|Qᵢ|/BP) ÷ Σ Qᵢ,
 * Qᵢ signed (long > 0), B = balance − order margin, MM = Σ (|Qᵢ|/EPᵢ·MMRᵢ − deductionᵢ). One long position
 * gives the article's equations exactly. Worked example (balance 0.5 BTC, long 10,000 at 8,000, MMR 0.5 %,
 * t 0.075 %): BP = 10,007.5 ÷ 1.75 = 5,718.57 as published; the published equation then gives
 * LP = 10,000 ÷ (1.25 + 0.5 − 0.00625 − 7.5/5,718.5714) = 5,739.08, while the article prints 5,739.50
 * (0.42 USD apart: the article's own figure does not solve its equation; the rounded BP 5,718.57 or 5,719
 * moves LP by under a cent).
 *
 * Float64; results in USD(T) per coin.
 */
import { usdPriceResolver, type MarginAccount } from './account'
import type { BybitInverseFormulaVersion } from './params/venues'

export type { BybitInverseFormulaVersion } from './params/venues'

/** Thrown for inputs outside the formulas' domain. */
export class BybitInputError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'BybitInputError'
  }
}

export interface BybitLinearIsolatedInput {
  side: 'long' | 'short'
  /** Position size in coin, > 0. */
  size: number
  /** Entry price, USDT. */
  entryPrice: number
  leverage: number
  /** MMR of the risk-limit tier, decimal. */
  mmr: number
  /** MM deduction of the tier, USDT; default 0. */
  mmDeduction?: number
  /** Margin added to the position beyond IM, USDT; default 0. */
  extraMargin?: number
}

export interface BybitLinearIsolated {
  /** Position value at entry, USDT. */
  positionValue: number
  initialMargin: number
  maintenanceMargin: number
  liquidationPrice: number
  bankruptcyPrice: number
}

function checkCommon(size: number, entry: number, lev: number, mmr: number) {
  if (!(size > 0) || !(entry > 0) || !(lev > 0) || !(mmr >= 0) || !Number.isFinite(size + entry + lev + mmr))
    throw new BybitInputError(`size ${size}, entry ${entry}, leverage ${lev} must be > 0 and MMR ${mmr} ≥ 0`)
}

/**
 * Linear isolated liquidation and bankruptcy prices (module comment).
 * @returns prices in USDT; a liquidation price ≤ 0 means none (long with margin above the position value)
 * @throws BybitInputError for non-positive size, entry or leverage, or a negative MMR.
 */
export function bybitLinearIsolated(input: BybitLinearIsolatedInput): BybitLinearIsolated {
  const { side, size, entryPrice: EP, leverage, mmr } = input
  checkCommon(size, EP, leverage, mmr)
  const extra = input.extraMargin ?? 0
  const positionValue = size * EP
  const initialMargin = positionValue / leverage
  const maintenanceMargin = positionValue * mmr - (input.mmDeduction ?? 0)
  const sign = side === 'long' ? -1 : 1
  return {
    positionValue,
    initialMargin,
    maintenanceMargin,
    liquidationPrice: EP + (sign * (initialMargin - maintenanceMargin + extra)) / size,
    bankruptcyPrice: EP + (sign * (initialMargin + extra)) / size,
  }
}

export interface BybitInverseIsolatedInput {
  version: BybitInverseFormulaVersion
  side: 'long' | 'short'
  /** Position size in contracts of 1 USD (USD face value), > 0. */
  contracts: number
  /** Entry price, USD. */
  entryPrice: number
  leverage: number
  mmr: number
  /** MM deduction, coin; default 0. */
  mmDeduction?: number
  /** Extra margin, coin; default 0. */
  extraMargin?: number
  /** Taker fee rate (v2026 only), decimal; default 0. */
  takerFeeRate?: number
}

export interface BybitInverseIsolated {
  version: BybitInverseFormulaVersion
  /** Position value at entry, coin. */
  positionValue: number
  initialMargin: number
  /** v2024: at entry; v2026: the MM deduction only (the rate part is evaluated at the liquidation price). */
  maintenanceMarginAtEntry: number
  liquidationPrice: number
  bankruptcyPrice: number
}

/**
 * Inverse isolated liquidation and bankruptcy prices in the named formula version (module comment).
 * @returns prices in USD; non-positive or non-finite = no liquidation price on that side
 * @throws BybitInputError for bad inputs.
 */
export function bybitInverseIsolated(input: BybitInverseIsolatedInput): BybitInverseIsolated {
  const { version, side, contracts, entryPrice: EP, leverage, mmr } = input
  checkCommon(contracts, EP, leverage, mmr)
  const extra = input.extraMargin ?? 0
  const ded = input.mmDeduction ?? 0
  const PV = contracts / EP
  const IM = PV / leverage
  const long = side === 'long'
  if (version === 'v2024-entry-mm') {
    const MM = PV * mmr - ded
    return {
      version,
      positionValue: PV,
      initialMargin: IM,
      maintenanceMarginAtEntry: MM,
      liquidationPrice: long ? contracts / (PV + (IM - MM + extra)) : contracts / (PV - (IM - MM + extra)),
      bankruptcyPrice: long ? contracts / (PV + IM + extra) : contracts / (PV - IM - extra),
    }
  }
  const t = input.takerFeeRate ?? 0
  return {
    version,
    positionValue: PV,
    initialMargin: IM,
    maintenanceMarginAtEntry: -ded,
    liquidationPrice: long
      ? (contracts * (1 + mmr)) / (PV + PV / leverage + extra / (1 + t) + ded)
      : (contracts * (1 - mmr)) / (PV - PV / leverage - extra / (1 - t) - ded),
    bankruptcyPrice: long ? contracts / (PV + PV / leverage + extra / (1 + t)) : contracts / (PV - PV / leverage - extra / (1 - t)),
  }
}

/**
 * The taker fee rate Bybit's inverse cross formulas print for the fee to close (0.075 %, help center article
 * 360039261334); the margin service uses it when the account's settings give no taker fee of their own.
 */
export const BYBIT_INVERSE_CLOSE_FEE_RATE = 0.00075

export interface BybitInverseCrossPosition {
  /** Signed contracts (USD face value, 1 USD per contract): long > 0, short < 0. */
  contracts: number
  /** Average entry price, USD, > 0. */
  entryPrice: number
  /** MMR of the position's risk-limit tier, decimal. */
  mmr: number
  /** MM deduction of the tier, coin; default 0. */
  mmDeduction?: number
}

export interface BybitInverseCrossInput {
  /** Wallet (account) balance of the cross account, coin. */
  balance: number
  /** Margin held by open orders, coin; default 0. */
  orderMargin?: number
  /** The account's cross positions on this coin (one for the article's case). */
  positions: readonly BybitInverseCrossPosition[]
  /** Taker fee rate of the fee to close, decimal (the article: 0.00075). */
  takerFeeRate: number
}

export interface BybitInverseCross {
  /** USD; null when there is none (equity never falls to the fee to close on the way the position loses). */
  bankruptcyPrice: number | null
  /** USD; null when there is none. */
  liquidationPrice: number | null
  /** Σ |Q|/EP × MMR − deduction, coin (entry value). */
  maintenanceMargin: number
  /** Fee to close every position at the bankruptcy price, t·Σ|Q|/BP, coin (0 without a bankruptcy price). */
  feeToClose: number
}

/**
 * Bybit inverse cross-margin bankruptcy and liquidation prices with the fee to close (module comment).
 * @returns prices in USD (null where there is none: a position whose balance covers any move)
 * @throws BybitInputError for no position, a zero net position, a non-positive entry price, a negative MMR
 *   or fee rate, or non-finite inputs.
 */
export function bybitInverseCross(input: BybitInverseCrossInput): BybitInverseCross {
  const t = input.takerFeeRate
  const B = input.balance - (input.orderMargin ?? 0)
  if (input.positions.length === 0) throw new BybitInputError('no position')
  if (!(t >= 0) || !Number.isFinite(t + B)) throw new BybitInputError(`balance ${input.balance} and fee rate ${t} must be finite, the rate ≥ 0`)
  let sumQ = 0
  let sumAbs = 0
  let sumQoverEP = 0
  let mm = 0
  for (const p of input.positions) {
    if (!(p.entryPrice > 0) || !(p.mmr >= 0) || !Number.isFinite(p.contracts + p.entryPrice + p.mmr + (p.mmDeduction ?? 0)))
      throw new BybitInputError(`position ${p.contracts} at ${p.entryPrice}: entry > 0, MMR ≥ 0 and finite values required`)
    sumQ += p.contracts
    sumAbs += Math.abs(p.contracts)
    sumQoverEP += p.contracts / p.entryPrice
    mm += (Math.abs(p.contracts) / p.entryPrice) * p.mmr - (p.mmDeduction ?? 0)
  }
  if (sumQ === 0) throw new BybitInputError('the positions net to zero contracts: equity does not move with the price')
  const positive = (x: number) => (Number.isFinite(x) && x > 0 ? x : null)
  const bankruptcyPrice = positive((sumQ + t * sumAbs) / (B + sumQoverEP))
  const feeToClose = bankruptcyPrice === null ? 0 : (t * sumAbs) / bankruptcyPrice
  const liquidationPrice = positive(sumQ / (B + sumQoverEP - mm - feeToClose))
  return { bankruptcyPrice, liquidationPrice, maintenanceMargin: mm, feeToClose }
}

/**
 * The bankruptcy price of a Bybit inverse cross account along its coin, with the fee to close (the first
 * equation of bybitInverseCross), from the account model: B = the account's collateral in its margin
 * currency (other currencies at today's index less their haircut), Q = its cross inverse futures and
 * perpetuals on that coin. The fee to close at this price is constant under price shocks (it depends on the
 * wallet and the entries only), which is how the rule reserves it (rules.ts bybitRule).
 * @returns USD, or null when the account has no such position or no bankruptcy price
 * @throws BybitInputError for a negative or non-finite fee rate; MarginInputError for a collateral currency
 *   without an index.
 */
export function bybitInverseCrossBankruptcy(account: MarginAccount, takerFeeRate: number): number | null {
  const coin = account.marginCurrency.toUpperCase()
  const positions = account.positions
    .filter(
      (p) =>
        p.isolatedMargin === undefined &&
        p.instrument.settlement === 'inverse' &&
        (p.instrument.kind === 'future' || p.instrument.kind === 'perpetual') &&
        p.instrument.underlying.toUpperCase() === coin,
    )
    .map((p) => ({ contracts: p.quantity, entryPrice: p.entryPrice, mmr: 0 }))
  if (positions.length === 0 || positions.reduce((a, p) => a + p.contracts, 0) === 0) return null
  const usd = usdPriceResolver(account, {})
  let balance = 0
  for (const c of account.collateral)
    balance += c.currency.toUpperCase() === coin ? c.amount : (c.amount * usd(c.currency) * (1 - (c.amount > 0 ? (c.haircut ?? 0) : 0))) / usd(coin)
  return bybitInverseCross({ balance, positions, takerFeeRate }).bankruptcyPrice
}

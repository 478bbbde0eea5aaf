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
 * Inverse cross, legacy article (https://help.bybit.com/hc/en-us/articles/360039261334), long only:
 *   bankruptcy price = (1 + taker) × contracts ÷ (contracts/EP + balance) [P: 5,718.57];
 *   liquidation price = (1 + taker) × contracts ÷ (contracts/EP + balance − MM), MM = contracts/EP × MMR
 *   [D: a reconstruction that reproduces the research note's recomputation 5,739.08 of the published
 *   5,739.50; treat as indicative, ±1 USD].
 *
 * Float64; results in USD(T) per coin.
 */
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

export interface BybitInverseCrossLegacyInput {
  /** Cross wallet balance, coin. */
  balance: number
  /** Long position in contracts of 1 USD, > 0. */
  contracts: number
  entryPrice: number
  mmr: number
  takerFeeRate: number
}

/**
 * Legacy inverse cross-margin prices of a long position (module comment): bankruptcy [P], liquidation [D].
 * @throws BybitInputError for bad inputs.
 */
export function bybitInverseCrossLegacy(input: BybitInverseCrossLegacyInput): { bankruptcyPrice: number; liquidationPrice: number; maintenanceMargin: number } {
  const { balance, contracts, entryPrice: EP, mmr, takerFeeRate: t } = input
  checkCommon(contracts, EP, 1, mmr)
  const pv = contracts / EP
  const maintenanceMargin = pv * mmr
  return {
    bankruptcyPrice: ((1 + t) * contracts) / (pv + balance),
    liquidationPrice: ((1 + t) * contracts) / (pv + balance - maintenanceMargin),
    maintenanceMargin,
  }
}

/**
 * Hyperliquid perpetual margin (USDC, linear; Hyperliquid docs "Trading → Margining", "Margin tiers",
 * "Liquidations"; research note defi-hedging-var-reports.md §1b):
 *  - initial margin = position value at mark ÷ leverage (the leverage the user set, 1 … maxLeverage);
 *  - maintenance margin = half the initial margin at the asset's maximum leverage: rate mmr = 1 ÷ (2 × maxLeverage)
 *    of the tier the position value falls in, less the tier's deduction: MM = value × mmr(n) − deduction(n),
 *    deduction(n) = deduction(n−1) + lowerBound(n) × (mmr(n) − mmr(n−1)), deduction(1) = 0, so MM is continuous;
 *  - liquidation when the account value (cross) or the position's isolated margin (isolated) falls below MM;
 *    the published liquidation price: liq = price − side × margin_available ÷ size ÷ (1 − l × side), with
 *    l = 1 ÷ MAINTENANCE_LEVERAGE = mmr of the tier at the liquidation price, margin_available = account value −
 *    MM (cross) or isolated margin − MM (isolated). It is the price where margin ratio MM ÷ equity reaches 100 %
 *    for a single position (equity moves by side × size × Δprice, MM by size × Δprice × l), which is what the
 *    account model's solver finds for any book (liquidation.ts).
 * Docs example: ETH long 0.0335 isolated at 20×, mark 2,985.9, margin (with P&L) 4.967826, max leverage 50 →
 * l = 0.01, MM = 1.0002765, liq = 2985.9 − 3.9675495 ÷ 0.0335 ÷ 0.99 = 2866.26938… (venue: 2866.26936529).
 */
import Decimal from 'decimal.js'
import { MarginInputError, type MarginRule, type Requirement, type ValuedPosition } from './account'
import type { HyperliquidMarginTableValues } from './params/hyperliquid'

export interface HyperliquidTier {
  /** USDC of position value, inclusive. */
  lowerBound: number
  maxLeverage: number
  /** 1 ÷ (2 × maxLeverage). */
  mmr: number
  /** USDC subtracted from value × mmr in this tier. */
  deduction: number
}

/**
 * Tiers with their maintenance rates and deductions (decimal.js, so 1/30 and the deductions are exact to 50
 * digits before becoming float64).
 * @throws MarginInputError for an empty table, a first bound other than 0, bounds not increasing or a leverage < 1.
 */
export function hyperliquidTiers(values: HyperliquidMarginTableValues): HyperliquidTier[] {
  const out: HyperliquidTier[] = []
  let prevMmr = new Decimal(0)
  let deduction = new Decimal(0)
  values.tiers.forEach((t, i) => {
    const bound = new Decimal(t.lowerBound)
    if (i === 0 && !bound.isZero()) throw new MarginInputError(`Hyperliquid margin table: the first tier starts at ${t.lowerBound}, expected 0`)
    if (i > 0 && !bound.gt(values.tiers[i - 1]!.lowerBound)) throw new MarginInputError(`Hyperliquid margin table: tier ${i + 1} lower bound ${t.lowerBound} not above the previous`)
    if (!(t.maxLeverage >= 1)) throw new MarginInputError(`Hyperliquid margin table: tier ${i + 1} max leverage ${t.maxLeverage} below 1`)
    const mmr = new Decimal(1).div(2 * t.maxLeverage)
    deduction = deduction.plus(bound.times(mmr.minus(prevMmr)))
    out.push({ lowerBound: bound.toNumber(), maxLeverage: t.maxLeverage, mmr: mmr.toNumber(), deduction: deduction.toNumber() })
    prevMmr = mmr
  })
  if (out.length === 0) throw new MarginInputError('Hyperliquid margin table has no tiers')
  return out
}

/** The tier a position value (USDC, absolute) falls in. */
export function hyperliquidTierFor(tiers: readonly HyperliquidTier[], value: number): HyperliquidTier {
  let t = tiers[0]!
  for (const x of tiers) if (Math.abs(value) >= x.lowerBound) t = x
  return t
}

/** MM of a position value (USDC): value × mmr − deduction of its tier. */
export function hyperliquidMaintenanceMargin(tiers: readonly HyperliquidTier[], value: number): number {
  const t = hyperliquidTierFor(tiers, value)
  return Math.abs(value) * t.mmr - t.deduction
}

/**
 * The venue's published liquidation price of one position.
 * @param price current mark, USD
 * @param side +1 long, −1 short
 * @param size |position| in coin
 * @param marginAvailable account value − MM (cross) or isolated margin (with its P&L) − MM (isolated), USDC
 * @param tiers the asset's tiers: l is the mmr of the tier at the liquidation price (found by iterating from the current tier)
 */
export function hyperliquidLiquidationPrice(p: { price: number; side: 1 | -1; size: number; marginAvailable: number; tiers: readonly HyperliquidTier[] }): number {
  let tier = hyperliquidTierFor(p.tiers, p.size * p.price)
  for (let i = 0; i <= p.tiers.length; i++) {
    const liq = p.price - (p.side * p.marginAvailable) / p.size / (1 - tier.mmr * p.side)
    const at = hyperliquidTierFor(p.tiers, p.size * liq)
    if (at === tier) return liq
    tier = at
  }
  throw new MarginInputError('Hyperliquid liquidation price: the tier at the liquidation price does not settle')
}

/**
 * The account-model rule: IM = value at mark ÷ the position's leverage (NaN when none is known), MM by the
 * asset's tiers at the value at mark, no liquidation fee reserved (Hyperliquid's liquidation takes none from
 * the threshold: below MM the position is closed at market; below 2/3 of MM the backstop vault takes it).
 * `position` throws MarginInputError for options or a coin without a table.
 */
export function hyperliquidRule(p: { tiers: (coin: string) => readonly HyperliquidTier[] }): MarginRule {
  return {
    id: 'hyperliquid',
    label: 'Hyperliquid perpetuals (USDC)',
    approximations: ['MM and IM at the mark price (Hyperliquid marks by its oracle-based mark price)', 'the backstop liquidation below 2/3 of MM is not modelled separately'],
    position(v: ValuedPosition): Requirement {
      const ins = v.position.instrument
      if (ins.kind !== 'perpetual') throw new MarginInputError(`the Hyperliquid rule margins perpetuals only, not ${ins.kind} ${ins.name}`)
      const value = v.notionalUsd
      const lev = v.position.leverage
      return { initialMargin: lev !== undefined && lev > 0 ? value / lev : NaN, maintenanceMargin: hyperliquidMaintenanceMargin(p.tiers(ins.name), value), liquidationFee: 0 }
    },
  }
}

/**
 * Liquidation and bankruptcy prices of a margin account (account.ts): where its margin ratio reaches 100 %
 * (equity = MM + reserved fee) or its equity reaches 0, along one underlying, for the cross part or one
 * isolated position. Solved numerically (solvers.ts: an outward scan, then Brent to a few ulp), so options
 * and portfolio rules with no closed form are covered; venue closed forms (binance.ts, bybit.ts, okx.ts) are
 * tested against these.
 */
import { MarginInputError, revalueAccount, type AccountValuation, type MarginAccount, type MarginRule, type MarketShock } from './account'
import { firstCrossing, type ScanOptions } from './solvers'

/** A price at which an account (or an isolated position) reaches its threshold. */
export interface LiquidationPoint {
  /** Price factor: price ÷ current price of the underlying. */
  factor: number
  /** Index price of the underlying there, USD. */
  indexPrice: number
  /** Futures marks / option forwards of the positions on the underlying there, USD, by position id. */
  underlyingPrices: Record<string, number>
  /** The account revalued there. */
  valuation: AccountValuation
}

/** Liquidation (or bankruptcy) prices on both sides of the current price. */
export interface LiquidationPrices {
  underlying: string
  /** Current index price of the underlying, USD. */
  indexPrice: number
  /** Nearest threshold below / above the current price; null if none within the scanned range. */
  below: LiquidationPoint | null
  above: LiquidationPoint | null
  /** The threshold is already breached at the current price. */
  alreadyBreached: boolean
}

export interface SolveOptions extends ScanOptions {
  /** Other shocks held fixed while the underlying moves (e.g. a vol scenario). */
  base?: MarketShock
}

function shockWithFactor(base: MarketShock, underlying: string, factor: number): MarketShock {
  const baseSpot = base.spot?.[underlying] ?? 0
  return { ...base, spot: { ...(base.spot ?? {}), [underlying]: (1 + baseSpot) * factor - 1 } }
}

function currentIndex(account: MarginAccount, underlying: string, base: MarketShock): number {
  const p = account.positions.find((x) => x.instrument.underlying === underlying)
  const idx = p ? p.market.index : account.indices?.[underlying]
  if (idx === undefined) throw new MarginInputError(`no position or index on ${underlying}`)
  return idx * (1 + (base.spot?.[underlying] ?? 0))
}

function solveBoth(
  account: MarginAccount,
  underlying: string,
  options: SolveOptions,
  gap: (shock: MarketShock) => { h: number },
  valuationAt: (shock: MarketShock) => AccountValuation,
): LiquidationPrices {
  const base = options.base ?? {}
  const h = (f: number) => gap(shockWithFactor(base, underlying, f)).h
  const idx = currentIndex(account, underlying, base)
  const point = (f: number): LiquidationPoint => {
    const shock = shockWithFactor(base, underlying, f)
    const underlyingPrices: Record<string, number> = {}
    for (const p of account.positions)
      if (p.instrument.underlying === underlying) underlyingPrices[p.id] = p.market.underlying * (1 + (shock.spot?.[underlying] ?? 0))
    return { factor: f, indexPrice: idx * f, underlyingPrices, valuation: valuationAt(shock) }
  }
  if (h(1) <= 0) return { underlying, indexPrice: idx, below: point(1), above: point(1), alreadyBreached: true }
  const down = firstCrossing(h, -1, options)
  const up = firstCrossing(h, 1, options)
  return { underlying, indexPrice: idx, below: down ? point(down.factor) : null, above: up ? point(up.factor) : null, alreadyBreached: false }
}

/**
 * Cross-margin liquidation prices of an account along one underlying: the nearest prices below and above
 * the current one where equity = MM + reserved fee (margin ratio 100%), with every position and collateral
 * on that underlying moving together and everything else held fixed (Binance's convention for cross
 * liquidation prices: the other contracts' MM and P&L, TMM1 and UPNL1, stay as they are). Solved
 * numerically (solvers.ts: outward scan, then Brent to a few ulp), so it covers options and portfolio rules
 * with no closed form.
 * @param underlying e.g. `BTC`
 * @throws MarginInputError (see revalueAccount); SolverError if the account cannot be valued on the range.
 */
export function crossLiquidationPrices(account: MarginAccount, rule: MarginRule, underlying: string, options: SolveOptions = {}): LiquidationPrices {
  const val = (s: MarketShock) => revalueAccount(account, rule, s)
  return solveBoth(account, underlying, options, (s) => {
    const v = val(s)
    return { h: v.equity - v.maintenanceMargin - v.liquidationFee }
  }, val)
}

/**
 * Isolated liquidation prices of one position: where isolated margin + its own P&L = its MM + fee.
 * @throws MarginInputError if the position does not exist or is not isolated.
 */
export function isolatedLiquidationPrices(account: MarginAccount, rule: MarginRule, positionId: string, options: SolveOptions = {}): LiquidationPrices {
  const p = account.positions.find((x) => x.id === positionId)
  if (!p) throw new MarginInputError(`no position ${positionId}`)
  if (p.isolatedMargin === undefined) throw new MarginInputError(`position ${positionId} is not isolated`)
  const val = (s: MarketShock) => revalueAccount(account, rule, s)
  return solveBoth(account, p.instrument.underlying, options, (s) => {
    const row = val(s).positions.find((x) => x.id === positionId)!
    return { h: row.isolatedEquity! - row.maintenanceMargin! - row.liquidationFee! }
  }, val)
}

/**
 * Bankruptcy prices: where equity reaches 0 (cross: the account's cross equity; isolated: the position's
 * isolated equity when `positionId` is given). Below it every further loss is a shortfall.
 * @throws as crossLiquidationPrices / isolatedLiquidationPrices.
 */
export function bankruptcyPrices(account: MarginAccount, rule: MarginRule, underlying: string, positionId?: string, options: SolveOptions = {}): LiquidationPrices {
  const val = (s: MarketShock) => revalueAccount(account, rule, s)
  if (positionId !== undefined) {
    const p = account.positions.find((x) => x.id === positionId)
    if (!p || p.isolatedMargin === undefined) throw new MarginInputError(`position ${positionId} is not an isolated position of the account`)
    return solveBoth(account, p.instrument.underlying, options, (s) => ({ h: val(s).positions.find((x) => x.id === positionId)!.isolatedEquity! }), val)
  }
  return solveBoth(account, underlying, options, (s) => ({ h: val(s).equity }), val)
}

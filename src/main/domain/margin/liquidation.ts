/**
 * Liquidation and bankruptcy prices of a margin account (account.ts): where its margin ratio reaches 100 %
 * (equity = MM + reserved fee) or its equity reaches 0, along one underlying, for the cross part or one
 * isolated position. Solved numerically (solvers.ts: an outward scan, then Brent to a few ulp), so options
 * and portfolio rules with no closed form are covered; venue closed forms (binance.ts, bybit.ts, okx.ts) are
 * tested against these.
 */
import {
  accountTotals,
  accountValuationOf,
  MarginInputError,
  type AccountValuation,
  type MarginAccount,
  type MarginRule,
  type MarketShock,
  type PositionValuation,
} from './account'
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
  /**
   * The account's revaluations along the underlying, shared with another solve of the same account, rule,
   * underlying and base (AccountPricePath); default a path of this solve's own.
   */
  path?: AccountPricePath
}

function shockWithFactor(base: MarketShock, underlying: string, factor: number): MarketShock {
  const baseSpot = base.spot?.[underlying] ?? 0
  return { ...base, spot: { ...(base.spot ?? {}), [underlying]: (1 + baseSpot) * factor - 1 } }
}

/** What a scan reads at one price factor: the account's cross equity, MM and reserved fee (margin currency). */
export interface ThresholdTotals {
  equity: number
  maintenanceMargin: number
  liquidationFee: number
}

/**
 * An account revalued along one underlying's price factor (the other shocks of `base` held fixed), each factor
 * revalued once. The liquidation and bankruptcy solves of an account scan the same factors (solvers.ts's outward
 * grid does not depend on the function scanned), and every solve asks for h(1) three times: sharing one path
 * between them revalues each factor once. A scan reads only the totals (account.ts accountTotals), and only those
 * three numbers are kept (an isolated position's scan keeps its one row): hundreds of factors' positions kept alive
 * would cost the garbage collector more than it saves. A factor's full valuation (its rows), asked for where a solve
 * stops, is revalued then and kept.
 * revalueAccount is a pure function of (account, rule, shock), so the figures are those of revaluing every time,
 * to the bit.
 */
export class AccountPricePath {
  private readonly totals = new Map<number, ThresholdTotals>()
  private readonly valuations = new Map<number, AccountValuation>()
  private readonly rows = new Map<string, PositionValuation>()
  constructor(
    readonly account: MarginAccount,
    readonly rule: MarginRule,
    readonly underlying: string,
    readonly base: MarketShock = {},
  ) {}

  private shock(factor: number): MarketShock {
    return shockWithFactor(this.base, this.underlying, factor)
  }

  /** Equity, MM and fee at price factor `factor` (shocked price ÷ current price). @throws as revalueAccount */
  totalsAt(factor: number): ThresholdTotals {
    let t = this.totals.get(factor) ?? this.valuations.get(factor)
    if (t === undefined) {
      const { equity, maintenanceMargin, liquidationFee } = accountTotals(this.account, this.rule, this.shock(factor))
      this.totals.set(factor, (t = { equity, maintenanceMargin, liquidationFee }))
    }
    return t
  }

  /** One position's row at price factor `factor` (an isolated position's scan reads only its own row). @throws as revalueAccount */
  positionAt(factor: number, positionId: string): PositionValuation {
    const key = `${factor}\u0000${positionId}`
    let row = this.rows.get(key) ?? this.valuations.get(factor)?.positions.find((x) => x.id === positionId)
    if (row === undefined) {
      row = accountValuationOf(accountTotals(this.account, this.rule, this.shock(factor))).positions.find((x) => x.id === positionId)
      if (row === undefined) throw new MarginInputError(`no position ${positionId}`)
      this.rows.set(key, row)
    }
    return row
  }

  /** The account valuation at price factor `factor`, as revalueAccount gives it. @throws as revalueAccount */
  at(factor: number): AccountValuation {
    let v = this.valuations.get(factor)
    if (v === undefined) this.valuations.set(factor, (v = accountValuationOf(accountTotals(this.account, this.rule, this.shock(factor)))))
    return v
  }
}

function currentIndex(account: MarginAccount, underlying: string, base: MarketShock): number {
  const p = account.positions.find((x) => x.instrument.underlying === underlying)
  const idx = p ? p.market.index : account.indices?.[underlying]
  if (idx === undefined) throw new MarginInputError(`no position or index on ${underlying}`)
  return idx * (1 + (base.spot?.[underlying] ?? 0))
}

/** The path a solve revalues along: the one given (checked to be this account's) or a new one. */
function pathOf(account: MarginAccount, rule: MarginRule, underlying: string, options: SolveOptions): AccountPricePath {
  const given = options.path
  if (given === undefined) return new AccountPricePath(account, rule, underlying, options.base)
  if (given.account !== account || given.rule !== rule || given.underlying !== underlying || (options.base !== undefined && options.base !== given.base))
    throw new MarginInputError(`the price path given is along ${given.underlying} of account ${given.account.name}, not this solve's`)
  return given
}

/** `gap` (h: the threshold's distance, > 0 = safe) reads a factor's totals, or an isolated position's row. */
type Gap = { totals: (t: ThresholdTotals) => number } | { positionId: string; row: (r: PositionValuation) => number }

function solveBoth(account: MarginAccount, underlying: string, options: SolveOptions, path: AccountPricePath, gap: Gap): LiquidationPrices {
  const base = path.base
  const h = 'totals' in gap ? (f: number) => gap.totals(path.totalsAt(f)) : (f: number) => gap.row(path.positionAt(f, gap.positionId))
  const idx = currentIndex(account, underlying, base)
  const point = (f: number): LiquidationPoint => {
    const shock = shockWithFactor(base, underlying, f)
    const underlyingPrices: Record<string, number> = {}
    for (const p of account.positions)
      if (p.instrument.underlying === underlying) underlyingPrices[p.id] = p.market.underlying * (1 + (shock.spot?.[underlying] ?? 0))
    return { factor: f, indexPrice: idx * f, underlyingPrices, valuation: path.at(f) }
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
  return solveBoth(account, underlying, options, pathOf(account, rule, underlying, options), { totals: (t) => t.equity - t.maintenanceMargin - t.liquidationFee })
}

/**
 * Isolated liquidation prices of one position: where isolated margin + its own P&L = its MM + fee.
 * @throws MarginInputError if the position does not exist or is not isolated.
 */
export function isolatedLiquidationPrices(account: MarginAccount, rule: MarginRule, positionId: string, options: SolveOptions = {}): LiquidationPrices {
  const p = account.positions.find((x) => x.id === positionId)
  if (!p) throw new MarginInputError(`no position ${positionId}`)
  if (p.isolatedMargin === undefined) throw new MarginInputError(`position ${positionId} is not isolated`)
  return solveBoth(account, p.instrument.underlying, options, pathOf(account, rule, p.instrument.underlying, options), {
    positionId,
    row: (row) => row.isolatedEquity! - row.maintenanceMargin! - row.liquidationFee!,
  })
}

/**
 * Bankruptcy prices: where equity reaches 0 (cross: the account's cross equity; isolated: the position's
 * isolated equity when `positionId` is given). Below it every further loss is a shortfall.
 * @throws as crossLiquidationPrices / isolatedLiquidationPrices.
 */
export function bankruptcyPrices(account: MarginAccount, rule: MarginRule, underlying: string, positionId?: string, options: SolveOptions = {}): LiquidationPrices {
  if (positionId !== undefined) {
    const p = account.positions.find((x) => x.id === positionId)
    if (!p || p.isolatedMargin === undefined) throw new MarginInputError(`position ${positionId} is not an isolated position of the account`)
    const u = p.instrument.underlying
    return solveBoth(account, u, options, pathOf(account, rule, u, options), { positionId, row: (row) => row.isolatedEquity! })
  }
  return solveBoth(account, underlying, options, pathOf(account, rule, underlying, options), { totals: (t) => t.equity })
}

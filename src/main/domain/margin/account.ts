/**
 * Margin accounts and their revaluation: the venue-neutral core that every venue rule plugs into.
 *
 * An account holds collateral (wallet balances) and positions. Revaluing it at a market state (the current
 * one, a stress scenario, or a hypothetical price while solving for liquidation) gives equity, initial
 * margin (IM), maintenance margin (MM), margin ratio and available balance, in the account's margin
 * currency (a coin for coin-margined/inverse accounts, USD(T/C) for linear ones) and in USD.
 *
 * Conventions (state them wherever the figures are shown):
 *  - collateral is the wallet balance: it already reflects option premiums paid/received and realised
 *    P&L, and excludes unrealised futures P&L measured from the positions' entry prices (Binance "wallet
 *    balance", Deribit "balance");
 *  - equity = collateral (other currencies valued at the index, less their haircut) + Σ futures unrealised
 *    P&L (mark vs entry) + Σ option market value (quantity × mark), each converted into the margin
 *    currency at the index (Binance "margin balance", Deribit "equity");
 *  - margin ratio = (MM + liquidation fee reserved) ÷ equity; the account is liquidated at ≥ 100% (Binance,
 *    Bybit, Deribit state it this way; OKX states the inverse, equity ÷ (MM + fee) ≤ 100%, see okx.ts);
 *  - available balance = equity − IM (not floored at 0: a negative value is a margin call);
 *  - shortfall = max(−equity, 0): what an insurance fund or auto-deleveraging would absorb;
 *  - USD is the numeraire (1); USD stablecoins (USDT, USDC, …) are valued at par unless the market state moves
 *    them (a de-peg: `shock.spot.USDC = −0.03` values USDC at 0.97 USD). Contract prices, P&L and margin
 *    requirements stay in USD, so a de-peg of the margin currency lowers equity in USD (the stablecoin balance is
 *    worth less) and raises the margin ratio against a USD requirement — how venues that value stablecoin
 *    collateral at its USD index treat it (Binance Multi-Assets mode, Bybit UTA collateral value); a venue whose
 *    contracts are quoted in the stablecoin itself reprices them instead, which this model does not do [stated];
 *  - isolated positions (`isolatedMargin` set) are margined alone: their equity is the isolated margin
 *    plus their own unrealised P&L, and they are excluded from the cross equity (Binance
 *    `crossWalletBalance` vs `isolatedWallet`).
 *
 * Shocks: a relative spot shock per underlying moves its index, every futures mark and every option forward
 * by the same factor (the stress kernel's model, revaluationKernel.ts); a vol shock adds to every option's
 * vol (floored); `days` shortens every option's time to expiry. Option marks move by the Black-76 model
 * change from the current inputs, added to the venue's mark (so a zero shock gives the venue mark back).
 *
 * Numbers: float64 throughout (pricing-like: Black-76 values, root finding, per-scenario loops, DESIGN.md
 * §4). Exact decimals are used where the venue's figures are exact by construction (tier tables, tiers.ts)
 * and when balances are read from decimal strings (adapters.ts); results are rounded at the edge.
 */
import type { Instrument } from '../../../shared/instrument'
import { isStablecoin, isUsdLike, NUMERAIRE } from '../../../shared/currencies'
import { black76PriceUnchecked } from '../pricing/black76'
import { daysToYears } from '../time'
import type { MarketInputs } from '../valuation/marketInputs'
import { revaluePosition, ValuationInputError } from '../valuation/revaluePosition'

/** The parts of an instrument a margin model reads (a full `Instrument` satisfies it). */
export type MarginInstrument = Pick<
  Instrument,
  'name' | 'kind' | 'settlement' | 'underlying' | 'quantityUnit' | 'priceUnit' | 'strike' | 'optionType'
>

/**
 * Market inputs of one position: the valuation layer's `MarketInputs` (valuation/marketInputs.ts: index and
 * underlying in USD, vol decimal, T years) with the venue's option mark optional — in the instrument's price
 * unit (coin for inverse, USD for linear), defaulting to the option's Black-76 value.
 */
export type PositionMarket = Pick<MarketInputs, 'index' | 'underlying' | 'sigma' | 'T'> & { optionMark?: number | null }

/** A position as the margin models see it (float64, venue units). */
export interface MarginPosition {
  /** Unique within the account, e.g. the instrument name (+ `:long`/`:short` in hedge mode). */
  id: string
  instrument: MarginInstrument
  /**
   * Signed quantity in `instrument.quantityUnit`: coin for linear contracts and options; USD face value for
   * inverse futures/perpetuals (Binance COIN-M: contracts × contract size in USD).
   */
  quantity: number
  /** Entry price in `instrument.priceUnit` (USD for futures; coin for inverse options). */
  entryPrice: number
  market: PositionMarket
  /** Leverage chosen for the position (IM = notional ÷ leverage at venues that use it). */
  leverage?: number
  /** Isolated margin assigned to the position, in the account's margin currency; absent = cross. */
  isolatedMargin?: number
}

/** A wallet balance. */
export interface CollateralBalance {
  /** `BTC`, `USDT`, … */
  currency: string
  /** Amount in that currency (may be negative: a borrowed/negative balance). */
  amount: number
  /** Discount applied when valuing it in another margin currency (0.05 = 5%); default 0. */
  haircut?: number
}

export interface MarginAccount {
  venue: string
  name: string
  /** Currency equity and margin are measured in: a coin (`BTC`) or a USD stablecoin (`USDT`, `USDC`, `USD`). */
  marginCurrency: string
  collateral: CollateralBalance[]
  positions: MarginPosition[]
  /** USD index of coins no position references (e.g. ETH collateral in a BTC-only account). */
  indices?: Record<string, number>
}

/** A market state relative to the current one. */
export interface MarketShock {
  /** Relative spot shock per underlying (−0.3 = −30%); absent underlyings are unshocked. */
  spot?: Readonly<Record<string, number>>
  /** Absolute vol shock as a decimal (0.1 = +10 vol points), added to every option's vol. */
  vol?: number
  /** Calendar days passing (options' T shrinks; at or past expiry they are worth intrinsic). */
  days?: number
  /** Smallest vol after the shock, decimal; default 0.01. */
  volFloor?: number
  /**
   * Shocked vol of one option (decimal), replacing `vol` when given: the hook for the stress engine's richer
   * vol shocks (relative, term-scaled, sticky-moneyness). Receives the underlying, years to expiry after the
   * time shift, strike (USD), current vol (decimal) and the shocked forward (USD). The floor still applies.
   */
  volFor?: (underlying: string, T: number, strike: number, sigma: number, forward: number) => number
}

/** Margin requirement of one position (settlement currency) or of a portfolio (margin currency). */
export interface Requirement {
  initialMargin: number
  maintenanceMargin: number
  /** Liquidation fee the venue reserves at the threshold (OKX); 0 where it is not part of the test. */
  liquidationFee: number
}

/** A position revalued at one market state. */
export interface ValuedPosition {
  position: MarginPosition
  /** The shocked market inputs. */
  market: PositionMarket
  /** `USD` for linear instruments, the underlying coin for inverse ones. */
  settlementCurrency: string
  /** Mark in the instrument's price unit at this state. */
  mark: number
  /** Unrealised P&L against the entry price, settlement currency. */
  unrealizedPnl: number
  /** What the position adds to equity, settlement currency: futures → unrealised P&L; options → q × mark. */
  equityContribution: number
  /** |size| in coin at this state (inverse futures: |USD face| ÷ mark). */
  sizeCoin: number
  /** Notional in USD: size in coin × mark (futures) or × index (options). */
  notionalUsd: number
  /** Signed delta in coin: ∂(USD value)/∂(price) (inverse options: premium-adjusted, Δ − V/F). */
  deltaCoin: number
  /** Margin-currency units per settlement-currency unit at this state. */
  toMargin: number
}

/**
 * A venue's margin rule. Per-position rules implement `position`; portfolio rules (Deribit PM, SPAN-style)
 * implement `portfolio`, which then replaces `position` for the cross positions.
 */
export interface MarginRule {
  /** e.g. `binance-usdm`, `deribit-standard`. */
  id: string
  label: string
  /** Assumptions and documented approximations of the rule, shown with every result. */
  approximations: string[]
  /** Requirement of one position, in its settlement currency. */
  position?: (v: ValuedPosition) => Requirement
  /** Requirement of the cross positions together, in the account's margin currency. */
  portfolio?: (positions: ValuedPosition[], account: MarginAccount, shock: MarketShock) => Requirement & { detail?: unknown }
}

/** One position in an account valuation; money in the account's margin currency unless stated. */
export interface PositionValuation {
  id: string
  instrument: string
  isolated: boolean
  mark: number
  /** Settlement currency. */
  unrealizedPnl: number
  equityContribution: number
  notionalUsd: number
  deltaCoin: number
  /** Null for cross positions under a portfolio rule (the requirement is not per position). */
  initialMargin: number | null
  maintenanceMargin: number | null
  liquidationFee: number | null
  /** Isolated positions only: isolated margin + own contribution, and (MM + fee) ÷ that. */
  isolatedEquity: number | null
  isolatedMarginRatio: number | null
}

export interface AccountValuation {
  marginCurrency: string
  /** USD per unit of margin currency at this state (1 for USD; a stablecoin's de-pegged value under a de-peg). */
  marginCurrencyUsd: number
  /** Collateral valued in the margin currency (haircuts applied). */
  collateralValue: number
  /** Cross equity (margin currency). */
  equity: number
  equityUsd: number
  /** Cross IM, MM and reserved liquidation fee. */
  initialMargin: number
  maintenanceMargin: number
  liquidationFee: number
  /** (MM + fee) ÷ equity; +Infinity when equity ≤ 0 (and MM + fee > 0); 0 with nothing required. */
  marginRatio: number
  availableBalance: number
  /** Cross margin ratio ≥ 1. */
  liquidated: boolean
  /** max(−equity, 0), margin currency and USD. */
  shortfall: number
  shortfallUsd: number
  /** Σ isolated equity (margin currency). */
  isolatedEquity: number
  positions: PositionValuation[]
  /** The portfolio rule's own breakdown (e.g. the Deribit risk matrix), when there is one. */
  portfolioDetail?: unknown
  approximations: string[]
}

/** Thrown for an account the model cannot value (unknown currency, unsupported instrument, bad input). */
export class MarginInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MarginInputError'
  }
}

export { isUsdLike }

/** An option's Black-76 value at its current inputs, per position, with the inputs it was priced at. */
const modelNow = new WeakMap<MarginPosition, { isCall: boolean; K: number; F: number; T: number; sigma: number; value: number }>()

/**
 * An option position's Black-76 value (USD) at its current inputs: the same for every state it is revalued at, so
 * priced once per position and inputs (a liquidation solve revalues each position hundreds of times) — and priced
 * again if any input changed since.
 */
function modelValueNow(p: MarginPosition, isCall: boolean, K: number, F: number, T: number, sigma: number): number {
  const c = modelNow.get(p)
  if (c !== undefined && c.isCall === isCall && c.K === K && c.F === F && c.T === T && c.sigma === sigma) return c.value
  const value = black76PriceUnchecked(isCall, F, K, T, sigma)
  modelNow.set(p, { isCall, K, F, T, sigma, value })
  return value
}

/**
 * Revalues one position at a shocked state with the one scalar pricer (valuation/revaluePosition.ts): the
 * spot shock moves index, futures marks and forwards together; vol as the shock says (`volFor`, or the
 * parallel `vol`), floored; `days` pass.
 * @throws MarginInputError for spot instruments (hold spot as collateral), a quantity unit that does not
 *   match the settlement (inverse futures must be in USD face, everything else in coin), or missing option
 *   inputs.
 */
export function valuePosition(p: MarginPosition, shock: MarketShock, usdPerUnit: (currency: string) => number, marginCurrency: string): ValuedPosition {
  const ins = p.instrument
  const factor = 1 + (shock.spot?.[ins.underlying] ?? 0)
  if (!(factor > 0)) throw new MarginInputError(`spot shock ${factor - 1} on ${ins.underlying}: expected > −100%`)
  if (ins.kind === 'spot') throw new MarginInputError(`${p.id}: ${ins.kind} positions are not margined; hold spot balances as collateral`)
  const m0 = p.market
  const settlementCurrency = ins.settlement === 'inverse' ? ins.underlying : 'USD'
  const toMargin = usdPerUnit(settlementCurrency) / usdPerUnit(marginCurrency)
  const days = shock.days ?? 0
  let sigma1: number | undefined
  let mark0 = 0
  let model0: number | undefined
  if (ins.kind === 'option') {
    if (ins.strike === null || ins.optionType === null || m0.sigma === null || m0.T === null)
      throw new MarginInputError(`${p.id}: an option needs strike, type, vol and time to expiry`)
    if (ins.quantityUnit !== 'coin') throw new MarginInputError(`${p.id}: option quantity must be in coin (contracts of 1 coin)`)
    const T1 = m0.T - daysToYears(days)
    const F1 = m0.underlying * factor
    sigma1 = Math.max(shock.volFor ? shock.volFor(ins.underlying, T1, ins.strike, m0.sigma, F1) : m0.sigma + (shock.vol ?? 0), shock.volFloor ?? 0.01)
    model0 = modelValueNow(p, ins.optionType === 'call', ins.strike, m0.underlying, m0.T, m0.sigma)
    mark0 = m0.optionMark ?? (ins.settlement === 'inverse' ? model0 / m0.underlying : model0)
  }
  let r
  try {
    r = revaluePosition(ins, p.quantity, p.entryPrice, { index: m0.index, underlying: m0.underlying, sigma: m0.sigma, T: m0.T, mark: mark0, model: model0 }, { spot: factor - 1, sigma: sigma1, dtYears: daysToYears(days) })
  } catch (e) {
    if (e instanceof ValuationInputError) throw new MarginInputError(e.message)
    throw e
  }
  const market: PositionMarket =
    ins.kind === 'option'
      ? { index: r.index, underlying: r.underlying, sigma: r.sigma, T: r.T, optionMark: r.mark }
      : { index: r.index, underlying: r.underlying, sigma: null, T: m0.T === null ? null : m0.T - daysToYears(days) }
  return {
    position: p,
    market,
    settlementCurrency,
    mark: r.mark,
    unrealizedPnl: r.unrealizedPnlSettlement,
    equityContribution: r.valueSettlement,
    sizeCoin: r.sizeCoin,
    notionalUsd: r.notionalUsd,
    deltaCoin: r.deltaCoin,
    toMargin,
  }
}

/**
 * USD value of one unit of `currency` at the shocked state: 1 for USD; a USD stablecoin at par (or its
 * `account.indices` price) times its shock (a de-peg); otherwise the index of that coin (from any position on
 * it, else `account.indices`) times its spot shock.
 * @throws MarginInputError for a coin with no index.
 */
export function usdPriceResolver(account: MarginAccount, shock: MarketShock): (currency: string) => number {
  const base = new Map<string, number>()
  for (const [c, v] of Object.entries(account.indices ?? {})) base.set(c.toUpperCase(), v)
  for (const p of account.positions) base.set(p.instrument.underlying.toUpperCase(), p.market.index)
  // Each currency priced once per state (every position asks for its settlement and the margin currency).
  const priced = new Map<string, number>()
  return (currency: string) => {
    const known = priced.get(currency)
    if (known !== undefined) return known
    const c = currency.toUpperCase()
    let usd: number
    if (c === NUMERAIRE) usd = 1
    else {
      const f = 1 + (shock.spot?.[currency] ?? shock.spot?.[c] ?? 0)
      if (isStablecoin(c)) usd = (base.get(c) ?? 1) * f
      else {
        const idx = base.get(c)
        if (idx === undefined || !(idx > 0)) throw new MarginInputError(`no USD index for ${currency}`)
        usd = idx * f
      }
    }
    priced.set(currency, usd)
    return usd
  }
}

/**
 * An account's cross totals at a market state, without the per-position rows: what revalueAccount computes before
 * it assembles them (its first half). The liquidation solver (liquidation.ts) needs only equity, MM and fee at most
 * of the prices it scans, and builds the rows (accountValuationOf) only where it stops.
 */
export interface AccountTotals {
  marginCurrency: string
  /** USD per unit of margin currency at this state. */
  marginCurrencyUsd: number
  collateralValue: number
  /** Cross equity, IM, MM and reserved liquidation fee (margin currency). */
  equity: number
  initialMargin: number
  maintenanceMargin: number
  liquidationFee: number
  portfolioDetail: unknown
  /** Every position revalued, in account order, and the requirement of each one the rule gave one (isolated positions always). */
  valued: ValuedPosition[]
  requirements: Map<ValuedPosition, Requirement>
  approximations: string[]
}

/**
 * The totals of revalueAccount (equity, IM, MM, fee), every requirement computed and every error thrown as it does.
 * @throws as revalueAccount
 */
export function accountTotals(account: MarginAccount, rule: MarginRule, shock: MarketShock = {}): AccountTotals {
  const usd = usdPriceResolver(account, shock)
  const mc = account.marginCurrency
  const marginUsd = usd(mc)
  let collateralValue = 0
  for (const c of account.collateral) {
    if (c.currency.toUpperCase() === mc.toUpperCase()) collateralValue += c.amount
    else {
      const haircut = c.amount > 0 ? (c.haircut ?? 0) : 0
      collateralValue += (c.amount * usd(c.currency) * (1 - haircut)) / marginUsd
    }
  }
  const valued = account.positions.map((p) => valuePosition(p, shock, usd, mc))
  const cross = valued.filter((v) => v.position.isolatedMargin === undefined)
  let equity = collateralValue
  for (const v of cross) equity += v.equityContribution * v.toMargin

  const requirements = new Map<ValuedPosition, Requirement>()
  const needPosition = (v: ValuedPosition): Requirement => {
    if (!rule.position) throw new MarginInputError(`rule ${rule.id} has no per-position requirement (${v.position.id})`)
    const r = rule.position(v)
    requirements.set(v, r)
    return r
  }
  let initialMargin = 0
  let maintenanceMargin = 0
  let liquidationFee = 0
  let portfolioDetail: unknown
  if (rule.portfolio) {
    const r = rule.portfolio(cross, account, shock)
    initialMargin = r.initialMargin
    maintenanceMargin = r.maintenanceMargin
    liquidationFee = r.liquidationFee
    portfolioDetail = r.detail
  } else {
    for (const v of cross) {
      const r = needPosition(v)
      initialMargin += r.initialMargin * v.toMargin
      maintenanceMargin += r.maintenanceMargin * v.toMargin
      liquidationFee += r.liquidationFee * v.toMargin
    }
  }
  // Isolated positions are margined alone, after the cross part (the order revalueAccount has always thrown in).
  for (const v of valued) if (v.position.isolatedMargin !== undefined) needPosition(v)
  return {
    marginCurrency: mc,
    marginCurrencyUsd: marginUsd,
    collateralValue,
    equity,
    initialMargin,
    maintenanceMargin,
    liquidationFee,
    portfolioDetail,
    valued,
    requirements,
    approximations: rule.approximations,
  }
}

/** The account valuation of its totals (accountTotals): per-position rows, margin ratio, available balance, shortfall. */
export function accountValuationOf(t: AccountTotals): AccountValuation {
  const { equity, maintenanceMargin, liquidationFee, marginCurrencyUsd: marginUsd } = t
  let isolatedEquity = 0
  const positions: PositionValuation[] = t.valued.map((v) => {
    const isolated = v.position.isolatedMargin !== undefined
    const r = t.requirements.get(v)
    const row: PositionValuation = {
      id: v.position.id,
      instrument: v.position.instrument.name,
      isolated,
      mark: v.mark,
      unrealizedPnl: v.unrealizedPnl,
      equityContribution: v.equityContribution * v.toMargin,
      notionalUsd: v.notionalUsd,
      deltaCoin: v.deltaCoin,
      initialMargin: r ? r.initialMargin * v.toMargin : null,
      maintenanceMargin: r ? r.maintenanceMargin * v.toMargin : null,
      liquidationFee: r ? r.liquidationFee * v.toMargin : null,
      isolatedEquity: null,
      isolatedMarginRatio: null,
    }
    if (isolated && r) {
      const eq = v.position.isolatedMargin! + v.equityContribution * v.toMargin
      row.isolatedEquity = eq
      row.isolatedMarginRatio = marginRatioOf(eq, (r.maintenanceMargin + r.liquidationFee) * v.toMargin)
      isolatedEquity += eq
    }
    return row
  })
  const marginRatio = marginRatioOf(equity, maintenanceMargin + liquidationFee)
  const shortfall = Math.max(-equity, 0)
  const result: AccountValuation = {
    marginCurrency: t.marginCurrency,
    marginCurrencyUsd: marginUsd,
    collateralValue: t.collateralValue,
    equity,
    equityUsd: equity * marginUsd,
    initialMargin: t.initialMargin,
    maintenanceMargin,
    liquidationFee,
    marginRatio,
    availableBalance: equity - t.initialMargin,
    liquidated: marginRatio >= 1,
    shortfall,
    shortfallUsd: shortfall * marginUsd,
    isolatedEquity,
    positions,
    approximations: t.approximations,
  }
  if (t.portfolioDetail !== undefined) result.portfolioDetail = t.portfolioDetail
  return result
}

/**
 * Revalues an account under a rule at a market state (default: the current one).
 * @returns equity, IM, MM, margin ratio, available balance, shortfall and per-position figures, in the
 *   margin currency (and USD where named)
 * @throws MarginInputError for unsupported positions, missing indices, or a rule lacking the method the
 *   account needs (`position` for isolated positions or a rule without `portfolio`).
 */
export function revalueAccount(account: MarginAccount, rule: MarginRule, shock: MarketShock = {}): AccountValuation {
  return accountValuationOf(accountTotals(account, rule, shock))
}

/** (MM + fee) ÷ equity with the edge cases of `AccountValuation.marginRatio`. */
export function marginRatioOf(equity: number, requirement: number): number {
  if (requirement <= 0) return equity < 0 ? Infinity : 0
  return equity > 0 ? requirement / equity : Infinity
}

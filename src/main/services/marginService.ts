/**
 * Margin use cases (issue 6): the account view (`marginReport`), margin under every scenario of a stress set
 * (`marginUnderStress`), per-account margin settings, and the venue parameter document. The accounts come
 * from marginBook.ts; the figures from the domain (src/main/domain/margin): revalueAccount for equity, IM,
 * MM, margin ratio and available balance; the numeric solvers for cross and isolated liquidation and
 * bankruptcy prices; marketShockFromScenario for stress scenarios resolved exactly as the stress engine
 * resolves them (spot per underlying by the beta table, vol shock incl. relative and term-scaled, time).
 *
 * Money leaves as decimal strings rounded half-up (coins 8 places, USD stablecoins 6, USD equivalents 2);
 * prices as float64 numbers (so a caller can revalue at a reported liquidation price exactly); a figure
 * that needs an input the book lacks is null, with the reason in the account's `unknown`.
 */
import Decimal from 'decimal.js'
import type { PositionRow } from '../../shared/api'
import {
  marginAccountSettings,
  marginStressRequest,
  saveMarginSettingsRequest,
  type LiquidationLevels,
  type MarginAccountReport,
  type MarginReport,
  type MarginRequestParsed,
  type MarginSettingsEntry,
  type MarginSettingsList,
  type MarginStressCell,
  type MarginStressRequestParsed,
  type MarginStressResult,
  type SaveMarginSettingsRequest,
  type ThresholdPoint,
} from '../../shared/marginApi'
import type { Db } from '../db/database'
import { listPriceSeries, priceCloses } from '../db/priceStore'
import { findPortfolio } from '../db/bookStore'
import { writeMarginSettings } from '../db/marginSettingsStore'
import {
  AccountPricePath,
  bankruptcyPrices,
  builtInMarginParamsDocument,
  crossLiquidationPrices,
  describeVolShock,
  distanceToLiquidation,
  isolatedLiquidationPrices,
  isUsdLike,
  marginUnderScenarios,
  ORACLE_VENUES_AS_OF,
  marketShockFromScenario,
  revalueAccount,
  toMoneyString,
  type AccountValuation,
  type LiquidationPoint,
  type LiquidationPrices,
  type MarginRule,
  type ShockOption,
} from '../domain/margin/index'
import { resolveScenarioShock } from '../domain/stress/betaTable'
import { MS_PER_DAY } from '../domain/time'
import { liquidityRow, type LiquidityTable } from '../domain/stress/liquidityTable'
import { buildMarginBook, defaultMarginRule, type MarginBook, type MarginBookAccount, type MarginScope } from './marginBook'
import { loadStressSettings, resolveScenarioSet, smileProvider } from './stressService'
import type { ExtraLine } from './valuationService'
import { isStablecoin, NUMERAIRE } from '../../shared/currencies'

/** Decimal places of money in a currency: 6 for USD stablecoins (Deribit USDC precision), 8 for coins. */
export function moneyDecimals(currency: string): number {
  return isUsdLike(currency) ? 6 : 8
}
const inCcy = (x: number, ccy: string) => toMoneyString(x, moneyDecimals(ccy))
const usd = (x: number) => toMoneyString(x, 2)

/** A daily volatility and where it comes from. */
export interface DailyVol {
  /** Decimal (0.0307 = 3.07 % per day). */
  value: number
  source: string
}

/** Daily log returns in a history σ: one year of daily closes ending on the valuation date. */
const HISTORY_RETURNS = 365
/** Fewest returns `auto` accepts for a history σ. */
const MIN_HISTORY_RETURNS = 60
/** A history σ needs a close within this many days before the valuation instant. */
const MAX_HISTORY_LAG_DAYS = 3

/**
 * The daily σ of an underlying for distances to liquidation, as of the valuation time.
 *  - `history`: sample σ of the last (up to) 365 daily log returns of the stored daily closes of the
 *    underlying known at the valuation instant — a daily close counts once its day has ended (a close dated
 *    D, the candle opening at D 00:00 UTC, is known from D+1 00:00 UTC) — from the series with most closes
 *    in that window; the window must reach within 3 days of the valuation instant;
 *  - `liquidity`: the liquidity table's daily vol (stress settings; defaults dated and sourced in
 *    liquidityTable.ts), the `*` row for an underlying without its own (said so);
 *  - `auto`: history when ≥ 60 such returns exist, else liquidity.
 * When the valuation time is unknown (nothing valued) the stored history is read up to its end. The `source`
 * sentence names which was used and why history was not.
 */
export function dailyVolOf(db: Db, underlying: string, mode: 'auto' | 'liquidity' | 'history', liquidity: LiquidityTable, valuationMs: number | null): DailyVol {
  let why = ''
  if (mode !== 'liquidity') {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
    const known = (ts: number) => valuationMs === null || ts + MS_PER_DAY <= valuationMs
    const candidates = listPriceSeries(db, underlying)
      .filter((s) => s.interval === '1d')
      .map((s) => ({ s, closes: priceCloses(db, s.id).filter((c) => known(c.ts)).slice(-(HISTORY_RETURNS + 1)) }))
      .sort((a, b) => b.closes.length - a.closes.length || b.s.lastTs - a.s.lastTs)
    const best = candidates[0]
    const need = mode === 'auto' ? MIN_HISTORY_RETURNS : 1
    if (!best || best.closes.length === 0) why = ` (no stored daily closes of ${underlying}${valuationMs !== null && candidates.length > 0 ? ` before the valuation date ${day(valuationMs)}` : ''})`
    else if (valuationMs !== null && best.closes.at(-1)!.ts + MS_PER_DAY < valuationMs - MAX_HISTORY_LAG_DAYS * MS_PER_DAY)
      why = ` (the stored ${underlying} closes end ${day(best.closes.at(-1)!.ts)}, more than ${MAX_HISTORY_LAG_DAYS} days before the valuation date ${day(valuationMs)})`
    else if (best.closes.length - 1 < need) why = ` (only ${Math.max(best.closes.length - 1, 0)} daily returns of ${underlying} before the valuation date; ${need} needed)`
    else {
      const closes = best.closes.map((c) => Number(c.close))
      const r: number[] = []
      for (let i = 1; i < closes.length; i++) if (closes[i]! > 0 && closes[i - 1]! > 0) r.push(Math.log(closes[i]! / closes[i - 1]!))
      const mean = r.reduce((a, b) => a + b, 0) / r.length
      const sd = r.length > 1 ? Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1)) : Math.abs(r[0]!)
      if (sd > 0)
        return {
          value: sd,
          source: `σ of ${r.length} daily log returns of the stored ${best.s.source} closes ${day(best.closes[0]!.ts)} … ${day(best.closes.at(-1)!.ts)} (price history${valuationMs === null ? '' : `, ending on the valuation date ${day(valuationMs)}`})`,
        }
    }
  }
  const { row, fallback } = liquidityRow(liquidity, underlying)
  return {
    value: row.dailyVol,
    source: fallback
      ? `liquidity table "*" row (no ${underlying} row; stress settings, as of ${liquidity.asOf})${why}`
      : `liquidity table ${underlying} row (stress settings, as of ${liquidity.asOf})${why}`,
  }
}

function point(p: LiquidationPoint | null, current: number, vol: number): ThresholdPoint | null {
  if (!p) return null
  const d = distanceToLiquidation(current, p.indexPrice, vol)
  return { indexPrice: p.indexPrice, factor: p.factor, prices: p.underlyingPrices, distancePercent: d.percent, dailySigmas: d.dailySigmas }
}

/**
 * Liquidation and bankruptcy prices of the cross part (positionId omitted) or of an isolated position along
 * one underlying, with distances. Solver failures become a `note`, never a thrown error.
 */
function levels(a: MarginBookAccount, rule: MarginRule, underlying: string, vol: DailyVol, positionId?: string): LiquidationLevels {
  let liq: LiquidationPrices | null = null
  let bk: LiquidationPrices | null = null
  const notes: string[] = []
  // Both solves scan the same price factors: each is revalued once for the two.
  const path = new AccountPricePath(a.model, rule, underlying)
  try {
    liq = positionId === undefined ? crossLiquidationPrices(a.model, rule, underlying, { path }) : isolatedLiquidationPrices(a.model, rule, positionId, { path })
  } catch (e) {
    notes.push(`liquidation price: ${(e as Error).message}`)
  }
  try {
    bk = bankruptcyPrices(a.model, rule, underlying, positionId, { path })
  } catch (e) {
    notes.push(`bankruptcy price: ${(e as Error).message}`)
  }
  const index = liq?.indexPrice ?? bk?.indexPrice ?? a.model.positions.find((p) => p.instrument.underlying === underlying)!.market.index
  return {
    underlying,
    scope: positionId ?? 'cross',
    indexPrice: index,
    dailyVol: vol.value,
    dailyVolSource: vol.source,
    alreadyBreached: liq?.alreadyBreached ?? false,
    below: point(liq?.below ?? null, index, vol.value),
    above: point(liq?.above ?? null, index, vol.value),
    bankruptcyBelow: bk?.alreadyBreached ? null : point(bk?.below ?? null, index, vol.value),
    bankruptcyAbove: bk?.alreadyBreached ? null : point(bk?.above ?? null, index, vol.value),
    note: notes.length > 0 ? notes.join('; ') : null,
  }
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null)

function accountReport(a: MarginBookAccount, vols: (u: string) => DailyVol): Omit<MarginAccountReport, 'spanScanRisk'> {
  const base: Omit<MarginAccountReport, 'spanScanRisk'> = {
    key: a.key,
    venue: a.venue,
    account: a.account,
    marginCurrency: a.marginCurrency,
    rule: a.resolved && a.ruleId ? { id: a.resolved.rule.id, label: a.resolved.rule.label, source: a.ruleSource } : null,
    tables: (a.resolved?.tables ?? []).map((t) => ({
      id: t.tableId,
      asOf: t.asOf,
      dateBasis: t.dateBasis,
      sources: t.sources,
      note: t.note ?? null,
      beforeFirstEntry: t.beforeFirstEntry,
    })),
    status: 'error',
    error: a.error,
    marginCurrencyUsd: null,
    collateral: a.collateral.map((c) => ({ currency: c.currency, amount: c.amount, counted: c.counted, haircut: c.haircut, value: null, usdPrice: null, note: c.note })),
    collateralValue: null,
    equity: null,
    equityUsd: null,
    initialMargin: null,
    maintenanceMargin: null,
    liquidationFee: null,
    marginRatio: null,
    availableBalance: null,
    liquidated: null,
    isolatedEquity: null,
    unknown: [...a.unknown],
    positions: [],
    liquidation: [],
    approximations: a.resolved?.rule.approximations ?? [],
    assumptions: [...a.assumptions],
  }
  if (a.error !== null || !a.resolved) return base
  const rule = a.resolved.rule
  let v: AccountValuation
  try {
    v = revalueAccount(a.model, rule)
  } catch (e) {
    return { ...base, error: (e as Error).message }
  }
  const mc = a.marginCurrency
  const known = a.collateralKnown
  const imKnown = a.imUnknownFor.length === 0
  const usdOf = (c: string): number | null => {
    if (isUsdLike(c)) return 1
    const p = a.model.positions.find((x) => x.instrument.underlying.toUpperCase() === c)
    return p?.market.index ?? a.model.indices?.[c] ?? null
  }
  const byRow = new Map(v.positions.map((r) => [r.id, r]))
  const positions = a.positions.map((p) => {
    const r = byRow.get(p.id)!
    const row: PositionRow = p.row
    const ins = p.model.instrument
    const settlementCurrency = ins.settlement === 'inverse' ? ins.underlying : mc
    const imUnknown = a.imUnknownFor.includes(p.id)
    let liquidation: LiquidationLevels | null = null
    // An isolated position stands on its own margin: its prices need no cross collateral.
    if (r.isolated) liquidation = levels(a, rule, ins.underlying, vols(ins.underlying), p.id)
    return {
      id: p.id,
      instrument: row.instrument,
      underlying: ins.underlying,
      kind: ins.kind,
      settlement: ins.settlement,
      quantity: row.quantity,
      quantityUnit: row.quantityUnit,
      entryPrice: row.entryPrice!,
      mark: r.mark,
      isolated: r.isolated,
      leverage: p.model.leverage ?? null,
      leverageSource: p.leverageSource,
      unrealizedPnl: inCcy(r.unrealizedPnl, settlementCurrency),
      settlementCurrency,
      equityContribution: inCcy(r.equityContribution, mc),
      notionalUsd: usd(r.notionalUsd),
      deltaCoin: r.deltaCoin,
      initialMargin: r.initialMargin === null || imUnknown ? null : inCcy(r.initialMargin, mc),
      maintenanceMargin: r.maintenanceMargin === null ? null : inCcy(r.maintenanceMargin, mc),
      isolatedEquity: r.isolatedEquity === null ? null : inCcy(r.isolatedEquity, mc),
      isolatedMarginRatio: r.isolatedMarginRatio === null ? null : finite(r.isolatedMarginRatio),
      liquidation,
      venue: p.venueMargin,
    }
  })
  const crossUnderlyings = [...new Set(a.model.positions.filter((p) => p.isolatedMargin === undefined).map((p) => p.instrument.underlying))]
  const liquidation = known ? crossUnderlyings.map((u) => levels(a, rule, u, vols(u))) : []
  const report: Omit<MarginAccountReport, 'spanScanRisk'> = {
    ...base,
    status: base.unknown.length > 0 ? 'incomplete' : 'ok',
    error: null,
    marginCurrencyUsd: v.marginCurrencyUsd,
    collateral: a.collateral.map((c) => {
      const price = usdOf(c.currency)
      const value = c.counted && price !== null ? (Number(c.amount) * price * (1 - c.haircut)) / v.marginCurrencyUsd : null
      return { currency: c.currency, amount: c.amount, counted: c.counted, haircut: c.haircut, value: value === null ? null : inCcy(value, mc), usdPrice: price, note: c.note }
    }),
    collateralValue: known ? inCcy(v.collateralValue, mc) : null,
    equity: known ? inCcy(v.equity, mc) : null,
    equityUsd: known ? usd(v.equityUsd) : null,
    initialMargin: imKnown ? inCcy(v.initialMargin, mc) : null,
    maintenanceMargin: inCcy(v.maintenanceMargin, mc),
    liquidationFee: inCcy(v.liquidationFee, mc),
    marginRatio: known ? finite(v.marginRatio) : null,
    availableBalance: known && imKnown ? inCcy(v.availableBalance, mc) : null,
    liquidated: known ? v.liquidated : null,
    isolatedEquity: inCcy(v.isolatedEquity, mc),
    positions,
    liquidation,
  }
  if (v.portfolioDetail !== undefined) report.portfolioDetail = v.portfolioDetail
  return report
}

/**
 * The account view of a portfolio: per margin account equity, IM, MM, margin ratio, available balance,
 * cross and isolated liquidation and bankruptcy prices with distances in % and daily σ, the rule and the
 * dated tables it used.
 * @throws PortfolioNotFoundError; VenueRulesError (invalid venue-rules document); ZodError (invalid request);
 *   MarginParamsError (an impossible date)
 */
/**
 * SPAN-style scanning risk per account (margin currency, decimal string): max over the 16 SPAN scenarios
 * of weight × (equity now − equity in the scenario), floored at 0 — the same scenarios and equity the
 * under-stress table uses (span16Set, CME "Components of SPAN").
 */
function spanScanRisks(db: Db, request: MarginRequestParsed, extra: readonly ExtraLine[], scope: MarginScope): Map<string, string> {
  const stress = marginUnderStress(db, marginStressRequest.parse({ portfolio: request.portfolio, asOf: request.asOf, venueRules: request.venueRules, set: 'span16' }), extra, scope)
  const out = new Map<string, string>()
  stress.accounts.forEach((a, j) => {
    const now = stress.current[j]
    if (!now) return
    let risk = new Decimal(0)
    stress.scenarios.forEach((s, k) => {
      const cell = stress.cells[k]![j]
      if (!cell) return
      const loss = new Decimal(now.equity).minus(cell.equity).times(s.weight)
      if (loss.gt(risk)) risk = loss
    })
    out.set(a.key, risk.toDecimalPlaces(moneyDecimals(a.marginCurrency)).toFixed(moneyDecimals(a.marginCurrency)))
  })
  return out
}

export function marginReport(db: Db, request: MarginRequestParsed, extra: readonly ExtraLine[] = [], scope: MarginScope = {}): MarginReport {
  const book = buildMarginBook(db, request, Date.now(), extra, scope)
  const { liquidity } = loadStressSettings(db)
  const cache = new Map<string, DailyVol>()
  const vols = (u: string) => {
    let v = cache.get(u)
    if (!v) cache.set(u, (v = dailyVolOf(db, u, request.sigma, liquidity, book.valued.valuationMs)))
    return v
  }
  const assumptions = [...book.assumptions]
  const beforeFirst = new Set<string>()
  for (const a of book.accounts) for (const t of a.resolved?.tables ?? []) if (t.beforeFirstEntry) beforeFirst.add(`${t.tableId} (earliest entry ${t.asOf})`)
  if (beforeFirst.size > 0)
    assumptions.push(`the as-of date ${book.asOf} precedes these tables, so their earliest entries were used: ${[...beforeFirst].join(', ')}`)
  const span = scope.spanScan === false ? new Map<string, string>() : spanScanRisks(db, request, extra, scope)
  return {
    portfolio: book.portfolio.name,
    valuationTime: book.valued.report.valuationTime,
    asOf: book.asOf,
    asOfBasis: book.asOfBasis,
    venueRules: book.userRules ? 'built-in + user file' : 'built-in',
    accounts: book.accounts.map((a) => ({ ...accountReport(a, vols), spanScanRisk: span.get(a.key) ?? null })),
    excluded: book.excluded,
    assumptions,
  }
}

function cellOf(a: MarginBookAccount, s: ReturnType<typeof marginUnderScenarios>[number], priced: { basis: 'market' | 'oracle'; moves: Record<string, number> }): MarginStressCell {
  const mc = a.marginCurrency
  return {
    equity: inCcy(s.equity, mc)!,
    equityUsd: usd(s.equityUsd)!,
    maintenanceMargin: inCcy(s.maintenanceMargin, mc)!,
    initialMargin: a.imUnknownFor.length > 0 || !Number.isFinite(s.initialMargin) ? null : inCcy(s.initialMargin, mc),
    marginRatio: finite(s.marginRatio),
    liquidated: s.liquidated,
    shortfall: inCcy(s.shortfall, mc)!,
    shortfallUsd: usd(s.shortfallUsd)!,
    isolatedLiquidated: s.isolatedLiquidated,
    priceBasis: priced.basis,
    priceMoves: priced.moves,
  }
}

/** Coins whose price moves an account: its positions' underlyings, its collateral and margin currency (USD stablecoins too: a de-peg moves them; USD never moves). */
function accountCoins(a: MarginBookAccount): string[] {
  const coins = new Set(a.model.positions.map((p) => p.instrument.underlying))
  for (const c of a.model.collateral) if (c.currency.toUpperCase() !== NUMERAIRE) coins.add(c.currency.toUpperCase())
  if (a.marginCurrency.toUpperCase() !== NUMERAIRE) coins.add(a.marginCurrency.toUpperCase())
  return [...coins]
}

/**
 * Margin under every scenario of a stress set: per scenario × account the post-shock equity (coin
 * collateral falls with the coin), MM, IM, margin ratio, liquidated or not, shortfall beyond equity, and
 * the isolated positions liquidated. Scenarios are resolved as the stress engine resolves them (same set
 * builder, beta table, vol shock and smiles), so an account's equity change in a scenario equals the
 * stress P&L of its positions (at marks, liquidity off). What margin does not apply (basis, funding,
 * at-expiry) is listed in `assumptions` or the scenario's `notValued`.
 * @throws as marginReport; UnknownScenarioSetError, TooManyScenariosError
 */
export function marginUnderStress(db: Db, request: MarginStressRequestParsed, extra: readonly ExtraLine[] = [], scope: MarginScope = {}): MarginStressResult {
  const book = buildMarginBook(db, request, Date.now(), extra, scope)
  const set = resolveScenarioSet(db, request)
  const { betas } = loadStressSettings(db)
  const assumptions = new Set<string>(book.assumptions)
  assumptions.add('margin is at marks: close-out (liquidity) costs of the stress engine are not part of equity')
  // Smiles for sticky-moneyness, from the same fitted surfaces as the stress engine.
  const smileOf = new Map<string, ShockOption['smile']>()
  if (set.scenarios.some((s) => s.vol.rule === 'sticky-moneyness')) {
    const notes: string[] = []
    const { smile, missing } = smileProvider(db, book.valued, notes)
    book.valued.engine.forEach((e, i) => {
      if (e.instrument.kind === 'option') smileOf.set(`${book.valued.engineRows[i]!.id}`, smile(e.instrument, e.inputs))
    })
    for (const n of notes) assumptions.add(n)
    if (missing.size > 0) assumptions.add(`sticky-moneyness: no fitted smile for ${[...missing].join(', ')}; their vols stayed sticky-strike`)
  }
  const usable = book.accounts.filter((a) => a.error === null && a.resolved !== null && a.collateralKnown)
  // Stablecoins are shown only when a scenario of the set moves them (a de-peg); otherwise a column of zeros.
  const allCoins = [...new Set(book.accounts.flatMap(accountCoins))]
    .filter((c) => !isStablecoin(c) || set.scenarios.some((sc) => resolveScenarioShock(sc, c, betas).shock !== 0))
    .sort()
  const oracleAccounts = new Set<string>()
  const notApplied = new Map<string, string[]>()
  const cells: Array<Array<MarginStressCell | null>> = set.scenarios.map(() => book.accounts.map(() => null))
  const notValued: Array<string | null> = set.scenarios.map(() => null)
  for (const [j, a] of book.accounts.entries()) {
    if (!usable.includes(a)) continue
    const coins = accountCoins(a)
    const options: ShockOption[] = a.positions
      .filter((p) => p.model.instrument.kind === 'option')
      .map((p) => ({
        underlying: p.model.instrument.underlying,
        strike: p.model.instrument.strike!,
        T: p.model.market.T!,
        forward: p.model.market.underlying,
        smile: smileOf.get(`${p.row.id}`) ?? null,
      }))
    set.scenarios.forEach((sc, k) => {
      const r = marketShockFromScenario(sc, coins, betas, options, a.venue)
      for (const s of r.assumptions) assumptions.add(s)
      if (r.venueNote !== null) oracleAccounts.add(a.key)
      for (const s of r.notApplied) notApplied.set(s.replace(/ \(.*$/, ''), [...new Set([...(notApplied.get(s.replace(/ \(.*$/, '')) ?? []), sc.name])])
      if (!r.shock) {
        notValued[k] = r.notValued
        return
      }
      try {
        cells[k]![j] = cellOf(a, marginUnderScenarios(a.model, a.resolved!.rule, [r.shock])[0]!, { basis: r.basis, moves: r.spot })
      } catch (e) {
        notValued[k] ??= `${a.key}: ${(e as Error).message}`
      }
    })
  }
  for (const [what, names] of notApplied)
    assumptions.add(`not applied to margin: ${what} in ${names.length} scenario${names.length === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`)
  if (set.scenarios.some((sc) => Object.keys(sc.stablecoins).length > 0))
    assumptions.add(
      'stablecoin de-peg: balances and margin currencies in a de-pegged stablecoin are worth its scenario value in USD; contract prices, P&L and margin requirements stay in USD, so an account margined in it loses USD equity and its margin ratio rises (venues quoting contracts in the stablecoin itself would reprice them: not modelled)',
    )
  // A scenario naming venues for its oracle lag: say so when none of the portfolio's accounts is at one of them.
  const venues = new Set(book.accounts.map((a) => a.venue.toLowerCase()))
  for (const sc of set.scenarios)
    for (const v of sc.oracle?.venues ?? [])
      if (!venues.has(v.toLowerCase())) assumptions.add(`scenario "${sc.name}": its oracle lag names venue "${v}", at which the portfolio has no margin account (no effect)`)
  if (oracleAccounts.size > 0)
    assumptions.add(
      `oracle lag: ${[...oracleAccounts].join(', ')} ${oracleAccounts.size === 1 ? 'is' : 'are'} margined and liquidated on the venue's oracle-based price (venue table as of ${ORACLE_VENUES_AS_OF}; the oracle shows the market of lagSeconds earlier along a linear move, so it has made max(0, 1 − lag ÷ duration) of the move); equity USD in those cells is at that price, while the stress P&L of the book uses the market move; the other accounts' marks follow the market`,
    )
  const current = book.accounts.map((a) => (usable.includes(a) ? cellOf(a, marginUnderScenarios(a.model, a.resolved!.rule, [{}])[0]!, { basis: 'market', moves: {} }) : null))
  return {
    portfolio: book.portfolio.name,
    valuationTime: book.valued.report.valuationTime,
    asOf: book.asOf,
    set: { name: set.name, kind: set.kind, description: set.description },
    accounts: book.accounts.map((a) => ({
      key: a.key,
      venue: a.venue,
      account: a.account,
      marginCurrency: a.marginCurrency,
      rule: a.resolved?.rule.id ?? null,
      note: a.error ?? (a.collateralKnown ? null : `no ${a.marginCurrency} balance imported: equity unknown`),
    })),
    scenarios: set.scenarios.map((sc, k) => ({
      name: sc.name,
      description: sc.description,
      spotShocks: Object.fromEntries(allCoins.map((c) => [c, resolveScenarioShock(sc, c, betas).shock])),
      volShock: describeVolShock(sc),
      days: sc.timeShiftDays,
      weight: sc.weight,
      notValued: notValued[k]!,
    })),
    grid: set.grid ? { spotShocks: set.grid.spotShocks, volShocks: set.grid.volShocks } : null,
    current,
    cells,
    assumptions: [...assumptions],
  }
}

/**
 * Every margin account of a portfolio with its default rule, stored settings and position ids.
 * @throws PortfolioNotFoundError
 */
export function marginSettingsList(db: Db, portfolio?: string): MarginSettingsList {
  const book = buildMarginBook(db, { portfolio })
  return {
    portfolio: book.portfolio.name,
    accounts: book.accounts.map((a) => ({
      key: a.key,
      venue: a.venue,
      account: a.account,
      marginCurrency: a.marginCurrency,
      defaultRule: a.defaultRule,
      settings: a.settings,
      positionIds: a.positions.map((p) => p.id),
    })),
  }
}

/**
 * Validates and stores the settings of one margin account (replacing what was stored).
 * @throws ZodError for invalid settings; UnknownAccountError when the portfolio has no such venue account
 */
export function saveMarginSettings(db: Db, input: SaveMarginSettingsRequest, now = Date.now()): MarginSettingsEntry {
  const r = saveMarginSettingsRequest.parse(input)
  const portfolio = findPortfolio(db, r.portfolio)
  const settings = marginAccountSettings.parse(r.settings)
  const ref = { venue: r.venue.toLowerCase(), account: r.account, marginCurrency: r.marginCurrency.toUpperCase() }
  writeMarginSettings(db, portfolio.id, ref, settings, now)
  const key = `${ref.venue}/${ref.account}/${ref.marginCurrency}`
  const listed = marginSettingsList(db, portfolio.name).accounts.find((a) => a.key === key)
  return listed ?? { ...ref, key, defaultRule: defaultMarginRule(ref.venue, ref.marginCurrency), settings, positionIds: [] }
}

/** The built-in venue parameter tables as an editable document (docs/margin.md, "Overriding tables"). */
export function marginParamsDocument(): ReturnType<typeof builtInMarginParamsDocument> {
  return builtInMarginParamsDocument()
}

export type { MarginBook }

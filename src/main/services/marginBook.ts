/**
 * From a portfolio's current book, balances and margin settings to margin accounts the domain can value
 * (src/main/domain/margin): one account per (venue, account, margin currency), its collateral, its
 * positions with leverage and isolated margins, and the venue rule built from the dated tables in force on
 * the as-of date. Shared by the account view, margin under stress and the cascade.
 *
 * Venue segregation (the margin currency of an account is the settlement currency of its positions):
 *  - Deribit margins each settlement currency separately (BTC, ETH inverse; USDC linear): standard margin by
 *    default, portfolio margin (S:PM) by setting;
 *  - Binance: USDⓈ-M per stablecoin (USDT, USDC) with the USDⓈ-M brackets, COIN-M per coin with the COIN-M
 *    brackets (tables filed by pair: `BTCUSD_PERP` → `binance.coinm.brackets.BTCUSD`);
 *  - Bybit linear (USDT/USDC) and inverse (per coin) by risk limits; OKX by position tiers; Hyperliquid by margin
 *    tables; dYdX v4 per subaccount (account `<address>/<subaccount number>`) by its markets' IMF/MMF.
 * Collateral: the imported balance of the margin currency (the latest balances import of the account), plus
 * the other currencies the settings name as cross-collateral, at the index less their haircut. The balance
 * is read as the total wallet balance: isolated margins set on positions are taken out of it for the cross
 * wallet (Binance walletBalance − isolated = crossWalletBalance).
 *
 * Nothing is guessed silently: a missing balance, leverage, table or fee rate is recorded in the account's
 * `unknown` list (the figure is then null in the report), and every assumption in `assumptions`.
 */
import Decimal from 'decimal.js'
import type { PositionRow } from '../../shared/api'
import { isBalanceOrigin } from '../../shared/positionOrigin'
import type { VenueMarginTerms } from '../../shared/venueMargin'
import { MARGIN_RULES, type MarginAccountSettings, type MarginRuleId } from '../../shared/marginApi'
import { positionVenueMargins, type PortfolioRow } from '../db/bookStore'
import { currentBalances } from '../db/balanceStore'
import type { Db } from '../db/database'
import { listMarginSettings } from '../db/marginSettingsStore'
import {
  BYBIT_INVERSE_CLOSE_FEE_RATE,
  bybitInverseCrossBankruptcy,
  isoDateOfMs,
  collateralFromBalances,
  isUsdLike,
  marginPositionFromPosition,
  marginRuleFor,
  marginTables,
  parseMarginParamsOverride,
  type BalanceRecord,
  type MarginAccount,
  type MarginPosition,
  type MarginTables,
  type ResolvedRule,
  type VenueRuleSpec,
} from '../domain/margin/index'
import type { MarketInputs } from '../domain/valuation/marketInputs'
import { netTrade } from '../domain/trades/netTrade'
import { valueBook, type ExtraLine, type ValuedBook } from './valuationService'
import { importedTierOverride } from './importedTierTables'

/** Where a position's leverage came from: its own setting, the account's setting, the venue's snapshot, or nowhere. */
export type LeverageSource = 'position' | 'account' | 'venue file' | 'none'

export interface MarginBookPosition {
  /** Unique in the account: the instrument name; hedge mode `NAME:long` / `NAME:short`. */
  id: string
  row: PositionRow
  inputs: MarketInputs
  model: MarginPosition
  leverageSource: LeverageSource
  /** The venue's own margin terms and figures from the imported snapshot, if any. */
  venueMargin: VenueMarginTerms | null
}

export interface CollateralLine {
  currency: string
  /** Imported balance, decimal string. */
  amount: string
  counted: boolean
  haircut: number
  note: string | null
}

export interface MarginBookAccount {
  /** `venue/account/CURRENCY`. */
  key: string
  venue: string
  account: string
  marginCurrency: string
  settings: MarginAccountSettings
  defaultRule: MarginRuleId | null
  ruleId: MarginRuleId | null
  ruleSource: 'venue default' | 'settings'
  /** The rule with the table entries it used; null when no rule could be built (`error`). */
  resolved: ResolvedRule | null
  /** The account as the domain values it (collateral empty when unknown). */
  model: MarginAccount
  collateralKnown: boolean
  collateral: CollateralLine[]
  positions: MarginBookPosition[]
  /** Positions whose IM needs a leverage that is not set. */
  imUnknownFor: string[]
  unknown: string[]
  assumptions: string[]
  error: string | null
}

export interface MarginBook {
  portfolio: PortfolioRow
  valued: ValuedBook
  /** YYYY-MM-DD whose tables apply, and how it was chosen. */
  asOf: string
  asOfBasis: 'requested' | 'valuation date' | 'today'
  tables: MarginTables
  userRules: boolean
  accounts: MarginBookAccount[]
  excluded: Array<{ venue: string; account: string; instrument: string; reason: string }>
  /** USD index per coin from the book's valued positions (first seen). */
  indices: Map<string, number>
  assumptions: string[]
}

/** Thrown when a request's venue-rules document is not valid (the message names the table and field). */
export class VenueRulesError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'VenueRulesError'
  }
}

/** An account's rows before margining: report rows with their inputs and instruments (same index). */
interface AccountRows {
  marginCurrency: string
  rows: PositionRow[]
  inputs: MarketInputs[]
  instruments: ValuedBook['engine'][number]['instrument'][]
}

/**
 * Nets what-if legs (rows of origin `whatif`) into the account's position in the same instrument, as a venue
 * nets a trade into a one-way position (domain/trades/netTrade.ts: the replay's average-cost rule). A leg
 * that closes the position removes it; a leg in an instrument the account does not hold stays its own
 * position. Mutates `g`; returns the realized P&L of futures and perpetuals in the margin currency (the
 * collateral it adds), and says in `assumptions` what it netted and any realized P&L not in the margin currency
 * (not counted). An option leg realizes nothing here: the premium it pays or receives is its cash line (origin
 * `whatif-cash`, counted in the collateral by buildMarginBook), and the premium of the position it nets into was
 * paid out of the imported balance already.
 */
function netWhatIfLegs(g: AccountRows, assumptions: string[]): Decimal {
  let realized = new Decimal(0)
  for (let i = 0; i < g.rows.length; i++) {
    const leg = g.rows[i]!
    if (leg.origin !== 'whatif') continue
    const sign = leg.quantity.startsWith('-')
    const candidates = g.rows.map((r, j) => ({ r, j })).filter(({ r, j }) => j < i && r.instrument === leg.instrument)
    const target = candidates.find(({ r }) => r.quantity.startsWith('-') === sign) ?? candidates[0]
    if (!target) continue
    const result = netTrade(g.instruments[i]!, { quantity: target.r.quantity, price: target.r.entryPrice! }, { quantity: leg.quantity, price: leg.entryPrice! })
    if (g.instruments[i]!.kind === 'option') result.realizedPnl = '0'
    const currency = result.pnlCurrency.toUpperCase()
    if (currency === g.marginCurrency) realized = realized.plus(result.realizedPnl)
    else if (!new Decimal(result.realizedPnl).isZero())
      assumptions.push(`what-if leg ${leg.id} realizes ${result.realizedPnl} ${currency} on ${leg.instrument}, not in the margin currency ${g.marginCurrency}: not counted in collateral`)
    assumptions.push(
      `what-if leg ${leg.id} (${leg.quantity} ${leg.instrument}) netted into the account's position of ${target.r.quantity}: now ${result.quantity}` +
        (result.averageEntry === null ? ' (closed)' : ` at an average entry of ${result.averageEntry}`) +
        (new Decimal(result.realizedPnl).isZero() ? '' : `, realizing ${result.realizedPnl} ${currency}`),
    )
    if (result.averageEntry === null) {
      for (const k of [i, target.j].sort((a, b) => b - a)) {
        g.rows.splice(k, 1)
        g.inputs.splice(k, 1)
        g.instruments.splice(k, 1)
      }
      i -= 2
    } else {
      g.rows[target.j] = { ...target.r, quantity: result.quantity, entryPrice: result.averageEntry }
      g.rows.splice(i, 1)
      g.inputs.splice(i, 1)
      g.instruments.splice(i, 1)
      i -= 1
    }
  }
  return realized
}

/** The rule a venue and settlement give by default; null for a venue without a margin model. */
export function defaultMarginRule(venue: string, marginCurrency: string): MarginRuleId | null {
  switch (venue) {
    case 'deribit':
      return 'deribit-standard'
    case 'binance':
      return isUsdLike(marginCurrency) ? 'binance-usdm' : 'binance-coinm'
    case 'bybit':
      return 'bybit'
    case 'okx':
      return 'okx'
    case 'hyperliquid':
      return 'hyperliquid'
    case 'dydx':
      return 'dydx'
    default:
      return null
  }
}

/** Venues whose IM is notional ÷ the leverage a user picked. */
const LEVERAGE_VENUE_RULES: ReadonlySet<MarginRuleId> = new Set(['binance-usdm', 'binance-coinm', 'bybit', 'okx', 'hyperliquid'])

/** Table family prefix per rule, for the symbol fallbacks below. */
function tableSymbol(ruleId: MarginRuleId, name: string, tables: MarginTables, notes: string[]): string {
  const family =
    ruleId === 'binance-usdm' ? 'binance.usdm.brackets.' : ruleId === 'binance-coinm' ? 'binance.coinm.brackets.' : ruleId === 'okx' ? 'okx.swap.tiers.' : null
  if (family === null || tables[family + name]) return name
  // COIN-M brackets are filed by pair (BTCUSD_PERP, BTCUSD_250627 → BTCUSD); a dated USDⓈ-M future without a
  // table of its own falls back to its perpetual's (stated); OKX futures to their swap's tiers (stated).
  const candidate =
    ruleId === 'binance-coinm'
      ? name.split('_')[0]!
      : ruleId === 'binance-usdm'
        ? name.split('_')[0]!
        : name.replace(/-\d{6}$/, '-SWAP')
  if (candidate !== name && tables[family + candidate]) {
    if (ruleId !== 'binance-coinm') notes.push(`${name} margined with the table of ${candidate} (${family}${candidate}): no table of its own`)
    return candidate
  }
  return name
}

function ruleSpec(ruleId: MarginRuleId, acct: { marginCurrency: string; names: string[]; settings: MarginAccountSettings; model: MarginAccount; venueMaxLeverage?: Record<string, number> }, tables: MarginTables, notes: string[], unknown: string[]): VenueRuleSpec {
  const tableSymbols = (id: MarginRuleId) => Object.fromEntries(acct.names.map((n) => [n, tableSymbol(id, n, tables, notes)]))
  switch (ruleId) {
    case 'deribit-standard':
      return { venue: 'deribit', mode: 'standard' }
    case 'deribit-portfolio':
      return { venue: 'deribit', mode: 'portfolio', currency: acct.marginCurrency }
    case 'binance-usdm':
    case 'binance-coinm':
      return { venue: 'binance', kind: ruleId === 'binance-usdm' ? 'usdm' : 'coinm', symbols: acct.names, tableSymbols: tableSymbols(ruleId) }
    case 'bybit': {
      const spec: Extract<VenueRuleSpec, { venue: 'bybit' }> = { venue: 'bybit', symbols: acct.names, settlement: isUsdLike(acct.marginCurrency) ? 'linear' : 'inverse' }
      if (acct.settings.bybitInverseFormula) spec.inverseFormula = acct.settings.bybitInverseFormula
      if (spec.settlement === 'inverse') {
        // Bybit's inverse cross formulas reserve the fee to close at the bankruptcy price (bybit.ts).
        const taker = acct.settings.takerFeeRate ?? BYBIT_INVERSE_CLOSE_FEE_RATE
        if (acct.settings.takerFeeRate === undefined)
          notes.push(`fee to close at the bankruptcy price: Bybit's published inverse taker rate ${BYBIT_INVERSE_CLOSE_FEE_RATE} (set the account's own with riskdesk margin-settings set KEY --taker-fee RATE)`)
        spec.inverseCrossFee = { takerFeeRate: taker, bankruptcyPrice: bybitInverseCrossBankruptcy(acct.model, taker) }
      }
      return spec
    }
    case 'okx': {
      if (acct.settings.takerFeeRate === undefined)
        unknown.push('liquidation fee: no OKX taker fee rate set, so the threshold counts MM only (riskdesk margin-settings set KEY --taker-fee RATE)')
      return { venue: 'okx', instruments: acct.names, takerFeeRate: acct.settings.takerFeeRate ?? 0, tableSymbols: tableSymbols(ruleId) }
    }
    case 'hyperliquid': {
      const fileMaxLeverage: Record<string, number> = {}
      for (const n of acct.names) {
        const max = acct.venueMaxLeverage?.[n]
        if (tables[`hyperliquid.marginTables.${n}`] !== undefined || max === undefined) continue
        fileMaxLeverage[n] = max
        notes.push(`${n}: no Hyperliquid margin table, so one tier at the venue file's maxLeverage ${max} (MM rate ${1 / (2 * max)}, no deductions above it)`)
      }
      return { venue: 'hyperliquid', coins: acct.names, fileMaxLeverage }
    }
    case 'dydx':
      // Each subaccount is its own cross-margin account (an isolated position lives in a child subaccount).
      return { venue: 'dydx', markets: acct.names }
  }
}

/** Position ids: the instrument name, or `NAME:long`/`NAME:short` where an account holds both sides (hedge mode). */
function positionIds(rows: PositionRow[]): string[] {
  const count = new Map<string, number>()
  for (const r of rows) count.set(r.instrument, (count.get(r.instrument) ?? 0) + 1)
  const ids = rows.map((r) => (count.get(r.instrument)! > 1 ? `${r.instrument}:${r.quantity.startsWith('-') ? 'short' : 'long'}` : r.instrument))
  const seen = new Map<string, number>()
  for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1)
  return ids.map((id, i) => (seen.get(id)! > 1 ? `${id}#${rows[i]!.id}` : id))
}

/**
 * What a margin computation may be narrowed to (the what-if recomputes only the accounts its legs trade in):
 * `valued` the book already valued with the same selector and extra lines (valueBook), `accounts` the
 * `venue/account` pairs to keep (every margin currency of each).
 */
export interface MarginScope {
  valued?: ValuedBook
  accounts?: ReadonlySet<string>
  /** marginReport: false leaves out the SPAN-16 scanning risk (null), for callers that do not show it. */
  spanScan?: boolean
}

/**
 * The portfolio's margin accounts with their rules, valued against the book's market snapshot.
 * @param request.asOf the valuation as-of (valuationAsOf.ts): which market data, and the date whose venue
 *   tables apply; default the book's own time, with the tables of its valuation date (today when nothing is
 *   valued)
 * @param request.venueRules a user's venue-rules document (docs/margin.md), validated here
 * @param extra what-if legs (valuationService.ts ExtraLine): valued with the book, and netted into the account's
 *   position in the same instrument as the venue would net the trade (netWhatIfLegs)
 * @param scope a valuation to reuse and the accounts to keep (MarginScope)
 * @throws PortfolioNotFoundError; ValuationAsOfError for an unreadable or future as-of; VenueRulesError for an
 *   invalid venue-rules document
 */
export function buildMarginBook(
  db: Db,
  request: { portfolio?: string | undefined; asOf?: string | undefined; venueRules?: unknown },
  now = Date.now(),
  extra: readonly ExtraLine[] = [],
  scope: MarginScope = {},
): MarginBook {
  const valued = scope.valued ?? valueBook(db, { portfolio: request.portfolio, asOf: request.asOf }, now, extra)
  let tables: MarginTables
  try {
    tables = marginTables(importedTierOverride(db), request.venueRules === undefined ? undefined : parseMarginParamsOverride(request.venueRules))
  } catch (e) {
    throw new VenueRulesError((e as Error).message)
  }
  const valuationDate = valued.report.valuationTime?.slice(0, 10)
  const requested = valued.report.market.rule === 'requested' ? isoDateOfMs(valued.scope.cutoffMs) : undefined
  const asOf = requested ?? valuationDate ?? new Date(now).toISOString().slice(0, 10)
  const asOfBasis = requested ? 'requested' : valuationDate ? 'valuation date' : 'today'
  const indices = new Map<string, number>([...valued.indices].map(([u, x]) => [u, x.price]))

  const excluded: MarginBook['excluded'] = []
  const groups = new Map<string, { venue: string; account: string; marginCurrency: string; rows: PositionRow[]; inputs: MarketInputs[]; instruments: ValuedBook['engine'][number]['instrument'][] }>()
  // What-if cash (an option leg's premium, a spot leg's price) and the coin a spot leg buys change the account's
  // balances: added to its imported balances below.
  const legBalances = new Map<string, Array<{ currency: string; amount: string; what: string }>>()
  for (const r of valued.report.positions) {
    const spotLeg = r.origin === 'whatif' && r.kind === 'spot'
    if (r.error !== null || (r.origin !== 'whatif-cash' && !spotLeg)) continue
    const what = spotLeg ? `what-if leg ${r.id} (${r.quantity} ${r.instrument} at ${r.entryPrice}): the ${r.underlying} ${r.quantity.startsWith('-') ? 'sold' : 'bought'}` : (r.cashNote ?? `what-if leg ${r.id}'s cash`)
    const key = `${r.venue}/${r.account}`
    legBalances.set(key, [...(legBalances.get(key) ?? []), { currency: r.underlying.toUpperCase(), amount: r.quantity, what }])
  }
  valued.engineRows.forEach((row, i) => {
    const e = valued.engine[i]!
    // Balances are collateral, read below from the balance store (and a what-if's cash, legBalances).
    if (isBalanceOrigin(row.origin) || (row.origin === 'whatif' && e.instrument.kind === 'spot')) return
    if (e.instrument.kind === 'spot') {
      excluded.push({ venue: row.venue, account: row.account, instrument: row.instrument, reason: 'spot holdings are not margined: import them as balances to count them as collateral' })
      return
    }
    const marginCurrency = e.instrument.settlementCurrency.toUpperCase()
    const key = `${row.venue}/${row.account}/${marginCurrency}`
    const g = groups.get(key) ?? { venue: row.venue, account: row.account, marginCurrency, rows: [], inputs: [], instruments: [] }
    g.rows.push(row)
    g.inputs.push(e.inputs)
    g.instruments.push(e.instrument)
    groups.set(key, g)
  })
  const notValued = valued.report.positions.filter((r) => r.error !== null && !isBalanceOrigin(r.origin))
  for (const r of notValued) excluded.push({ venue: r.venue, account: r.account, instrument: r.instrument, reason: `not valued: ${r.error}` })

  const stored = new Map(listMarginSettings(db, valued.portfolio.id).map((s) => [`${s.venue}/${s.account}/${s.marginCurrency}`, s.settings]))
  const venueMargins = positionVenueMargins(db, valued.engineRows.filter((r) => r.origin === 'position').map((r) => r.id))
  const balances = currentBalances(db, valued.portfolio.id)
  const accounts: MarginBookAccount[] = []

  for (const [key, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const settings: MarginAccountSettings = stored.get(key) ?? { positions: {} }
    const unknown: string[] = []
    const assumptions: string[] = []
    const realizedByLegs = netWhatIfLegs(g, assumptions)
    const defaultRule = defaultMarginRule(g.venue, g.marginCurrency)
    const ruleId = settings.rule ?? defaultRule
    const ruleSource = settings.rule ? 'settings' : 'venue default'
    for (const r of notValued.filter((x) => x.venue === g.venue && x.account === g.account))
      unknown.push(`${r.instrument} could not be valued (${r.error}) and is left out: the account's figures omit it`)

    // Positions, with leverage and isolated margin from the settings, else from the venue's own snapshot
    // (leverage only where the venue's IM is notional ÷ leverage; Deribit's figure is an effective one).
    const ids = positionIds(g.rows)
    const leverageVenue = ruleId !== null && LEVERAGE_VENUE_RULES.has(ruleId)
    let isolatedTotal = new Decimal(0)
    const positions: MarginBookPosition[] = g.rows.map((row, i) => {
      const id = ids[i]!
      const inputs = g.inputs[i]!
      const instrument = g.instruments[i]!
      const own = settings.positions[id]
      const venue = venueMargins.get(row.id) ?? null
      const venueLeverage = leverageVenue ? (venue?.leverage ?? undefined) : undefined
      const leverage = own?.leverage ?? settings.leverage ?? venueLeverage
      const leverageSource: LeverageSource =
        own?.leverage !== undefined ? 'position' : settings.leverage !== undefined ? 'account' : venueLeverage !== undefined ? 'venue file' : 'none'
      let isolatedMargin = own?.isolatedMargin
      if (isolatedMargin === undefined && venue?.mode === 'isolated') {
        if (venue.isolatedMargin !== null && venue.currency.toUpperCase() === g.marginCurrency) {
          isolatedMargin = venue.isolatedMargin
          assumptions.push(`${id} is isolated at the venue with ${venue.isolatedMargin} ${venue.currency} of margin (${venue.source})`)
        } else
          unknown.push(
            `${id} is isolated at the venue but its isolated margin is not known (${venue.source}): it is margined as cross until set (riskdesk margin-settings set ${key} --position ${id} --isolated-margin AMOUNT)`,
          )
      }
      const opts: Parameters<typeof marginPositionFromPosition>[2] = { id }
      if (leverage !== undefined) opts.leverage = leverage
      if (isolatedMargin !== undefined) {
        opts.isolatedMargin = isolatedMargin
        isolatedTotal = isolatedTotal.plus(isolatedMargin)
      }
      const model = marginPositionFromPosition(
        { venue: row.venue, account: row.account, instrument, quantity: row.quantity, entryPrice: row.entryPrice!, entryTime: null, note: null },
        inputs,
        opts,
      )
      return { id, row, inputs, model, leverageSource, venueMargin: venue }
    })
    for (const id of Object.keys(settings.positions))
      if (!positions.some((p) => p.id === id)) assumptions.push(`settings for ${id} ignored: no such position in the account now`)
    const imUnknownFor =
      ruleId !== null && LEVERAGE_VENUE_RULES.has(ruleId) ? positions.filter((p) => p.leverageSource === 'none' && p.model.isolatedMargin === undefined).map((p) => p.id) : []
    if (imUnknownFor.length > 0)
      unknown.push(
        `initial margin and available balance: no leverage set for ${imUnknownFor.join(', ')} (IM = notional ÷ leverage at this venue; riskdesk margin-settings set ${key} --leverage N)`,
      )
    if (ruleId !== null && !leverageVenue && positions.some((p) => p.leverageSource !== 'none'))
      assumptions.push(`leverage settings ignored: ${ruleId} sets IM by its own rates, not by a chosen leverage`)

    // Collateral: the margin currency's balance and the cross-collateral currencies the settings name.
    const mine = balances.filter((b) => b.venue === g.venue && b.account === g.account)
    const extra = settings.collateral ?? {}
    const collateral: CollateralLine[] = []
    const records: BalanceRecord[] = []
    const positionCoins = new Set(positions.map((p) => p.model.instrument.underlying.toUpperCase()))
    const accountIndices: Record<string, number> = {}
    const byCurrency = new Map<string, Decimal>()
    for (const b of mine) byCurrency.set(b.currency.toUpperCase(), (byCurrency.get(b.currency.toUpperCase()) ?? new Decimal(0)).plus(b.amount))
    for (const c of legBalances.get(`${g.venue}/${g.account}`) ?? []) {
      // Without an imported balance the account's collateral is unknown: a leg's cash alone is not its balance.
      if (mine.length === 0) {
        assumptions.push(`${c.what}: ${c.amount} ${c.currency} not counted (no balance imported for the account)`)
        continue
      }
      byCurrency.set(c.currency, (byCurrency.get(c.currency) ?? new Decimal(0)).plus(c.amount))
      assumptions.push(`${c.what}: ${c.amount} ${c.currency} in the account's balance`)
    }
    for (const [currency, amount] of byCurrency) {
      const isMargin = currency === g.marginCurrency
      const setting = extra[currency]
      let counted = isMargin || setting !== undefined
      let note: string | null = counted ? null : `not counted: not the margin currency (cross-collateral: riskdesk margin-settings set ${key} --collateral ${currency}:HAIRCUT)`
      if (counted && !isMargin && !isUsdLike(currency) && !positionCoins.has(currency)) {
        const idx = indices.get(currency)
        if (idx === undefined) {
          counted = false
          note = `not counted: no ${currency} index price in the book to value it`
        } else accountIndices[currency] = idx
      }
      const haircut = isMargin ? 0 : (setting?.haircut ?? 0)
      collateral.push({ currency, amount: amount.toFixed(), counted, haircut, note })
      if (counted) {
        const r: BalanceRecord = { currency, amount: amount.toFixed() }
        if (haircut > 0) r.haircut = String(haircut)
        records.push(r)
      }
    }
    for (const c of Object.keys(extra))
      if (!byCurrency.has(c.toUpperCase())) assumptions.push(`cross-collateral ${c} named in the settings has no imported balance`)
    const collateralKnown = records.length > 0
    if (collateralKnown && !realizedByLegs.isZero()) records.push({ currency: g.marginCurrency, amount: realizedByLegs.toFixed() })
    if (!collateralKnown)
      unknown.push(
        `equity, margin ratio, available balance and liquidation prices: no ${g.marginCurrency} balance imported for ${g.venue}/${g.account} (import a balances file: venue,account,currency,amount)`,
      )
    if (collateralKnown && !isolatedTotal.isZero()) {
      records.push({ currency: g.marginCurrency, amount: isolatedTotal.negated().toFixed() })
      assumptions.push(
        `the imported ${g.marginCurrency} balance is the total wallet balance: the isolated margins (${isolatedTotal.toFixed()} ${g.marginCurrency}) are taken out of it for the cross wallet`,
      )
    }
    if (!isUsdLike(g.marginCurrency) && !positionCoins.has(g.marginCurrency)) {
      const idx = indices.get(g.marginCurrency)
      if (idx !== undefined) accountIndices[g.marginCurrency] = idx
    }
    const model: MarginAccount = {
      venue: g.venue,
      name: g.account,
      marginCurrency: g.marginCurrency,
      collateral: collateralKnown ? collateralFromBalances(records) : [],
      positions: positions.map((p) => p.model),
    }
    if (Object.keys(accountIndices).length > 0) model.indices = accountIndices

    // The rule, from the tables in force on the as-of date.
    let resolved: ResolvedRule | null = null
    let error: string | null = null
    if (ruleId === null) error = `no margin model for venue ${g.venue} (models: ${MARGIN_RULES.join(', ')}; pick one with riskdesk margin-settings set ${key} --rule RULE)`
    else {
      if (defaultRule !== null && ruleId !== defaultRule && !(defaultRule === 'deribit-standard' && ruleId === 'deribit-portfolio'))
        assumptions.push(`rule ${ruleId} applied to a ${g.venue} account by the user's setting (the venue default is ${defaultRule})`)
      try {
        const names = [...new Set(positions.map((p) => p.model.instrument.name))]
        const venueMaxLeverage: Record<string, number> = {}
        for (const p of positions) if (p.venueMargin?.maxLeverage) venueMaxLeverage[p.model.instrument.name] = p.venueMargin.maxLeverage
        resolved = marginRuleFor(ruleSpec(ruleId, { marginCurrency: g.marginCurrency, names, settings, model, venueMaxLeverage }, tables, assumptions, unknown), tables, asOf)
      } catch (e) {
        error = (e as Error).message
      }
    }
    accounts.push({
      key,
      venue: g.venue,
      account: g.account,
      marginCurrency: g.marginCurrency,
      settings,
      defaultRule,
      ruleId,
      ruleSource,
      resolved,
      model,
      collateralKnown,
      collateral,
      positions,
      imUnknownFor,
      unknown,
      assumptions,
      error,
    })
  }
  const assumptions: string[] = []
  for (const b of balances)
    if (!accounts.some((a) => a.venue === b.venue && a.account === b.account) && !assumptions.some((s) => s.includes(`${b.venue}/${b.account}`)))
      assumptions.push(`balances of ${b.venue}/${b.account} are not shown: the account holds no margined position`)
  const kept = scope.accounts === undefined ? accounts : accounts.filter((a) => scope.accounts!.has(`${a.venue}/${a.account}`))
  return { portfolio: valued.portfolio, valued, asOf, asOfBasis, tables, userRules: request.venueRules !== undefined, accounts: kept, excluded, indices, assumptions }
}

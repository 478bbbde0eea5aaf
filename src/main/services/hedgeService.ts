/**
 * Hedge suggestion (issue 13 item 4, shared/hedgeApi.ts): legs that bring the book's (or a what-if book's)
 * Greeks into target bands at the least trading cost, as a linear programme (domain/hedge/hedgeProblem.ts)
 * solved by HiGHS (lpSolver.ts), rounded to each venue's contract size and checked again.
 *
 * - The book: valuationService.ts `valueBook` (positions, balances, and a what-if's legs as extra lines); the
 *   targets' "before" are its totals per underlying (delta, USD delta, gamma, vega) and its tenor buckets
 *   (greeksBuckets.ts), the figures `riskdesk greeks` and `whatif show` print.
 * - Candidates: every stored instrument of the allowed venues and kinds on a target's underlying that the book's
 *   market snapshot values (marketInputs.ts `resolveInputs`: options and futures need their own quote, a
 *   perpetual without one is marked at the index, said so), not expired, within the expiry and moneyness
 *   filters, at a venue where the portfolio has an account.
 * - Per unit and side: entry price as a what-if leg gets it when both sides are quoted (whatifService.ts
 *   `defaultEntryPrice`: mark ± half the spread); with one side quoted, that side's price, and the empty side
 *   is not traded (Deribit chains quote deep out-of-the-money options with offers and no bids); with no book
 *   in the quote, the mark. Greeks from the one scalar pricer (positionGreeks.ts) at that entry, delta with the
 *   premium's own (an inverse option's premium is paid in its underlying coin, tradeCash.ts); half-spread
 *   cost = the entry's P&L against the mark, or with no book the liquidity table's half spread (futures:
 *   fraction of notional; options: vol points × vega), said so; fee = the
 *   account's taker rate (margin settings) × notional, 0 when none is set, said so; linearised square-root
 *   impact (hedgeProblem.ts); size cap = `maxParticipationPct` % of the liquidity table's daily volume.
 * - After rounding, the "after" figures come from valuing the book again with the rounded legs (not from the
 *   LP's linear coefficients), and each leg's cost is taken at its rounded size, its impact exactly (not
 *   linearised) and its fee as `whatif add` would store it (whatifService.ts `legFee`).
 */
import Decimal from 'decimal.js'
import type { z } from 'zod'
import { fmt } from '../../shared/format'
import type { HedgeLeg, HedgeResult, HedgeTargetCheck, hedgeRequest } from '../../shared/hedgeApi'
import type { Instrument } from '../../shared/instrument'
import { findPortfolio, scopedQuotes } from '../db/bookStore'
import type { Db } from '../db/database'
import { listMarginSettings } from '../db/marginSettingsStore'
import { accountsOf, findWhatIfBook, instrumentsAtVenue, whatIfLegs } from '../db/whatifStore'
import { bindingConstraints, unmovableTarget, unreachableTarget, type TargetWords } from '../domain/hedge/hedgeExplain'
import { buildHedgeProgramme, linearisedImpactPerUnit, referenceUnits, sideCost, type HedgeCandidateColumns, type HedgeSide } from '../domain/hedge/hedgeProblem'
import { coarseness, lotChoices, roundHedge, withinBand, type RoundingLeg } from '../domain/hedge/hedgeRounding'
import { findContractSpec } from '../domain/instruments/contractSpecs'
import { linearCloseOutCost, liquidityRow, optionCloseOutCost, type LiquidityRow } from '../domain/stress/liquidityTable'
import { MS_PER_DAY } from '../domain/time'
import { greeksBuckets, TENOR_BUCKETS, tenorRank } from '../domain/valuation/greeksBuckets'
import { resolveInputs, type MarketInputs } from '../domain/valuation/marketInputs'
import { revalueAccount, usdPriceResolver, valuePosition, type MarginPosition } from '../domain/margin/account'
import { positionGreeks } from '../domain/valuation/positionGreeks'
import { tradeCash } from '../domain/trades/tradeCash'
import { revaluePosition } from '../domain/valuation/revaluePosition'
import { loadContractSpecs } from './contractSpecService'
import { highsRuntime, LpSession, solveLp, type LpResult } from './lpSolver'
import { buildMarginBook } from './marginBook'
import { loadStressSettings } from './stressService'
import { valueBook, type ExtraLine, type ValuedBook } from './valuationService'
import { defaultEntryPrice, legFee, whatIfLegLines } from './whatifService'

export type HedgeRequestParsed = z.infer<typeof hedgeRequest>
type Target = HedgeRequestParsed['targets'][number]

/** Thrown for a request that cannot be hedged as asked (no book to value, a portfolio/what-if mismatch). */
export class HedgeRequestError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'HedgeRequestError'
  }
}

const GREEK_WORDS = { delta: 'delta', deltaUsd: 'USD delta', gamma: 'gamma', vega: 'vega' } as const
const GREEK_DIGITS = { delta: 4, deltaUsd: 0, gamma: 6, vega: 0 } as const

interface ResolvedTarget extends TargetWords {
  target: Target & { underlying: string }
}

/** A target's value in a valued book (module comment), in the greek's unit. */
function targetValue(valued: ValuedBook, t: Target & { underlying: string }, valuationMs: number): number {
  if (t.greek === 'vega' && t.tenor !== undefined) {
    const b = greeksBuckets(valued.report.positions, 'tenor', valuationMs).find((x) => x.underlying === t.underlying && x.bucket === t.tenor)
    return b?.vegaUsd ?? 0
  }
  const tot = valued.report.totals.find((x) => x.underlying === t.underlying)
  if (!tot) return 0
  return t.greek === 'delta' ? tot.delta : t.greek === 'deltaUsd' ? tot.deltaUsd : t.greek === 'gamma' ? tot.gamma : tot.vegaUsd
}

function resolveTargets(valued: ValuedBook, targets: readonly Target[], valuationMs: number): ResolvedTarget[] {
  const largest = [...valued.report.totals].sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd))[0]?.underlying
  return targets.map((t) => {
    const underlying = (t.underlying ?? largest)?.toUpperCase()
    if (underlying === undefined) throw new HedgeRequestError('the book has no valued line: give the underlying of each target')
    const full = { ...t, underlying }
    const greekLabel = `${GREEK_WORDS[t.greek]}${t.tenor ? ` ${t.tenor}` : ''}`
    const before = targetValue(valued, full, valuationMs)
    return { target: full, label: `${underlying} ${greekLabel}`, greekLabel, underlying, before, lower: t.target - t.band, upper: t.target + t.band, digits: GREEK_DIGITS[t.greek] }
  })
}

/** One priced candidate: its instrument, account, market inputs and both sides. */
interface Candidate {
  instrument: Instrument
  account: string
  inputs: MarketInputs
  lot: string | null
  liquidity: LiquidityRow
  entry: { buy: string; sell: string }
  notionalUsd: number
  /** |delta per unit| × index, USD (options' impact basis). */
  deltaNotionalUsd: number
  columns: HedgeCandidateColumns
}

/**
 * The lot a quantity is rounded to (module comment of hedgeRounding.ts), in the instrument's quantity unit: the
 * venue's smallest order step where the contract-spec table gives one (Deribit BTC options 0.1 BTC), else one
 * contract.
 */
function lotOf(instrument: Instrument, specs: ReturnType<typeof loadContractSpecs>): string | null {
  const spec = findContractSpec(specs, instrument.venue, instrument.name, instrument.kind)
  if (spec && spec.unit === instrument.quantityUnit) return spec.minTradeAmount ?? spec.contractSize
  if (instrument.contractSizeUnit === instrument.quantityUnit && Number(instrument.contractSize) > 0) return instrument.contractSize
  return null
}

/** A side as priced for the programme, with what the service needs again after solving. */
type PricedSide = HedgeSide & { notional: number; deltaNotional: number; refUnits: number }

/**
 * The margin budget of each trading account (USD: `pct` % of its available balance in its margin currency,
 * valued at the index) and each candidate side's initial margin per unit, linearised as the venue rule's IM of
 * the leg alone at its reference size ÷ that size (domain/margin rules' `position`: Deribit standard futures
 * rates growing with size, the short-option formula, leverage tiers). Sets `marginUsd` on the sides; a side in
 * an account whose rule is a portfolio rule (Deribit S:PM) or whose IM is unknown keeps null, said so.
 */
function marginBudgets(db: Db, portfolio: string, asOf: string | undefined, now: number, extra: readonly ExtraLine[], pct: number, candidates: Candidate[], notes: string[]): Map<string, number> {
  // A zero-quantity line per trading account, so an account that holds only collateral (no position in that
  // currency yet) is in the margin book with its balance; a zero line adds nothing to any figure.
  const probes = new Map<string, ExtraLine>()
  candidates.forEach((x, i) => {
    if (!probes.has(x.columns.account)) probes.set(x.columns.account, { id: -(1_000_000 + i), venue: x.instrument.venue, account: x.account, instrument: x.instrument, quantity: '0', entryPrice: x.entry.buy })
  })
  const book = buildMarginBook(db, { portfolio, asOf }, now, [...extra, ...probes.values()])
  const budgets = new Map<string, number>()
  const skipped = new Set<string>()
  for (const key of new Set(candidates.map((x) => x.columns.account))) {
    const a = book.accounts.find((x) => x.key === key)
    const rule = a?.resolved?.rule
    if (!a || !rule || a.error !== null) {
      skipped.add(`${key} (${a?.error ?? 'no margin account: nothing held in that currency'})`)
      continue
    }
    if (!rule.position) {
      skipped.add(`${key} (${rule.label} is a portfolio rule, not linear per position)`)
      continue
    }
    let available: number
    let usdPer: (currency: string) => number
    try {
      const v = revalueAccount(a.model, rule)
      usdPer = usdPriceResolver(a.model, {})
      available = Math.max(v.availableBalance, 0) * v.marginCurrencyUsd
    } catch (e) {
      skipped.add(`${key} (${(e as Error).message})`)
      continue
    }
    if (!Number.isFinite(available)) {
      skipped.add(`${key} (its available balance is not known)`)
      continue
    }
    budgets.set(key, (pct / 100) * available)
    for (const x of candidates.filter((c) => c.columns.account === key)) {
      for (const [sign, s] of [[1, x.columns.buy], [-1, x.columns.sell]] as const) {
        const side = s as PricedSide
        const units = side.refUnits > 0 ? side.refUnits : Number(x.lot ?? 1)
        try {
          const position: MarginPosition = {
            id: x.instrument.name,
            instrument: x.instrument,
            quantity: sign * units,
            entryPrice: Number(sign > 0 ? x.entry.buy : x.entry.sell),
            market: { index: x.inputs.index, underlying: x.inputs.underlying, sigma: x.inputs.sigma, T: x.inputs.T, ...(x.instrument.kind === 'option' ? { optionMark: x.inputs.mark } : {}) },
          }
          const valued = valuePosition(position, {}, usdPer, a.marginCurrency)
          const im = rule.position(valued).initialMargin * usdPer(valued.settlementCurrency)
          side.marginUsd = Number.isFinite(im) ? im / units : null
        } catch {
          side.marginUsd = null
        }
        if (side.marginUsd === null) skipped.add(`${key}: ${x.instrument.name} (its initial margin is not known)`)
      }
    }
  }
  notes.push(`initial margin: the legs may use ${fmt(pct, 2)} % of each trading account's available balance, each leg's IM linearised at its reference size by the venue rule, taken alone (not netted with the account's positions)`)
  if (skipped.size > 0) notes.push(`no margin budget applied for ${[...skipped].join('; ')}`)
  return budgets
}

/**
 * Suggests a hedge (module comment).
 * @param now the clock, ms UTC (tests pass a fixed one)
 * @throws PortfolioNotFoundError; WhatIfNotFoundError; ValuationAsOfError; HedgeRequestError
 */
export async function suggestHedge(db: Db, request: HedgeRequestParsed, now = Date.now()): Promise<HedgeResult> {
  const highs = await highsRuntime()
  const notes: string[] = []

  // The book: a what-if's (book + its legs) or the portfolio's.
  let portfolioName = request.portfolio
  let extra: ExtraLine[] = []
  if (request.whatIf !== undefined) {
    const book = findWhatIfBook(db, request.whatIf)
    if (portfolioName !== undefined && portfolioName !== book.portfolio)
      throw new HedgeRequestError(`what-if "${book.name}" is on portfolio "${book.portfolio}", not "${portfolioName}"`)
    portfolioName = book.portfolio
    // Custom (unlisted) option legs are priced off the fitted surface, as in getWhatIf.
    const legLines = whatIfLegLines(db, book.portfolio, whatIfLegs(db, book.id), request.asOf, now)
    extra = legLines.lines
    notes.push(...legLines.notes)
  }
  const portfolio = findPortfolio(db, portfolioName)
  const valued = valueBook(db, { portfolio: portfolio.name, asOf: request.asOf }, now, extra)
  const valuationMs = valued.valuationMs ?? now
  const targets = resolveTargets(valued, request.targets, valuationMs)
  const underlyings = new Set(targets.map((t) => t.underlying))

  // Candidates.
  const c = request.candidates
  const { liquidity } = loadStressSettings(db)
  const specs = loadContractSpecs(undefined, db.name)
  const takerRates = new Map(listMarginSettings(db, portfolio.id).map((s) => [`${s.venue}/${s.account}/${s.marginCurrency}`, s.settings.takerFeeRate]))
  const accounts = accountsOf(db, portfolio.id)
  const venues = c.venues ?? [...new Set(accounts.map((a) => a.venue))]
  const wanted = c.instruments === undefined ? null : new Set(c.instruments)
  const left = new Map<string, number>()
  const leave = (why: string) => left.set(why, (left.get(why) ?? 0) + 1)
  const noFee = new Set<string>()
  const fallbackSpread = new Set<string>()
  const fallbackLiquidity = new Set<string>()
  const oneSided: string[] = []
  const indexMarked: string[] = []
  const candidates: Candidate[] = []
  const participation = request.maxParticipationPct / 100
  for (const venue of venues) {
    const allowed = c.accounts?.filter((a) => a.startsWith(`${venue}/`)).map((a) => a.slice(venue.length + 1))
    const account = allowed?.[0] ?? accounts.find((a) => a.venue === venue)?.account
    if (account === undefined) {
      notes.push(`${venue}: portfolio "${portfolio.name}" has no account there${c.accounts ? ' among --accounts' : ''}, so none of its instruments is a candidate`)
      continue
    }
    if (allowed !== undefined && allowed.length > 1) notes.push(`${venue}: legs go to the first account given, ${account}`)
    const listed = instrumentsAtVenue(db, venue).map((x) => x.instrument).filter((i) => underlyings.has(i.underlying) && c.kinds.includes(i.kind) && (wanted === null || wanted.has(i.name)))
    const quotes = scopedQuotes(db, venue, listed.map((i) => i.name), valued.scope)
    for (const instrument of listed) {
      const quote = quotes.get(instrument.name)
      const resolved = resolveInputs(instrument, { quotes: new Map(quote ? [[instrument.name, quote]] : []), indices: valued.indices })
      if (!resolved.ok) {
        leave(resolved.reason)
        continue
      }
      const m = resolved.inputs
      if (instrument.expiryMs !== null) {
        const days = (instrument.expiryMs - valuationMs) / MS_PER_DAY
        if (days <= 0) {
          leave('expired at the valuation time')
          continue
        }
        if ((c.minDays !== undefined && days < c.minDays) || (c.maxDays !== undefined && days > c.maxDays)) {
          leave('outside the days-to-expiry filter')
          continue
        }
      }
      if (instrument.kind === 'option' && (c.minMoneyness !== undefined || c.maxMoneyness !== undefined)) {
        const k = instrument.strike! / m.index
        if ((c.minMoneyness !== undefined && k < c.minMoneyness) || (c.maxMoneyness !== undefined && k > c.maxMoneyness)) {
          leave('outside the moneyness filter')
          continue
        }
      }
      if (!quote?.markPrice && instrument.kind === 'perpetual') indexMarked.push(`${venue} ${instrument.name}`)
      const { row, fallback: fallbackRow } = liquidityRow(liquidity, instrument.underlying)
      const rate = takerRates.get(`${venue}/${account}/${instrument.settlementCurrency.toUpperCase()}`)
      if (rate === undefined) noFee.add(`${venue}/${account}/${instrument.settlementCurrency.toUpperCase()}`)
      // Entry per side: with both sides quoted, mark ± half the spread (a what-if leg's default); with one side
      // only, that side's price for it (the quote shows the other side of the book empty: that side is not
      // traded); with neither (a quote that carries no book, or none), the mark, and the liquidity table's
      // half spread as the cost.
      const hasBid = quote?.bidPrice != null && quote.bidPrice > 0
      const hasAsk = quote?.askPrice != null && quote.askPrice > 0
      const twoSided = hasBid && hasAsk && quote!.askPrice! >= quote!.bidPrice!
      const bookless = !hasBid && !hasAsk
      const entryFor = (buy: boolean): string | null => {
        if (twoSided || bookless) return defaultEntryPrice(instrument.name, m.mark, m.markSource, twoSided ? quote : undefined, buy).entryPrice
        const own = buy ? (hasAsk ? quote!.askPrice : null) : hasBid ? quote!.bidPrice : null
        return own === null ? null : String(own)
      }
      const askEntry = entryFor(true)
      const bidEntry = entryFor(false)
      if (bookless) fallbackSpread.add(instrument.underlying)
      if (askEntry === null || bidEntry === null) oneSided.push(`${instrument.name} (no ${askEntry === null ? 'offers' : 'bids'})`)
      const option = instrument.kind === 'option'
      const side = (sign: 1 | -1, entry: string): PricedSide => {
        const e = Number(entry)
        const g = positionGreeks(instrument, sign, e, m)
        const r = revaluePosition(instrument, sign, e, m)
        // The premium a leg pays or receives is cash in its price currency (tradeCash.ts, valued with the leg by
        // valueBook): held in the underlying's own coin (Deribit's inverse options), it is delta too.
        const cash = tradeCash(instrument, String(sign), entry)
        const cashDelta = cash !== null && cash.currency === instrument.underlying.toUpperCase() ? Number(cash.amount) : 0
        const delta = g.delta + cashDelta
        const greeks = targets.map((t) => {
          if (t.underlying !== instrument.underlying) return 0
          switch (t.target.greek) {
            case 'delta':
              return delta
            case 'deltaUsd':
              return delta * m.index
            case 'gamma':
              return g.gamma
            case 'vega':
              if (t.target.tenor === undefined) return g.vega
              return option && TENOR_BUCKETS[tenorRank(instrument.expiryMs!, valuationMs)]?.label === t.target.tenor ? g.vega : 0
          }
        })
        // Crossing half the spread: the entry's P&L against the mark (≤ 0), else the liquidity table's half spread.
        const halfSpreadUsd = !bookless ? Math.max(-r.unrealizedPnlUsd, 0) : option ? row.optionHalfSpreadVolPoints * Math.abs(g.vega) : row.halfSpread * r.notionalUsd
        const cap = request.liquidityCaps ? (participation * (option ? row.optionsVolumeUsd : row.futuresVolumeUsd)) / r.notionalUsd : Infinity
        return { greeks, halfSpreadUsd, feeUsd: (rate ?? 0) * r.notionalUsd, impactUsd: 0, cap, marginUsd: null, notional: r.notionalUsd, deltaNotional: Math.abs(g.delta) * m.index, refUnits: 0 }
      }
      let buy: PricedSide
      let sell: PricedSide
      try {
        // An empty side of the book is priced at the mark and capped at 0.
        buy = side(1, askEntry ?? String(m.mark))
        sell = side(-1, bidEntry ?? String(m.mark))
        if (askEntry === null) buy.cap = 0
        if (bidEntry === null) sell.cap = 0
      } catch (e) {
        leave(`cannot be priced: ${(e as Error).message}`)
        continue
      }
      const bad = [buy, sell].some((x) => ![...x.greeks, x.halfSpreadUsd, x.feeUsd, x.notional, x.deltaNotional].every(Number.isFinite) || !(x.notional > 0))
      if (bad) {
        leave('a Greek, notional or cost per unit is not a finite number')
        continue
      }
      if (fallbackRow) fallbackLiquidity.add(instrument.underlying)
      for (const s of [buy, sell]) {
        s.refUnits = referenceUnits(s.greeks, targets, s.cap)
        s.impactUsd = linearisedImpactPerUnit(option ? 'option' : 'linear', s.refUnits, s.notional, s.deltaNotional, row, liquidity.impactY)
      }
      candidates.push({
        instrument,
        account,
        inputs: m,
        lot: lotOf(instrument, specs),
        liquidity: row,
        entry: { buy: askEntry ?? String(m.mark), sell: bidEntry ?? String(m.mark) },
        notionalUsd: buy.notional,
        deltaNotionalUsd: buy.deltaNotional,
        columns: { label: `${venue} ${instrument.name}`, account: `${venue}/${account}/${instrument.settlementCurrency.toUpperCase()}`, buy, sell },
      })
    }
  }
  if (wanted !== null) {
    const found = new Set(candidates.map((x) => x.instrument.name))
    const missing = [...wanted].filter((n) => !found.has(n))
    if (missing.length > 0) notes.push(`not candidates (unknown at the allowed venues, another kind or underlying, or left out below): ${missing.join(', ')}`)
  }
  for (const [why, n] of left) notes.push(`${n} instrument${n === 1 ? '' : 's'} left out: ${why}`)
  if (indexMarked.length > 0) notes.push(`${indexMarked.join(', ')}: no quote in the market snapshot, marked at the index price`)
  if (oneSided.length > 0)
    notes.push(`${oneSided.length} candidate${oneSided.length === 1 ? ' has' : 's have'} one side of the book empty in the snapshot, so only the other side is traded (at its quoted price): ${oneSided.slice(0, 8).join(', ')}${oneSided.length > 8 ? ', …' : ''}`)
  if (fallbackSpread.size > 0) notes.push(`candidates whose quote carries no bid or ask are charged the liquidity table's half spread (${[...fallbackSpread].join(', ')}); their entry price is the mark, as a what-if leg's would be`)
  if (fallbackLiquidity.size > 0) notes.push(`the liquidity table has no row for ${[...fallbackLiquidity].join(', ')}: its fallback row (*) gives their half spread, impact and size caps (stress-settings)`)
  for (const k of noFee) notes.push(`no taker fee rate set for ${k}: fees counted as 0 (riskdesk margin-settings set ${k} --taker-fee RATE)`)
  if (request.liquidityCaps) notes.push(`size caps: ${fmt(request.maxParticipationPct, 2)} % of the liquidity table's daily volume per instrument and side`)

  const budgets = request.maxMarginUsePct === undefined ? undefined : marginBudgets(db, portfolio.name, request.asOf, now, extra, request.maxMarginUsePct, candidates, notes)

  const kinds = c.kinds.join(', ')
  const base = {
    portfolio: portfolio.name,
    whatIf: request.whatIf ?? null,
    valuationTime: valued.report.valuationTime,
    candidatesConsidered: candidates.length,
    notes,
  }
  const checks = (after: readonly number[]): HedgeTargetCheck[] =>
    targets.map((t, k) => ({ label: t.label, underlying: t.underlying, greek: t.target.greek, tenor: t.target.tenor ?? null, before: t.before, after: after[k]!, lower: t.lower, upper: t.upper, met: withinBand(after[k]!, t.lower, t.upper) }))
  const infeasible = (reason: string, solveMs: number): HedgeResult => ({
    ...base,
    status: 'infeasible',
    reason,
    legs: [],
    lpCostUsd: null,
    costUsd: 0,
    targets: checks(targets.map((t) => t.before)),
    binding: [],
    solveMs,
  })

  const columns = candidates.map((x) => x.columns)
  const unmovable = unmovableTarget(targets, columns, kinds)
  if (unmovable !== null) return infeasible(unmovable, 0)
  const programme = buildHedgeProgramme(targets, columns, { maxCostUsd: request.maxCostUsd, marginBudgetUsd: budgets })
  const session = new LpSession(highs, programme)
  try {
    return solveAndRound(session)
  } finally {
    session.dispose()
  }

  function solveAndRound(session: LpSession): HedgeResult {
    const lp = session.solve()
    if (lp.status !== 'optimal') {
      let reason = unreachableTarget(targets, columns)
      if (reason === null && request.maxCostUsd !== undefined) {
        const free = solveLp(highs, buildHedgeProgramme(targets, columns, { marginBudgetUsd: budgets }))
        if (free.status === 'optimal')
          reason = `the cost cap of ${fmt(request.maxCostUsd, 2)} USD is too low: the cheapest hedge meeting the targets costs ${fmt(free.objective!, 2)} USD before rounding`
      }
      if (reason === null && budgets !== undefined) {
        const free = solveLp(highs, buildHedgeProgramme(targets, columns, { maxCostUsd: request.maxCostUsd }))
        if (free.status === 'optimal')
          reason = `the initial-margin budget (${fmt(request.maxMarginUsePct!, 2)} % of each account's available balance: ${[...budgets].map(([k, v]) => `${k} ${fmt(v, 2)} USD`).join(', ')}) is too small for any hedge meeting the targets`
      }
      reason ??=
        lp.status === 'infeasible'
          ? `the targets ${targets.map((t) => t.label).join(', ')} cannot be met together with the allowed candidates (${kinds})${request.liquidityCaps ? ' within the size caps' : ''}`
          : `the LP solver stopped without a solution (${lp.detail})`
      return infeasible(reason, lp.solveMs)
    }

    // Rounding to lots, coarsest leg first, solving again with each rounded leg fixed (hedgeRounding.ts).
    const net = (sol: LpResult, j: number) => sol.colValue[2 * j]! - sol.colValue[2 * j + 1]!
    const roundingLeg = (j: number, lpQuantity: number): RoundingLeg => {
      const x = candidates[j]!.columns
      return { lpQuantity, lot: candidates[j]!.lot, buy: { greeks: x.buy.greeks, costUsd: sideCost(x.buy) }, sell: { greeks: x.sell.greeks, costUsd: sideCost(x.sell) } }
    }
    const setBounds = (j: number, q: number | null) => {
      for (const [col, v] of [[2 * j, Math.max(q ?? 0, 0)], [2 * j + 1, Math.max(-(q ?? 0), 0)]] as const)
        session.setColBounds(col, q === null ? programme.colLower[col]! : v, q === null ? programme.colUpper[col]! : v)
    }
    // Below a millionth of a lot a quantity is the solver's noise (its feasibility tolerance is 1e-7), not a leg.
    const tiny = (j: number, q: number) => Math.abs(q) <= 1e-6 * Number(candidates[j]!.lot ?? 1e-3)
    const fixed = new Map<number, string>()
    let current = lp
    /** The targets with the legs fixed so far already traded. */
    const shiftedTargets = () =>
      targets.map((t, k) => {
        let before = t.before
        for (const [f, q] of fixed) {
          const x = Number(q)
          const side = x > 0 ? candidates[f]!.columns.buy : candidates[f]!.columns.sell
          before += Math.abs(x) * (side.greeks[k] ?? 0)
        }
        return { before, lower: t.lower, upper: t.upper }
      })
    let solveMs = lp.solveMs
    // Each round fixes one leg; re-solves may bring in a few more legs, but never more rounds than this.
    let rounds = 2 * candidates.filter((_, j) => !tiny(j, net(lp, j))).length + 4
    for (;;) {
      const open = candidates.map((_, j) => j).filter((j) => !fixed.has(j) && !tiny(j, net(current, j)))
      if (open.length === 0) break
      if (rounds-- === 0) {
        const rest = roundHedge(open.map((o) => roundingLeg(o, net(current, o))), shiftedTargets())
        open.forEach((o, i) => fixed.set(o, rest.quantities[i]!))
        break
      }
      const j = open.reduce((a, b) => (coarseness(roundingLeg(b, 0), targets) > coarseness(roundingLeg(a, 0), targets) ? b : a))
      let best: { q: string; sol: LpResult } | null = null
      for (const q of lotChoices(net(current, j), candidates[j]!.lot)) {
        setBounds(j, Number(q))
        const sol = session.solve()
        solveMs += sol.solveMs
        if (sol.status === 'optimal' && (best === null || sol.objective! < best.sol.objective!)) best = { q, sol }
      }
      if (best === null) {
        // Neither lot keeps the targets feasible: round every open leg at once, closest to the bands.
        setBounds(j, null)
        const rest = roundHedge(open.map((o) => roundingLeg(o, net(current, o))), shiftedTargets())
        open.forEach((o, i) => fixed.set(o, rest.quantities[i]!))
        break
      }
      setBounds(j, Number(best.q))
      fixed.set(j, best.q)
      current = best.sol
    }
    const used = [...fixed]
      .sort(([a], [b]) => a - b)
      .map(([j, quantity]) => ({ x: { ...candidates[j]!, index: j }, lpQuantity: net(lp, j), quantity }))
    for (const u of used) if (u.x.lot === null) notes.push(`${u.x.columns.label}: no contract size in its quantity unit is known, so its quantity is kept to 8 decimals`)
    const legs: HedgeLeg[] = []
    const lines: ExtraLine[] = []
    used.forEach((u, i) => {
      const quantity = u.quantity
      if (quantity === '0') {
        // Legs the LP itself used and rounding dropped are said; legs only a re-solve touched are not.
        if (!tiny(u.x.index, u.lpQuantity))
          notes.push(`${u.x.columns.label}: the LP's ${fmt(u.lpQuantity, 6)} ${u.x.instrument.quantityUnit} rounds to no lot (${u.x.lot} ${u.x.instrument.quantityUnit})`)
        return
      }
      const buy = !quantity.startsWith('-')
      const { instrument, inputs } = u.x
      const units = new Decimal(quantity).abs().toNumber()
      const s = buy ? u.x.columns.buy : u.x.columns.sell
      const line: ExtraLine = { id: -(2_000_000 + i), venue: instrument.venue, account: u.x.account, instrument, quantity, entryPrice: buy ? u.x.entry.buy : u.x.entry.sell }
      const fee = legFee(db, portfolio.id, line, inputs)
      // The fee is paid out of the account's balance, as the what-if leg `add` would store will pay it.
      line.feeUsd = fee.feeUsd
      lines.push(line)
      const halfSpreadUsd = s.halfSpreadUsd * units
      const feeUsd = fee.feeUsd === null ? 0 : Number(fee.feeUsd)
      const impactUsd =
        instrument.kind === 'option'
          ? optionCloseOutCost(0, units * u.x.deltaNotionalUsd, u.x.liquidity, liquidity.impactY, 0)
          : linearCloseOutCost(units * u.x.notionalUsd, u.x.liquidity, liquidity.impactY, 0)
      legs.push({
        venue: instrument.venue,
        account: u.x.account,
        instrument: instrument.name,
        kind: instrument.kind,
        quantity,
        quantityUnit: instrument.quantityUnit,
        lpQuantity: u.lpQuantity,
        price: line.entryPrice!,
        priceUnit: instrument.priceUnit,
        halfSpreadUsd,
        feeUsd,
        impactUsd,
        costUsd: halfSpreadUsd + feeUsd + impactUsd,
      })
    })

    // The targets again, from the book valued with the rounded legs.
    const after = valueBook(db, { portfolio: portfolio.name, asOf: request.asOf }, now, [...extra, ...lines])
    const afterValues = targets.map((t) => targetValue(after, t.target, valuationMs))
    const targetChecks = checks(afterValues)
    for (const t of targetChecks) if (!t.met) notes.push(`${t.label} is outside its band after rounding to contract sizes: ${fmt(t.after, GREEK_DIGITS[t.greek])} (band ${fmt(t.lower, GREEK_DIGITS[t.greek])}…${fmt(t.upper, GREEK_DIGITS[t.greek])})`)
    return {
      ...base,
      status: targetChecks.every((t) => t.met) ? 'optimal' : 'rounded-off',
      reason: null,
      legs,
      lpCostUsd: lp.objective,
      costUsd: legs.reduce((a, l) => a + l.costUsd, 0),
      targets: targetChecks,
      binding: bindingConstraints(programme, lp, targets, columns),
      solveMs,
    }
  }
}

/**
 * What-if books (issue 13): a named sandbox on a portfolio whose legs are hypothetical positions in instruments
 * of the book's market snapshot. The what-if book is the whole book (valuationService.ts) plus the legs as
 * extra lines, valued by the one scalar pricer (domain/valuation/revaluePosition.ts through positionGreeks);
 * every figure is computed twice — before (the book) and after (book + legs) — by the services that own it:
 * Greeks per underlying (the positions report's totals), buckets by expiry / tenor / strike (greeksBuckets),
 * the worst scenario of a stress set (stressService.ts stressWorstOf, the stress kernel) and margin per
 * account with liquidation and bankruptcy prices (marginService.ts, which nets a leg into the account's
 * position in the same instrument, marginBook.ts netWhatIfLegs). Imported data is never written: only
 * `whatif_books` / `whatif_legs` (db/whatifStore.ts).
 *
 * Entry price of a leg, when not given: the mark plus half the bid/ask spread for a buy, minus it for a sell
 * (what crossing half the spread from the mark costs), where the snapshot quotes both sides; else the mark,
 * said so in `priceSource`. Fee: the account's taker fee rate (margin settings `--taker-fee`) × the leg's
 * notional in USD (revaluePosition's notionalUsd: size in coin × mark for futures, × index for options, the
 * basis of Deribit's and the perpetual venues' taker fees; Deribit's option-fee cap of 12.5 % of the premium is
 * not applied), or null with the reason when no rate is set.
 */
import Decimal from 'decimal.js'
import type { PositionRow, UnderlyingTotals } from '../../shared/api'
import { isWhatIfOrigin } from '../../shared/positionOrigin'
import { marginRequest } from '../../shared/marginApi'
import { stressRequest } from '../../shared/stressApi'
import { GREEKS_BUCKET_BYS } from '../../shared/greeksApi'
import type {
  AddWhatIfLegRequest,
  WhatIfBucket,
  WhatIfChange,
  WhatIfFigures,
  WhatIfGreeks,
  WhatIfLeg,
  WhatIfMargin,
  WhatIfPositions,
  WhatIfReport,
  WhatIfSummary,
} from '../../shared/whatifApi'
import type { getWhatIfRequest } from '../../shared/whatifApi'
import type { z } from 'zod'
import type { Instrument } from '../../shared/instrument'
import { currentBook, findPortfolio, scopedQuotes, type MarketScope, type ScopedQuote } from '../db/bookStore'
import type { Db } from '../db/database'
import { listMarginSettings } from '../db/marginSettingsStore'
import {
  accountsAt,
  bookDataVersion,
  addWhatIfLeg as storeLeg,
  createWhatIfBook,
  deleteWhatIfBook,
  duplicateWhatIfBook,
  findWhatIfBook,
  instrumentsNamed,
  listWhatIfBooks,
  removeWhatIfLeg as dropLeg,
  renameWhatIfBook,
  resizeWhatIfLeg as storeResize,
  whatIfLegs,
  type WhatIfBookRow,
  type WhatIfLegRow,
} from '../db/whatifStore'
import { greeksBuckets } from '../domain/valuation/greeksBuckets'
import type { MarketInputs } from '../domain/valuation/marketInputs'
import { revaluePosition } from '../domain/valuation/revaluePosition'
import { netTrade } from '../domain/trades/netTrade'
import { tradeCash } from '../domain/trades/tradeCash'
import { marginReport } from './marginService'
import { stressWorstOf } from './stressService'
import { resolveCutoff, valueBook, valueExtraLine, type ExtraLine, type ValuedBook } from './valuationService'
import { MS_PER_DAY } from '../domain/time'
import { chainVenue, CustomOptionError, customInstrument, priceCustomOption } from './whatifCustomLeg'

export type GetWhatIfRequestParsed = z.infer<typeof getWhatIfRequest>

/**
 * Thrown for a leg the market snapshot cannot give: unknown or ambiguous instrument, no account, no mark; a custom
 * option that is listed, past its expiry or has no surface to be priced off. An input error (RangeError).
 */
export class WhatIfLegError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'WhatIfLegError'
  }
}

const iso = (ms: number) => new Date(ms).toISOString()

function summary(b: WhatIfBookRow): WhatIfSummary {
  return { name: b.name, portfolio: b.portfolio, legs: b.legs, createdAt: iso(b.createdAt), updatedAt: iso(b.updatedAt) }
}

/** A stored what-if book as the API summarises it. */
export const whatIfSummaryOf = summary

function legOf(l: WhatIfLegRow): WhatIfLeg {
  const i = l.instrument
  return {
    id: l.id,
    venue: l.venue,
    account: l.account,
    instrument: i.name,
    symbol: i.symbol,
    kind: i.kind,
    quantity: l.quantity,
    quantityUnit: i.quantityUnit,
    entryPrice: l.entryPrice,
    priceUnit: i.priceUnit,
    priceSource: l.priceSource,
    feeUsd: l.feeUsd,
    feeSource: l.feeSource,
    cash: tradeCash(l.instrument, l.quantity, l.entryPrice),
    custom:
      l.custom === null
        ? null
        : { strike: l.custom.strike, expiry: iso(l.custom.expiryMs), optionType: l.custom.optionType, surfaceVol: l.custom.surfaceVolPoints, note: l.custom.surfaceNote },
  }
}

/**
 * The legs of a what-if as lines valued on top of its portfolio's book. A custom option is priced off the surface
 * fitted to the chain of the valuation's own market scope (the as-of asked for), so it moves with the data like a
 * listed leg; when no surface can be fitted there, the line carries the reason and is left out of every total.
 * @returns the lines and, per custom leg, a note naming the surface vol used
 * @throws PortfolioNotFoundError; ValuationAsOfError
 */
export function whatIfLegLines(db: Db, portfolio: string, legs: readonly WhatIfLegRow[], asOf: string | undefined, now = Date.now()): { lines: ExtraLine[]; notes: string[] } {
  const notes: string[] = []
  let scope: MarketScope | null = null
  const lines = legs.map((l): ExtraLine => {
    const line: ExtraLine = { id: l.id, venue: l.venue, account: l.account, instrument: l.instrument, quantity: l.quantity, entryPrice: l.entryPrice, feeUsd: l.feeUsd }
    if (l.custom === null) return line
    if (scope === null) {
      const p = findPortfolio(db, portfolio)
      scope = { portfolioId: p.id, cutoffMs: resolveCutoff(db, p, asOf, now).cutoffMs }
    }
    try {
      const priced = priceCustomOption(db, l.instrument, scope)
      notes.push(`leg ${l.id} ${l.instrument.name}: ${priced.note}`)
      return { ...line, quote: priced.quote }
    } catch (e) {
      if (!(e instanceof CustomOptionError)) throw e
      notes.push(`leg ${l.id} ${l.instrument.name} left out: ${e.message}`)
      return { ...line, error: e.message }
    }
  })
  return { lines, notes }
}

export function listWhatIfs(db: Db, portfolio?: string): WhatIfSummary[] {
  return listWhatIfBooks(db, portfolio === undefined ? undefined : findPortfolio(db, portfolio).id).map(summary)
}

/** @throws PortfolioNotFoundError; WhatIfExistsError */
export function createWhatIf(db: Db, name: string, portfolio: string | undefined, now = Date.now()): WhatIfSummary {
  return summary(createWhatIfBook(db, findPortfolio(db, portfolio).id, name, now))
}

export const renameWhatIf = (db: Db, from: string, to: string, now = Date.now()): WhatIfSummary => summary(renameWhatIfBook(db, from, to, now))
export const duplicateWhatIf = (db: Db, from: string, to: string, now = Date.now()): WhatIfSummary => summary(duplicateWhatIfBook(db, from, to, now))
export const deleteWhatIf = (db: Db, name: string): { deleted: WhatIfSummary } => ({ deleted: summary(deleteWhatIfBook(db, name)) })

/** Fee of a leg in USD at the account's taker rate, or null with the reason. */
export function legFee(db: Db, portfolioId: number, line: ExtraLine, inputs: MarketInputs): { feeUsd: string | null; feeSource: string } {
  const currency = line.instrument.settlementCurrency.toUpperCase()
  const key = `${line.venue}/${line.account}/${currency}`
  const rate = listMarginSettings(db, portfolioId).find((s) => `${s.venue}/${s.account}/${s.marginCurrency}` === key)?.settings.takerFeeRate
  if (rate === undefined) return { feeUsd: null, feeSource: `not known: no taker fee rate set for ${key} (riskdesk margin-settings set ${key} --taker-fee RATE)` }
  const notionalUsd = revaluePosition(line.instrument, Number(line.quantity), null, inputs).notionalUsd
  return {
    feeUsd: new Decimal(rate).times(notionalUsd).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    feeSource: `taker rate ${rate} of ${key} × notional ${notionalUsd.toFixed(2)} USD`,
  }
}

/** The account a leg trades in: the one given, else the portfolio's only account at the venue. */
function legAccount(db: Db, portfolio: { id: number; name: string }, venue: string, given: string | undefined): string {
  if (given !== undefined) return given
  const accounts = accountsAt(db, portfolio.id, venue)
  if (accounts.length !== 1)
    throw new WhatIfLegError(
      accounts.length === 0
        ? `portfolio "${portfolio.name}" has no ${venue} account: give the account the leg trades in`
        : `portfolio "${portfolio.name}" has several ${venue} accounts (${accounts.join(', ')}): give the account`,
    )
  return accounts[0]!
}

/**
 * The default entry price of a leg (instrument's price unit, decimal string): the mark plus half the bid/ask
 * spread for a buy, minus it for a sell, where the quote has both sides; else the mark. The hedge suggestion
 * (hedgeService.ts) prices its legs with the same rule.
 */
export function defaultEntryPrice(
  instrumentName: string,
  markPrice: number,
  markSource: string,
  quote: Pick<ScopedQuote, 'bidPrice' | 'askPrice'> | undefined,
  buy: boolean,
): { entryPrice: string; priceSource: string } {
  const mark = new Decimal(String(markPrice))
  if (quote && quote.bidPrice !== null && quote.askPrice !== null && quote.askPrice >= quote.bidPrice) {
    const half = new Decimal(String(quote.askPrice)).minus(String(quote.bidPrice)).div(2)
    return {
      entryPrice: (buy ? mark.plus(half) : mark.minus(half)).toFixed(),
      priceSource: `${buy ? 'ask' : 'bid'}: mark ${mark.toFixed()} ${buy ? '+' : '−'} half the spread (${quote.askPrice} − ${quote.bidPrice}) ÷ 2`,
    }
  }
  return { entryPrice: mark.toFixed(), priceSource: `mark (${markSource}): the snapshot quotes no bid and ask for ${instrumentName}` }
}

/**
 * Adds a custom option leg (whatifCustomLeg.ts): the venue defaults to the one whose chain the book's market data
 * holds (for the underlying when the terms are given); refused when the option is listed in the snapshot, has
 * expired at the chain's instant, or no surface can be fitted. Entry price: the surface price unless given.
 */
function addCustomLeg(db: Db, input: AddWhatIfLegRequest & { custom: NonNullable<AddWhatIfLegRequest['custom']> }, now: number): { whatIf: WhatIfSummary; leg: WhatIfLeg } {
  const book = findWhatIfBook(db, input.whatIf)
  const portfolio = findPortfolio(db, book.portfolio)
  const scope: MarketScope = { portfolioId: portfolio.id, cutoffMs: resolveCutoff(db, portfolio, undefined, now).cutoffMs }
  const spec = input.custom
  const venue = input.venue ?? (spec.underlying !== undefined ? chainVenue(db, spec.underlying.toUpperCase(), scope) : chainVenue(db, undefined, scope))
  if (venue === null)
    throw new WhatIfLegError(`no option chain${spec.underlying ? ` of ${spec.underlying.toUpperCase()}` : ''} in the book's market data: no surface to price a custom option off (import a chain, or give the venue)`)
  let instrument: Instrument
  try {
    instrument = customInstrument(venue, { ...spec, underlying: spec.underlying?.toUpperCase() })
  } catch (e) {
    throw new WhatIfLegError(`custom option: ${(e as Error).message}`)
  }
  if (scopedQuotes(db, instrument.venue, [instrument.name], scope).has(instrument.name))
    throw new WhatIfLegError(`${instrument.venue} ${instrument.name} is listed in the book's market snapshot: add it as a listed instrument (--instrument ${instrument.name})`)
  let priced: ReturnType<typeof priceCustomOption>
  try {
    priced = priceCustomOption(db, instrument, scope)
  } catch (e) {
    if (e instanceof CustomOptionError) throw new WhatIfLegError(e.message)
    throw e
  }
  const account = legAccount(db, portfolio, instrument.venue, input.account)
  const line: ExtraLine = { id: 0, venue: instrument.venue, account, instrument, quantity: input.quantity, entryPrice: null, quote: priced.quote }
  const valued = valueExtraLine(db, portfolio, undefined, now, line)
  if ('error' in valued) throw new WhatIfLegError(`${instrument.venue} ${instrument.name} cannot be valued: ${valued.error}`)
  const { inputs } = valued
  const entryPrice = input.price !== undefined ? new Decimal(input.price).toFixed() : new Decimal(String(inputs.mark)).toFixed()
  const priceSource = input.price !== undefined ? 'given' : 'surface'
  line.entryPrice = entryPrice
  const fee = legFee(db, portfolio.id, line, inputs)
  const id = storeLeg(
    db,
    book.id,
    {
      instrumentId: null,
      customInstrument: instrument,
      custom: { strike: instrument.strike!, expiryMs: instrument.expiryMs!, optionType: instrument.optionType!, surfaceVolPoints: priced.volPoints, surfaceNote: priced.note },
      venue: instrument.venue,
      account,
      quantity: input.quantity,
      entryPrice,
      priceSource,
      feeUsd: fee.feeUsd,
      feeSource: fee.feeSource,
    },
    now,
  )
  const leg = whatIfLegs(db, book.id).find((l) => l.id === id)!
  return { whatIf: summary(findWhatIfBook(db, book.name)), leg: legOf(leg) }
}

/**
 * Adds a leg: the instrument (by the venue's name) must be valued by the book's market snapshot — or, with
 * `custom`, an option the venue does not list, priced off the fitted vol surface (addCustomLeg); the account
 * defaults to the portfolio's only account at the venue; the entry price to the mark ± half the spread.
 * @throws WhatIfNotFoundError; WhatIfLegError; PortfolioNotFoundError
 */
export function addLeg(db: Db, input: AddWhatIfLegRequest, now = Date.now()): { whatIf: WhatIfSummary; leg: WhatIfLeg } {
  if (input.custom !== undefined) return addCustomLeg(db, { ...input, custom: input.custom }, now)
  if (input.instrument === undefined) throw new WhatIfLegError('give the instrument, or a custom option')
  const book = findWhatIfBook(db, input.whatIf)
  const found = instrumentsNamed(db, input.instrument, input.venue)
  if (found.length === 0)
    throw new WhatIfLegError(
      `no instrument named "${input.instrument}"${input.venue ? ` at ${input.venue}` : ''} in the stored market data: import the venue's chain or positions first (an option the venue does not list: --custom ${input.instrument})`,
    )
  const venues = [...new Set(found.map((f) => f.instrument.venue))]
  if (venues.length > 1) throw new WhatIfLegError(`"${input.instrument}" is listed by several venues (${venues.join(', ')}): give the venue`)
  const { id: instrumentId, instrument } = found[0]!
  const portfolio = findPortfolio(db, book.portfolio)
  const account = legAccount(db, portfolio, instrument.venue, input.account)
  const line: ExtraLine = { id: 0, venue: instrument.venue, account, instrument, quantity: input.quantity, entryPrice: null }
  const valued = valueExtraLine(db, portfolio, undefined, now, line)
  if ('error' in valued) throw new WhatIfLegError(`${instrument.venue} ${instrument.name} cannot be valued against the book's market snapshot: ${valued.error}`)
  const { inputs } = valued
  let entryPrice: string
  let priceSource: string
  if (input.price !== undefined) {
    entryPrice = new Decimal(input.price).toFixed()
    priceSource = 'given'
  } else {
    ;({ entryPrice, priceSource } = defaultEntryPrice(instrument.name, inputs.mark, valued.markSource, valued.quote, !input.quantity.trim().startsWith('-')))
  }
  line.entryPrice = entryPrice
  const fee = legFee(db, portfolio.id, line, inputs)
  const id = storeLeg(db, book.id, { instrumentId, venue: instrument.venue, account, quantity: input.quantity, entryPrice, priceSource, feeUsd: fee.feeUsd, feeSource: fee.feeSource }, now)
  const leg = whatIfLegs(db, book.id).find((l) => l.id === id)!
  return { whatIf: summary(findWhatIfBook(db, book.name)), leg: legOf(leg) }
}

/** Sets a leg's quantity; its fee follows. @throws WhatIfNotFoundError; WhatIfLegNotFoundError */
export function resizeLeg(db: Db, whatIf: string, legId: number, quantity: string, now = Date.now()): { whatIf: WhatIfSummary; leg: WhatIfLeg } {
  const book = findWhatIfBook(db, whatIf)
  const old = whatIfLegs(db, book.id).find((l) => l.id === legId)
  let feeUsd: string | null = null
  if (old && old.feeUsd !== null) feeUsd = new Decimal(old.feeUsd).times(new Decimal(quantity).abs()).div(new Decimal(old.quantity).abs()).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)
  storeResize(db, book, legId, quantity, feeUsd, now)
  const leg = whatIfLegs(db, book.id).find((l) => l.id === legId)!
  return { whatIf: summary(findWhatIfBook(db, book.name)), leg: legOf(leg) }
}

/** @throws WhatIfNotFoundError; WhatIfLegNotFoundError */
export function removeLeg(db: Db, whatIf: string, legId: number, now = Date.now()): { whatIf: WhatIfSummary; removed: number } {
  const book = findWhatIfBook(db, whatIf)
  dropLeg(db, book, legId, now)
  return { whatIf: summary(findWhatIfBook(db, book.name)), removed: legId }
}

function greeksOf(t: UnderlyingTotals): WhatIfGreeks {
  return {
    underlying: t.underlying,
    delta: t.delta,
    deltaUsd: t.deltaUsd,
    gamma: t.gamma,
    gammaUsdPer1Pct: t.gammaUsdPer1Pct,
    vegaUsd: t.vegaUsd,
    thetaUsd: t.thetaUsd,
    valueUsd: t.valueUsd,
  }
}

function bucketsOf(rows: readonly PositionRow[], valuationMs: number): WhatIfBucket[] {
  return GREEKS_BUCKET_BYS.flatMap((by) =>
    greeksBuckets(rows, by, valuationMs).map((b) => ({ by, underlying: b.underlying, bucket: b.bucket, delta: b.delta, gamma: b.gamma, vegaUsd: b.vegaUsd, thetaUsd: b.thetaUsd, valueUsd: b.valueUsd })),
  )
}

/** One side's figures, its notes, and what its book lines were valued on (indicesKey: whether a leg moved it). */
interface Side {
  figures: WhatIfFigures
  notes: string[]
  indices: string
  /** The whole side's stress P&L per scenario, USD. */
  stressPnl: number[]
}

/**
 * What the book's own lines were valued on: the index prices, which of its lines were valued (an option is left
 * out as expired against the latest quote read, which a leg's quote could move) and the valuation date (margin's
 * dated tables follow it). Equal on both sides, the book's lines have the same figures, so only the legs need
 * valuing.
 */
const indicesKey = (valued: ValuedBook) =>
  JSON.stringify([
    [...valued.indices].map(([u, x]) => [u, x.price]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    valued.engineRows.filter((r) => !isWhatIfOrigin(r.origin)).map((r) => `${r.origin}${r.id}`),
    valued.report.valuationTime?.slice(0, 10) ?? null,
  ])

/**
 * Every figure of the book with `extra` lines. Given the book's own side (`before`), margin is recomputed only for
 * the accounts the lines trade in — an account's margin reads its own positions and collateral and the
 * valuation's index prices, so the others are the before side's — unless the lines moved an index price (a
 * perpetual leg on an underlying with no stored index) or opened an account: then every account is recomputed.
 */
function figures(db: Db, portfolio: string, request: GetWhatIfRequestParsed, extra: readonly ExtraLine[], now: number, before?: Side): Side {
  const valued = valueBook(db, { portfolio, asOf: request.asOf }, now, extra)
  const indices = indicesKey(valued)
  // The book's own lines valued as on the before side: only the legs (and their accounts' margin) need computing.
  const sameBook = before !== undefined && before.indices === indices
  const sreq = stressRequest.parse({ portfolio, asOf: request.asOf, set: request.set, spot: request.spot, vol: request.vol, liquidity: request.liquidity })
  // Stress: with the book's side known (same index prices), only the legs are revalued and added to its P&L.
  let stress: ReturnType<typeof stressWorstOf>
  if (sameBook) {
    const legs = valued.engineRows.flatMap((r, i) => (isWhatIfOrigin(r.origin) ? [i] : []))
    stress =
      legs.length === 0
        ? { ...before.figures.stress, worst: before.figures.stress.worst && { index: -1, ...before.figures.stress.worst }, pnlUsd: before.stressPnl }
        : stressWorstOf(db, sreq, { ...valued, engine: legs.map((i) => valued.engine[i]!), engineRows: legs.map((i) => valued.engineRows[i]!) }, before.stressPnl)
  } else stress = stressWorstOf(db, sreq, valued)
  const mreq = marginRequest.parse({ portfolio, asOf: request.asOf })
  // The SPAN-16 scanning risk is not a what-if figure (WhatIfMargin has none): not computed.
  const margin = marginReport(db, mreq, extra, { valued, spanScan: false, accounts: sameBook ? new Set(extra.map((x) => `${x.venue}/${x.account}`)) : undefined })
  let accounts: WhatIfMargin[] = margin.accounts.map(
    (a): WhatIfMargin => ({
      key: a.key,
      marginCurrency: a.marginCurrency,
      status: a.status,
      equity: a.equity,
      initialMargin: a.initialMargin,
      maintenanceMargin: a.maintenanceMargin,
      availableBalance: a.availableBalance,
      marginRatio: a.marginRatio,
      liquidation: a.liquidation,
      unknown: a.unknown,
    }),
  )
  if (sameBook) {
    const recomputed = new Map(accounts.map((a) => [a.key, a]))
    const known = new Set(before.figures.margin.map((m) => m.key))
    const touched = (key: string) => extra.some((x) => key.startsWith(`${x.venue}/${x.account}/`))
    const complete = [...recomputed.keys()].every((k) => known.has(k)) && before.figures.margin.every((m) => !touched(m.key) || recomputed.has(m.key))
    if (!complete) return figures(db, portfolio, request, extra, now)
    accounts = before.figures.margin.map((m) => recomputed.get(m.key) ?? m)
  }
  const notes = margin.accounts.flatMap((a) => a.assumptions.filter((s) => s.includes('what-if leg')).map((s) => `${a.key}: ${s}`))
  return {
    notes,
    indices,
    stressPnl: stress.pnlUsd,
    figures: {
      valuationTime: valued.report.valuationTime,
      valueUsd: valued.report.positions.reduce((a, r) => a + (r.valueUsd ?? 0), 0),
      greeks: valued.report.totals.map(greeksOf),
      buckets: bucketsOf(valued.report.positions, valued.valuationMs ?? now),
      stress: { set: stress.set, scenarios: stress.scenarios, worst: stress.worst && { name: stress.worst.name, pnlUsd: stress.worst.pnlUsd, weightedPnlUsd: stress.worst.weightedPnlUsd } },
      margin: accounts,
      excluded: valued.excluded,
    },
  }
}

/** The book's own figures per request and data version (db/whatifStore.ts bookDataVersion), newest last. */
const beforeCache = new WeakMap<Db, Map<string, Side>>()
const BEFORE_CACHE_ENTRIES = 16

/**
 * The book's own side of a what-if, computed once per portfolio, request (as-of, stress set and grid, liquidity)
 * and data version, and reused while only what-if legs change: an import, a removal or a saved setting (in this
 * process or another) changes the version, and so the key. The UTC day is part of the key too (margin's dated
 * tables follow the valuation date, today when nothing is valued). Returned as a copy.
 */
function beforeSide(db: Db, portfolio: string, request: GetWhatIfRequestParsed, now: number): Side {
  const key = JSON.stringify([portfolio, request.asOf ?? null, request.set, request.spot ?? null, request.vol ?? null, request.liquidity, bookDataVersion(db), Math.floor(now / MS_PER_DAY)])
  let cache = beforeCache.get(db)
  if (!cache) beforeCache.set(db, (cache = new Map()))
  let side = cache.get(key)
  if (!side) {
    side = figures(db, portfolio, request, [], now)
    cache.set(key, side)
    if (cache.size > BEFORE_CACHE_ENTRIES) cache.delete(cache.keys().next().value!)
  }
  return structuredClone(side)
}

/** Rows of two sides matched by key; a row on one side only is compared with zeros. */
function diffRows<T>(before: readonly T[], after: readonly T[], key: (r: T) => string, zero: (r: T) => T, diff: (a: T, b: T) => T): T[] {
  const b = new Map(before.map((r) => [key(r), r]))
  const a = new Map(after.map((r) => [key(r), r]))
  const keys = [...new Set([...b.keys(), ...a.keys()])]
  return keys.map((k) => {
    const x = a.get(k) ?? zero(b.get(k)!)
    const y = b.get(k) ?? zero(a.get(k)!)
    return diff(x, y)
  })
}

const NUMERIC_GREEKS = ['delta', 'deltaUsd', 'gamma', 'gammaUsdPer1Pct', 'vegaUsd', 'thetaUsd', 'valueUsd'] as const
const NUMERIC_BUCKET = ['delta', 'gamma', 'vegaUsd', 'thetaUsd', 'valueUsd'] as const

const moneyDiff = (a: string | null, b: string | null): string | null => (a === null || b === null ? null : new Decimal(a).minus(b).toFixed())

function change(before: WhatIfFigures, after: WhatIfFigures): WhatIfChange {
  return {
    valueUsd: after.valueUsd - before.valueUsd,
    greeks: diffRows(
      before.greeks,
      after.greeks,
      (r) => r.underlying,
      (r) => ({ ...r, ...Object.fromEntries(NUMERIC_GREEKS.map((k) => [k, 0])) }),
      (a, b) => ({ ...a, ...Object.fromEntries(NUMERIC_GREEKS.map((k) => [k, a[k] - b[k]])) }),
    ),
    buckets: diffRows(
      before.buckets,
      after.buckets,
      (r) => `${r.by}\u0000${r.underlying}\u0000${r.bucket}`,
      (r) => ({ ...r, ...Object.fromEntries(NUMERIC_BUCKET.map((k) => [k, 0])) }),
      (a, b) => ({ ...a, ...Object.fromEntries(NUMERIC_BUCKET.map((k) => [k, a[k] - b[k]])) }),
    ),
    stressWorstPnlUsd: before.stress.worst && after.stress.worst ? after.stress.worst.pnlUsd - before.stress.worst.pnlUsd : null,
    margin: diffRows(
      before.margin,
      after.margin,
      (r) => r.key,
      // An account the book does not have yet holds nothing: 0 of every figure (a ratio of 0).
      (r) => ({ ...r, equity: '0', initialMargin: '0', maintenanceMargin: '0', availableBalance: '0', marginRatio: 0 }),
      (a, b) => ({
        ...a,
        equity: moneyDiff(a.equity, b.equity),
        initialMargin: moneyDiff(a.initialMargin, b.initialMargin),
        maintenanceMargin: moneyDiff(a.maintenanceMargin, b.maintenanceMargin),
        availableBalance: moneyDiff(a.availableBalance, b.availableBalance),
        marginRatio: a.marginRatio === null || b.marginRatio === null ? null : a.marginRatio - b.marginRatio,
      }),
    ).map((m) => ({
      key: m.key,
      marginCurrency: m.marginCurrency,
      equity: m.equity,
      initialMargin: m.initialMargin,
      maintenanceMargin: m.maintenanceMargin,
      availableBalance: m.availableBalance,
      marginRatio: m.marginRatio,
    })),
  }
}

/**
 * A what-if with its legs and every figure before, after and the change.
 * @throws WhatIfNotFoundError; PortfolioNotFoundError; ValuationAsOfError; UnknownScenarioSetError
 */
export function getWhatIf(db: Db, request: GetWhatIfRequestParsed, now = Date.now()): WhatIfReport {
  const book = findWhatIfBook(db, request.name)
  const legs = whatIfLegs(db, book.id)
  const lines = whatIfLegLines(db, book.portfolio, legs, request.asOf, now)
  const before = beforeSide(db, book.portfolio, request, now)
  const after = lines.lines.length === 0 ? structuredClone(before) : figures(db, book.portfolio, request, lines.lines, now, before)
  const notes = [...lines.notes, ...after.notes]
  for (const l of legs) if (l.feeUsd === null) notes.push(`leg ${l.id} fee ${l.feeSource}`)
  return { whatIf: summary(book), legs: legs.map(legOf), before: before.figures, after: after.figures, change: change(before.figures, after.figures), notes }
}

/**
 * The what-if book as net positions: per account and instrument, the portfolio's current position with the
 * what-if's legs netted in (domain/trades/netTrade.ts, the venue's average-cost rule), in book order, then the
 * legs in instruments the book does not hold. A position a leg closes is left out, said so in `notes`.
 * @throws WhatIfNotFoundError; PortfolioNotFoundError
 */
export function whatIfPositions(db: Db, name: string): WhatIfPositions {
  const book = findWhatIfBook(db, name)
  const portfolio = findPortfolio(db, book.portfolio)
  const notes: string[] = []
  type Row = WhatIfPositions['positions'][number] & { instrumentRef: WhatIfLegRow['instrument'] }
  const rows: Row[] = currentBook(db, portfolio.id).map((p) => ({
    venue: p.venue,
    account: p.account,
    instrument: p.instrument.name,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    note: p.note ?? '',
    instrumentRef: p.instrument,
  }))
  for (const l of whatIfLegs(db, book.id)) {
    if (l.custom !== null)
      notes.push(`leg ${l.id} ${l.instrument.name} is a custom option (not listed by ${l.venue}): imported back, it will have no quote and will not be valued`)
    const cash = tradeCash(l.instrument, l.quantity, l.entryPrice)
    if (cash !== null)
      notes.push(
        `leg ${l.id} ${l.instrument.name} ${cash.amount.startsWith('-') ? 'pays' : 'receives'} ${cash.amount.replace(/^-/, '')} ${cash.currency} (${l.instrument.kind === 'option' ? 'its premium' : 'its price'}): a positions file does not carry cash; import the account's balances after the trade to book it`,
      )
    const at = rows.find((r) => r.venue === l.venue && r.account === l.account && r.instrument === l.instrument.name)
    if (!at) {
      rows.push({ venue: l.venue, account: l.account, instrument: l.instrument.name, quantity: l.quantity, entryPrice: l.entryPrice, note: `what-if "${book.name}" leg ${l.id}`, instrumentRef: l.instrument })
      continue
    }
    const n = netTrade(l.instrument, { quantity: at.quantity, price: at.entryPrice }, { quantity: l.quantity, price: l.entryPrice })
    const realized = new Decimal(n.realizedPnl).isZero() ? '' : `, realizing ${n.realizedPnl} ${n.pnlCurrency}`
    notes.push(`leg ${l.id} (${l.quantity} ${l.instrument.name}) netted into ${l.venue}/${l.account}'s ${at.quantity}: now ${n.quantity}${n.averageEntry === null ? ' (closed: left out)' : ` at ${n.averageEntry}`}${realized}`)
    at.quantity = n.quantity
    at.entryPrice = n.averageEntry ?? at.entryPrice
    at.note = [at.note, `what-if "${book.name}" leg ${l.id} netted in`].filter((x) => x).join('; ')
  }
  return {
    whatIf: book.name,
    portfolio: portfolio.name,
    positions: rows.filter((r) => !new Decimal(r.quantity).isZero()).map(({ instrumentRef: _i, ...r }) => r),
    notes,
  }
}

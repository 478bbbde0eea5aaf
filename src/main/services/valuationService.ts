/**
 * Values a portfolio's whole book — its current positions and its accounts' balances — against one market
 * snapshot: per-line value and Greeks, totals per underlying (total and derivatives only), and the lines the
 * stress engine can revalue. A line that cannot be valued is kept in the report with its reason and left out
 * of totals, never silently dropped.
 *
 * The market snapshot (DESIGN.md §3): the stored quotes and index prices the portfolio may see — market
 * imports (option chains) and its own imports (venue dumps with marks), never another portfolio's — at or
 * before the as-of instant (valuationAsOf.ts: by default the book's own time, its latest import). Per
 * instrument the latest quote in that scope; per underlying one index price for every line (chooseIndices).
 *
 * Balances: an account's balances are those of its latest balance import; an account with spot fills and no
 * balance import holds what its fills add up to (said so in the report). Every coin balance is a `spot` line
 * of 1 coin of delta per coin, valued at the index; USD stablecoins at their own price (1 USD when none is
 * stored); USD is cash.
 */
import Decimal from 'decimal.js'
import type { PositionRow, PositionsReport, PortfolioSelector, UnderlyingTotals, ValuationMarket } from '../../shared/api'
import { isBalanceOrigin, type PositionOrigin } from '../../shared/positionOrigin'
import { isFiat, isStablecoin, NUMERAIRE } from '../../shared/currencies'
import type { Instrument } from '../../shared/instrument'
import type { MarketQuote } from '../../shared/market'
import { shorten } from '../../shared/ranges'
import { AS_OF_EXPECTED, parseAsOf } from '../../shared/valuationAsOf'
import { currentBalances, spotFillHoldings } from '../db/balanceStore'
import {
  bookTime,
  currentBook,
  findPortfolio,
  marketSnapshots,
  scopedIndices,
  scopedQuotes,
  type MarketScope,
  type MarketSnapshotInfo,
  type PortfolioRow,
  type ScopedQuote,
} from '../db/bookStore'
import type { Db } from '../db/database'
import { latestClose } from '../db/priceStore'
import { MS_PER_DAY } from '../domain/time'
import { chooseIndices, resolveInputs, type IndexCandidates, type IndexChoice, type MarketInputs } from '../domain/valuation/marketInputs'
import { positionGreeks, type PositionGreeks } from '../domain/valuation/positionGreeks'
import { greeksBuckets } from '../domain/valuation/greeksBuckets'
import { tradeCash } from '../domain/trades/tradeCash'
import type { GreeksBucketBy, GreeksBucketsResult } from '../../shared/greeksApi'
import type { EnginePosition } from '../engine/packBook'

export interface ValuedBook {
  portfolio: PortfolioRow
  report: PositionsReport
  /** Lines with resolved inputs (positions and balances), in report order. */
  engine: EnginePosition[]
  /** The report row of each engine line (same index as `engine`). */
  engineRows: PositionRow[]
  /** Lines left out, with the reason. */
  excluded: Array<{ instrument: string; reason: string }>
  /** The valuation's one index per underlying (USD). */
  indices: ReadonlyMap<string, IndexChoice>
  /** The market scope the valuation read: portfolio and cutoff instant. */
  scope: MarketScope
  /** Valuation time, ms UTC (null when nothing was valued). */
  valuationMs: number | null
}

/** Thrown for an as-of that cannot be read or lies in the future. */
export class ValuationAsOfError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'ValuationAsOfError'
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
/** Quotes older than this before the valuation time are named in the report's notes. */
const STALE_MS = 3_600_000

/** How a line past its expiry is reported (its reason starts with this, in every view). */
export const EXPIRED_REASON = 'expired: awaiting settlement'

/**
 * The cutoff instant of an as-of request (valuationAsOf.ts) for a portfolio.
 * @throws ValuationAsOfError for an unreadable as-of or one in the future
 */
export function resolveCutoff(db: Db, portfolio: PortfolioRow, asOf: string | undefined, now: number): { cutoffMs: number; rule: ValuationMarket['rule'] } {
  if (asOf === undefined) return { cutoffMs: Math.min(bookTime(db, portfolio.id) ?? now, now), rule: 'book' }
  const spec = parseAsOf(asOf)
  if (spec === null) throw new ValuationAsOfError(`as-of "${asOf.slice(0, 64)}": expected ${AS_OF_EXPECTED}`)
  if (spec.kind === 'latest') return { cutoffMs: now, rule: 'latest' }
  const startOfRequest = spec.kind === 'date' ? spec.cutoffMs + 1 - MS_PER_DAY : spec.cutoffMs
  if (startOfRequest > now)
    throw new ValuationAsOfError(`as-of ${asOf} is in the future (now is ${new Date(now).toISOString()}): a book can only be valued at market data already stored`)
  return { cutoffMs: Math.min(spec.cutoffMs, now), rule: 'requested' }
}

function emptyTotals(underlying: string, indexPrice: number): UnderlyingTotals {
  return {
    underlying,
    indexPrice,
    positions: 0,
    excluded: 0,
    delta: 0,
    deltaUsd: 0,
    balance: 0,
    derivativesDelta: 0,
    derivativesDeltaUsd: 0,
    deltaPremiumAdjusted: 0,
    gamma: 0,
    gammaUsdPer1Pct: 0,
    vegaUsd: 0,
    vegaCoin: 0,
    thetaUsd: 0,
    thetaCoin: 0,
    valueUsd: 0,
    derivativesValueUsd: 0,
  }
}

/** A balance line as a spot instrument of its account's venue. */
function balanceInstrument(venue: string, currency: string): Instrument {
  return {
    venue,
    name: `${currency} balance`,
    symbol: currency,
    kind: 'spot',
    settlement: 'linear',
    underlying: currency,
    quoteCurrency: NUMERAIRE,
    settlementCurrency: currency,
    contractSize: '1',
    contractSizeUnit: 'coin',
    quantityUnit: 'coin',
    priceUnit: 'usd',
    priceCurrency: NUMERAIRE,
    expiryMs: null,
    strike: null,
    optionType: null,
  }
}

/**
 * A hypothetical position valued on top of the book (a what-if leg, whatifService.ts): same units as a stored
 * position (quantity in the instrument's quantity unit, entry price in its price unit, decimal strings). An
 * option or spot line with an entry price also moves cash (domain/trades/tradeCash.ts: the premium or price,
 * quantity × entry in the price currency), and a line with a fee pays it in its settlement currency: each is a
 * balance line of its account right after it (origin `whatif-cash`, same id; one line when the currencies are
 * the same), so the book counts what the trade cost and not only what it holds.
 */
export interface ExtraLine {
  /** The leg's id (reported as the row id, origin `whatif`). */
  id: number
  venue: string
  account: string
  instrument: Instrument
  quantity: string
  /** Null while the entry is not chosen yet (P&L since entry is then 0). */
  entryPrice: string | null
  /**
   * The line's own quote instead of the snapshot's: a custom option's price off the fitted vol surface
   * (whatifCustomLeg.ts), its source saying so. It is not an index candidate.
   */
  quote?: ScopedQuote
  /** Why the line cannot be valued (a custom option whose surface cannot be fitted): reported, left out of totals. */
  error?: string
  /**
   * The trade's fee, USD (decimal string; null or absent when not known): paid out of the account's balance in the
   * instrument's settlement currency, converted at the valuation's index of that currency (venues charge in it).
   */
  feeUsd?: string | null
}

interface BookLine {
  id: number
  origin: PositionOrigin
  venue: string
  account: string
  instrument: Instrument
  quantity: string
  entryPrice: string | null
  /** A note for the mark source (balances from spot fills). */
  sourceNote: string | null
  /** ExtraLine's own quote and error. */
  quote?: ScopedQuote
  error?: string
  /** A what-if cash line: the fee (USD) to take out of it, in its currency at the valuation's index. */
  feeUsd?: string
}

/**
 * The whole book of a portfolio: its current positions, then per account its balances — or, for an account
 * with spot fills and no balance import, the holdings its fills add up to (lines with negative ids: they have no
 * stored row), with a note saying so.
 */
function bookLines(db: Db, portfolioId: number, notes: string[]): BookLine[] {
  const lines: BookLine[] = currentBook(db, portfolioId).map((p) => ({
    id: p.id,
    origin: 'position',
    venue: p.venue,
    account: p.account,
    instrument: p.instrument,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    sourceNote: null,
  }))
  for (const b of currentBalances(db, portfolioId))
    lines.push({ id: b.id, origin: 'balance', venue: b.venue, account: b.account, instrument: balanceInstrument(b.venue, b.currency.toUpperCase()), quantity: b.amount, entryPrice: null, sourceNote: null })
  const fromFills = spotFillHoldings(db, portfolioId)
  for (const [i, h] of fromFills.entries())
    lines.push({
      id: -(i + 1),
      origin: 'balance',
      venue: h.venue,
      account: h.account,
      instrument: balanceInstrument(h.venue, h.currency.toUpperCase()),
      quantity: h.amount,
      entryPrice: null,
      sourceNote: `net of ${h.fills} spot fills (no balance imported: assumes the account started empty)`,
    })
  if (fromFills.length > 0)
    notes.push(
      `holdings of ${[...new Set(fromFills.map((h) => `${h.venue}/${h.account}`))].join(', ')} are the net of their spot fills: no balance was imported for them, so they assume each account started empty`,
    )
  return lines
}

/** The market snapshot of a valuation: quotes per venue and instrument, one index per underlying, the snapshots. */
interface BookMarket {
  quotes: Map<string, Map<string, ScopedQuote>>
  indices: Map<string, IndexChoice>
  /** Every snapshot the portfolio may see (newest first), by id. */
  snapshots: MarketSnapshotInfo[]
  snapshotById: Map<number, MarketSnapshotInfo>
}

/** The quotes of the book's positions in scope and the one index per underlying (chooseIndices). */
function bookMarket(db: Db, lines: readonly BookLine[], scope: MarketScope): BookMarket {
  const positions = lines.filter((l) => !isBalanceOrigin(l.origin))
  const quotes = new Map<string, Map<string, ScopedQuote>>()
  for (const venue of new Set(positions.map((l) => l.venue)))
    quotes.set(venue, scopedQuotes(db, venue, positions.filter((l) => l.venue === venue).map((l) => l.instrument.name), scope))
  const snapshots = marketSnapshots(db, scope.portfolioId)
  const snapshotById = new Map(snapshots.map((s) => [s.id, s]))
  const describe = (snapshotId: number) => {
    const s = snapshotById.get(snapshotId)
    return s ? `${s.format} ${s.fileName} (${s.venue}, ${s.asOf === s.importedAt ? 'stamped at import' : iso(s.asOf)})` : `snapshot ${snapshotId}`
  }
  const candidates = new Map<string, IndexCandidates>()
  const candidate = (u: string) => {
    let c = candidates.get(u)
    if (!c) candidates.set(u, (c = { quoteIndices: [], contractMarks: [] }))
    return c
  }
  for (const [u, x] of scopedIndices(db, scope)) candidate(u).stored = { price: x.price, ts: x.ts, source: `index price, ${describe(x.snapshotId)}` }
  for (const l of lines) candidate(l.instrument.underlying)
  // A fiat balance (EUR of a Bybit EU account) has no venue index: its stored <CCY>/USD price history stands in.
  for (const [u, c] of candidates) {
    if (!isFiat(u) || c.stored) continue
    const close = latestClose(db, u, NUMERAIRE, scope.cutoffMs)
    if (close) c.stored = { price: Number(close.close), ts: close.ts, source: `${u}/USD close of ${close.source} (${iso(close.ts)})` }
  }
  for (const l of positions) {
    const q = quotes.get(l.venue)?.get(l.instrument.name)
    if (!q) continue
    const c = candidate(l.instrument.underlying)
    if (q.indexPrice !== null && q.indexPrice > 0) c.quoteIndices.push({ price: q.indexPrice, ts: q.ts, source: `index_price of ${l.instrument.name}, ${describe(q.snapshotId)}` })
    if ((l.instrument.kind === 'perpetual' || l.instrument.kind === 'future') && q.markPrice !== null && q.markPrice > 0)
      c.contractMarks.push({ price: q.markPrice, ts: q.ts, source: `mark of ${l.venue} ${l.instrument.name}, ${describe(q.snapshotId)}`, perpetual: l.instrument.kind === 'perpetual' })
  }
  return { quotes, indices: chooseIndices(candidates), snapshots, snapshotById }
}

/** A report row before valuation: the line as stored, every figure null. */
function unvaluedRow(line: BookLine): PositionRow {
  const { instrument } = line
  return {
    id: line.id,
    origin: line.origin,
    venue: line.venue,
    account: line.account,
    instrument: instrument.name,
    symbol: instrument.symbol,
    underlying: instrument.underlying,
    kind: instrument.kind,
    settlement: instrument.settlement,
    optionType: instrument.optionType,
    strike: instrument.strike,
    expiry: iso(instrument.expiryMs),
    quantity: line.quantity,
    quantityUnit: instrument.quantityUnit,
    entryPrice: line.entryPrice,
    priceUnit: instrument.priceUnit,
    markPrice: null,
    markSource: 'none',
    markIv: null,
    forward: null,
    indexPrice: null,
    marketValueUsd: null,
    valueUsd: null,
    unrealizedPnlUsd: null,
    delta: null,
    deltaPremiumAdjusted: null,
    gamma: null,
    vega: null,
    theta: null,
    error: null,
    ...(line.origin === 'whatif-cash' && line.sourceNote !== null ? { cashNote: line.sourceNote } : {}),
  }
}

/**
 * The cash a what-if line moves in its account (ExtraLine): its premium or price (tradeCash.ts) and its fee, as
 * `whatif-cash` lines of the leg's id, one per currency; the fee's amount is set once the index is known (takeFee).
 */
function legCashLines(x: Omit<ExtraLine, 'feeUsd'>, feeUsd: string | null | undefined): BookLine[] {
  const cash = x.entryPrice === null ? null : tradeCash(x.instrument, x.quantity, x.entryPrice)
  const fee = feeUsd === null || feeUsd === undefined || new Decimal(feeUsd).isZero() ? null : { currency: x.instrument.settlementCurrency.toUpperCase(), usd: feeUsd }
  const line = (currency: string, amount: string, note: string): BookLine => ({
    id: x.id,
    origin: 'whatif-cash',
    venue: x.venue,
    account: x.account,
    instrument: balanceInstrument(x.venue, currency),
    quantity: amount,
    entryPrice: null,
    sourceNote: note,
    // A leg that cannot be valued is left out with its cash.
    ...(x.error === undefined ? {} : { error: x.error }),
  })
  const out: BookLine[] = []
  if (cash !== null) {
    const what = x.instrument.kind === 'option' ? 'premium' : 'price'
    out.push(line(cash.currency, cash.amount, `the ${what} of what-if leg ${x.id} (${x.quantity} ${x.instrument.name} at ${x.entryPrice} ${cash.currency}) ${cash.amount.startsWith('-') ? 'paid' : 'received'}`))
  }
  if (fee !== null) {
    const same = out.find((l) => l.instrument.underlying === fee.currency)
    if (same) same.feeUsd = fee.usd
    else out.push({ ...line(fee.currency, '0', `what-if leg ${x.id} (${x.quantity} ${x.instrument.name})`), feeUsd: fee.usd })
  }
  return out
}

/**
 * Takes a what-if cash line's fee (USD) out of its amount, in its currency at the valuation's index (1 for USD);
 * without an index of that currency the fee is left out, said so in `notes`.
 */
function takeFee(line: BookLine, indices: ReadonlyMap<string, IndexChoice>, notes: string[]): void {
  const currency = line.instrument.underlying
  const price = currency === NUMERAIRE ? 1 : indices.get(currency)?.price
  const usd = line.feeUsd!
  delete line.feeUsd
  if (price === undefined || !(price > 0)) {
    notes.push(`what-if leg ${line.id}: its fee of ${usd} USD is left out of the ${currency} balance: no ${currency} index price to convert it at`)
    return
  }
  const fee = new Decimal(usd).div(String(price))
  line.quantity = new Decimal(line.quantity).minus(fee).toFixed()
  line.sourceNote = `${line.sourceNote}; its fee ${usd} USD paid = ${fee.toSignificantDigits(8).toFixed()} ${currency} at the index ${price}`
}

/**
 * The market's own instant: the latest quote or index the book's lines read, ms UTC (0 when none). An option that
 * expired at or before it has no market any more (its stored mark is stale): valueLine refuses it.
 */
function marketInstant(lines: readonly BookLine[], quotes: BookMarket['quotes'], indices: BookMarket['indices']): number {
  let marketMs = 0
  for (const line of lines) {
    // A what-if leg's cash reads no market of its own: it must not move the instant (nor which book lines are valued).
    if (line.origin === 'whatif-cash') continue
    const q = isBalanceOrigin(line.origin) ? undefined : (line.quote ?? quotes.get(line.venue)?.get(line.instrument.name))
    if (q) marketMs = Math.max(marketMs, q.ts)
    const idx = indices.get(line.instrument.underlying)
    if (idx && idx.ts > 0) marketMs = Math.max(marketMs, idx.ts)
  }
  return marketMs
}

type LineValuation =
  | { ok: true; inputs: MarketInputs; greeks: PositionGreeks; quote: ScopedQuote | undefined; quantity: number; entry: number | null }
  | { ok: false; reason: string; quote: ScopedQuote | undefined }

/**
 * One line against the book's market: its inputs (resolveInputs), value and Greeks (positionGreeks), or why it is
 * left out of totals — its own error, no market inputs, an option expired at the market's instant, a quantity or
 * entry that is not a finite number, figures that overflow. The one rule valueBook and valueExtraLine share.
 */
function valueLine(line: BookLine, quotes: BookMarket['quotes'], indices: BookMarket['indices'], marketMs: number): LineValuation {
  const { instrument } = line
  const quote = isBalanceOrigin(line.origin) ? undefined : (line.quote ?? quotes.get(line.venue)?.get(instrument.name))
  const fail = (reason: string): LineValuation => ({ ok: false, reason, quote })
  if (line.error !== undefined) return fail(line.error)
  const resolved = resolveInputs(instrument, { quotes: new Map(quote ? [[instrument.name, quote]] : []), indices })
  if (!resolved.ok) return fail(resolved.reason)
  // Dated futures keep their venue's own mark (a venue dump of a future can carry a later update time than its expiry).
  if (instrument.kind === 'option' && instrument.expiryMs !== null && marketMs > 0 && instrument.expiryMs <= marketMs)
    return fail(`${EXPIRED_REASON}: ${instrument.name} expired ${iso(instrument.expiryMs)}, before the market data of ${iso(marketMs)}; its settlement is not stored, so it is left out of totals`)
  const m = resolved.inputs
  const quantity = Number(line.quantity)
  const entry = line.entryPrice === null ? null : Number(line.entryPrice)
  if (!Number.isFinite(quantity) || (entry !== null && !Number.isFinite(entry))) return fail(`quantity ${line.quantity} or entry price ${line.entryPrice} is not a finite number`)
  let g: PositionGreeks
  try {
    g = positionGreeks(instrument, quantity, entry, m)
  } catch (e) {
    return fail((e as Error).message)
  }
  // Only finite figures reach a total; a line whose figures overflow says so (with what overflowed).
  const notFinite = (['valueUsd', 'marketValueUsd', 'delta', 'deltaPremiumAdjusted', 'gamma', 'vega', 'theta'] as const).filter((k) => !Number.isFinite(g[k]))
  if (notFinite.length > 0)
    return fail(`not a finite result (${notFinite.join(', ')}): quantity ${shorten(line.quantity, 40)}, entry ${shorten(line.entryPrice ?? '—', 40)}, mark ${m.mark}; left out of totals`)
  return { ok: true, inputs: m, greeks: g, quote, quantity, entry }
}

/**
 * @param selector portfolio (omitted = the most recently imported) and as-of (omitted = the book's own time)
 * @param now the clock, ms UTC (tests pass a fixed one)
 * @param extra hypothetical lines (what-if legs) valued after the book's own, against the same market snapshot
 *   and index per underlying; their quotes join the snapshot's index candidates as a position's would. Each is
 *   followed by the cash it moves (legCashLines: premium or price, and fee), rows of origin `whatif-cash`
 * @throws PortfolioNotFoundError; ValuationAsOfError
 */
export function valueBook(db: Db, selector: PortfolioSelector = {}, now = Date.now(), extra: readonly ExtraLine[] = []): ValuedBook {
  const portfolio = findPortfolio(db, selector.portfolio)
  const { cutoffMs, rule } = resolveCutoff(db, portfolio, selector.asOf, now)
  const scope: MarketScope = { portfolioId: portfolio.id, cutoffMs }
  const notes: string[] = []
  const lines = bookLines(db, portfolio.id, notes)
  for (const { feeUsd, ...x } of extra) {
    lines.push({ ...x, origin: 'whatif', sourceNote: null })
    lines.push(...legCashLines(x, feeUsd))
  }
  const { quotes, indices, snapshots, snapshotById } = bookMarket(db, lines, scope)
  for (const line of lines) if (line.feeUsd !== undefined) takeFee(line, indices, notes)

  const rows: PositionRow[] = []
  const engine: EnginePosition[] = []
  const engineRows: PositionRow[] = []
  const excluded: ValuedBook['excluded'] = []
  const totals = new Map<string, UnderlyingTotals>()
  const usedQuotes = new Map<number, number>()
  const usedQuoteList: Array<{ q: MarketQuote; instrument: string }> = []
  let valuationMs: number | null = null
  const book = { valueUsd: 0, derivativesValueUsd: 0, balancesValueUsd: 0 }

  // An option expired at the market's instant is flagged until its settlement is known, and left out of every
  // total (valuation, Greeks, stress, margin all build on this book).
  const marketMs = marketInstant(lines, quotes, indices)

  for (const line of lines) {
    const { instrument } = line
    const balance = isBalanceOrigin(line.origin)
    const cash = balance && instrument.underlying === NUMERAIRE
    const base = unvaluedRow(line)
    const t = cash ? null : (totals.get(instrument.underlying) ?? emptyTotals(instrument.underlying, NaN))
    if (t) {
      totals.set(instrument.underlying, t)
      t.positions++
    }
    const valued = valueLine(line, quotes, indices, marketMs)
    if (!valued.ok) {
      rows.push({ ...base, error: valued.reason })
      excluded.push({ instrument: instrument.name, reason: valued.reason })
      if (t) t.excluded++
      continue
    }
    const { inputs: m, quote, quantity, entry } = valued
    let g = valued.greeks
    if (cash) g = { ...g, delta: 0, deltaPremiumAdjusted: 0 }
    const markSource = [m.markSource, line.sourceNote].filter((x) => x).join('; ')
    const row: PositionRow = {
      ...base,
      markPrice: m.mark,
      markSource: cash ? ['USD is the numeraire (cash)', line.sourceNote].filter((x) => x).join('; ') : markSource,
      markIv: m.sigma === null ? null : m.sigma * 100,
      forward: instrument.kind === 'spot' ? null : m.underlying,
      indexPrice: m.index,
      marketValueUsd: g.marketValueUsd,
      valueUsd: g.valueUsd,
      unrealizedPnlUsd: balance ? null : Number.isFinite(g.unrealizedPnlUsd) ? g.unrealizedPnlUsd : null,
      delta: g.delta,
      deltaPremiumAdjusted: g.deltaPremiumAdjusted,
      gamma: g.gamma,
      vega: g.vega,
      theta: g.theta,
    }
    rows.push(row)
    book.valueUsd += g.valueUsd
    if (balance) book.balancesValueUsd += g.valueUsd
    else book.derivativesValueUsd += g.valueUsd
    // USD cash has no market risk: it counts in the book's value but is not revalued.
    if (!cash) {
      engine.push({ instrument, quantity, inputs: m, entryPrice: entry, isBalance: balance })
      engineRows.push(row)
    }
    if (quote) {
      const sid = (quote as ScopedQuote).snapshotId
      usedQuotes.set(sid, (usedQuotes.get(sid) ?? 0) + 1)
      usedQuoteList.push({ q: quote, instrument: instrument.name })
    }
    const idx = indices.get(instrument.underlying)
    valuationMs = Math.max(valuationMs ?? 0, m.asOfMs, idx && idx.ts > 0 ? idx.ts : 0) || null
    if (!t) continue
    t.indexPrice = m.index
    t.delta += g.delta
    t.valueUsd += g.valueUsd
    if (balance) t.balance += quantity
    else {
      t.derivativesDelta += g.delta
      t.deltaPremiumAdjusted += g.deltaPremiumAdjusted
      t.derivativesValueUsd += g.valueUsd
      t.gamma += g.gamma
      t.vegaUsd += g.vega
      t.thetaUsd += g.theta
    }
  }
  for (const t of totals.values()) {
    const S = t.indexPrice
    t.deltaUsd = t.delta * S
    t.derivativesDeltaUsd = t.derivativesDelta * S
    t.gammaUsdPer1Pct = (t.gamma * S * S) / 100
    t.vegaCoin = t.vegaUsd / S
    t.thetaCoin = t.thetaUsd / S
  }

  // What the valuation read, and what it left out.
  if (valuationMs !== null) {
    const stale = usedQuoteList.filter((u) => valuationMs! - u.q.ts > STALE_MS)
    if (stale.length > 0) {
      const oldest = stale.reduce((a, b) => (a.q.ts <= b.q.ts ? a : b))
      notes.push(
        `${stale.length} quote${stale.length === 1 ? ' is' : 's are'} more than an hour older than the valuation time ${iso(valuationMs)} (oldest: ${oldest.instrument} at ${iso(oldest.q.ts)}): their marks are stale against the rest of the snapshot`,
      )
    }
  }
  const newer = snapshots.filter((s) => s.asOf > cutoffMs)
  if (newer.length > 0 && rule !== 'latest')
    notes.push(
      `${newer.length} newer market snapshot${newer.length === 1 ? '' : 's'} stored after the as-of (latest: ${newer[0]!.format} ${newer[0]!.fileName}, ${iso(newer[0]!.asOf)}): value with --as-of latest to use ${newer.length === 1 ? 'it' : 'them'}`,
    )
  for (const u of new Set(lines.map((l) => l.instrument.underlying)))
    if (isStablecoin(u) && indices.get(u)?.source.startsWith('par')) notes.push(`${u} valued at par (1 USD): no ${u} price is stored; scenarios may still move it`)
  const market: ValuationMarket = {
    rule,
    cutoff: new Date(cutoffMs).toISOString(),
    snapshots: [...usedQuotes]
      .map(([id, n]) => ({ s: snapshotById.get(id)!, n }))
      .filter((x) => x.s)
      .sort((a, b) => b.s.asOf - a.s.asOf)
      .map(({ s, n }) => ({ id: s.id, venue: s.venue, asOf: new Date(s.asOf).toISOString(), file: s.fileName, format: s.format, scope: s.scope, quotesUsed: n })),
    indices: [...indices]
      .filter(([u]) => u !== NUMERAIRE && lines.some((l) => l.instrument.underlying === u))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([underlying, x]) => ({ underlying, price: x.price, time: x.ts > 0 ? iso(x.ts) : null, source: x.source })),
    notes,
  }
  const round2 = (x: number) => new Decimal(x).toDecimalPlaces(2).toNumber()
  const report: PositionsReport = {
    portfolio: portfolio.name,
    valuationTime: iso(valuationMs),
    market,
    positions: rows,
    // An underlying whose every line failed has no index to value coin totals with: report it as 0s.
    totals: [...totals.values()].map((t) => (Number.isNaN(t.indexPrice) ? { ...emptyTotals(t.underlying, 0), positions: t.positions, excluded: t.excluded } : t)),
    book: { valueUsd: round2(book.valueUsd), derivativesValueUsd: round2(book.derivativesValueUsd), balancesValueUsd: round2(book.balancesValueUsd) },
  }
  return { portfolio, report, engine, engineRows, excluded, indices, scope, valuationMs }
}

/** A hypothetical line's market inputs as valueBook gives them (valueExtraLine). */
export interface ExtraLineValuation {
  /** The market scope read (portfolio and cutoff instant). */
  scope: MarketScope
  inputs: MarketInputs
  /** The mark's source, as the line's report row says it. */
  markSource: string
  /** The line's own quote (its snapshot's, or ExtraLine.quote), undefined when it has none. */
  quote: ScopedQuote | undefined
}

/**
 * One hypothetical line (a what-if leg being added) valued as valueBook(db, { portfolio, asOf }, now, [line])
 * values it, without valuing the book's own lines: the same market snapshot (bookMarket over the book's lines and
 * this one, so the line's quote is among the index candidates exactly as there — a perpetual on an underlying with
 * no stored index gives it its index), the same inputs (resolveInputs) and the same tests (an option expired at the
 * market's instant, figures that are not finite). Held equal to valueBook's row by a test on the real chain.
 * @returns the line's inputs, or the reason valueBook gives for not valuing it (its row's error)
 * @throws ValuationAsOfError
 */
export function valueExtraLine(db: Db, portfolio: PortfolioRow, asOf: string | undefined, now: number, extra: ExtraLine): ExtraLineValuation | { error: string } {
  const { cutoffMs } = resolveCutoff(db, portfolio, asOf, now)
  const scope: MarketScope = { portfolioId: portfolio.id, cutoffMs }
  const { feeUsd: _fee, ...leg } = extra
  const line: BookLine = { ...leg, origin: 'whatif', sourceNote: null }
  const lines = bookLines(db, portfolio.id, [])
  lines.push(line)
  const { quotes, indices } = bookMarket(db, lines, scope)
  const valued = valueLine(line, quotes, indices, marketInstant(lines, quotes, indices))
  if (!valued.ok) return { error: valued.reason }
  return { scope, inputs: valued.inputs, markSource: valued.inputs.markSource, quote: valued.quote }
}

/**
 * The whole book's Greeks per underlying × expiry, tenor bucket or strike (domain/valuation/greeksBuckets.ts),
 * from the same valuation as the positions report; tenor is measured from the valuation time.
 * @throws PortfolioNotFoundError; ValuationAsOfError
 */
export function greeksBucketsReport(db: Db, request: { portfolio?: string; asOf?: string; by: GreeksBucketBy }, now = Date.now()): GreeksBucketsResult {
  const { report, valuationMs } = valueBook(db, request, now)
  const buckets = greeksBuckets(report.positions, request.by, valuationMs ?? now).map(({ order: _order, ...b }) => b)
  return { portfolio: report.portfolio, valuationTime: report.valuationTime, market: report.market, by: request.by, buckets }
}

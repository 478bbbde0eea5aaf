/**
 * What importers produce: validated domain objects, never SQL (DESIGN.md §2). A reader pushes them into an
 * ImportSink as it reads (so a trade log of any length streams); the import service implements the sink
 * and writes everything of one file in one transaction. `collectingSink()` gathers a small file in memory.
 */
import type { Instrument } from '../../../shared/instrument'
import type { Balance, Position } from '../../../shared/position'
import type { VenueMarginTerms } from '../../../shared/venueMargin'
import type { D } from '../../domain/trades/decimal'
import type { CashKind } from '../../domain/trades/accountTotals'
import type { ImportIssue, SkippedRow } from './importIssue'

/** A position as read from a file, with the 1-based line of its row. */
export interface ImportedPosition extends Position {
  line: number
  /** The venue's own margin terms and figures for the position, when the snapshot carries them. */
  venueMargin?: VenueMarginTerms | null
}

/** A quote as read from a file; prices as decimal strings in the instrument's price unit. */
export interface ImportedQuote {
  instrument: Instrument
  /** ms since epoch UTC. */
  ts: number
  markPrice: string | null
  /** Vol points (80 = 80%). */
  markIv: string | null
  /** Best bid and ask implied vols, vol points; null or absent when the file has none (no bid or no ask). */
  bidIv?: string | null
  askIv?: string | null
  /** Best bid and ask prices in the instrument's price unit; null or absent when the file has none. */
  bidPrice?: string | null
  askPrice?: string | null
  /** USD. */
  underlyingPrice: string | null
  /** USD. */
  indexPrice: string | null
  /** Greeks as the venue reported them, in the venue's units (Deribit: delta, gamma per USD, vega USD per
   * vol point, theta USD per day, rho). */
  venueGreeks: { delta?: number; gamma?: number; vega?: number; theta?: number; rho?: number } | null
  source: string
}

export interface ImportedMarket {
  venue: string
  /** Snapshot time, ms since epoch UTC. */
  asOf: number
  quotes: ImportedQuote[]
  /** Index price per underlying, USD, with its time. */
  indices: Array<{ underlying: string; price: string; ts: number }>
}

/** A decimal as D or as validated plain decimal text (hot readers pass the file's own text). */
export type DecimalValue = D | string

/** One fill (execution) of a trade log. */
export interface ImportedFill {
  venue: string
  account: string
  instrument: Instrument
  /** ms since epoch UTC. */
  ts: number
  /** The venue's own ordering within one instant (Deribit UserSeq, an execution sequence), or null. */
  seq: number | null
  kind: 'trade' | 'delivery' | 'liquidation'
  /** Signed (buy > 0), in the instrument's quantity unit (coin, or USD face for inverse contracts). */
  quantity: DecimalValue
  /** In the instrument's price unit; > 0. */
  price: DecimalValue
  /**
   * The fill's value as the venue settled it, in the settlement coin, signed like `quantity` — only for inverse
   * contracts whose venue rounds that value (BitMEX: whole satoshi per lot, its `execCost`). When given, the
   * replay's cash flow and average entry use it instead of quantity ÷ price, so realized P&L is the venue's.
   */
  settledValue?: DecimalValue
  /** Fee paid (> 0; < 0 is a rebate) and its currency, when the row has one. */
  fee: DecimalValue | null
  feeCurrency: string | null
  /** The venue's own realized P&L of this fill, when the file states it (kept to compare, never used). */
  venueRealizedPnl: DecimalValue | null
  venueRealizedCurrency: string | null
  /** The venue's position after this fill, when the file gives it (checked by the replay). */
  positionAfter: DecimalValue | null
  /** The venue gives the position as an unsigned size. */
  positionAfterUnsigned: boolean
  /** Unique per account: the venue's trade/row id, or a digest of the row (see rowKey). */
  key: string
  line: number
}

/** A cash movement of a log that is not a fill: funding, settlement, fees, transfers… */
export interface ImportedCash {
  venue: string
  account: string
  instrument: Instrument | null
  ts: number
  kind: CashKind
  /** From the account's side: > 0 received (for `fee`: > 0 paid). */
  amount: D
  currency: string
  key: string
  line: number
  note: string | null
  /** A settlement row's settlement price (Deribit), in the instrument's price unit. */
  price?: D | null
}

/** A balance (collateral) of an account in one currency, with the file's line that gave it. */
export interface ImportedBalance extends Balance {
  line: number
}

/** Closing prices of one underlying at one interval, from one source. */
export interface ImportedPriceSeries {
  underlying: string
  quoteCurrency: string
  interval: '1d' | '1h'
  /** Where the prices come from, e.g. `binance BTCUSDT (CryptoDataDownload)`. */
  source: string
  /** Ascending by ts; closes as decimal strings in the quote currency. */
  closes: Array<{ ts: number; close: string; line: number }>
  /** Missing intervals inside the range (first missing instant of each gap and its length). */
  gaps: Array<{ from: number; missing: number }>
}

/**
 * A venue's tier table read from its own API response (importers/venues/<venue>/…Tiers.ts): market-wide data, one
 * dated entry of a margin table (`binance.usdm.brackets.BTCUSDT`, `okx.swap.tiers.BTC-USDT-SWAP`…), its
 * values validated in the domain's shape (TierTableValues or OkxTierValues).
 */
export interface ImportedTierTable {
  venue: string
  tableId: string
  /** First UTC day the values apply, YYYY-MM-DD: the response's own time, else the import day. */
  asOf: string
  dateBasis: 'recorded' | 'imported'
  sources: string[]
  note: string
  values: unknown
  /** 1-based line of the table's first row. */
  line: number
}

/** What a reader pushes while it reads; the service decides where it goes. */
export interface ImportSink {
  position(p: ImportedPosition): void
  market(m: ImportedMarket): void
  fill(f: ImportedFill): void
  cash(c: ImportedCash): void
  balance(b: ImportedBalance): void
  prices(s: ImportedPriceSeries): void
  /** A venue tier table (content `tiers`); sinks that cannot store them leave it out. */
  tiers?(t: ImportedTierTable): void
  /**
   * This file speaks for the positions of this account, even when it lists none (all flat): for the settlement
   * currencies of the positions it gives, and for `scopes` (settlement currencies) when it names them — a
   * Hyperliquid clearinghouseState speaks for all the account's USDC perpetuals even when flat.
   */
  account(venue: string, name: string, scopes?: readonly string[]): void
  skip(s: SkippedRow): void
  issue(i: ImportIssue): void
  /** A remark the user should read (an assumption stated, a quirk handled, a column ignored). */
  note(message: string): void
}

/** The result of reading one file in memory (small files, previews, tests). */
export interface ImportedFile {
  format: string
  /** Data rows read (header and preamble excluded). */
  rowsRead: number
  positions: ImportedPosition[]
  market: ImportedMarket | null
  skipped: SkippedRow[]
  fills: ImportedFill[]
  cash: ImportedCash[]
  balances: ImportedBalance[]
  prices: ImportedPriceSeries[]
  /** Venue tier tables (content `tiers`). */
  tiers: ImportedTierTable[]
  notes: string[]
}

/** An in-memory sink and the file it builds; `issues` are returned, not thrown. */
export function collectingSink(format: string): { sink: ImportSink; file: ImportedFile; issues: ImportIssue[] } {
  const issues: ImportIssue[] = []
  const file: ImportedFile = { format, rowsRead: 0, positions: [], market: null, skipped: [], fills: [], cash: [], balances: [], prices: [], tiers: [], notes: [] }
  const sink: ImportSink = {
    position: (p) => file.positions.push(p),
    market: (m) => {
      if (!file.market) file.market = m
      else {
        file.market.quotes.push(...m.quotes)
        file.market.indices.push(...m.indices)
        file.market.asOf = Math.max(file.market.asOf, m.asOf)
      }
    },
    fill: (f) => file.fills.push(f),
    cash: (c) => file.cash.push(c),
    balance: (b) => file.balances.push(b),
    prices: (s) => file.prices.push(s),
    tiers: (t) => file.tiers.push(t),
    account: () => {},
    skip: (s) => file.skipped.push(s),
    issue: (i) => issues.push(i),
    note: (m) => file.notes.push(m),
  }
  return { sink, file, issues }
}

/** Pushes an already-read file into a sink (readers written before the sink existed return ImportedFile). */
export function emitImportedFile(sink: ImportSink, f: Pick<ImportedFile, 'positions' | 'market' | 'skipped'>): void {
  for (const p of f.positions) sink.position(p)
  if (f.market) sink.market(f.market)
  for (const s of f.skipped) sink.skip(s)
}

/**
 * What importers return: validated domain objects, never SQL (DESIGN.md §2). The import service writes
 * them in one transaction.
 */
import type { Instrument } from '../../shared/instrument'
import type { Position } from '../../shared/position'
import type { SkippedRow } from './importIssue'

/** A position as read from a file, with the 1-based line of its row. */
export interface ImportedPosition extends Position {
  line: number
}

/** A quote as read from a file; prices as decimal strings in the instrument's price unit. */
export interface ImportedQuote {
  instrument: Instrument
  /** ms since epoch UTC. */
  ts: number
  markPrice: string | null
  /** Vol points (80 = 80%). */
  markIv: string | null
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

/** The result of reading one file. */
export interface ImportedFile {
  format: string
  /** Data rows read (header excluded). */
  rowsRead: number
  positions: ImportedPosition[]
  market: ImportedMarket | null
  skipped: SkippedRow[]
}

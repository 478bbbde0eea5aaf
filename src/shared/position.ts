/**
 * A position as Riskdesk keeps it: exact decimal strings in the instrument's own units.
 */
import type { Instrument } from './instrument'

export interface Position {
  /** Venue id, lower case. */
  venue: string
  account: string
  instrument: Instrument
  /** Signed decimal string, in `instrument.quantityUnit` (coin, or USD face for inverse futures). */
  quantity: string
  /** Decimal string, in `instrument.priceUnit` (coin for inverse options, USD otherwise). */
  entryPrice: string
  /** ms since epoch UTC, when known. */
  entryTime: number | null
  note: string | null
}

/** A balance of an account in one currency (collateral, a spot holding), as files state it. */
export interface Balance {
  /** Venue id, lower case. */
  venue: string
  account: string
  currency: string
  /** Signed decimal string in `currency` (negative: a borrowed balance). */
  amount: string
  /** When the balance was true, ms since epoch UTC; null when the file does not say. */
  ts: number | null
  /** `file` for a balances file, `log` for the balance column of a transaction log. */
  source: 'file' | 'log'
}

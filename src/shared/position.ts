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

/**
 * Market data as valuation reads it: one quote per instrument and the index per underlying.
 */

/** One instrument's quote in a market snapshot (prices as the venue reports them). */
export interface MarketQuote {
  instrument: string
  /** Quote time, ms since epoch UTC. */
  ts: number
  /** Mark price in the instrument's price unit (coin for Deribit inverse options, USD otherwise). */
  markPrice: number | null
  /** Mark implied volatility in vol points (80 = 80%). */
  markIv: number | null
  /** Forward / underlying price of the expiry in USD (Deribit `underlying_price`). */
  underlyingPrice: number | null
  /** Index price of the underlying in USD. */
  indexPrice: number | null
  /** Provenance of the quote, e.g. `deribit option chain`, `derived: …`. */
  source: string
}

/** A market snapshot reduced to what valuation needs. */
export interface MarketView {
  /** Quote per venue instrument name. */
  quotes: ReadonlyMap<string, MarketQuote>
  /** Index price per underlying, USD, with its time (ms) and, in a valuation, where it comes from. */
  indices: ReadonlyMap<string, { price: number; ts: number; source?: string }>
}

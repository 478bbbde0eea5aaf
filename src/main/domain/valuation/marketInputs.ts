/**
 * Resolves the market inputs a position is valued with from a market snapshot, and says where each one
 * came from. A risk figure built on an assumed price must say so: every derivation here is named in
 * `markSource`, which the positions grid and the CLI show.
 */
import type { Instrument } from '../../../shared/instrument'
import { MS_PER_YEAR } from '../pricing/black76'

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
  /** Latest index price per underlying, USD, with its time (ms). */
  indices: ReadonlyMap<string, { price: number; ts: number }>
}

/** Everything a position is priced with; all prices in USD, vol as a decimal, times in ms / years. */
export interface PricingInputs {
  /** Index price, USD. */
  index: number
  /** Options: the expiry's forward; futures/perpetuals: the contract's mark; spot: the index. USD. */
  underlying: number
  /** Options: mark vol as a decimal; otherwise null. */
  sigma: number | null
  /** Options: years from quote time to expiry (ACT/365); otherwise null. */
  T: number | null
  /** The venue's mark in the instrument's price unit, for market value and unrealized P&L. */
  mark: number
  markSource: string
  /** Valuation instant used, ms since epoch UTC. */
  asOfMs: number
}

export type ResolvedInputs = { ok: true; inputs: PricingInputs } | { ok: false; reason: string }

/**
 * Picks the quote and index for one instrument.
 *  - options need a quote with mark IV and underlying price (no surface yet: see the pricing issue);
 *  - futures need their own quote (Deribit option chains carry each dated future's price as the
 *    `underlying_price` of the options on it; the chain importer stores that as the future's quote);
 *  - a perpetual without its own quote is marked at the index price, and says so;
 *  - spot is marked at the index price.
 */
export function resolveInputs(instrument: Instrument, market: MarketView): ResolvedInputs {
  const quote = market.quotes.get(instrument.name)
  const idx = market.indices.get(instrument.underlying)
  const index = quote?.indexPrice ?? idx?.price ?? null
  if (index === null || !(index > 0))
    return { ok: false, reason: `no ${instrument.underlying} index price in the market snapshot` }

  switch (instrument.kind) {
    case 'option': {
      if (!quote) return { ok: false, reason: 'no quote for this option in the market snapshot' }
      if (quote.markIv === null || !(quote.markIv > 0))
        return { ok: false, reason: 'the market snapshot has no mark IV for this option' }
      if (quote.underlyingPrice === null || !(quote.underlyingPrice > 0))
        return { ok: false, reason: 'the market snapshot has no underlying (forward) price for this option' }
      if (quote.markPrice === null) return { ok: false, reason: 'the market snapshot has no mark price' }
      return {
        ok: true,
        inputs: {
          index,
          underlying: quote.underlyingPrice,
          sigma: quote.markIv / 100,
          T: (instrument.expiryMs! - quote.ts) / MS_PER_YEAR,
          mark: quote.markPrice,
          markSource: quote.source,
          asOfMs: quote.ts,
        },
      }
    }
    case 'future':
    case 'perpetual': {
      if (quote?.markPrice != null && quote.markPrice > 0)
        return {
          ok: true,
          inputs: {
            index,
            underlying: quote.markPrice,
            sigma: null,
            T: null,
            mark: quote.markPrice,
            markSource: quote.source,
            asOfMs: quote.ts,
          },
        }
      if (instrument.kind === 'future') return { ok: false, reason: 'no quote for this future in the market snapshot' }
      return {
        ok: true,
        inputs: {
          index,
          underlying: index,
          sigma: null,
          T: null,
          mark: index,
          markSource: 'index price (no perpetual quote in the snapshot)',
          asOfMs: quote?.ts ?? idx!.ts,
        },
      }
    }
    case 'spot':
      return {
        ok: true,
        inputs: {
          index,
          underlying: index,
          sigma: null,
          T: null,
          mark: quote?.markPrice ?? index,
          markSource: quote?.markPrice != null ? quote.source : 'index price',
          asOfMs: quote?.ts ?? idx!.ts,
        },
      }
  }
}

/**
 * Resolves the market inputs a position is valued with from a market snapshot, and says where each one
 * came from. A risk figure built on an assumed price must say so: every derivation here is named in
 * `markSource`, which the positions grid and the CLI show.
 */
import type { Instrument } from '../../../shared/instrument'
import type { MarketView } from '../../../shared/market'

export type { MarketQuote, MarketView } from '../../../shared/market'
import { MS_PER_YEAR } from '../pricing/black76'

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
  let index = quote?.indexPrice ?? idx?.price ?? null
  // Venue position dumps (Binance, Bybit, OKX…) give a contract's mark but no index: its own mark then stands
  // for the index (it only values coin P&L in USD and sets where spot sits), and the mark source says so.
  let indexNote = ''
  if ((index === null || !(index > 0)) && instrument.kind !== 'option' && quote?.markPrice != null && quote.markPrice > 0) {
    index = quote.markPrice
    indexNote = '; index taken as this mark (no index price in the file)'
  }
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
    case 'perpetual':
    case 'spot': {
      const own = quote?.markPrice != null && quote.markPrice > 0 ? quote : null
      const at = (price: number, markSource: string, asOfMs: number): ResolvedInputs => ({
        ok: true,
        inputs: { index, underlying: price, sigma: null, T: null, mark: price, markSource, asOfMs },
      })
      if (own) return at(own.markPrice!, own.source + indexNote, own.ts)
      if (instrument.kind === 'future') return { ok: false, reason: 'no quote for this future in the market snapshot' }
      const asOf = quote?.ts ?? idx!.ts
      return instrument.kind === 'perpetual'
        ? at(index, 'index price (no perpetual quote in the snapshot)', asOf)
        : at(index, 'index price', asOf)
    }
  }
}

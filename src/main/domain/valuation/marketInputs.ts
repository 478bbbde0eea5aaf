/**
 * The market inputs a position is valued with, resolved from the book's market snapshot, each with where it
 * came from. A risk figure built on an assumed price must say so: every derivation is named in `markSource`
 * (shown by the positions grid and the CLI) or in the index choice's `source`.
 *
 * One valuation uses one index price per underlying (`chooseIndices`), whatever venue or quote a position's
 * mark comes from: USD values of coin amounts (inverse P&L, coin premiums, balances) all use it.
 */
import type { Instrument } from '../../../shared/instrument'
import type { MarketView } from '../../../shared/market'
import { isFiat, isStablecoin, NUMERAIRE } from '../../../shared/currencies'
import { yearFraction } from '../time'

export type { MarketQuote, MarketView } from '../../../shared/market'

/** Everything a position is priced with; prices in USD unless named, vol as a decimal, times in ms / years. */
export interface MarketInputs {
  /** Index price of the underlying, USD (the valuation's one index for it). */
  index: number
  /** Options: the expiry's forward; futures/perpetuals: the contract's mark; spot: the index. USD. */
  underlying: number
  /** Options: mark vol as a decimal; otherwise null. */
  sigma: number | null
  /** Options and dated futures: years from the quote time to expiry (ACT/365); otherwise null. */
  T: number | null
  /** The venue's mark in the instrument's price unit (coin for inverse options), for value and P&L. */
  mark: number
  markSource: string
  /** Instant of the quote used, ms since epoch UTC. */
  asOfMs: number
}

export type ResolvedInputs = { ok: true; inputs: MarketInputs } | { ok: false; reason: string }

/** The index price a valuation uses for one underlying, and where it comes from. */
export interface IndexChoice {
  /** USD. */
  price: number
  /** ms UTC. */
  ts: number
  /** e.g. `index price, deribit option chain (deribit_btc_option_chain_2020-05-14.csv)`. */
  source: string
}

/** Candidates for one underlying's index (module comment of chooseIndices). Prices USD, times ms UTC. */
export interface IndexCandidates {
  /** The latest index price stored with a snapshot in scope. */
  stored?: { price: number; ts: number; source: string }
  /** Quotes that carry an index price (`index_price` of a venue dump). */
  quoteIndices: Array<{ price: number; ts: number; source: string }>
  /** Marks of perpetuals and dated futures on the underlying: a stand-in when no index is stored. */
  contractMarks: Array<{ price: number; ts: number; source: string; perpetual: boolean }>
}

/**
 * One index per underlying for a whole valuation:
 *  1. the latest index price stored with a snapshot in scope;
 *  2. else the latest quote that carries an index price (a venue position dump's `index_price`);
 *  3. else the latest mark of a perpetual (else of a dated future) on it — venue dumps of Binance, Bybit or
 *     OKX carry a mark but no index — and the source says so;
 *  4. USD stablecoins without a stored price: 1 USD (par), said so; USD itself is the numeraire (1).
 * An underlying with none of these is absent: its positions are not valued, with the reason.
 */
export function chooseIndices(candidates: ReadonlyMap<string, IndexCandidates>, extraUnderlyings: Iterable<string> = []): Map<string, IndexChoice> {
  const out = new Map<string, IndexChoice>()
  const latest = <T extends { ts: number; price: number }>(xs: readonly T[]): T | undefined =>
    xs.filter((x) => x.price > 0).reduce<T | undefined>((best, x) => (best === undefined || x.ts > best.ts ? x : best), undefined)
  for (const [u, c] of candidates) {
    const pick = (c.stored && c.stored.price > 0 ? c.stored : undefined) ?? latest(c.quoteIndices)
    const mark = latest(c.contractMarks.filter((m) => m.perpetual)) ?? latest(c.contractMarks)
    if (pick) out.set(u, { price: pick.price, ts: pick.ts, source: pick.source })
    else if (mark) out.set(u, { price: mark.price, ts: mark.ts, source: `${mark.source} (no ${u} index price stored: this mark stands for it)` })
  }
  for (const u of [...candidates.keys(), ...extraUnderlyings]) {
    if (out.has(u)) continue
    if (u.toUpperCase() === NUMERAIRE) out.set(u, { price: 1, ts: 0, source: 'USD is the numeraire' })
    else if (isStablecoin(u)) out.set(u, { price: 1, ts: 0, source: `par: no ${u} price stored, 1 USD assumed` })
  }
  return out
}

/**
 * Picks the quote and index for one instrument.
 *  - options need a quote with mark, mark IV and underlying price;
 *  - futures need their own quote (Deribit option chains carry each dated future's price as the
 *    `underlying_price` of the options on it; the chain importer stores that as the future's quote);
 *  - a perpetual without its own quote is marked at the index price, and says so;
 *  - spot (and coin balances) is marked at the index price.
 * `market.indices` holds the valuation's one index per underlying (chooseIndices).
 */
export function resolveInputs(instrument: Instrument, market: MarketView): ResolvedInputs {
  const quote = market.quotes.get(instrument.name)
  const idx = market.indices.get(instrument.underlying)
  if (!idx || !(idx.price > 0))
    return {
      ok: false,
      reason: isFiat(instrument.underlying)
        ? `no ${instrument.underlying}/USD price in the market snapshot (import one: a price file with --underlying ${instrument.underlying} --quote USD)`
        : `no ${instrument.underlying} index price in the market snapshot`,
    }
  const index = idx.price
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
          T: yearFraction(quote.ts, instrument.expiryMs!),
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
        inputs: {
          index,
          underlying: price,
          sigma: null,
          T: instrument.kind === 'future' && instrument.expiryMs !== null ? Math.max(yearFraction(asOfMs, instrument.expiryMs), 0) : null,
          mark: price,
          markSource,
          asOfMs,
        },
      })
      if (own) return at(own.markPrice!, own.source, own.ts)
      if (instrument.kind === 'future') return { ok: false, reason: 'no quote for this future in the market snapshot' }
      const asOf = quote?.ts ?? idx.ts
      return instrument.kind === 'perpetual'
        ? at(index, 'index price (no perpetual quote in the snapshot)', asOf)
        : at(index, idx.source?.startsWith('par') || idx.source?.startsWith('USD is') ? idx.source : 'index price', asOf)
    }
  }
}

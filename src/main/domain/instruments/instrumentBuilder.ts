/**
 * Builds an Instrument from what a venue's name says, filling the canonical symbol and price currency the
 * same way for every venue.
 */
import type { Instrument, InstrumentKind, OptionType, QuantityUnit, Settlement } from '../../../shared/instrument'
import { shorten } from '../../../shared/ranges'
import { unifiedSymbol, USD_LIKE } from './unifiedSymbol'

export interface InstrumentFacts {
  venue: string
  name: string
  kind: InstrumentKind
  /** Underlying (base) coin as the canonical symbol writes it (`BTC`, never `XBT`). */
  base: string
  /** Quote currency: what prices are in for futures/perpetuals/spot (`USD`, `USDT`, `BTC`). */
  quote: string
  /** Settlement currency (`BTC` for inverse, `USDT` for linear); equals the quote for spot. */
  settle: string
  contractSize: string
  contractSizeUnit: QuantityUnit
  quantityUnit: QuantityUnit
  /** Premium / price currency; defaults to `quote` (coin-quoted inverse options pass the base). */
  priceCurrency?: string
  expiryMs?: number | null
  strike?: number | null
  optionType?: OptionType | null
}

/** Thrown for a name a venue parser cannot read; the message says what was expected. */
export class VenueInstrumentError extends Error {
  constructor(
    readonly venue: string,
    readonly instrumentName: string,
    reason: string,
  ) {
    // Names come from files: a 1 MB field is quoted shortened.
    super(`"${shorten(instrumentName, 80)}" is not a ${shorten(venue, 40)} instrument name Riskdesk reads (${shorten(reason, 300)})`)
    this.name = 'InstrumentNameError'
  }
}

/**
 * An Instrument from what a venue parser read: settlement is inverse when a contract settles in another
 * currency than it is quoted in (BTC/USD:BTC), the price currency is the quote unless given (coin-quoted
 * options), and the unified symbol is derived (unifiedSymbol.ts). Pure; never throws.
 */
export function buildInstrument(f: InstrumentFacts): Instrument {
  const settlement: Settlement = f.kind !== 'spot' && f.settle !== f.quote ? 'inverse' : 'linear'
  const priceCurrency = f.priceCurrency ?? f.quote
  return {
    venue: f.venue,
    name: f.name,
    symbol: unifiedSymbol({
      base: f.base,
      quote: f.quote,
      settle: f.kind === 'spot' ? undefined : f.settle,
      expiryMs: f.expiryMs ?? null,
      strike: f.strike ?? null,
      optionType: f.optionType ?? null,
    }),
    kind: f.kind,
    settlement,
    underlying: f.base,
    quoteCurrency: f.quote,
    settlementCurrency: f.settle,
    contractSize: f.contractSize,
    contractSizeUnit: f.contractSizeUnit,
    quantityUnit: f.quantityUnit,
    priceUnit: USD_LIKE.has(priceCurrency) ? 'usd' : 'coin',
    priceCurrency,
    expiryMs: f.expiryMs ?? null,
    strike: f.strike ?? null,
    optionType: f.optionType ?? null,
  }
}

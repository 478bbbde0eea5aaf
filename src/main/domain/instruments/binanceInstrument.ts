/**
 * Binance symbols → instruments. Binance runs separate markets whose symbols can collide (spot `BTCUSDT` and
 * the USDⓈ-M perpetual `BTCUSDT`), so the caller says which market a file comes from.
 *
 * Sources: Binance USDⓈ-M and COIN-M Futures API docs (symbol formats, `contractType`), Binance FAQ "USDⓈ-
 * Margined Futures Contract Specifications" (one contract = one unit of the base asset) and "COIN-Margined
 * Futures Contract Specifications" (contract multiplier 100 USD for BTC, 10 USD for altcoins: the contract-
 * spec table); delivery contracts settle at 08:00 UTC on the date in the symbol.
 *  - USDⓈ-M  `BTCUSDT` perpetual, `BTCUSDT_240628` quarterly: linear, quantity in coin, price in USDT/USDC;
 *  - COIN-M  `BTCUSD_PERP`, `BTCUSD_201225`: inverse, quantity in contracts of a USD face (stored in USD);
 *  - spot    `LTCBTC` (as the exports write it) is stored under the name `LTC/BTC` (as Binance displays
 *            it), so it never collides with a futures symbol; the quote is the longest known quote asset
 *            that ends the symbol.
 */
import type { Instrument } from '../../../shared/instrument'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { requireContractSpec, type ContractSpecTable } from './contractSpecs'
import { parseYyMmDd } from './expiry'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

export type BinanceMarket = 'usdm' | 'coinm' | 'spot'

/** Quote assets that end Binance spot symbols, longest first so `FDUSD` wins over `USD`-like suffixes. */
export const BINANCE_SPOT_QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY', 'BRL', 'GBP', 'DAI']

const USDM_RE = /^([A-Z0-9]+?)(USDT|USDC|BUSD)(?:_(\d{6}))?$/
const COINM_RE = /^([A-Z0-9]+)USD_(PERP|\d{6})$/

/** The market a futures symbol belongs to by its shape: COIN-M symbols end in `USD_PERP` / `USD_YYMMDD`. */
export function binanceFuturesMarket(symbol: string): 'usdm' | 'coinm' {
  return COINM_RE.test(symbol) ? 'coinm' : 'usdm'
}

/**
 * @throws VenueInstrumentError for a symbol of another shape; MissingContractSpecError for a COIN-M symbol
 *   whose USD face the table does not give.
 */
export function parseBinanceInstrument(symbol: string, market: BinanceMarket, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
  if (market === 'spot') {
    const slash = /^([A-Z0-9]+)\/([A-Z0-9]+)$/.exec(symbol)
    let base: string | undefined
    let quote: string | undefined
    if (slash) [, base, quote] = slash
    else {
      quote = BINANCE_SPOT_QUOTES.filter((q) => symbol.endsWith(q) && symbol.length > q.length).sort((a, b) => b.length - a.length)[0]
      base = quote === undefined ? undefined : symbol.slice(0, -quote.length)
    }
    if (!base || !quote || !/^[A-Z0-9]+$/.test(base))
      throw new VenueInstrumentError('binance', symbol, `a spot pair ending in a known quote asset (${BINANCE_SPOT_QUOTES.join(', ')}), e.g. LTCBTC`)
    return buildInstrument({
      venue: 'binance', name: `${base}/${quote}`, kind: 'spot', base, quote, settle: quote,
      contractSize: '1', contractSizeUnit: 'coin', quantityUnit: 'coin',
    })
  }
  if (market === 'coinm') {
    const m = COINM_RE.exec(symbol)
    if (!m) throw new VenueInstrumentError('binance', symbol, 'a COIN-M symbol such as BTCUSD_PERP or BTCUSD_201225')
    const base = m[1]!
    const perpetual = m[2] === 'PERP'
    const expiryMs = perpetual ? null : parseYyMmDd(m[2]!, 8)
    if (!perpetual && expiryMs === null) throw new VenueInstrumentError('binance', symbol, `"${m[2]}" is not a date YYMMDD`)
    const kind = perpetual ? ('perpetual' as const) : ('future' as const)
    const spec = requireContractSpec(specs, 'binance', symbol, kind)
    return buildInstrument({
      venue: 'binance', name: symbol, kind, base, quote: 'USD', settle: base, expiryMs,
      contractSize: spec.contractSize, contractSizeUnit: spec.unit, quantityUnit: 'usd',
    })
  }
  const m = USDM_RE.exec(symbol)
  if (!m) throw new VenueInstrumentError('binance', symbol, 'a USDS-M symbol such as BTCUSDT or BTCUSDT_240628')
  const [, base, quote, date] = m
  const expiryMs = date === undefined ? null : parseYyMmDd(date, 8)
  if (date !== undefined && expiryMs === null) throw new VenueInstrumentError('binance', symbol, `"${date}" is not a date YYMMDD`)
  return buildInstrument({
    venue: 'binance', name: symbol, kind: date === undefined ? 'perpetual' : 'future', base: base!, quote: quote!, settle: quote!,
    expiryMs, contractSize: '1', contractSizeUnit: 'coin', quantityUnit: 'coin',
  })
}

/**
 * Venue instrument name → instrument, for every venue Riskdesk reads. Used where a file names the venue
 * and the instrument as text (generic CSVs, column mappings); venue-specific importers call the venue
 * parser directly with the market or category their file implies.
 *
 * Names by venue (see each parser's docstring for sources and units):
 *  - deribit  `BTC-PERPETUAL`, `BTC-25SEP20`, `BTC-26JUN20-9000-C`, `BTC_USDC-PERPETUAL`;
 *  - binance  futures `BTCUSDT`, `BTCUSDT_240628` (USDⓈ-M), `BTCUSD_PERP`, `BTCUSD_201225` (COIN-M); spot `LTC/BTC`;
 *  - bybit    `BTCUSD`, `BTCUSDH24` (inverse), `BTCUSDT`, `BTCPERP`, `BTC-29MAR24` (linear), `BTC-29MAR24-60000-C`; spot `BTC/USDT`;
 *  - okx      `BTC-USDT`, `BTC-USDT-SWAP`, `BTC-USD-SWAP`, `BTC-USD-241227`, `BTC-USD-241227-60000-C`;
 *  - bitmex   `XBTUSD`, `XBTZ20`;
 *  - hyperliquid `BTC`, `ETH` (perpetuals named by their coin);
 *  - dydx     `BTC-USD`, `ETH-USD` (v4 perpetual tickers).
 */
import type { Instrument } from '../../../shared/instrument'
import { binanceFuturesMarket, parseBinanceInstrument } from './binanceInstrument'
import { parseBitmexInstrument } from './bitmexInstrument'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { bybitCategoryOf, parseBybitInstrument } from './bybitInstrument'
import type { ContractSpecTable } from './contractSpecs'
import { parseDeribitInstrument } from './deribitInstrument'
import { parseDydxInstrument } from './dydxInstrument'
import { parseHyperliquidInstrument } from './hyperliquidInstrument'
import { VenueInstrumentError } from './instrumentBuilder'
import { parseOkxInstrument } from './okxInstrument'

/** Venues whose instrument names can be parsed, lower case. */
export const SUPPORTED_VENUES = ['deribit', 'binance', 'bybit', 'okx', 'bitmex', 'hyperliquid', 'dydx'] as const

/** Thrown for a venue Riskdesk cannot read yet. */
export class UnsupportedVenueError extends Error {
  constructor(readonly venue: string) {
    super(`venue "${venue}" is not supported (supported: ${SUPPORTED_VENUES.join(', ')})`)
    this.name = 'UnsupportedVenueError'
  }
}

/**
 * @param venue venue id, case-insensitive (`Deribit` = `deribit`)
 * @param specs contract-spec table (default: the built-in one)
 * @throws UnsupportedVenueError, or the venue parser's own error (InstrumentNameError,
 *   MissingContractSpecError) for a bad name.
 */
export function parseVenueInstrument(venue: string, name: string, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
  switch (venue.toLowerCase()) {
    case 'deribit':
      return parseDeribitInstrument(name, specs)
    case 'binance':
      return parseBinanceInstrument(name, name.includes('/') ? 'spot' : binanceFuturesMarket(name), specs)
    case 'bybit': {
      if (name.includes('/')) return parseBybitInstrument(name.replace('/', ''), 'spot', specs)
      const category = bybitCategoryOf(name)
      if (!category) throw new VenueInstrumentError('bybit', name, 'expected e.g. BTCUSD, BTCUSDT, BTCPERP, BTC-29MAR24-60000-C or BTC/USDT')
      return parseBybitInstrument(name, category, specs)
    }
    case 'okx':
      return parseOkxInstrument(name, specs)
    case 'bitmex':
      return parseBitmexInstrument(name, specs)
    case 'hyperliquid':
      return parseHyperliquidInstrument(name)
    case 'dydx':
      return parseDydxInstrument(name)
    default:
      throw new UnsupportedVenueError(venue)
  }
}

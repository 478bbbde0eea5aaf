/**
 * Hyperliquid names → instruments. Hyperliquid's perpetuals are named by their coin (`BTC`, `ETH`, `kPEPE`):
 * linear, USDC-margined, size (`szi`, `sz`) in the coin, prices in USD paid in USDC (Hyperliquid docs,
 * "Trading → Contract specifications": "Perpetuals … collateral USDC, 1 contract = 1 unit of the coin"), so they
 * are stored as `<coin>/USDC:USDC` like ccxt's Hyperliquid markets. Spot pairs (`HYPE/USDC`, or an index
 * name such as `@107`) are balances, not instruments: this parser refuses them by name.
 */
import type { Instrument } from '../../../shared/instrument'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

/** Hyperliquid coin names: letters and digits, a leading lower-case `k` for the 1,000-unit contracts (`kPEPE`). */
const COIN_RE = /^k?[A-Z0-9]{1,20}$/

/** @throws VenueInstrumentError for a spot pair or a name that is not a perpetual's coin. */
export function parseHyperliquidInstrument(coin: string): Instrument {
  if (coin.includes('/') || coin.startsWith('@'))
    throw new VenueInstrumentError('hyperliquid', coin, 'a spot pair: Hyperliquid spot holdings are balances (spotClearinghouseState), not positions')
  if (!COIN_RE.test(coin)) throw new VenueInstrumentError('hyperliquid', coin, 'expected a perpetual named by its coin, e.g. BTC, ETH or kPEPE')
  return buildInstrument({
    venue: 'hyperliquid', name: coin, kind: 'perpetual', base: coin, quote: 'USDC', settle: 'USDC', contractSize: '1', contractSizeUnit: 'coin', quantityUnit: 'coin',
  })
}

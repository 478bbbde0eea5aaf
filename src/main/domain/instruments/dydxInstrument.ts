/**
 * dYdX v4 names → instruments. dYdX v4 lists perpetuals only, named by their ticker `BASE-USD` (`BTC-USD`,
 * `ETH-USD`, `1INCH-USD`): linear, margined and settled in USDC, size in the base coin, prices (oracle, fills,
 * entry) in USD paid in USDC (dYdX docs "Margining": account value = USDC balance + Σ size × oracle price;
 * indexer `/v4/perpetualMarkets`: `stepSize` in the coin, `tickSize` in USD). Stored as `<BASE>/USDC:USDC`, as
 * ccxt names dYdX's markets.
 */
import type { Instrument } from '../../../shared/instrument'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

/** A dYdX ticker: the base (letters and digits) and `-USD`. */
const TICKER_RE = /^([A-Z0-9]{1,20})-USD$/

/** @throws VenueInstrumentError for a name that is not a `BASE-USD` perpetual ticker. */
export function parseDydxInstrument(ticker: string): Instrument {
  const m = TICKER_RE.exec(ticker)
  if (!m) throw new VenueInstrumentError('dydx', ticker, 'expected a perpetual ticker BASE-USD, e.g. BTC-USD or ETH-USD')
  const base = m[1]!
  return buildInstrument({
    venue: 'dydx', name: ticker, kind: 'perpetual', base, quote: 'USDC', settle: 'USDC', contractSize: '1', contractSizeUnit: 'coin', quantityUnit: 'coin',
  })
}

/**
 * dYdX v4 market margin parameters, one dated table per perpetual (`dydx.market.<TICKER>`), in the shape of the
 * indexer's `/v4/perpetualMarkets` fields: base initial margin fraction (IMF), maintenance margin fraction (MMF),
 * the open-interest caps of the market's liquidity tier (USDC of open notional) and the open interest (coin) at
 * the time of the entry. A `riskdesk import` of a perpetualMarkets response adds an entry per market
 * (importers/venues/dydx/dydxMarkets.ts); the built-in entries below are the mainnet values of BTC-USD and
 * ETH-USD. Sources: dYdX docs "Margining" (docs.dydx.exchange, concepts-trading/margin; v4-documentation
 * docs/pages/concepts/trading/margin.mdx), indexer comlink `perpetualMarketToResponseObject` (IMF =
 * initialMarginPpm, MMF = initialMarginPpm × maintenanceFractionPpm, caps in human USDC).
 */
import type { DatedTable } from './datedTable'

/** One market's parameters; decimal strings. */
export interface DydxMarketValues {
  /** Base IMF (decimal fraction, 0 < IMF ≤ 1), before the open-interest scaling. */
  initialMarginFraction: string
  /** MMF (decimal fraction, 0 ≤ MMF ≤ IMF); not scaled by open interest. */
  maintenanceMarginFraction: string
  /** Open notional (USDC) below which the IMF is the base; 0 and 0 = scaling off (the protocol's "upper cap 0"). */
  openInterestLowerCap: string
  /** Open notional (USDC) at which the IMF reaches 100 %. */
  openInterestUpperCap: string
  /** The market's open interest in the coin when the entry was recorded; null when not known. */
  openInterest: string | null
}

const MAINNET_SOURCE =
  'dYdX v4 mainnet indexer GET /v4/perpetualMarkets response, recorded in github.com/nautechsystems/nautilus_trader tests/test_data/dydx/http/list_perpetual_markets.json (commit 1ac7dde8; the response carries no time: BTC oracle 68526.44763, ETH 3264.309572)'
const MAINNET_NOTE =
  "Observed values; the day they took effect is not stated. The ETH-USD IMF 0.05 is also what a mainnet subaccount response of 2024-08 implies (equity − freeCollateral = 0.05 × |size × oracle|, test/fixtures/dydx). The markets' liquidity tier has open-interest caps 0 and 0: the IMF is not scaled."

function table(ticker: string, values: DydxMarketValues): DatedTable<DydxMarketValues> {
  return {
    id: `dydx.market.${ticker}`,
    description: `dYdX v4 ${ticker} margin fractions and open-interest caps (USDC)`,
    entries: [{ asOf: '2024-08-01', dateBasis: 'observed', sources: [MAINNET_SOURCE], note: MAINNET_NOTE, values }],
  }
}

export const DYDX_MARKET_TABLES: Readonly<Record<string, DatedTable<DydxMarketValues>>> = {
  'BTC-USD': table('BTC-USD', { initialMarginFraction: '0.05', maintenanceMarginFraction: '0.03', openInterestLowerCap: '0', openInterestUpperCap: '0', openInterest: '717.0347' }),
  'ETH-USD': table('ETH-USD', { initialMarginFraction: '0.05', maintenanceMarginFraction: '0.03', openInterestLowerCap: '0', openInterestUpperCap: '0', openInterest: '17208.407' }),
}

/**
 * Instrument vocabulary shared by every layer (DESIGN.md §3), each enum declared once as zod with its
 * TypeScript type inferred. No Node, DOM or Electron here.
 */
import { z } from 'zod'

/** `spot`, `future` (dated), `perpetual` (perpetual swap) or `option` (European call/put). */
export const instrumentKind = z.enum(['spot', 'future', 'perpetual', 'option'])
export type InstrumentKind = z.infer<typeof instrumentKind>

/**
 * `linear`: quote-settled (USD, USDT, USDC); P&L in the quote currency.
 * `inverse`: coin-settled with a USD face value; P&L in coin = contracts × face × (1/entry − 1/exit).
 */
export const settlement = z.enum(['linear', 'inverse'])
export type Settlement = z.infer<typeof settlement>

export const optionType = z.enum(['call', 'put'])
export type OptionType = z.infer<typeof optionType>

/**
 * Unit of a position's quantity, as the venue states it.
 * `coin`: units of the underlying (Deribit options, linear perpetuals, spot);
 * `usd`: USD face value (Deribit inverse futures and perpetuals: `size` is in USD).
 */
export const quantityUnit = z.enum(['coin', 'usd'])
export type QuantityUnit = z.infer<typeof quantityUnit>

/**
 * Unit of the instrument's quoted price (mark price, entry price).
 * `coin`: in a coin — the underlying for inverse options (Deribit options are quoted in BTC/ETH), or the
 *   quote coin of a cross spot pair such as LTC/BTC (`priceCurrency` names it);
 * `usd`: in USD or a USD stablecoin (futures, perpetuals, linear options, spot against USD/USDT/USDC).
 */
export const priceUnit = z.enum(['coin', 'usd'])
export type PriceUnit = z.infer<typeof priceUnit>

/** One tradable instrument, as the venue defines it. */
export interface Instrument {
  /** Venue id, lower case: `deribit`, `binance`, `bybit`, `okx`, `bitmex`. */
  venue: string
  /** The venue's own instrument name, e.g. `BTC-26JUN20-9000-C`, `BTC-PERPETUAL`, `BTCUSD_PERP`. */
  name: string
  /**
   * Canonical id across venues: the ccxt-style unified symbol `BASE/QUOTE:SETTLE[-YYMMDD[-STRIKE-C|P]]`
   * (`BTC/USD:BTC` inverse perpetual, `BTC/USDT:USDT-241227` linear future, `BTC/USD:BTC-200626-9000-C`
   * inverse option, `LTC/BTC` spot). Inverse when quote ≠ settle. Unique per venue (venue + symbol).
   */
  symbol: string
  kind: InstrumentKind
  settlement: Settlement
  /** Underlying coin, e.g. `BTC`. */
  underlying: string
  /** Currency the price is expressed in on the venue's screen, e.g. `USD` (inverse) or `USDC`. */
  quoteCurrency: string
  /** Currency P&L and margin are paid in, e.g. `BTC` (inverse) or `USDC` (linear). */
  settlementCurrency: string
  /**
   * Contract size as a decimal string, in `contractSizeUnit`: Deribit BTC inverse futures 10 (USD), ETH 1
   * (USD); Deribit options 1 (coin). Informational: quantities are stored in `quantityUnit`, not contracts.
   */
  contractSize: string
  contractSizeUnit: QuantityUnit
  quantityUnit: QuantityUnit
  priceUnit: PriceUnit
  /** Currency of the price as a code (`USD`, `USDT`, `BTC`): the quote currency, or the underlying for
   * coin-quoted (inverse) options. Realized P&L of linear instruments is in this currency. */
  priceCurrency: string
  /** Expiry instant, ms since epoch UTC; null for spot and perpetuals. */
  expiryMs: number | null
  /** Strike in USD (quote currency); null unless an option. */
  strike: number | null
  optionType: OptionType | null
}

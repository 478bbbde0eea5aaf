/**
 * Bybit symbols → instruments, per v5 `category` (the position list and the transaction logs say which).
 *
 * Sources: Bybit v5 API docs "Enums: category" and instruments-info; Bybit help "What is Inverse Contract?"
 * (inverse quantity set in USD, 1 contract = 1 USD: the contract-spec table).
 *  - inverse  `BTCUSD` perpetual, `BTCUSDH24` quarterly (month code + year, last Friday 08:00 UTC): quantity
 *             in USD, margin and P&L in the coin;
 *  - linear   `BTCUSDT` USDT perpetual, `BTCPERP` / `ETHPERP` USDC perpetual, `BTC-29MAR24` USDC future:
 *             quantity in coin;
 *  - option   `BTC-29MAR24-60000-C`: USDC-settled, premium in USDC, quantity in coin, 08:00 UTC;
 *  - spot     `BTCUSDT` stored as `BTC/USDT` (see binanceInstrument.ts for why).
 */
import type { Instrument } from '../../../shared/instrument'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { requireContractSpec, type ContractSpecTable } from './contractSpecs'
import { parseDayMonYY, parseMonthCodeExpiry } from './expiry'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

export type BybitCategory = 'linear' | 'inverse' | 'option' | 'spot'

const SPOT_QUOTES = ['USDT', 'USDC', 'BTC', 'ETH', 'EUR', 'DAI']

/** The category a derivatives symbol belongs to by its shape, or null when the shape says nothing. */
export function bybitCategoryOf(symbol: string): BybitCategory | null {
  if (/^[A-Z0-9]+-\d{1,2}[A-Z]{3}\d{2}-\d+(\.\d+)?-[CP]$/.test(symbol)) return 'option'
  if (/^[A-Z0-9]+USD([FGHJKMNQUVXZ]\d{2})?$/.test(symbol)) return 'inverse'
  if (/^[A-Z0-9]+(USDT|PERP)$/.test(symbol) || /^[A-Z0-9]+-\d{1,2}[A-Z]{3}\d{2}$/.test(symbol)) return 'linear'
  return null
}

/** @throws VenueInstrumentError; MissingContractSpecError for an inverse symbol without a table row. */
export function parseBybitInstrument(symbol: string, category: BybitCategory, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
  const coin = { contractSize: '1', contractSizeUnit: 'coin' as const, quantityUnit: 'coin' as const }
  switch (category) {
    case 'spot': {
      const quote = SPOT_QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length)
      const base = quote ? symbol.slice(0, -quote.length).replace(/\/$/, '') : undefined
      if (!quote || !base || !/^[A-Z0-9]+$/.test(base))
        throw new VenueInstrumentError('bybit', symbol, `a spot pair ending in ${SPOT_QUOTES.join(', ')}, e.g. BTCUSDT`)
      return buildInstrument({ venue: 'bybit', name: `${base}/${quote}`, kind: 'spot', base, quote, settle: quote, ...coin })
    }
    case 'inverse': {
      const m = /^([A-Z0-9]+)USD(?:([FGHJKMNQUVXZ])(\d{2}))?$/.exec(symbol)
      if (!m) throw new VenueInstrumentError('bybit', symbol, 'an inverse symbol such as BTCUSD or BTCUSDH24')
      const base = m[1]!
      const expiryMs = m[2] === undefined ? null : parseMonthCodeExpiry(m[2], m[3]!, 8)
      const kind = expiryMs === null ? ('perpetual' as const) : ('future' as const)
      const spec = requireContractSpec(specs, 'bybit', symbol, kind)
      return buildInstrument({
        venue: 'bybit', name: symbol, kind, base, quote: 'USD', settle: base, expiryMs,
        contractSize: spec.contractSize, contractSizeUnit: spec.unit, quantityUnit: 'usd',
      })
    }
    case 'linear': {
      let m = /^([A-Z0-9]+?)(USDT)$/.exec(symbol)
      if (m) return buildInstrument({ venue: 'bybit', name: symbol, kind: 'perpetual', base: m[1]!, quote: 'USDT', settle: 'USDT', ...coin })
      m = /^([A-Z0-9]+)PERP$/.exec(symbol)
      if (m) return buildInstrument({ venue: 'bybit', name: symbol, kind: 'perpetual', base: m[1]!, quote: 'USDC', settle: 'USDC', ...coin })
      m = /^([A-Z0-9]+)-(\d{1,2}[A-Z]{3}\d{2})$/.exec(symbol)
      const expiryMs = m ? parseDayMonYY(m[2]!, 8) : null
      if (m && expiryMs !== null)
        return buildInstrument({ venue: 'bybit', name: symbol, kind: 'future', base: m[1]!, quote: 'USDC', settle: 'USDC', expiryMs, ...coin })
      throw new VenueInstrumentError('bybit', symbol, 'a linear symbol such as BTCUSDT, BTCPERP or BTC-29MAR24')
    }
    case 'option': {
      const m = /^([A-Z0-9]+)-(\d{1,2}[A-Z]{3}\d{2})-(\d+(?:\.\d+)?)-([CP])$/.exec(symbol)
      const expiryMs = m ? parseDayMonYY(m[2]!, 8) : null
      if (!m || expiryMs === null) throw new VenueInstrumentError('bybit', symbol, 'an option symbol such as BTC-29MAR24-60000-C')
      return buildInstrument({
        venue: 'bybit', name: symbol, kind: 'option', base: m[1]!, quote: 'USDC', settle: 'USDC', expiryMs,
        strike: Number(m[3]), optionType: m[4] === 'C' ? 'call' : 'put', ...coin,
      })
    }
  }
}

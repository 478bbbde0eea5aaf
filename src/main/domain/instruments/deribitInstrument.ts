/**
 * Deribit instrument names → instruments.
 *
 * Source: Deribit API docs, "Naming" and `public/get_instruments` (docs.deribit.com), and Deribit's contract
 * specifications:
 *  - `BTC-PERPETUAL`            inverse perpetual, size in USD (contract 10 USD for BTC, 1 USD otherwise);
 *  - `BTC-25SEP20`              inverse future expiring 08:00 UTC on 25 Sep 2020, size in USD;
 *  - `BTC-26JUN20-9000-C`       inverse (coin-settled) European option, size in coin, premium in coin;
 *  - `BTC_USDC-PERPETUAL`, `BTC_USDC-27DEC24`          linear USDC perpetual / future, size in coin;
 *  - `SOL_USDC-27DEC24-250-P`, `XRP_USDC-…-0d625-C`    linear USDC option, size in coin, premium in USDC
 *    (`d` stands for the decimal point in a strike);
 *  - `BTC_USDC`                 spot pair, size in coin.
 * Every Deribit expiry is at 08:00 UTC.
 */
import type { Instrument } from '../../../shared/instrument'

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const EXPIRY_HOUR_UTC = 8

/** Thrown for a name that is not a Deribit instrument; the message says what form was expected. */
export class InstrumentNameError extends Error {
  constructor(
    readonly instrumentName: string,
    reason: string,
  ) {
    super(
      `"${instrumentName}" is not a Deribit instrument name (${reason}); expected e.g. BTC-PERPETUAL, ` +
        'BTC-25SEP20, BTC-26JUN20-9000-C, BTC_USDC-PERPETUAL',
    )
    this.name = 'InstrumentNameError'
  }
}

/**
 * Parses a Deribit expiry code `DMMMYY` (e.g. `5JUN20`, `26JUN20`) into ms since epoch at 08:00 UTC.
 * Returns null when the code is not a valid calendar date.
 */
export function parseDeribitExpiry(code: string): number | null {
  const m = /^(\d{1,2})([A-Z]{3})(\d{2})$/.exec(code)
  if (!m) return null
  const month = MONTHS.indexOf(m[2]!)
  if (month < 0) return null
  const day = Number(m[1])
  const year = 2000 + Number(m[3])
  const ms = Date.UTC(year, month, day, EXPIRY_HOUR_UTC)
  // Reject 31FEB20 and the like: Date.UTC rolls them over into the next month.
  if (new Date(ms).getUTCDate() !== day) return null
  return ms
}

function parseStrike(text: string): number | null {
  if (!/^\d+(d\d+)?$/.test(text)) return null
  const strike = Number(text.replace('d', '.'))
  return strike > 0 ? strike : null
}

/**
 * Parses a Deribit instrument name.
 * @throws InstrumentNameError when the name does not follow Deribit's naming.
 */
export function parseDeribitInstrument(name: string): Instrument {
  const parts = name.split('-')
  const pair = parts[0] ?? ''
  const pairMatch = /^([A-Z0-9]+)(?:_(USDC|USDT))?$/.exec(pair)
  if (!pairMatch) throw new InstrumentNameError(name, `unknown currency pair "${pair}"`)
  const underlying = pairMatch[1]!
  const linearQuote = pairMatch[2]
  const linear = linearQuote !== undefined
  const base = {
    venue: 'deribit',
    name,
    underlying,
    settlement: linear ? ('linear' as const) : ('inverse' as const),
    quoteCurrency: linear ? linearQuote : 'USD',
    settlementCurrency: linear ? linearQuote : underlying,
  }
  const coinSized = {
    contractSize: '1',
    contractSizeUnit: 'coin' as const,
    quantityUnit: 'coin' as const,
  }
  const inverseFutureSized = {
    contractSize: underlying === 'BTC' ? '10' : '1',
    contractSizeUnit: 'usd' as const,
    quantityUnit: 'usd' as const,
  }

  if (parts.length === 1) {
    if (!linear) throw new InstrumentNameError(name, 'a spot pair needs a quote currency, e.g. BTC_USDC')
    return {
      ...base,
      ...coinSized,
      kind: 'spot',
      priceUnit: 'usd',
      expiryMs: null,
      strike: null,
      optionType: null,
    }
  }
  if (parts.length === 2) {
    const perpetual = parts[1] === 'PERPETUAL'
    const expiryMs = perpetual ? null : parseDeribitExpiry(parts[1]!)
    if (!perpetual && expiryMs === null)
      throw new InstrumentNameError(name, `"${parts[1]}" is neither PERPETUAL nor an expiry like 25SEP20`)
    return {
      ...base,
      ...(linear ? coinSized : inverseFutureSized),
      kind: perpetual ? 'perpetual' : 'future',
      priceUnit: 'usd',
      expiryMs,
      strike: null,
      optionType: null,
    }
  }
  if (parts.length === 4) {
    const expiryMs = parseDeribitExpiry(parts[1]!)
    if (expiryMs === null) throw new InstrumentNameError(name, `"${parts[1]}" is not an expiry like 26JUN20`)
    const strike = parseStrike(parts[2]!)
    if (strike === null) throw new InstrumentNameError(name, `"${parts[2]}" is not a strike like 9000 or 0d625`)
    const flag = parts[3]
    if (flag !== 'C' && flag !== 'P') throw new InstrumentNameError(name, `"${flag}" is neither C nor P`)
    return {
      ...base,
      ...coinSized,
      kind: 'option',
      priceUnit: linear ? 'usd' : 'coin',
      expiryMs,
      strike,
      optionType: flag === 'C' ? 'call' : 'put',
    }
  }
  throw new InstrumentNameError(name, 'wrong number of "-"-separated parts')
}

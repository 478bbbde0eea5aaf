/**
 * Deribit instrument names → instruments.
 *
 * Source: Deribit API docs, "Naming" and `public/get_instruments` (docs.deribit.com), and Deribit's contract
 * specifications:
 *  - `BTC-PERPETUAL`            inverse perpetual, size in USD (contract 10 USD for BTC, 1 USD for ETH: the
 *                               contract-spec table, resources/contract-specs.json);
 *  - `BTC-25SEP20`              inverse future expiring 08:00 UTC on 25 Sep 2020, size in USD;
 *  - `BTC-26JUN20-9000-C`       inverse (coin-settled) European option, size in coin, premium in coin;
 *  - `BTC_USDC-PERPETUAL`, `BTC_USDC-27DEC24`          linear USDC perpetual / future, size in coin;
 *  - `SOL_USDC-27DEC24-250-P`, `XRP_USDC-…-0d625-C`    linear USDC option, size in coin, premium in USDC
 *    (`d` stands for the decimal point in a strike);
 *  - `BTC_USDC`                 spot pair, size in coin.
 * Every Deribit expiry is at 08:00 UTC. Canonical symbols: `BTC/USD:BTC`, `BTC/USD:BTC-200925`,
 * `BTC/USD:BTC-200626-9000-C`, `BTC/USDC:USDC`, `BTC/USDC`.
 */
import type { Instrument } from '../../../shared/instrument'
import { shorten } from '../../../shared/ranges'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { requireContractSpec, type ContractSpecTable } from './contractSpecs'
import { parseDayMonYY } from './expiry'
import { buildInstrument } from './instrumentBuilder'

const EXPIRY_HOUR_UTC = 8

/** Thrown for a name that is not a Deribit instrument; the message says what form was expected. */
export class InstrumentNameError extends Error {
  constructor(
    readonly instrumentName: string,
    reason: string,
  ) {
    super(
      `"${shorten(instrumentName, 80)}" is not a Deribit instrument name (${shorten(reason, 300)}); expected e.g. BTC-PERPETUAL, ` +
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
  return parseDayMonYY(code, EXPIRY_HOUR_UTC)
}

function parseStrike(text: string): number | null {
  if (!/^\d+(d\d+)?$/.test(text)) return null
  const strike = Number(text.replace('d', '.'))
  return strike > 0 ? strike : null
}

/**
 * Parses a Deribit instrument name.
 * @param specs contract-spec table for the USD face of inverse futures (default: the built-in table)
 * @throws InstrumentNameError when the name does not follow Deribit's naming;
 *   MissingContractSpecError for an inverse future whose contract size the table does not give.
 */
export function parseDeribitInstrument(name: string, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
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
    base: underlying,
    quote: linear ? linearQuote : 'USD',
    settle: linear ? linearQuote : underlying,
  }
  const coinSized = { contractSize: '1', contractSizeUnit: 'coin' as const, quantityUnit: 'coin' as const }

  if (parts.length === 1) {
    if (!linear) throw new InstrumentNameError(name, 'a spot pair needs a quote currency, e.g. BTC_USDC')
    return buildInstrument({ ...base, ...coinSized, kind: 'spot' })
  }
  if (parts.length === 2) {
    const perpetual = parts[1] === 'PERPETUAL'
    const expiryMs = perpetual ? null : parseDeribitExpiry(parts[1]!)
    if (!perpetual && expiryMs === null)
      throw new InstrumentNameError(name, `"${parts[1]}" is neither PERPETUAL nor an expiry like 25SEP20`)
    const kind = perpetual ? ('perpetual' as const) : ('future' as const)
    if (linear) return buildInstrument({ ...base, ...coinSized, kind, expiryMs })
    const spec = requireContractSpec(specs, 'deribit', name, kind)
    return buildInstrument({
      ...base,
      kind,
      expiryMs,
      contractSize: spec.contractSize,
      contractSizeUnit: spec.unit,
      quantityUnit: 'usd',
    })
  }
  if (parts.length === 4) {
    const expiryMs = parseDeribitExpiry(parts[1]!)
    if (expiryMs === null) throw new InstrumentNameError(name, `"${parts[1]}" is not an expiry like 26JUN20`)
    const strike = parseStrike(parts[2]!)
    if (strike === null) throw new InstrumentNameError(name, `"${parts[2]}" is not a strike like 9000 or 0d625`)
    const flag = parts[3]
    if (flag !== 'C' && flag !== 'P') throw new InstrumentNameError(name, `"${flag}" is neither C nor P`)
    return buildInstrument({
      ...base,
      ...coinSized,
      kind: 'option',
      // Inverse options are quoted in the underlying coin; linear ones in their quote stablecoin.
      priceCurrency: linear ? linearQuote : underlying,
      expiryMs,
      strike,
      optionType: flag === 'C' ? 'call' : 'put',
    })
  }
  throw new InstrumentNameError(name, 'wrong number of "-"-separated parts')
}

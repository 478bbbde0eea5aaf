/**
 * OKX instrument ids (`instId`) → instruments. Contract values (`ctVal`) come from the contract-spec table.
 *
 * Sources: OKX API v5 docs "Get instruments" (instId shapes, ctVal, ctValCcy, settleCcy); OKX help
 * "Futures contracts" (BTCUSD 100 USD face, BTCUSDT 0.01 BTC, settlement 08:00 UTC on the delivery Friday);
 * OKX announcement 2022-03-30 (option multipliers 0.01 BTC / 0.1 ETH).
 *  - `BTC-USDT` spot; `BTC-USDT-SWAP` linear perpetual; `BTC-USDT-241227` linear future: quantity in coin
 *    (contracts × ctVal coin);
 *  - `BTC-USD-SWAP`, `BTC-USD-241227`: inverse, quantity in USD (contracts × ctVal USD), P&L in BTC;
 *  - `BTC-USD-241227-60000-C`: coin-settled option, premium in BTC, quantity in coin (contracts × 0.01 BTC).
 */
import type { Instrument } from '../../../shared/instrument'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { requireContractSpec, type ContractSpecTable } from './contractSpecs'
import { parseYyMmDd } from './expiry'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

const EXPIRY_HOUR_UTC = 8

/**
 * @param specs contract-spec table; spot pairs need none
 * @throws VenueInstrumentError; MissingContractSpecError for a contract without a table row
 */
export function parseOkxInstrument(instId: string, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
  const parts = instId.split('-')
  const [base, quote] = parts
  if (!base || !quote || !/^[A-Z0-9]+$/.test(base) || !/^[A-Z0-9]+$/.test(quote))
    throw new VenueInstrumentError('okx', instId, 'an instId such as BTC-USDT, BTC-USDT-SWAP, BTC-USD-241227 or BTC-USD-241227-60000-C')
  const inverse = quote === 'USD'
  if (parts.length === 2)
    return buildInstrument({ venue: 'okx', name: instId, kind: 'spot', base, quote, settle: quote, contractSize: '1', contractSizeUnit: 'coin', quantityUnit: 'coin' })
  if (parts.length === 3) {
    const perpetual = parts[2] === 'SWAP'
    const expiryMs = perpetual ? null : parseYyMmDd(parts[2]!, EXPIRY_HOUR_UTC)
    if (!perpetual && expiryMs === null) throw new VenueInstrumentError('okx', instId, `"${parts[2]}" is neither SWAP nor a date YYMMDD`)
    const kind = perpetual ? ('perpetual' as const) : ('future' as const)
    const spec = requireContractSpec(specs, 'okx', instId, kind)
    return buildInstrument({
      venue: 'okx', name: instId, kind, base, quote, settle: inverse ? base : quote, expiryMs,
      contractSize: spec.contractSize, contractSizeUnit: spec.unit, quantityUnit: inverse ? 'usd' : 'coin',
    })
  }
  if (parts.length === 5) {
    const expiryMs = parseYyMmDd(parts[2]!, EXPIRY_HOUR_UTC)
    const strike = /^\d+(\.\d+)?$/.test(parts[3]!) ? Number(parts[3]) : null
    const flag = parts[4]
    if (expiryMs === null || strike === null || (flag !== 'C' && flag !== 'P'))
      throw new VenueInstrumentError('okx', instId, 'an option such as BTC-USD-241227-60000-C')
    const spec = requireContractSpec(specs, 'okx', instId, 'option')
    return buildInstrument({
      venue: 'okx', name: instId, kind: 'option', base, quote, settle: inverse ? base : quote, expiryMs, strike,
      optionType: flag === 'C' ? 'call' : 'put', priceCurrency: inverse ? base : quote,
      contractSize: spec.contractSize, contractSizeUnit: spec.unit, quantityUnit: 'coin',
    })
  }
  throw new VenueInstrumentError('okx', instId, 'wrong number of "-"-separated parts')
}

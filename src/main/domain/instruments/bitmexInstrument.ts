/**
 * BitMEX symbols → instruments. Riskdesk reads BitMEX's inverse Bitcoin contracts only; quanto contracts
 * (ETHUSD and the like: USD-quoted, paid in XBT at a fixed multiplier) are neither linear nor inverse and are
 * refused by name rather than mislabelled.
 *
 * Sources: BitMEX Inverse Perpetuals Guide (XBTUSD: multiplier 1 USD, P&L = contracts × 1 × (1/entry −
 * 1/exit) in XBT) and Inverse Futures Guide (XBT futures such as XBTZ20: 1 USD, settle on the last Friday of
 * the month, 12:00 UTC); BitMEX calls bitcoin XBT, the canonical symbol says BTC.
 */
import type { Instrument } from '../../../shared/instrument'
import { BUILT_IN_SPECS } from './builtInSpecs'
import { requireContractSpec, type ContractSpecTable } from './contractSpecs'
import { parseMonthCodeExpiry } from './expiry'
import { buildInstrument, VenueInstrumentError } from './instrumentBuilder'

/** @throws VenueInstrumentError for other symbols (quanto, linear, unknown); MissingContractSpecError. */
export function parseBitmexInstrument(symbol: string, specs: ContractSpecTable = BUILT_IN_SPECS): Instrument {
  const future = /^XBT([FGHJKMNQUVXZ])(\d{2})$/.exec(symbol)
  if (symbol !== 'XBTUSD' && !future)
    throw new VenueInstrumentError('bitmex', symbol, 'Riskdesk reads the inverse XBTUSD perpetual and XBT futures such as XBTZ20; quanto and linear BitMEX contracts are not supported')
  const kind = future ? ('future' as const) : ('perpetual' as const)
  const expiryMs = future ? parseMonthCodeExpiry(future[1]!, future[2]!, 12) : null
  const spec = requireContractSpec(specs, 'bitmex', symbol, kind)
  return buildInstrument({
    venue: 'bitmex', name: symbol, kind, base: 'BTC', quote: 'USD', settle: 'BTC', expiryMs,
    contractSize: spec.contractSize, contractSizeUnit: spec.unit, quantityUnit: 'usd',
  })
}

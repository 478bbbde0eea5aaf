/**
 * ccxt `fetchPositions` output (JSON array of unified positions; ccxt Manual "Position structure"; research
 * note exchange-formats.md). ccxt does not write the exchange into a position, so the venue must be stated
 * (`--venue`). Each position is read through its venue's own instrument name, taken from `info`
 * (`instrument_name` on Deribit, `instId` on OKX, `symbol` elsewhere), and its canonical symbol must equal
 * ccxt's unified `symbol` — a mismatch means the wrong venue or a misread instrument, and is reported.
 *
 * Quantity: `contracts` × `contractSize` (ccxt's contract size: coin for linear, USD for inverse), or ×
 * the contract-spec table's size when ccxt left it undefined (they must agree when both exist). Pitfall
 * handled: for Deribit ccxt's `contracts` is the venue's USD size, so Deribit positions take `info.size`.
 * `side` long/short signs it; `entryPrice`, `markPrice` in the instrument's price unit; `timestamp` ms.
 */
import { RANGES } from '../../../../shared/ranges'
import type { Instrument } from '../../../../shared/instrument'
import { parseVenueInstrument, SUPPORTED_VENUES } from '../../../domain/instruments/venueInstrument'
import { D } from '../../../domain/trades/decimal'
import { readVenueMargin } from '../../core/venueMarginFields'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import type { JsonDocument } from '../../core/jsonDocument'
import { jsonChild } from '../../core/jsonDocument'
import { arrayAt, elements, JsonElement, objectsWith } from '../../core/jsonRows'

const NATIVE_KEYS: Record<string, string> = { deribit: 'instrument_name', okx: 'instId' }

function read(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, [])!
  const venue = ctx.options.venue
  if (!venue || !(SUPPORTED_VENUES as readonly string[]).includes(venue)) {
    ctx.sink.issue({
      file: ctx.file, line: 1, column: null, value: venue,
      message: `ccxt positions do not name their exchange: give the venue (riskdesk import --venue ${SUPPORTED_VENUES.join('|')})`,
    })
    return arr.children?.length ?? 0
  }
  const account = ctx.options.account ?? 'main'
  const quotes: ImportedQuote[] = []
  ctx.sink.account(venue, account)
  for (const e of elements(ctx, doc, arr)) {
    const symbol = e.str('symbol')
    const side = e.str('side', { optional: true })
    const contracts = e.dec('contracts', { nonNegative: true, optional: true })
    const entry = e.dec('entryPrice', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const mark = e.dec('markPrice', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const ts = e.ms('timestamp', { optional: true })
    if (e.failed || !symbol || side === undefined || contracts === undefined || entry === undefined || mark === undefined || ts === undefined) continue
    // A zero position is skipped (and counted) before its instrument is read: it needs no contract size.
    if (!contracts || contracts.isZero() || side === '') {
      ctx.sink.skip({ line: e.line, reason: `zero position in ${symbol}` })
      continue
    }
    const infoNode = jsonChild(e.node, ['info'])
    const nativeKey = NATIVE_KEYS[venue] ?? 'symbol'
    const infoEl = infoNode ? new JsonElement(ctx, doc, infoNode) : null
    const native = infoEl?.raw(nativeKey)
    if (!native) {
      e.issue('info', undefined, `expected info.${nativeKey}, the venue's own instrument name (ccxt keeps it in info)`)
      continue
    }
    let instrument: Instrument
    try {
      instrument = parseVenueInstrument(venue, native, ctx.options.specs)
    } catch (err) {
      e.issue('info', native, (err as Error).message)
      continue
    }
    if (instrument.symbol !== symbol) {
      e.issue('symbol', symbol, `${venue} ${native} is ${instrument.symbol} by Riskdesk's reading; ccxt says ${symbol} (wrong --venue?)`)
      continue
    }
    if (side !== 'long' && side !== 'short') {
      e.issue('side', side, 'expected long or short')
      continue
    }
    let quantity: D
    if (venue === 'deribit') {
      const size = infoEl!.dec('size')
      if (!size) continue
      if (size.isNegative() !== (side === 'short')) {
        e.issue('side', side, `info.size ${size.toFixed()} has the other sign`)
        continue
      }
      quantity = size
    } else {
      const ccxtSize = e.dec('contractSize', { positive: true, optional: true })
      if (ccxtSize === undefined) continue
      if (ccxtSize && !ccxtSize.eq(instrument.contractSize)) {
        e.issue('contractSize', ccxtSize.toFixed(), `the contract-spec table says ${instrument.contractSize} ${instrument.contractSizeUnit} for ${native}`)
        continue
      }
      const size = contracts.times(ccxtSize ?? instrument.contractSize)
      quantity = side === 'short' ? size.neg() : size
    }
    if (!entry || entry.isZero()) {
      e.issue('entryPrice', e.raw('entryPrice'), 'expected the entry price of an open position')
      continue
    }
    // ccxt's `collateral` includes the unrealized P&L, so it is not the isolated margin: not read.
    const venueMargin = readVenueMargin(e, {
      file: 'ccxt fetchPositions',
      currency: instrument.settlementCurrency,
      leverage: 'leverage',
      mode: { key: 'marginMode', cross: ['cross'], isolated: ['isolated'] },
      liquidationPrice: 'liquidationPrice',
      initialMargin: 'initialMargin',
      maintenanceMargin: 'maintenanceMargin',
    })
    if (venueMargin === undefined) continue
    ctx.sink.position({ venue, account, instrument, quantity: quantity.toFixed(), entryPrice: entry.toFixed(), entryTime: null, note: null, line: e.line, venueMargin })
    if (mark && mark.gt(0))
      quotes.push({ instrument, ts: ts ?? ctx.options.receivedAt, markPrice: mark.toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null, source: 'ccxt position markPrice' })
  }
  if (quotes.length > 0) ctx.sink.market({ venue, asOf: Math.max(...quotes.map((q) => q.ts)), quotes, indices: [] })
  return arr.children?.length ?? 0
}

export const ccxtPositionsFormat: JsonFormat = {
  type: 'json', id: 'ccxt-positions', content: 'positions', venue: null,
  description: 'ccxt fetchPositions JSON (unified positions with info); needs --venue',
  detect: (v) => objectsWith(v, ['symbol', 'contracts', 'side', 'entryPrice', 'info']),
  read,
}

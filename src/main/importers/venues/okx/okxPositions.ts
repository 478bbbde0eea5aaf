/**
 * OKX positions JSON: GET /api/v5/account/positions, `{code, msg, data: [...]}` or the bare array (OKX API
 * v5 docs, "Get positions"; research note exchange-formats.md).
 *
 * `pos` is in contracts (options and derivatives) — signed in net mode (`posSide` net), unsigned with
 * `posSide` long/short in long/short mode — multiplied by the contract value `ctVal` of the contract-spec
 * table (0.01 BTC for BTC-USDT-SWAP, 100 USD for BTC-USD-SWAP, 0.01 BTC for BTC-USD options); `avgPx`,
 * `markPx` in the instrument's price unit (coin for BTC-USD options); `uTime` ms. Zero positions are skipped.
 * Margin terms and OKX's own figures (`lever`, `mgnMode`, isolated `margin`, `liqPx`, `imr`, `mmr` in `ccy`)
 * are kept with the position (venueMarginFields.ts). Greeks (deltaBS/deltaPA…) are not stored. The file names no account (`--account`, default `main`).
 */
import { RANGES } from '../../../../shared/ranges'
import { parseOkxInstrument } from '../../../domain/instruments/okxInstrument'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import type { JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements, objectsWith } from '../../core/jsonRows'
import { readVenueMargin } from '../../core/venueMarginFields'
import { InstrumentCache } from '../../core/logSupport'

function dataOf(v: unknown): unknown {
  return Array.isArray(v) ? v : (v as { data?: unknown } | null)?.data
}

function read(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['data']) ?? arrayAt(doc, [])!
  const account = ctx.options.account ?? 'main'
  const instruments = new InstrumentCache((id) => parseOkxInstrument(id, ctx.options.specs))
  const quotes: ImportedQuote[] = []
  ctx.sink.account('okx', account)
  for (const e of elements(ctx, doc, arr)) {
    const instId = e.str('instId')
    const posSide = e.str('posSide', { pattern: /^(net|long|short)$/, expected: 'net, long or short' })
    const pos = e.dec('pos')
    const avg = e.dec('avgPx', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const mark = e.dec('markPx', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const updated = e.ms('uTime', { optional: true })
    if (e.failed || !instId || !posSide || !pos || avg === undefined || mark === undefined || updated === undefined) continue
    const instrument = instruments.get(instId)
    if (instrument instanceof Error) {
      e.issue('instId', instId, instrument.message)
      continue
    }
    if (pos.isZero()) {
      ctx.sink.skip({ line: e.line, reason: `zero position in ${instId} (${posSide})` })
      continue
    }
    if (posSide !== 'net' && pos.isNegative()) {
      e.issue('pos', pos.toFixed(), `expected a positive size for posSide ${posSide}`)
      continue
    }
    if (!avg || avg.isZero()) {
      e.issue('avgPx', e.raw('avgPx'), 'expected the average price of an open position')
      continue
    }
    const signed = posSide === 'short' ? pos.neg() : pos
    const quantity = instrument.kind === 'spot' ? signed : signed.times(instrument.contractSize)
    const venueMargin = readVenueMargin(e, {
      file: 'okx positions',
      currency: e.raw('ccy') || instrument.settlementCurrency,
      leverage: 'lever',
      mode: { key: 'mgnMode', cross: ['cross'], isolated: ['isolated'] },
      isolatedMargin: 'margin',
      liquidationPrice: 'liqPx',
      initialMargin: 'imr',
      maintenanceMargin: 'mmr',
    })
    if (venueMargin === undefined) continue
    ctx.sink.position({
      venue: 'okx', account, instrument, quantity: quantity.toFixed(), entryPrice: avg.toFixed(), entryTime: null,
      note: posSide === 'net' ? null : `${posSide} side (long/short mode)`, line: e.line, venueMargin,
    })
    if (mark && mark.gt(0))
      quotes.push({ instrument, ts: updated ?? ctx.options.receivedAt, markPrice: mark.toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null, source: 'okx positions markPx' })
  }
  if (quotes.length > 0) ctx.sink.market({ venue: 'okx', asOf: Math.max(...quotes.map((q) => q.ts)), quotes, indices: [] })
  return arr.children?.length ?? 0
}

export const okxPositionsFormat: JsonFormat = {
  type: 'json', id: 'okx-positions', content: 'positions', venue: 'okx',
  description: 'OKX account positions JSON (pos in contracts × ctVal; net or long/short mode)',
  detect: (v) => objectsWith(dataOf(v), ['instId', 'pos', 'posSide', 'avgPx']),
  read,
}

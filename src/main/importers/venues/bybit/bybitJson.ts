/**
 * Bybit v5 API dumps (JSON responses `{retCode, result: {category?, list: [...]}}`). Samples:
 * data/real/bybit/ (SOURCES.md); field meanings from Bybit v5 API docs.
 *
 *  - bybit-positions: GET /v5/position/list. `size` unsigned with `side` Buy/Sell (None/empty = flat: skipped
 *    and counted); inverse `size` in USD contracts (1 USD each), linear in coin; `avgPrice`, `markPrice` in
 *    USD(T/C); `positionValue` (coin for inverse, quote for linear) is checked against the size and average
 *    price; `updatedTime` ms (else the response `time`).
 *  - bybit-transaction-log-json: GET /v5/account/transaction-log. TRADE rows are fills (`qty` traded,
 *    `size` the position after: unsigned, checked), SETTLEMENT rows funding, transfers cash; amounts from
 *    the account's side in `change`; `fee` > 0 paid; `cashBalance` the balance after the row. The list is
 *    newest first: rows with equal times keep that order reversed.
 *  - bybit-executions: GET /v5/execution/list: fills (`execQty`, `execPrice`, `execFee` > 0 paid in the
 *    contract's settlement coin when `feeCurrency` is empty, as for derivatives; `seq` orders fills).
 *  - bybit-closed-pnl: GET /v5/position/closed-pnl: one realized P&L per closed position (`closedPnl`, after
 *    fees, in the settlement coin); `side` is the closing order's side. No fills, no positions.
 */
import { RANGES } from '../../../../shared/ranges'
import type { Instrument } from '../../../../shared/instrument'
import { bybitCategoryOf, parseBybitInstrument, type BybitCategory } from '../../../domain/instruments/bybitInstrument'
import { VenueInstrumentError } from '../../../domain/instruments/instrumentBuilder'
import { D } from '../../../domain/trades/decimal'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import type { JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements, objectsWith, valueAt } from '../../core/jsonRows'
import { readVenueMargin } from '../../core/venueMarginFields'
import { InstrumentCache } from '../../core/logSupport'

const CATEGORIES = ['linear', 'inverse', 'option', 'spot']

function listOf(v: unknown): unknown {
  return (v as { result?: { list?: unknown } } | null)?.result?.list
}

function instrumentsFor(ctx: FormatContext, category: string | undefined): InstrumentCache {
  return new InstrumentCache((s) => {
    const c = (CATEGORIES.includes(category ?? '') ? category : bybitCategoryOf(s)) as BybitCategory | null
    if (!c) throw new VenueInstrumentError('bybit', s, 'the response names no category and the symbol does not say it')
    return parseBybitInstrument(s, c, ctx.options.specs)
  })
}

function readPositions(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['result', 'list'])!
  const category = valueAt(doc, ['result', 'category']) as string | undefined
  const responseTime = valueAt(doc, ['time'])
  const account = ctx.options.account ?? 'main'
  const instruments = instrumentsFor(ctx, category)
  const quotes: ImportedQuote[] = []
  ctx.sink.account('bybit', account)
  for (const e of elements(ctx, doc, arr)) {
    const symbol = e.str('symbol')
    const side = e.str('side', { optional: true })
    const size = e.dec('size', { nonNegative: true })
    const avg = e.dec('avgPrice', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const mark = e.dec('markPrice', { nonNegative: true, optional: true, range: RANGES.priceOrZero })
    const updated = e.ms('updatedTime', { optional: true })
    if (e.failed || !symbol || side === undefined || !size || avg === undefined || mark === undefined || updated === undefined) continue
    const instrument = instruments.get(symbol)
    if (instrument instanceof Error) {
      e.issue('symbol', symbol, instrument.message)
      continue
    }
    if (size.isZero() || side === 'None' || side === '') {
      ctx.sink.skip({ line: e.line, reason: `zero-size row of ${symbol} (side ${side || 'empty'})` })
      continue
    }
    if (side !== 'Buy' && side !== 'Sell') {
      e.issue('side', side, 'expected Buy, Sell or None')
      continue
    }
    if (!avg || avg.isZero()) {
      e.issue('avgPrice', e.raw('avgPrice'), 'expected the average entry price of an open position')
      continue
    }
    const quantity = instrument.quantityUnit === 'usd' ? size.times(instrument.contractSize) : size
    const value = e.dec('positionValue', { optional: true })
    if (value) {
      const expected = instrument.quantityUnit === 'usd' ? quantity.div(avg) : quantity.times(avg)
      if (!value.minus(expected).abs().lte(D.max(expected.times('1e-6'), new D('1e-8')))) {
        e.issue('positionValue', value.toFixed(), `expected ${instrument.quantityUnit === 'usd' ? 'size ÷ avgPrice (coin)' : 'size × avgPrice'} = ${expected.toSignificantDigits(10).toFixed()}`)
        continue
      }
    }
    const venueMargin = readVenueMargin(e, {
      file: 'bybit v5 position list',
      currency: instrument.settlementCurrency,
      leverage: 'leverage',
      mode: { key: 'tradeMode', cross: ['0'], isolated: ['1'] },
      isolatedMargin: 'positionBalance',
      liquidationPrice: 'liqPrice',
      initialMargin: 'positionIM',
      maintenanceMargin: 'positionMM',
    })
    if (venueMargin === undefined) continue
    // tradeMode 0 is cross on classic accounts but is written for every position under UTA 2.0, where the
    // field is deprecated: it does not tell the mode.
    if (venueMargin?.mode === 'cross') {
      venueMargin.mode = null
      venueMargin.source += '; tradeMode 0 does not tell the mode (UTA 2.0 writes 0 always)'
    }
    ctx.sink.position({
      venue: 'bybit', account, instrument, quantity: (side === 'Sell' ? quantity.neg() : quantity).toFixed(), entryPrice: avg.toFixed(),
      entryTime: null, note: null, line: e.line, venueMargin,
    })
    const ts = updated ?? (typeof responseTime === 'number' ? responseTime : ctx.options.receivedAt)
    if (mark && mark.gt(0))
      quotes.push({ instrument, ts, markPrice: mark.toFixed(), markIv: null, underlyingPrice: null, indexPrice: null, venueGreeks: null, source: 'bybit position list markPrice' })
  }
  if (quotes.length > 0) ctx.sink.market({ venue: 'bybit', asOf: Math.max(...quotes.map((q) => q.ts)), quotes, indices: [] })
  return arr.children?.length ?? 0
}

function readTransactionLog(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['result', 'list'])!
  const account = ctx.options.account ?? 'main'
  const caches = new Map<string, InstrumentCache>()
  const list = elements(ctx, doc, arr)
  list.forEach((e, index) => {
    const type = e.str('type')
    const symbol = e.str('symbol', { optional: true })
    const category = e.str('category', { optional: true })
    const currency = e.str('currency', { pattern: /^[A-Z0-9]{2,10}$/, expected: 'a currency code' })
    const time = e.ms('transactionTime')
    const change = e.dec('change', { optional: true })
    const balance = e.dec('cashBalance', { optional: true })
    if (e.failed || !type || symbol === undefined || category === undefined || !currency || !time || change === undefined || balance === undefined) return
    let cache = caches.get(category)
    if (!cache) caches.set(category, (cache = instrumentsFor(ctx, category || undefined)))
    const instrument: Instrument | Error | null = symbol === '' ? null : cache.get(symbol)
    if (instrument instanceof Error) return void e.issue('symbol', symbol, instrument.message)
    const seq = -index // the list is newest first
    if (balance !== null) ctx.sink.balance({ venue: 'bybit', account, currency, amount: balance.toFixed(), ts: time, source: 'log', line: e.line })
    if (type === 'TRADE') {
      if (!instrument) return void e.issue('symbol', symbol, 'a TRADE row needs a symbol')
      const side = e.str('side', { pattern: /^(Buy|Sell)$/, expected: 'Buy or Sell' })
      const qty = e.dec('qty', { positive: true })
      const price = e.dec('tradePrice', { positive: true, range: RANGES.price })
      const size = e.dec('size', { optional: true })
      const fee = e.dec('fee', { optional: true })
      const tradeId = e.str('tradeId')
      if (e.failed || !side || !qty || !price || size === undefined || fee === undefined || !tradeId) return
      const q = instrument.quantityUnit === 'usd' ? qty.times(instrument.contractSize) : qty
      ctx.sink.fill({
        venue: 'bybit', account, instrument, ts: time, seq, kind: 'trade', quantity: side === 'Buy' ? q : q.neg(), price, fee,
        feeCurrency: fee === null ? null : currency, venueRealizedPnl: null, venueRealizedCurrency: null,
        positionAfter: size === null ? null : (instrument.quantityUnit === 'usd' ? size.times(instrument.contractSize) : size).abs(),
        positionAfterUnsigned: true, key: `bybit:trade:${tradeId}`, line: e.line,
      })
      return
    }
    if (change === null) return void e.issue('change', e.raw('change'), `a ${type} row needs its change`)
    const kind = type === 'SETTLEMENT' ? 'funding' : /TRANSFER/.test(type) ? 'transfer' : 'other'
    ctx.sink.cash({
      venue: 'bybit', account, instrument, ts: time, kind, amount: change, currency, key: `bybit:${type}:${e.raw('tradeId') ?? e.raw('id')}`, line: e.line,
      note: kind === 'other' ? type : null,
    })
  })
  return list.length
}

function readExecutions(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['result', 'list'])!
  const category = valueAt(doc, ['result', 'category']) as string | undefined
  const account = ctx.options.account ?? 'main'
  const instruments = instrumentsFor(ctx, category)
  let feeNoted = false
  for (const e of elements(ctx, doc, arr)) {
    const symbol = e.str('symbol')
    const type = e.str('execType')
    const time = e.ms('execTime')
    const id = e.str('execId')
    if (e.failed || !symbol || !type || !time || !id) continue
    const instrument = instruments.get(symbol)
    if (instrument instanceof Error) {
      e.issue('symbol', symbol, instrument.message)
      continue
    }
    if (type !== 'Trade' && type !== 'BustTrade' && type !== 'Delivery') {
      ctx.sink.skip({ line: e.line, reason: `execType ${type} (not a fill)` })
      continue
    }
    const side = e.str('side', { pattern: /^(Buy|Sell)$/, expected: 'Buy or Sell' })
    const qty = e.dec('execQty', { positive: true })
    const price = e.dec('execPrice', { positive: true, range: RANGES.price })
    const fee = e.dec('execFee', { optional: true })
    const seqText = e.raw('seq')
    if (e.failed || !side || !qty || !price || fee === undefined) continue
    const feeCurrency = e.raw('feeCurrency') || instrument.settlementCurrency
    if (!e.raw('feeCurrency') && !feeNoted) {
      feeNoted = true
      ctx.sink.note(`execFee without feeCurrency is read in the contract's settlement coin (${instrument.settlementCurrency} for ${symbol}), as Bybit charges derivatives fees`)
    }
    const q = instrument.quantityUnit === 'usd' ? qty.times(instrument.contractSize) : qty
    ctx.sink.fill({
      venue: 'bybit', account, instrument, ts: time, seq: seqText && /^\d+$/.test(seqText) ? Number(seqText) : null,
      kind: type === 'Trade' ? 'trade' : type === 'Delivery' ? 'delivery' : 'liquidation', quantity: side === 'Buy' ? q : q.neg(), price,
      fee, feeCurrency: fee === null ? null : feeCurrency, venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null,
      positionAfterUnsigned: false, key: `bybit:exec:${id}`, line: e.line,
    })
  }
  return arr.children?.length ?? 0
}

function readClosedPnl(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, ['result', 'list'])!
  const category = valueAt(doc, ['result', 'category']) as string | undefined
  const account = ctx.options.account ?? 'main'
  const instruments = instrumentsFor(ctx, category)
  for (const e of elements(ctx, doc, arr)) {
    const symbol = e.str('symbol')
    const pnl = e.dec('closedPnl')
    const time = e.ms('updatedTime')
    const orderId = e.str('orderId')
    const entryValue = e.dec('cumEntryValue', { optional: true })
    const exitValue = e.dec('cumExitValue', { optional: true })
    const side = e.str('side', { pattern: /^(Buy|Sell)$/, expected: 'Buy or Sell' })
    if (e.failed || !symbol || !pnl || !time || !orderId || entryValue === undefined || exitValue === undefined || !side) continue
    const instrument = instruments.get(symbol)
    if (instrument instanceof Error) {
      e.issue('symbol', symbol, instrument.message)
      continue
    }
    let note = `closed by a ${side} order`
    if (entryValue && exitValue && instrument.quantityUnit === 'coin') {
      // The closing side sells a long (exit − entry) or buys back a short (entry − exit).
      const gross = side === 'Sell' ? exitValue.minus(entryValue) : entryValue.minus(exitValue)
      note += `; gross ${gross.toFixed()} ${instrument.settlementCurrency}, fees ≈ ${gross.minus(pnl).toFixed()} (closedPnl is after fees)`
    }
    ctx.sink.cash({ venue: 'bybit', account, instrument, ts: time, kind: 'realized_pnl', amount: pnl, currency: instrument.settlementCurrency, key: `bybit:closedpnl:${orderId}`, line: e.line, note })
  }
  return arr.children?.length ?? 0
}

export const bybitPositionsFormat: JsonFormat = {
  type: 'json', id: 'bybit-positions', content: 'positions', venue: 'bybit',
  description: 'Bybit v5 position list JSON (linear or inverse; inverse size in USD contracts)',
  detect: (v) => objectsWith(listOf(v), ['symbol', 'side', 'size', 'avgPrice', 'positionValue']),
  read: readPositions,
}
export const bybitTransactionLogJsonFormat: JsonFormat = {
  type: 'json', id: 'bybit-transaction-log-json', content: 'trades', venue: 'bybit',
  description: 'Bybit v5 account transaction-log JSON (TRADE fills, SETTLEMENT funding, transfers, cash balance)',
  detect: (v) => objectsWith(listOf(v), ['type', 'transactionTime', 'change', 'cashBalance', 'currency']),
  read: readTransactionLog,
}
export const bybitExecutionsFormat: JsonFormat = {
  type: 'json', id: 'bybit-executions', content: 'trades', venue: 'bybit',
  description: 'Bybit v5 execution list JSON (fills)',
  detect: (v) => objectsWith(listOf(v), ['execId', 'execQty', 'execPrice', 'execTime', 'side']),
  read: readExecutions,
}
export const bybitClosedPnlFormat: JsonFormat = {
  type: 'json', id: 'bybit-closed-pnl', content: 'trades', venue: 'bybit',
  description: 'Bybit v5 closed P&L JSON (realized P&L per closed position, after fees)',
  detect: (v) => objectsWith(listOf(v), ['closedPnl', 'avgEntryPrice', 'avgExitPrice', 'orderId']),
  read: readClosedPnl,
}

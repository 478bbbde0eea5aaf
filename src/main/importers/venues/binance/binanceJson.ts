/**
 * Binance futures API dumps (JSON, and JSON with `//` comments as Binance's docs print them). Samples:
 * data/real/binance/ (SOURCES.md); field meanings from Binance USDⓈ-M / COIN-M Futures API docs.
 *
 *  - binance-usdm-position-risk: GET /fapi/v2 or v3/positionRisk. `positionAmt` signed, in coin; `entryPrice`
 *    and `markPrice` in USDT/USDC; `positionSide` BOTH (one-way) or LONG/SHORT (hedge mode: each side is a
 *    position of its own); `updateTime` ms. Zero-size rows (hedge mode lists every side) are skipped and
 *    counted. `notional` (signed) is checked against positionAmt × markPrice.
 *  - binance-coinm-position-risk: GET /dapi/v1/positionRisk. Symbols `BTCUSD_PERP` / `BTCUSD_201225`;
 *    `positionAmt` in contracts, stored as USD face (× 100 USD for BTC, 10 USD otherwise: the contract-spec
 *    table); `unRealizedProfit` in coin (not stored).
 *  - binance-usdm-user-trades: GET /fapi/v1/userTrades: fills (`side` BUY/SELL, `qty` coin, `price`,
 *    `commission` in `commissionAsset` read as the fee paid — Binance's own sign, so a negative commission is
 *    a rebate — `realizedPnl` kept to compare); `quoteQty` is checked against price × qty.
 *  - binance-usdm-income: GET /fapi/v1/income: cash movements by `incomeType` (COMMISSION → fee paid =
 *    −income; FUNDING_FEE → funding; REALIZED_PNL → realized P&L; TRANSFER → transfer; others kept as other),
 *    `income` signed from the account's side, in `asset`.
 * The files name no account (`--account`, default `main`).
 */
import { RANGES } from '../../../../shared/ranges'
import { binanceFuturesMarket, parseBinanceInstrument } from '../../../domain/instruments/binanceInstrument'
import { D } from '../../../domain/trades/decimal'
import type { VenueMarginTerms } from '../../../../shared/venueMargin'
import type { FormatContext, JsonFormat } from '../../core/formatTypes'
import type { ImportedQuote } from '../../core/importTypes'
import type { JsonDocument } from '../../core/jsonDocument'
import { arrayAt, elements, objectsWith, type JsonElement } from '../../core/jsonRows'
import { readVenueMargin } from '../../core/venueMarginFields'
import { InstrumentCache } from '../../core/logSupport'

const POSITION_KEYS = ['symbol', 'positionAmt', 'entryPrice', 'markPrice', 'positionSide']
const isCoinM = (s: unknown) => typeof s === 'string' && binanceFuturesMarket(s) === 'coinm'

/**
 * The margin terms of a positionRisk row: `leverage` and `marginType` (v2, COIN-M; v3 has neither), the
 * isolated margin without unrealized P&L (`isolatedWallet`; COIN-M gives only `isolatedMargin`, which
 * Binance reports with the unrealized P&L in: isolatedMargin − unRealizedProfit), the venue's
 * `liquidationPrice`, and v3's `initialMargin` / `maintMargin` in `marginAsset`. v3 names no mode: a
 * position with an isolated wallet is isolated (a cross position's is 0), and the source says so.
 */
function positionRiskMargin(e: JsonElement, market: 'usdm' | 'coinm', settlementCurrency: string): VenueMarginTerms | null | undefined {
  const terms = readVenueMargin(e, {
    file: `binance ${market === 'usdm' ? 'USDⓈ-M' : 'COIN-M'} positionRisk`,
    currency: e.raw('marginAsset') || settlementCurrency,
    leverage: 'leverage',
    mode: { key: 'marginType', cross: ['cross', 'CROSSED'], isolated: ['isolated', 'ISOLATED'] },
    isolatedMargin: e.has('isolatedWallet') ? 'isolatedWallet' : 'isolatedMargin',
    liquidationPrice: 'liquidationPrice',
    initialMargin: 'initialMargin',
    maintenanceMargin: 'maintMargin',
  })
  if (!terms) return terms
  if (!e.has('marginType') && e.has('isolatedWallet')) {
    const wallet = new D(e.raw('isolatedWallet')!)
    terms.mode = wallet.gt(0) ? 'isolated' : 'cross'
    if (terms.mode === 'isolated') terms.isolatedMargin = wallet.toFixed()
    terms.source += '; mode from isolatedWallet (v3 names none)'
  }
  if (terms.mode === 'isolated' && !e.has('isolatedWallet') && e.has('isolatedMargin') && e.has('unRealizedProfit')) {
    const unrealized = e.dec('unRealizedProfit')
    if (!unrealized) return undefined
    const wallet = new D(e.raw('isolatedMargin')!).minus(unrealized)
    terms.isolatedMargin = wallet.gt(0) ? wallet.toFixed() : null
    terms.source += '; isolated margin = isolatedMargin − unRealizedProfit'
  }
  return terms
}

function readPositionRisk(market: 'usdm' | 'coinm') {
  return (doc: JsonDocument, ctx: FormatContext): number => {
    const arr = arrayAt(doc, [])!
    const account = ctx.options.account ?? 'main'
    const instruments = new InstrumentCache((s) => parseBinanceInstrument(s, market, ctx.options.specs))
    const quotes: ImportedQuote[] = []
    const sides = new Set<string>()
    ctx.sink.account('binance', account)
    for (const e of elements(ctx, doc, arr)) {
      const symbol = e.str('symbol')
      const side = e.str('positionSide', { pattern: /^(BOTH|LONG|SHORT)$/, expected: 'BOTH, LONG or SHORT' })
      const amt = e.dec('positionAmt')
      const entry = e.dec('entryPrice', { nonNegative: true, range: RANGES.priceOrZero })
      const mark = e.dec('markPrice', { nonNegative: true, range: RANGES.priceOrZero })
      const updated = e.has('updateTime') ? e.ms('updateTime', { optional: true }) : null
      if (e.failed || symbol === undefined || side === undefined || !amt || !entry || !mark || updated === undefined) continue
      const instrument = instruments.get(symbol)
      if (instrument instanceof Error) {
        e.issue('symbol', symbol, instrument.message)
        continue
      }
      if (amt.isZero()) {
        ctx.sink.skip({ line: e.line, reason: `zero-size ${side} row of ${symbol}${side === 'BOTH' ? '' : ' (hedge mode lists both sides)'}` })
        continue
      }
      if (side === 'LONG' && amt.isNegative()) e.issue('positionAmt', amt.toFixed(), 'a LONG side with a negative amount')
      if (side === 'SHORT' && !amt.isNegative()) e.issue('positionAmt', amt.toFixed(), 'a SHORT side with a positive amount')
      if (e.has('notional') && market === 'usdm') {
        const notional = e.dec('notional')
        if (notional && !notional.minus(amt.times(mark)).abs().lte(D.max(notional.abs().times('1e-8'), new D('1e-8'))))
          e.issue('notional', notional.toFixed(), `expected positionAmt × markPrice = ${amt.times(mark).toFixed()} (positionAmt in coin)`)
      }
      const venueMargin = positionRiskMargin(e, market, instrument.settlementCurrency)
      if (e.failed || venueMargin === undefined) continue
      sides.add(side)
      const quantity = market === 'coinm' ? amt.times(instrument.contractSize) : amt
      ctx.sink.position({
        venue: 'binance', account, instrument, quantity: quantity.toFixed(), entryPrice: entry.toFixed(), entryTime: null,
        note: side === 'BOTH' ? null : `hedge-mode ${side} side`, line: e.line, venueMargin,
      })
      if (mark.gt(0))
        quotes.push({
          instrument, ts: updated ?? ctx.options.receivedAt, markPrice: mark.toFixed(), markIv: null, underlyingPrice: null, indexPrice: null,
          venueGreeks: null, source: `binance positionRisk markPrice${updated ? '' : ' (no updateTime; stored at import time)'}`,
        })
    }
    if (sides.has('LONG') || sides.has('SHORT')) ctx.sink.note('hedge mode: the LONG and SHORT sides are kept as separate positions')
    if (market === 'coinm') ctx.sink.note('COIN-M positionAmt is in contracts: stored as USD face value (contracts × the contract size of the contract-spec table)')
    // One quote per instrument: the latest.
    const latest = new Map<string, ImportedQuote>()
    for (const q of quotes) if ((latest.get(q.instrument.name)?.ts ?? -1) <= q.ts) latest.set(q.instrument.name, q)
    if (latest.size > 0) ctx.sink.market({ venue: 'binance', asOf: Math.max(...[...latest.values()].map((q) => q.ts)), quotes: [...latest.values()], indices: [] })
    return arr.children?.length ?? 0
  }
}

function readUserTrades(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, [])!
  const account = ctx.options.account ?? 'main'
  const instruments = new InstrumentCache((s) => parseBinanceInstrument(s, binanceFuturesMarket(s), ctx.options.specs))
  let hedge = false
  for (const e of elements(ctx, doc, arr)) {
    const symbol = e.str('symbol')
    const side = e.str('side', { pattern: /^(BUY|SELL)$/, expected: 'BUY or SELL' })
    const price = e.dec('price', { positive: true, range: RANGES.price })
    const qty = e.dec('qty', { positive: true })
    const commission = e.dec('commission')
    const asset = e.str('commissionAsset', { pattern: /^[A-Z0-9]{2,10}$/, expected: 'an asset code' })
    const realized = e.dec('realizedPnl', { optional: true })
    const id = e.str('id')
    const time = e.ms('time')
    if (e.failed || !symbol || !side || !price || !qty || !commission || !asset || realized === undefined || !id || !time) continue
    const instrument = instruments.get(symbol)
    if (instrument instanceof Error) {
      e.issue('symbol', symbol, instrument.message)
      continue
    }
    if (e.has('quoteQty') && instrument.quantityUnit === 'coin') {
      const qq = e.dec('quoteQty')
      if (qq && !qq.minus(price.times(qty)).abs().lte('1e-8')) e.issue('quoteQty', qq.toFixed(), `expected price × qty = ${price.times(qty).toFixed()}`)
    }
    if (e.failed) continue
    if (['LONG', 'SHORT'].includes(e.raw('positionSide') ?? '')) hedge = true
    const size = instrument.quantityUnit === 'usd' ? qty.times(instrument.contractSize) : qty
    ctx.sink.fill({
      venue: 'binance', account, instrument, ts: time, seq: null, kind: 'trade', quantity: side === 'BUY' ? size : size.neg(), price,
      fee: commission, feeCurrency: asset, venueRealizedPnl: realized, venueRealizedCurrency: realized === null ? null : instrument.settlementCurrency,
      positionAfter: null, positionAfterUnsigned: false, key: `binance:${symbol}:${id}`, line: e.line,
    })
  }
  if (hedge) ctx.sink.note('hedge-mode fills (positionSide LONG/SHORT) are replayed into one net position per symbol')
  return arr.children?.length ?? 0
}

const INCOME_KINDS: Record<string, 'fee' | 'funding' | 'realized_pnl' | 'transfer' | 'other'> = {
  COMMISSION: 'fee', FUNDING_FEE: 'funding', REALIZED_PNL: 'realized_pnl', TRANSFER: 'transfer',
}

function readIncome(doc: JsonDocument, ctx: FormatContext): number {
  const arr = arrayAt(doc, [])!
  const account = ctx.options.account ?? 'main'
  const instruments = new InstrumentCache((s) => parseBinanceInstrument(s, binanceFuturesMarket(s), ctx.options.specs))
  for (const e of elements(ctx, doc, arr)) {
    const type = e.str('incomeType')
    const income = e.dec('income')
    const asset = e.str('asset', { pattern: /^[A-Z0-9]{2,10}$/, expected: 'an asset code' })
    const time = e.ms('time')
    const tranId = e.str('tranId')
    const symbol = e.str('symbol', { optional: true })
    if (e.failed || !type || !income || !asset || !time || !tranId || symbol === undefined) continue
    const instrument = symbol === '' ? null : instruments.get(symbol)
    if (instrument instanceof Error) {
      e.issue('symbol', symbol, instrument.message)
      continue
    }
    const kind = INCOME_KINDS[type] ?? 'other'
    ctx.sink.cash({
      venue: 'binance', account, instrument, ts: time, kind, amount: kind === 'fee' ? income.neg() : income, currency: asset,
      key: `binance:income:${tranId}:${type}:${e.raw('tradeId') ?? ''}`, line: e.line, note: kind === 'other' ? type : null,
    })
  }
  return arr.children?.length ?? 0
}

const rootArray = (value: unknown) => (Array.isArray(value) ? value : null)

export const binanceUsdmPositionRiskFormat: JsonFormat = {
  type: 'json', id: 'binance-usdm-position-risk', content: 'positions', venue: 'binance',
  description: 'Binance USDS-M positionRisk JSON (v2/v3, one-way or hedge mode, // comments allowed)',
  detect: (v) => objectsWith(rootArray(v), POSITION_KEYS) && !(v as Array<{ symbol: unknown }>).some((p) => isCoinM(p.symbol)),
  read: readPositionRisk('usdm'),
}

export const binanceCoinmPositionRiskFormat: JsonFormat = {
  type: 'json', id: 'binance-coinm-position-risk', content: 'positions', venue: 'binance',
  description: 'Binance COIN-M positionRisk JSON (contracts × USD face; // comments allowed)',
  detect: (v) => objectsWith(rootArray(v), POSITION_KEYS) && (v as Array<{ symbol: unknown }>).every((p) => isCoinM(p.symbol)),
  read: readPositionRisk('coinm'),
}

export const binanceUserTradesFormat: JsonFormat = {
  type: 'json', id: 'binance-usdm-user-trades', content: 'trades', venue: 'binance',
  description: 'Binance futures userTrades JSON (fills with commission and realizedPnl)',
  detect: (v) => objectsWith(rootArray(v), ['symbol', 'side', 'price', 'qty', 'commission', 'commissionAsset', 'time']),
  read: readUserTrades,
}

export const binanceIncomeFormat: JsonFormat = {
  type: 'json', id: 'binance-usdm-income', content: 'trades', venue: 'binance',
  description: 'Binance futures income history JSON (commission, funding, realized P&L, transfers)',
  detect: (v) => objectsWith(rootArray(v), ['incomeType', 'income', 'asset', 'time']),
  read: readIncome,
}

/**
 * BitMEX execution history CSV (research note exchange-formats.md):
 * `transactTime,symbol,execType,side,lastQty,lastPx,execCost,commission,execComm,ordType,orderQty,leavesQty,
 * price,text,orderID`. Files may start with a BOM.
 *
 * Units (BitMEX Inverse Perpetuals / Futures Guides): `XBTUSD` and XBT futures are inverse, 1 USD per contract
 * (the contract-spec table), so `lastQty` contracts = lastQty USD; `lastPx` in USD; `execCost` and
 * `execComm` in satoshi (1e-8 XBT). Each trade's |execCost| is checked against lastQty × multiplier / lastPx
 * (to a satoshi), which catches a wrong multiplier. `execComm` > 0 is a fee paid (< 0 a maker rebate).
 * execType `Trade` is a fill, `Settlement` a delivery at `lastPx`, `Funding` a funding payment of −execComm;
 * order events without a fill (`lastQty` 0) are skipped and counted. `transactTime` is written like
 * `1/26/2020, 6:32:04 PM` with no zone, so the UTC offset must be stated.
 */
import { RANGES } from '../../../../shared/ranges'
import { parseBitmexInstrument } from '../../../domain/instruments/bitmexInstrument'
import { D } from '../../../domain/trades/decimal'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, resolveUtcOffset } from '../../core/logSupport'

export const BITMEX_EXECUTIONS_FORMAT = 'bitmex-executions'
const COLUMNS = ['transactTime', 'symbol', 'execType', 'side', 'lastQty', 'lastPx', 'execCost', 'commission', 'execComm', 'ordType', 'orderQty',
  'leavesQty', 'price', 'text', 'orderID']
const SATOSHI = new D('1e-8')

function handler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { sink } = ctx
  const account = ctx.options.account ?? 'main'
  const offset = resolveUtcOffset(ctx, null, 'transactTime')
  const parseTime = offset === null ? null : dateTimeParser('M/d/yyyy, h:mm:ss a', offset, ctx.options.receivedAt)
  const instruments = new InstrumentCache((s) => parseBitmexInstrument(s, ctx.options.specs))
  const keys = new RowKeys()
  const [iTime, iSym, iType, iSide] = ['transactTime', 'symbol', 'execType', 'side'].map((c) => r.idx(c))
  return {
    row(f: string[], line: number) {
      if (!parseTime) return
      const ts = parseTime(f[iTime]!)
      if (ts === null) {
        r.issue(line, 'transactTime', f[iTime], 'expected M/D/YYYY, H:MM:SS AM|PM (from 2009 until now)')
        return
      }
      const type = f[iType]!
      const instrument = instruments.get(f[iSym]!)
      if (instrument instanceof Error) {
        r.issue(line, 'symbol', f[iSym], instrument.message)
        return
      }
      const qty = r.dec(f, 'lastQty', line, { nonNegative: true, optional: true })
      const comm = r.dec(f, 'execComm', line, { optional: true })
      if (qty === undefined || comm === undefined) return
      const key = keys.key('bitmex', f)
      if (type === 'Funding') {
        if (comm === null) return r.issue(line, 'execComm', f[r.idx('execComm')], 'a Funding row needs its execComm')
        sink.cash({ venue: 'bitmex', account, instrument, ts, kind: 'funding', amount: comm.times(SATOSHI).neg(), currency: 'BTC', key, line, note: null })
        return
      }
      if (type !== 'Trade' && type !== 'Settlement') {
        sink.skip({ line, reason: `execType ${type} (not a fill)` })
        return
      }
      if (qty === null || qty.isZero()) {
        sink.skip({ line, reason: `${type} row with lastQty 0` })
        return
      }
      const side = f[iSide]
      if (side !== 'Buy' && side !== 'Sell') return r.issue(line, 'side', side, 'expected Buy or Sell')
      const price = r.dec(f, 'lastPx', line, { positive: true, range: RANGES.price })
      const cost = r.dec(f, 'execCost', line, { optional: true })
      if (!price || cost === undefined) return
      const usd = qty.times(instrument.contractSize)
      if (cost !== null) {
        const expected = usd.div(price).div(SATOSHI)
        if (cost.abs().minus(expected).abs().gt(1))
          return r.issue(line, 'execCost', f[r.idx('execCost')], `expected about ${expected.toFixed(0)} satoshi (lastQty × ${instrument.contractSize} USD ÷ lastPx): another contract multiplier?`)
      }
      sink.fill({
        venue: 'bitmex', account, instrument, ts, seq: null, kind: type === 'Trade' ? 'trade' : 'delivery', quantity: side === 'Buy' ? usd : usd.neg(), price,
        fee: comm === null ? null : comm.times(SATOSHI), feeCurrency: comm === null ? null : 'BTC', venueRealizedPnl: null, venueRealizedCurrency: null,
        positionAfter: null, positionAfterUnsigned: false, key, line,
      })
    },
    end() {},
  }
}

export const bitmexExecutionsFormat: CsvFormat = {
  type: 'csv',
  id: BITMEX_EXECUTIONS_FORMAT,
  description: 'BitMEX execution history CSV (XBTUSD and XBT futures, inverse 1 USD contracts, satoshi amounts); times need --utc-offset',
  content: 'trades',
  venue: 'bitmex',
  versions: [{ name: 'v1', columns: COLUMNS }],
  otherColumns: 'ignore',
  streaming: true,
  open: handler,
}

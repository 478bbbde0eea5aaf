/**
 * BitMEX execution history CSV (research note exchange-formats.md):
 * `transactTime,symbol,execType,side,lastQty,lastPx,execCost,commission,execComm,ordType,orderQty,leavesQty,
 * price,text,orderID`. Files may start with a BOM.
 *
 * Units (BitMEX Inverse Perpetuals / Futures Guides): `XBTUSD` and XBT futures are inverse, 1 USD per contract
 * (the contract-spec table), so `lastQty` contracts = lastQty USD; `lastPx` in USD; `execCost` and
 * `execComm` in satoshi (1e-8 XBT). BitMEX settles each lot's XBT value rounded to the nearest whole satoshi
 * (BitMEX blog, "The Technical Details of Our Lot Size Change on XBTUSD Swap and XBT Futures", 2021: "the value
 * credited or debited to your account for each Lot needs to be rounded to the nearest Satoshi"), so |execCost| =
 * lastQty ÷ lot × round(lot × 1e8 ÷ lastPx) exactly — lot 1 contract, or 100 from 2021-06-08 04:30 UTC (the lot
 * size change); a real row: 127 × round(1e8 ÷ 8564.5) = 127 × 11,676 = 1,482,852. Any other execCost is refused
 * (a wrong contract multiplier). The fill carries |execCost| as its settled value, so realized P&L is BitMEX's
 * whole-satoshi figure, not contracts × (1/entry − 1/exit). `execComm` > 0 is a fee paid (< 0 a maker rebate).
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
/** 2021-06-08 04:30 UTC: XBTUSD and XBT futures trade in lots of 100 contracts (BitMEX announcement). */
const LOT_100_FROM = Date.UTC(2021, 5, 8, 4, 30)

/**
 * The whole-satoshi XBT value BitMEX books for `usd` contracts at `price`: usd ÷ lotUsd lots, each worth
 * round(lotUsd × 1e8 ÷ price) satoshi (half up; decimal.js ROUND_HALF_UP).
 */
export function bitmexLotValueSatoshi(usd: D, price: D, lotUsd: D): D {
  return usd.div(lotUsd).times(lotUsd.div(price).div(SATOSHI).toDecimalPlaces(0, D.ROUND_HALF_UP))
}

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
        const lots = ts >= LOT_100_FROM ? [1, 100] : [1]
        const values = lots.map((lot) => bitmexLotValueSatoshi(usd, price, new D(lot).times(instrument.contractSize)))
        if (!values.some((v) => v.eq(cost.abs())))
          return r.issue(line, 'execCost', f[r.idx('execCost')], `expected ${values.map((v) => v.toFixed(0)).join(' or ')} satoshi (lastQty × round(${instrument.contractSize} USD × 1e8 ÷ lastPx) per lot, BitMEX's whole-satoshi value${lots.length > 1 ? '; lots of 1 or 100 contracts' : ''}): another contract multiplier?`)
      }
      sink.fill({
        venue: 'bitmex', account, instrument, ts, seq: null, kind: type === 'Trade' ? 'trade' : 'delivery', quantity: side === 'Buy' ? usd : usd.neg(), price,
        ...(cost === null ? {} : { settledValue: side === 'Buy' ? cost.abs().times(SATOSHI) : cost.abs().times(SATOSHI).neg() }),
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

/**
 * Spot trade histories (fills of spot pairs). A spot holding is a balance, not a position: these fills are
 * stored (with fees) and give no positions (the import says so). Valuation holds, for an account without a
 * balance import, what its spot fills add up to per currency (db/balanceStore.ts `spotFillHoldings`).
 *
 *  - binance-spot-trades: Binance's legacy spot "Trade History" export, semicolon-delimited
 *    (everytrade-io parser-files/binance_v001.csv): `Date(UTC);Market;Type;Price;Amount;Total;Fee;Fee Coin`;
 *    Market `LTCBTC`, Type BUY/SELL, Amount in the base coin, Price and Total in the quote coin (Total is
 *    checked against Price × Amount), Fee in Fee Coin; times in UTC.
 *  - binance-spot-orders: Binance's legacy "Order History" (everytrade-io binance_v002.csv): order rows
 *    `Date(UTC);Pair;Type;Order Price;Order Amount;AvgTrading Price;Filled;Total;status` each followed by a
 *    sub-header `;Date(UTC);Trading Price;Filled;Total;Fee;;;` and its fills `;2020-03-19 17:02:52;6236.39;
 *    0.041600;259.43382400;0.01612653BNB;;;` (fee with its asset as a suffix). The fills of an order must add
 *    up to its `Filled`.
 */
import { RANGES } from '../../../../shared/ranges'
import { parseBinanceInstrument } from '../../../domain/instruments/binanceInstrument'
import type { Instrument } from '../../../../shared/instrument'
import { D } from '../../../domain/trades/decimal'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, SPOT_NOTE, totalAgrees } from '../../core/logSupport'

function binanceSpotTrades(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const account = ctx.options.account ?? 'main'
  const parseTime = dateTimeParser('yyyy-MM-dd HH:mm:ss', 0, ctx.options.receivedAt)
  const pairs = new InstrumentCache((m) => parseBinanceInstrument(m, 'spot', ctx.options.specs))
  const keys = new RowKeys()
  const [iTime, iMarket, iType, iFeeCoin, iTotal] = ['Date(UTC)', 'Market', 'Type', 'Fee Coin', 'Total'].map((c) => r.idx(c))
  ctx.sink.note(SPOT_NOTE)
  return {
    row(f: string[], line: number) {
      const ts = parseTime(f[iTime]!)
      if (ts === null) return r.issue(line, 'Date(UTC)', f[iTime], 'expected YYYY-MM-DD HH:MM:SS')
      const instrument = pairs.get(f[iMarket]!)
      if (instrument instanceof Error) return r.issue(line, 'Market', f[iMarket], instrument.message)
      const side = f[iType]
      if (side !== 'BUY' && side !== 'SELL') return r.issue(line, 'Type', side, 'expected BUY or SELL')
      const price = r.dec(f, 'Price', line, { positive: true, range: RANGES.price })
      const amount = r.dec(f, 'Amount', line, { positive: true })
      const total = r.dec(f, 'Total', line, { nonNegative: true })
      const fee = r.dec(f, 'Fee', line, { nonNegative: true })
      if (!price || !amount || !total || !fee) return
      if (!totalAgrees(total, price, amount)) return r.issue(line, 'Total', f[iTotal], `expected Price × Amount = ${price.times(amount).toFixed()} ${instrument.quoteCurrency}`)
      const feeCoin = f[iFeeCoin]!
      if (!/^[A-Z0-9]{2,10}$/.test(feeCoin)) return r.issue(line, 'Fee Coin', feeCoin, 'expected a coin code such as BNB')
      ctx.sink.fill({
        venue: 'binance', account, instrument, ts, seq: null, kind: 'trade', quantity: side === 'BUY' ? amount : amount.neg(), price, fee, feeCurrency: feeCoin,
        venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null, positionAfterUnsigned: false, key: keys.key('binance-spot', f), line,
      })
    },
    end() {},
  }
}

function binanceSpotOrders(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { file, sink } = ctx
  const account = ctx.options.account ?? 'main'
  const parseTime = dateTimeParser('yyyy-MM-dd HH:mm:ss', 0, ctx.options.receivedAt)
  const pairs = new InstrumentCache((m) => parseBinanceInstrument(m, 'spot', ctx.options.specs))
  const keys = new RowKeys()
  sink.note(SPOT_NOTE)
  let order: { line: number; instrument: Instrument; side: 1 | -1; filled: D; sum: D } | null = null
  const closeOrder = () => {
    if (order && !order.sum.eq(order.filled))
      sink.issue({ file, line: order.line, column: ctx.label('Filled'), value: order.filled.toFixed(), message: `the fills listed under this order add up to ${order.sum.toFixed()}` })
    order = null
  }
  return {
    row(f: string[], line: number) {
      if (f[0] !== '') {
        closeOrder()
        const instrument = pairs.get(f[r.idx('Pair')]!)
        if (instrument instanceof Error) return r.issue(line, 'Pair', f[r.idx('Pair')], instrument.message)
        const type = f[r.idx('Type')]
        if (type !== 'BUY' && type !== 'SELL') return r.issue(line, 'Type', type, 'expected BUY or SELL')
        const filled = r.dec(f, 'Filled', line, { nonNegative: true })
        if (!filled) return
        order = { line, instrument, side: type === 'BUY' ? 1 : -1, filled, sum: new D(0) }
        if (filled.isZero()) sink.skip({ line, reason: `order ${f[r.idx('status')]} without fills` })
        return
      }
      // Fill-list rows: columns shift one to the right of the order header.
      if (f[1] === 'Date(UTC)') return
      if (!order) return r.issue(line, null, f.join(';'), 'a fill row before any order row')
      const at = (i: number) => ({ file, line, column: `${['', 'Date(UTC)', 'Trading Price', 'Filled', 'Total', 'Fee'][i]} (${i + 1}, fill row)` })
      const ts = parseTime(f[1]!)
      if (ts === null) return sink.issue({ ...at(1), value: f[1], message: 'expected YYYY-MM-DD HH:MM:SS' })
      const num = (i: number, o: { positive?: boolean; unit?: boolean } = {}) => {
        const raw = f[i]!
        const m = o.unit ? /^(\d+(?:\.\d+)?)\s*([A-Z0-9]{2,10})$/.exec(raw) : null
        const value = m ? m[1]! : raw
        if (!/^\d+(\.\d+)?$/.test(value) || (o.positive && Number(value) === 0)) {
          sink.issue({ ...at(i), value: raw, message: o.unit ? 'expected an amount with its asset, e.g. 0.01612653BNB' : 'expected a decimal number greater than 0' })
          return null
        }
        return { value: new D(value), unit: m ? m[2]! : null }
      }
      const price = num(2, { positive: true })
      const qty = num(3, { positive: true })
      const total = num(4)
      const fee = num(5, { unit: true })
      if (!price || !qty || !total || !fee) return
      if (!totalAgrees(total.value, price.value, qty.value))
        return sink.issue({ ...at(4), value: f[4], message: `expected Trading Price × Filled = ${price.value.times(qty.value).toFixed()}` })
      order.sum = order.sum.plus(qty.value)
      sink.fill({
        venue: 'binance', account, instrument: order.instrument, ts, seq: null, kind: 'trade', quantity: order.side === 1 ? qty.value : qty.value.neg(),
        price: price.value, fee: fee.value, feeCurrency: fee.unit, venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null,
        positionAfterUnsigned: false, key: keys.key('binance-spot-order', [order.instrument.name, ...f]), line,
      })
    },
    end: closeOrder,
  }
}

export const binanceSpotTradesFormat: CsvFormat = {
  type: 'csv', id: 'binance-spot-trades', content: 'trades', venue: 'binance', otherColumns: 'ignore', streaming: true,
  description: 'Binance legacy spot Trade History (Date(UTC);Market;Type;Price;Amount;Total;Fee;Fee Coin): spot fills, no positions',
  versions: [{ name: 'v1', columns: ['Date(UTC)', 'Market', 'Type', 'Price', 'Amount', 'Total', 'Fee', 'Fee Coin'] }],
  open: binanceSpotTrades,
}

export const binanceSpotOrdersFormat: CsvFormat = {
  type: 'csv', id: 'binance-spot-orders', content: 'trades', venue: 'binance', otherColumns: 'ignore', streaming: true,
  description: 'Binance legacy spot Order History with nested fill rows (Date(UTC);Pair;Type;…;status): spot fills, no positions',
  versions: [{ name: 'v2', columns: ['Date(UTC)', 'Pair', 'Type', 'Order Price', 'Order Amount', 'AvgTrading Price', 'Filled', 'Total', 'status'] }],
  open: binanceSpotOrders,
}

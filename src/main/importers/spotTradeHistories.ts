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
 *  - okex-spot-trades: OKEx's 2020 spot trade export (everytrade-io okex_v001_M.csv), every field prefixed
 *    with a BOM: `Order ID,Trade ID,Trade Time,Pairs,Amount,Price,Total,taker/maker,Fee,unit`; Pairs
 *    `ltc_usdt`; Amount signed (> 0 bought) in `unit` (the base coin); Total the quote change with its unit
 *    (`-104.97 USDT` paid); Fee negative when paid, with its unit. `Trade Time` has no zone: the UTC offset
 *    must be stated. OKEx is today's OKX (venue `okx`, pair `LTC-USDT`).
 */
import type { Instrument } from '../../shared/instrument'
import { parseBinanceInstrument } from '../domain/instruments/binanceInstrument'
import { parseOkxInstrument } from '../domain/instruments/okxInstrument'
import { D } from '../domain/trades/decimal'
import { fieldReader, RowKeys } from './csvRows'
import { dateTimeParser } from './dates'
import type { CsvFormat, CsvFormatContext } from './formatTypes'
import { InstrumentCache, resolveUtcOffset } from './logSupport'

const SPOT_NOTE =
  'spot fills give no positions: a spot holding is a balance. Until a balance export of the account is imported, the book holds what its spot fills add up to (as if the account started empty)'

/** |total| must equal |price × amount| to within the venue's rounding (relative 1e-8, or 1e-8 absolute). */
function totalAgrees(total: D, price: D, amount: D): boolean {
  const expected = price.times(amount).abs()
  return total.abs().minus(expected).abs().lte(D.max(expected.times('1e-8'), new D('1e-8')))
}

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
      const price = r.dec(f, 'Price', line, { positive: true })
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

function okexSpotTrades(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const account = ctx.options.account ?? 'main'
  const offset = resolveUtcOffset(ctx, null, 'Trade Time')
  const parseTime = offset === null ? null : dateTimeParser('yyyy-MM-dd HH:mm:ss', offset, ctx.options.receivedAt)
  const pairs = new InstrumentCache((p) => parseOkxInstrument(p.toUpperCase().replace('_', '-'), ctx.options.specs))
  const [iTime, iPair, iUnit, iTrade, iTotal] = ['Trade Time', 'Pairs', 'unit', 'Trade ID', 'Total'].map((c) => r.idx(c))
  ctx.sink.note(SPOT_NOTE)
  return {
    row(f: string[], line: number) {
      if (!parseTime) return
      const ts = parseTime(f[iTime]!)
      if (ts === null) return r.issue(line, 'Trade Time', f[iTime], 'expected YYYY-MM-DD HH:MM:SS')
      const instrument = pairs.get(f[iPair]!)
      if (instrument instanceof Error) return r.issue(line, 'Pairs', f[iPair], instrument.message)
      if (instrument.kind !== 'spot') return r.issue(line, 'Pairs', f[iPair], 'expected a spot pair such as ltc_usdt')
      if (f[iUnit]!.toUpperCase() !== instrument.underlying) return r.issue(line, 'unit', f[iUnit], `expected ${instrument.underlying}, the base coin of ${instrument.name} (Amount's unit)`)
      const amount = r.dec(f, 'Amount', line)
      const price = r.dec(f, 'Price', line, { positive: true })
      const total = r.amount(f, 'Total', line, { unit: true })
      const fee = r.amount(f, 'Fee', line, { unit: true })
      if (!amount || !price || !total || !fee) return
      if (amount.isZero()) return r.issue(line, 'Amount', f[r.idx('Amount')], 'expected a non-zero amount')
      if (total.unit !== null && total.unit !== instrument.quoteCurrency) return r.issue(line, 'Total', f[iTotal], `expected the quote coin ${instrument.quoteCurrency}`)
      const totalD = new D(total.value)
      if (!totalAgrees(totalD, price, amount)) return r.issue(line, 'Total', f[iTotal], `expected ± Price × Amount = ${price.times(amount).abs().toFixed()}`)
      if (!totalD.isZero() && totalD.isNegative() === amount.isNegative()) return r.issue(line, 'Total', f[iTotal], 'expected the opposite sign of Amount (the quote paid for a purchase)')
      ctx.sink.fill({
        venue: 'okx', account, instrument, ts, seq: null, kind: 'trade', quantity: amount, price, fee: new D(fee.value).neg(),
        feeCurrency: fee.unit ?? instrument.quoteCurrency, venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null,
        positionAfterUnsigned: false, key: `okx:spot:${f[iTrade]}`, line,
      })
    },
    end() {},
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

export const okexSpotTradesFormat: CsvFormat = {
  type: 'csv', id: 'okex-spot-trades', content: 'trades', venue: 'okx', otherColumns: 'ignore', streaming: true,
  description: 'OKEx 2020 spot trade export (Order ID,Trade ID,Trade Time,Pairs,…,Fee,unit; BOM before every field): spot fills; needs --utc-offset',
  versions: [{ name: '2020', columns: ['Order ID', 'Trade ID', 'Trade Time', 'Pairs', 'Amount', 'Price', 'Total', 'taker/maker', 'Fee', 'unit'] }],
  open: okexSpotTrades,
}

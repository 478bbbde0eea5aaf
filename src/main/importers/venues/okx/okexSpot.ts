/**
 * Spot trade histories (fills of spot pairs). A spot holding is a balance, not a position: these fills are
 * stored (with fees) and give no positions (the import says so). Valuation holds, for an account without a
 * balance import, what its spot fills add up to per currency (db/balanceStore.ts `spotFillHoldings`).
 *
 *  - okex-spot-trades: OKEx's 2020 spot trade export (everytrade-io okex_v001_M.csv), every field prefixed
 *    with a BOM: `Order ID,Trade ID,Trade Time,Pairs,Amount,Price,Total,taker/maker,Fee,unit`; Pairs
 *    `ltc_usdt`; Amount signed (> 0 bought) in `unit` (the base coin); Total the quote change with its unit
 *    (`-104.97 USDT` paid); Fee negative when paid, with its unit. `Trade Time` has no zone: the UTC offset
 *    must be stated. OKEx is today's OKX (venue `okx`, pair `LTC-USDT`).
 */
import { RANGES } from '../../../../shared/ranges'
import { parseOkxInstrument } from '../../../domain/instruments/okxInstrument'
import { D } from '../../../domain/trades/decimal'
import { fieldReader } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, resolveUtcOffset, SPOT_NOTE, totalAgrees } from '../../core/logSupport'

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
      const price = r.dec(f, 'Price', line, { positive: true, range: RANGES.price })
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

export const okexSpotTradesFormat: CsvFormat = {
  type: 'csv', id: 'okex-spot-trades', content: 'trades', venue: 'okx', otherColumns: 'ignore', streaming: true,
  description: 'OKEx 2020 spot trade export (Order ID,Trade ID,Trade Time,Pairs,…,Fee,unit; BOM before every field): spot fills; needs --utc-offset',
  versions: [{ name: '2020', columns: ['Order ID', 'Trade ID', 'Trade Time', 'Pairs', 'Amount', 'Price', 'Total', 'taker/maker', 'Fee', 'unit'] }],
  open: okexSpotTrades,
}

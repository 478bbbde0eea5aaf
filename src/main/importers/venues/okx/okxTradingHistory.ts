/**
 * OKX trading history CSV (research note exchange-formats.md): a preamble line
 * `UID:…,Account Type:…,Time Zone:UTC+8`, then
 * `id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,Filled Price,PnL,Fee,Fee Unit,Position Change,
 * Position Balance,Balance Change,Balance,Balance Unit`, sometimes followed by
 * `Filled_price-USD,Pnl-USD,Fee-USD,Balance-USD,Balance_change-USD`. Files may start with a UTF-8 BOM.
 *
 * Units and signs: `Symbol` is the OKX instId (`BTC-USDT-SWAP`, `BTC-USD-241227`); `Amount` and
 * `Position Balance` are in `Trading Unit` — `cont` (contracts, multiplied by the contract value `ctVal` of
 * the contract-spec table: 0.01 BTC for BTC-USDT-SWAP, 100 USD for BTC-USD-SWAP) or the base coin; the side
 * comes from `Action` (buy / sell / open long / close short = buy; open short / close long = sell); `Fee` is
 * negative when paid (OKX bills convention), so the fee paid is −Fee in `Fee Unit`; `PnL` is OKX's realized
 * P&L (kept to compare); `Balance` in `Balance Unit` is the balance after the row. `Time` is in the zone of
 * the preamble (`--utc-offset` must agree; without a preamble it must be given). `Position Balance` is
 * compared (as a size) with the replay, which in long/short (hedge) mode differs and is reported.
 */
import { RANGES } from '../../../../shared/ranges'
import { parseOkxInstrument } from '../../../domain/instruments/okxInstrument'
import { D } from '../../../domain/trades/decimal'
import { fieldReader } from '../../core/csvRows'
import { dateTimeParser, parseUtcOffset } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, resolveUtcOffset } from '../../core/logSupport'

export const OKX_HISTORY_FORMAT = 'okx-trading-history'
const COLUMNS = ['id', 'Order id', 'Time', 'Trade Type', 'Symbol', 'Action', 'Amount', 'Trading Unit', 'Filled Price', 'PnL', 'Fee', 'Fee Unit',
  'Position Change', 'Position Balance', 'Balance Change', 'Balance', 'Balance Unit']
const USD_COLUMNS = ['Filled_price-USD', 'Pnl-USD', 'Fee-USD', 'Balance-USD', 'Balance_change-USD']
const ACTIONS: Record<string, 1 | -1> = { buy: 1, sell: -1, 'open long': 1, 'close short': 1, 'open short': -1, 'close long': -1 }

function handler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { sink } = ctx
  const account = ctx.options.account ?? 'main'
  const zoneText = /Time Zone:\s*([^,]+)/i.exec(ctx.preamble.join(','))?.[1]?.trim()
  const fileOffset = zoneText === undefined ? null : parseUtcOffset(zoneText)
  if (zoneText !== undefined && fileOffset === null) sink.issue({ file: ctx.file, line: 1, column: 'Time Zone', value: zoneText, message: 'expected a time zone such as UTC+8' })
  const offset = resolveUtcOffset(ctx, fileOffset === null ? null : { offset: fileOffset, where: `the preamble's "Time Zone:${zoneText}"` }, 'Time')
  const parseTime = offset === null ? null : dateTimeParser('yyyy-MM-dd HH:mm:ss', offset, ctx.options.receivedAt)
  const instruments = new InstrumentCache((id) => parseOkxInstrument(id, ctx.options.specs))
  const [iId, iTime, iSym, iAction, iUnit, iFeeUnit, iBal, iBalUnit] = ['id', 'Time', 'Symbol', 'Action', 'Trading Unit', 'Fee Unit', 'Balance', 'Balance Unit'].map((c) => r.idx(c))
  return {
    row(f: string[], line: number) {
      if (!parseTime) return
      const ts = parseTime(f[iTime]!)
      if (ts === null) {
        r.issue(line, 'Time', f[iTime], 'expected YYYY-MM-DD HH:MM:SS (from 2009 until now)')
        return
      }
      const instrument = instruments.get(f[iSym]!)
      if (instrument instanceof Error) {
        r.issue(line, 'Symbol', f[iSym], instrument.message)
        return
      }
      const side = ACTIONS[f[iAction]!.toLowerCase()]
      if (side === undefined) {
        r.issue(line, 'Action', f[iAction], 'expected Buy, Sell, Open long, Open short, Close long or Close short')
        return
      }
      const amount = r.dec(f, 'Amount', line)
      const price = r.dec(f, 'Filled Price', line, { positive: true, range: RANGES.price })
      const pnl = r.dec(f, 'PnL', line, { optional: true })
      const fee = r.dec(f, 'Fee', line, { optional: true })
      const posBalance = r.dec(f, 'Position Balance', line, { optional: true })
      const balance = r.amount(f, 'Balance', line, { optional: true })
      if (!amount || !price || pnl === undefined || fee === undefined || posBalance === undefined || balance === undefined) return
      if (amount.isNegative() && side === 1) {
        r.issue(line, 'Amount', f[r.idx('Amount')], `a negative amount with Action "${f[iAction]}"`)
        return
      }
      const unit = f[iUnit]!
      let toQty: (x: D) => D
      if (unit.toLowerCase() === 'cont') toQty = (x) => x.times(instrument.contractSize)
      else if (unit.toUpperCase() === instrument.underlying && instrument.quantityUnit === 'coin') toQty = (x) => x
      else if (unit.toUpperCase() === 'USD' && instrument.quantityUnit === 'usd') toQty = (x) => x
      else {
        r.issue(line, 'Trading Unit', unit, `expected cont or ${instrument.quantityUnit === 'coin' ? instrument.underlying : 'USD'} for ${instrument.name}`)
        return
      }
      const qty = toQty(amount.abs())
      if (balance !== null && f[iBalUnit] !== '') sink.balance({ venue: 'okx', account, currency: f[iBalUnit]!.toUpperCase(), amount: f[iBal]!, ts, source: 'log', line })
      sink.fill({
        venue: 'okx', account, instrument, ts, seq: null, kind: 'trade', quantity: side === 1 ? qty : qty.neg(), price,
        fee: fee === null ? null : fee.neg(), feeCurrency: fee === null ? null : f[iFeeUnit]!.toUpperCase() || instrument.settlementCurrency,
        venueRealizedPnl: pnl, venueRealizedCurrency: pnl === null ? null : instrument.settlementCurrency,
        positionAfter: posBalance === null ? null : toQty(posBalance.abs()), positionAfterUnsigned: true, key: `okx:${f[iId]}`, line,
      })
    },
    end() {},
  }
}

export const okxTradingHistoryFormat: CsvFormat = {
  type: 'csv',
  id: OKX_HISTORY_FORMAT,
  description: 'OKX trading history CSV (UID/Time Zone preamble, contracts × ctVal, optional USD columns)',
  content: 'trades',
  venue: 'okx',
  versions: [{ name: 'v5', columns: COLUMNS, optional: USD_COLUMNS }],
  otherColumns: 'ignore',
  preamble: { maxLines: 1, pattern: /^"?UID:/i, describe: 'UID:…,Account Type:…,Time Zone:UTC+8' },
  streaming: true,
  open: handler,
}

/**
 * Deribit transaction log CSV (one file per currency, `transaction_log-<uid>-<CCY>-…csv`), all four header
 * versions (BittyTax src/bittytax/conv/parsers/deribit.py lists them; research note exchange-formats.md):
 *   v4 `ID,UserSeq,Date,Instrument,Type,Side,Amount,Base Amount,Position,Price,Mark Price,Index Price,Cash Flow,
 *       Funding,Fee Rate,Fee Charged,Fee Balance,Change,Balance,Equity,Trade ID,Order ID,Info,Note`
 *   v3 = v4 without `Amount`;  v2 = v3 without `Note`;
 *   v1 `Size` for `Base Amount`, `Fee Paid` for `Fee Charged`, no `Index Price`, no `Note`.
 *
 * Conventions (Deribit help "Transaction log"; API private/get_transaction_log):
 *  - time and order: `UserSeq` ("number corresponding to unix in ms time"). Its digits decide the unit: 13 =
 *    ms, 16 = µs (as BittyTax reads it). `Date` (DD/MM/YY HH:MM:ss, zone not stated) is never used as the
 *    instant; it is only checked against UserSeq (within 14 hours, any zone) to catch a misread file. A log
 *    whose UserSeq is not a time is refused (its order would be a guess);
 *  - quantity: `Amount` (v4) else `Base Amount` / `Size`: USD for perpetuals and inverse futures, coin for
 *    options and linear contracts; signed by `Side` (`open buy`/`close buy` > 0, `… sell` < 0); checked row by
 *    row against `Position`, the venue's position after the row;
 *  - `Price`: USD for futures, coin for inverse options; `Fee Charged`/`Fee Paid` in the log's currency, > 0 paid;
 *  - `trade` and `position move` rows are fills; `delivery` rows close at the delivery price — for options the
 *    row's `Price` is read as the delivery index and the option's coin value (max(0, S−K)/S, or (K−S)/S for
 *    puts) is checked against the row's `Cash Flow`, and if `Price` is already that value it is used as is;
 *  - `settlement` rows (daily mark-to-market, perpetual funding) change no position: `Funding` is funding
 *    received, `Cash Flow − Funding` the session settlement, and `Price` the settlement mark;
 *  - deposits, withdrawals, transfers and other cash rows use `Change` (the cash balance change);
 *  - `Balance` after each row gives the log currency's balance (the last row in time).
 * The log's currency comes from the file name or `--currency`; otherwise from each instrument's settlement
 * currency, and rows without an instrument then need `--currency`.
 */
import { RANGES } from '../../../../shared/ranges'
import { parseDeribitInstrument } from '../../../domain/instruments/deribitInstrument'
import { D, ZERO } from '../../../domain/trades/decimal'
import { fieldReader } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache } from '../../core/logSupport'

export const DERIBIT_LOG_FORMAT = 'deribit-transaction-log'

const V2 = ['ID', 'UserSeq', 'Date', 'Instrument', 'Type', 'Side', 'Base Amount', 'Position', 'Price', 'Mark Price', 'Index Price', 'Cash Flow',
  'Funding', 'Fee Rate', 'Fee Charged', 'Fee Balance', 'Change', 'Balance', 'Equity', 'Trade ID', 'Order ID', 'Info']
const V1 = ['ID', 'UserSeq', 'Date', 'Instrument', 'Type', 'Side', 'Size', 'Position', 'Price', 'Mark Price', 'Cash Flow', 'Funding', 'Fee Rate',
  'Fee Paid', 'Fee Balance', 'Change', 'Balance', 'Equity', 'Trade ID', 'Order ID', 'Info']
const V3 = [...V2, 'Note']
const V4 = [...V2.slice(0, 6), 'Amount', ...V2.slice(6), 'Note']

const FILL_TYPES = new Set(['trade', 'position move'])
const CASH_KINDS: Record<string, 'deposit' | 'withdrawal' | 'transfer' | 'other'> = { deposit: 'deposit', withdrawal: 'withdrawal', transfer: 'transfer' }
const SIDES: Record<string, 1 | -1> = { 'open buy': 1, 'close buy': 1, 'open sell': -1, 'close sell': -1, buy: 1, sell: -1 }

/** The currency in Deribit's file name `transaction_log-<uid>-<CCY>-…`, or null. */
export function deribitLogCurrency(fileName: string): string | null {
  return /transaction_log-\d+-([A-Z0-9]{2,10})-/.exec(fileName)?.[1] ?? null
}

function handler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { sink } = ctx
  const account = ctx.options.account ?? 'main'
  const amountCol = ctx.version === 'v4' ? 'Amount' : ctx.version === 'v1' ? 'Size' : 'Base Amount'
  const feeCol = ctx.version === 'v1' ? 'Fee Paid' : 'Fee Charged'
  const fileCcy = ctx.options.currency ?? deribitLogCurrency(ctx.options.fileName)
  if (fileCcy) sink.note(`log currency ${fileCcy} (${ctx.options.currency ? 'stated with the import' : 'from the file name'})`)
  const instruments = new InstrumentCache((n) => parseDeribitInstrument(n, ctx.options.specs))
  const dateAsUtc = dateTimeParser('dd/MM/yy HH:mm:ss', 0, ctx.options.receivedAt)
  const i = (name: string) => r.idx(name)
  const [iSeq, iDate, iIns, iType, iSide, iPrice, iChange, iBal, iId] = ['UserSeq', 'Date', 'Instrument', 'Type', 'Side', 'Price', 'Change', 'Balance', 'ID'].map(i)
  let seqUnit: 'ms' | 'us' | null = null
  let zoneNoted = false
  const num = (f: string[], col: string, line: number, optional = true) => {
    const raw = f[i(col)]!
    if (optional && raw === '-') return null
    return r.dec(f, col, line, { optional })
  }

  return {
    row(f: string[], line: number) {
      // Time from UserSeq.
      const seqText = f[iSeq]!
      const unit = /^\d{13}$/.test(seqText) ? 'ms' : /^\d{16}$/.test(seqText) ? 'us' : null
      if (unit === null) {
        r.issue(line, 'UserSeq', seqText, 'expected a Unix time in ms (13 digits) or µs (16 digits), as Deribit writes UserSeq; Riskdesk orders and times the log by it')
        return
      }
      if (seqUnit === null) {
        seqUnit = unit
        sink.note(`times from UserSeq (Unix ${unit === 'ms' ? 'milliseconds' : 'microseconds'}); the Date column (DD/MM/YY, zone not stated) is only checked against it`)
      } else if (seqUnit !== unit) {
        r.issue(line, 'UserSeq', seqText, `expected ${seqUnit === 'ms' ? '13' : '16'} digits like the rows before`)
        return
      }
      const seq = Number(seqText)
      const ts = unit === 'ms' ? seq : Math.floor(seq / 1000)
      const dateMs = dateAsUtc(f[iDate]!)
      if (dateMs === null) {
        r.issue(line, 'Date', f[iDate], 'expected DD/MM/YY HH:MM:SS')
        return
      }
      const shift = dateMs - ts
      if (Math.abs(shift) > 14 * 3_600_000 + 60_000) {
        r.issue(line, 'Date', f[iDate], `differs from UserSeq (${new Date(ts).toISOString()}) by more than 14 hours: not DD/MM/YY?`)
        return
      }
      if (!zoneNoted) {
        zoneNoted = true
        const minutes = Math.round(shift / 900_000) * 15
        sink.note(`the Date column runs ${minutes === 0 ? 'in UTC' : `${minutes > 0 ? '+' : ''}${minutes / 60} h from UTC`} (compared with UserSeq on line ${line})`)
      }
      const type = f[iType]!
      const name = f[iIns]!
      const instrument = name === '' || name === '-' ? null : instruments.get(name)
      if (instrument instanceof Error) {
        r.issue(line, 'Instrument', name, instrument.message)
        return
      }
      const currency = fileCcy ?? instrument?.settlementCurrency ?? null
      if (currency === null) {
        r.issue(line, null, undefined, `a ${type} row without instrument, and the log's currency is unknown: keep Deribit's file name (transaction_log-<uid>-<CCY>-…) or give --currency`)
        return
      }
      if (instrument && fileCcy && instrument.settlementCurrency !== fileCcy)
        sink.note(`${instrument.name} settles in ${instrument.settlementCurrency}, the log is in ${fileCcy}: fees and balances are read in ${fileCcy}`)
      const key = `deribit:${f[iId]}`
      const balance = num(f, 'Balance', line)
      const change = num(f, 'Change', line)
      if (balance === undefined || change === undefined) return
      if (balance !== null) sink.balance({ venue: 'deribit', account, currency, amount: f[iBal]!, ts, source: 'log', line })

      if (FILL_TYPES.has(type) || type === 'delivery') {
        if (!instrument) {
          r.issue(line, 'Instrument', name, `a ${type} row needs an instrument`)
          return
        }
        const side = SIDES[f[iSide]!]
        if (side === undefined) {
          r.issue(line, 'Side', f[iSide], 'expected open buy, open sell, close buy or close sell')
          return
        }
        const amount = r.dec(f, amountCol, line, { nonNegative: true })
        const price = r.dec(f, 'Price', line, { nonNegative: true, range: RANGES.priceOrZero })
        const position = num(f, 'Position', line)
        const fee = num(f, feeCol, line)
        const cashFlow = num(f, 'Cash Flow', line)
        if (!amount || !price || position === undefined || fee === undefined || cashFlow === undefined) return
        let fillPrice = price
        if (type === 'delivery' && instrument.kind === 'option') {
          const S = price
          const K = new D(instrument.strike!)
          const intrinsicUsd = D.max(ZERO, instrument.optionType === 'call' ? S.minus(K) : K.minus(S))
          const value = instrument.priceUnit === 'coin' ? (S.isZero() ? ZERO : intrinsicUsd.div(S)) : intrinsicUsd
          const matches = (v: D) => cashFlow === null || v.times(amount).minus(cashFlow.abs()).abs().lte('0.00000002')
          if (matches(value)) fillPrice = value
          else if (!matches(price)) {
            r.issue(line, 'Price', f[iPrice], `delivery of ${instrument.name}: neither Price as the delivery index (value ${value.toFixed()} per option) nor Price as the option's value matches Cash Flow ${cashFlow?.toFixed()}`)
            return
          }
        }
        sink.fill({
          venue: 'deribit', account, instrument, ts, seq, kind: type === 'delivery' ? 'delivery' : 'trade',
          quantity: side === 1 ? amount : amount.neg(), price: fillPrice, fee, feeCurrency: fee === null ? null : currency,
          venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: position, positionAfterUnsigned: false, key, line,
        })
        return
      }
      if (type === 'settlement') {
        const cashFlow = num(f, 'Cash Flow', line)
        const funding = num(f, 'Funding', line)
        const price = num(f, 'Price', line)
        if (cashFlow === undefined || funding === undefined || price === undefined) return
        if (funding !== null && !funding.isZero())
          sink.cash({ venue: 'deribit', account, instrument, ts, kind: 'funding', amount: funding, currency, key: `${key}:funding`, line, note: null })
        const session = (cashFlow ?? ZERO).minus(funding ?? ZERO)
        sink.cash({ venue: 'deribit', account, instrument, ts, kind: 'settlement', amount: session, currency, key, line, note: f[iSide] === '-' ? 'final settlement' : null, price })
        return
      }
      const kind = CASH_KINDS[type] ?? 'other'
      if (kind === 'other') sink.note(`rows of type "${type}" are read as cash movements (their Change)`)
      if (change === null) {
        r.issue(line, 'Change', f[iChange], `a ${type} row needs its Change`)
        return
      }
      sink.cash({ venue: 'deribit', account, instrument, ts, kind, amount: change, currency, key, line, note: kind === 'other' ? type : null })
    },
    end() {},
  }
}

export const deribitTransactionLogFormat: CsvFormat = {
  type: 'csv',
  id: DERIBIT_LOG_FORMAT,
  description: 'Deribit transaction log CSV (all four header versions): trades, deliveries, settlements, funding, fees, balance',
  content: 'trades',
  venue: 'deribit',
  versions: [
    { name: 'v4', columns: V4 },
    { name: 'v3', columns: V3 },
    { name: 'v2', columns: V2 },
    { name: 'v1', columns: V1 },
  ],
  otherColumns: 'ignore',
  streaming: true,
  open: handler,
}

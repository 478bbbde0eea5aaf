/**
 * Bybit transaction logs (CSV), two layouts (research note exchange-formats.md; BittyTax
 * src/bittytax/conv/parsers/bybit.py for the older one):
 *  - Unified Trading Account: a preamble `UID: <uid>,Company Name: ,Country: ` then
 *    `Uid,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee Paid,Cash Flow,Change,
 *    Wallet Balance,Action,Time(UTC)`; Type TRADE / SETTLEMENT / TRANSFER_IN / TRANSFER_OUT / DELIVERY /
 *    LIQUIDATION, Direction BUY / SELL, Action OPEN / CLOSE / SETTLEMENT; numbers with up to 20 decimals; `--`
 *    means empty;
 *  - older derivatives log: `Time,Currency,Contract,Type,Direction,Quantity,Position,Filled Price,Funding,Fee
 *    Paid,Cash Flow,Change,Wallet Balance,Fee Rate,Trade ID,Order ID`; Type trade / funding / liquidation /
 *    transferIn / transferOut; Direction Open Long / Open Short / Close Long / Close Short; `Time` has no
 *    zone, so the UTC offset must be stated.
 * Units: `Quantity` and `Position` in the contract's quantity unit (USD for inverse `BTCUSD`, coin for linear
 * `BTCUSDT`/`BTCPERP`), `Position` unsigned (a size; compared in absolute value with the replay); `Fee Paid`
 * > 0 paid, in `Currency`; `Change` the wallet balance change from the account's side, which is what
 * funding and transfer rows are read from (so no funding sign convention is assumed); `Cash Flow` Bybit's
 * own realized P&L, kept to compare; `Wallet Balance` the balance after the row.
 *
 * Spot rows of a UTA log (a `Contract` that is no derivatives symbol but a spot pair, e.g. `BTCEUR` on Bybit EU,
 * Type TRADE): Bybit writes one row per currency of the trade (v5 "Get Transaction Log": for spot, `qty` is the
 * change of that row's currency, negative when it decreased; `cashBalance` its balance after). The row in the
 * base coin becomes a spot fill (|Quantity| × Direction at `Filled Price` in the quote currency, its Fee Paid in
 * the base coin); the row in the quote currency adds no second fill — it is reported as skipped, its fee (if
 * any) booked as a fee in that currency. Both rows' `Wallet Balance` give the account's balances, so an EUR
 * balance is stored in EUR and valued through an EUR/USD price (docs/importers.md).
 */
import type { Instrument } from '../../../../shared/instrument'
import { RANGES } from '../../../../shared/ranges'
import { bybitCategoryOf, parseBybitInstrument } from '../../../domain/instruments/bybitInstrument'
import { VenueInstrumentError } from '../../../domain/instruments/instrumentBuilder'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'
import { InstrumentCache, resolveUtcOffset } from '../../core/logSupport'

export const BYBIT_LOG_FORMAT = 'bybit-transaction-log'
export const BYBIT_LEGACY_LOG_FORMAT = 'bybit-transaction-log-legacy'

const UTA = ['Uid', 'Currency', 'Contract', 'Type', 'Direction', 'Quantity', 'Position', 'Filled Price', 'Funding', 'Fee Paid', 'Cash Flow', 'Change',
  'Wallet Balance', 'Action', 'Time(UTC)']
const LEGACY = ['Time', 'Currency', 'Contract', 'Type', 'Direction', 'Quantity', 'Position', 'Filled Price', 'Funding', 'Fee Paid', 'Cash Flow',
  'Change', 'Wallet Balance', 'Fee Rate', 'Trade ID', 'Order ID']

type RowKind = 'fill' | 'delivery' | 'liquidation' | 'funding' | 'transfer' | 'other'
const UTA_TYPES: Record<string, RowKind> = {
  TRADE: 'fill', SETTLEMENT: 'funding', TRANSFER_IN: 'transfer', TRANSFER_OUT: 'transfer', DELIVERY: 'delivery', LIQUIDATION: 'liquidation',
  BONUS: 'other', FEE_REFUND: 'other', INTEREST: 'other', CURRENCY_BUY: 'other', CURRENCY_SELL: 'other', AUTO_DEDUCTION: 'other',
}
const LEGACY_TYPES: Record<string, RowKind> = { trade: 'fill', funding: 'funding', liquidation: 'liquidation', transferIn: 'transfer', transferOut: 'transfer' }
const LEGACY_DIRECTIONS: Record<string, 1 | -1> = { 'Open Long': 1, 'Close Short': 1, 'Open Short': -1, 'Close Long': -1 }

function handler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const { sink } = ctx
  const uta = ctx.version === 'uta'
  const account = ctx.options.account ?? 'main'
  const offset = uta ? 0 : resolveUtcOffset(ctx, null, 'Time')
  const timeCol = uta ? 'Time(UTC)' : 'Time'
  const parseTime = offset === null ? null : dateTimeParser('yyyy-MM-dd HH:mm:ss', offset, ctx.options.receivedAt)
  const instruments = new InstrumentCache((name) => {
    const category = bybitCategoryOf(name)
    if (category) return parseBybitInstrument(name, category, ctx.options.specs)
    // Only the UTA log carries spot rows; a name that is no derivatives symbol must then be a spot pair.
    if (!uta) throw new VenueInstrumentError('bybit', name, 'expected e.g. BTCUSD, BTCUSDT, BTCPERP or BTC-29MAR24-60000-C')
    try {
      return parseBybitInstrument(name, 'spot', ctx.options.specs)
    } catch {
      throw new VenueInstrumentError('bybit', name, 'expected a derivatives symbol (BTCUSD, BTCUSDT, BTCPERP, BTC-29MAR24-60000-C) or a spot pair such as BTCEUR')
    }
  })
  const keys = new RowKeys()
  const [iTime, iCcy, iContract, iType, iDir, iBal] = [timeCol, 'Currency', 'Contract', 'Type', 'Direction', 'Wallet Balance'].map((c) => r.idx(c))
  const iTrade = uta ? -1 : r.idx('Trade ID')

  /** One currency's row of a spot trade (see the header): a fill from the base-coin row, the quote row's fee. */
  function spotRow(f: string[], line: number, ts: number, instrument: Instrument, side: 1 | -1, currency: string, key: string): void {
    const qty = r.dec(f, 'Quantity', line, {})
    const fee = r.dec(f, 'Fee Paid', line, { optional: true })
    if (!qty || fee === undefined) return
    if (qty.isZero()) return r.issue(line, 'Quantity', f[r.idx('Quantity')], 'expected a non-zero quantity')
    if (currency === instrument.underlying) {
      // The base coin's change is signed (Bybit v5): it must agree with the Direction.
      if (qty.isNegative() && side === 1) return r.issue(line, 'Quantity', f[r.idx('Quantity')], `a BUY of ${instrument.name} must increase ${currency}, not decrease it`)
      if (qty.isPositive() && side === -1 && f[r.idx('Quantity')]!.startsWith('+'))
        return r.issue(line, 'Quantity', f[r.idx('Quantity')], `a SELL of ${instrument.name} must decrease ${currency}`)
      const price = r.dec(f, 'Filled Price', line, { positive: true })
      if (!price) return
      sink.fill({
        venue: 'bybit', account, instrument, ts, seq: null, kind: 'trade', quantity: side === 1 ? qty.abs() : qty.abs().neg(), price, fee,
        feeCurrency: fee === null ? null : currency, venueRealizedPnl: null, venueRealizedCurrency: null, positionAfter: null, positionAfterUnsigned: false, key, line,
      })
      return
    }
    if (currency !== instrument.priceCurrency)
      return r.issue(line, 'Currency', currency, `a row of the spot pair ${instrument.name} is in ${instrument.underlying} or ${instrument.priceCurrency}`)
    if (fee !== null && !fee.isZero())
      sink.cash({ venue: 'bybit', account, instrument, ts, kind: 'fee', amount: fee, currency, key, line, note: null })
    sink.skip({ line, reason: `${instrument.name} spot trade, its ${currency} leg: the fill is read from its ${instrument.underlying} row, this row's Wallet Balance kept` })
  }

  return {
    row(f: string[], line: number) {
      if (!parseTime) return
      const ts = parseTime(f[iTime]!)
      if (ts === null) {
        r.issue(line, timeCol, f[iTime], 'expected YYYY-MM-DD HH:MM:SS (from 2009 until now)')
        return
      }
      const typeText = f[iType]!
      const kind = (uta ? UTA_TYPES : LEGACY_TYPES)[typeText]
      if (kind === undefined) {
        r.issue(line, 'Type', typeText, `expected one of ${Object.keys(uta ? UTA_TYPES : LEGACY_TYPES).join(', ')}`)
        return
      }
      const currency = f[iCcy]!
      if (!/^[A-Z0-9]{2,10}$/.test(currency)) {
        r.issue(line, 'Currency', currency, 'expected a currency code such as USDT or BTC')
        return
      }
      const change = r.dec(f, 'Change', line, { optional: true })
      const balance = r.amount(f, 'Wallet Balance', line, { optional: true })
      if (change === undefined || balance === undefined) return
      if (balance !== null) sink.balance({ venue: 'bybit', account, currency, amount: f[iBal]!.replace(/^\+/, ''), ts, source: 'log', line })
      const key = !uta && f[iTrade] !== '' && f[iTrade] !== '--' ? `bybit:${f[iTrade]}` : keys.key('bybit', f)
      const contract = f[iContract]!
      const instrument = contract === '' || contract === '--' ? null : instruments.get(contract)
      if (instrument instanceof Error) {
        r.issue(line, 'Contract', contract, instrument.message)
        return
      }
      if (kind === 'fill' || kind === 'delivery' || kind === 'liquidation') {
        if (!instrument) {
          r.issue(line, 'Contract', contract, `a ${typeText} row needs a contract`)
          return
        }
        const dirText = f[iDir]!
        const side = uta ? (dirText === 'BUY' ? 1 : dirText === 'SELL' ? -1 : undefined) : LEGACY_DIRECTIONS[dirText]
        if (side === undefined) {
          r.issue(line, 'Direction', dirText, uta ? 'expected BUY or SELL' : 'expected Open Long, Open Short, Close Long or Close Short')
          return
        }
        if (instrument.kind === 'spot') return spotRow(f, line, ts, instrument, side, currency, key)
        const qty = r.dec(f, 'Quantity', line, { positive: true })
        const price = r.dec(f, 'Filled Price', line, { positive: true, range: RANGES.price })
        const position = r.dec(f, 'Position', line, { optional: true })
        const fee = r.dec(f, 'Fee Paid', line, { optional: true })
        const cashFlow = r.dec(f, 'Cash Flow', line, { optional: true })
        if (!qty || !price || position === undefined || fee === undefined || cashFlow === undefined) return
        sink.fill({
          venue: 'bybit', account, instrument, ts, seq: null, kind: kind === 'fill' ? 'trade' : kind, quantity: side === 1 ? qty : qty.neg(), price,
          fee, feeCurrency: fee === null ? null : currency, venueRealizedPnl: cashFlow, venueRealizedCurrency: cashFlow === null ? null : currency,
          positionAfter: position === null ? null : position.abs(), positionAfterUnsigned: true, key, line,
        })
        return
      }
      if (change === null) {
        r.issue(line, 'Change', f[r.idx('Change')], `a ${typeText} row needs its Change`)
        return
      }
      sink.cash({ venue: 'bybit', account, instrument: instrument ?? null, ts, kind: kind === 'funding' ? 'funding' : kind, amount: change, currency, key, line, note: kind === 'other' ? typeText : null })
    },
    end() {},
  }
}

export const bybitTransactionLogFormat: CsvFormat = {
  type: 'csv',
  id: BYBIT_LOG_FORMAT,
  description: 'Bybit Unified Trading Account transaction log CSV (with its UID preamble): trades, funding, transfers, wallet balance',
  content: 'trades',
  venue: 'bybit',
  versions: [{ name: 'uta', columns: UTA }],
  otherColumns: 'ignore',
  preamble: { maxLines: 1, pattern: /^UID:/i, describe: 'UID: <uid>,Company Name: ,Country: ' },
  streaming: true,
  open: handler,
}

export const bybitLegacyTransactionLogFormat: CsvFormat = {
  type: 'csv',
  id: BYBIT_LEGACY_LOG_FORMAT,
  description: 'Bybit older derivatives transaction log CSV (Time,Currency,Contract,…,Trade ID,Order ID); times need --utc-offset',
  content: 'trades',
  venue: 'bybit',
  versions: [{ name: 'legacy', columns: LEGACY }],
  otherColumns: 'ignore',
  streaming: true,
  open: handler,
}

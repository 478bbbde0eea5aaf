/**
 * Balances (collateral) files.
 *
 *  - bybit-funding-asset-changes: Bybit's "Funding account" asset-change export (everytrade-io
 *    parser-files/bybiteu_fund_v001.csv): a preamble `UID: …,Company Name: ,Country: ` then
 *    `Uid,Date & Time(UTC),Coin,QTY,Type,Account Balance,Description`. Each row is a cash movement (`QTY`,
 *    signed) and `Account Balance` the coin's balance after it; the balance of each coin is that of its latest
 *    row. The account defaults to `funding` (Bybit's funding account is not its trading account).
 */
import { D } from '../../../domain/trades/decimal'
import { fieldReader, RowKeys } from '../../core/csvRows'
import { dateTimeParser } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'

function bybitFunding(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const account = ctx.options.account ?? 'funding'
  if (ctx.options.account === undefined) ctx.sink.note('Bybit funding-account balances are stored under the account "funding" (give --account to choose another)')
  const parseTime = dateTimeParser('yyyy-MM-dd HH:mm:ss', 0, ctx.options.receivedAt)
  const keys = new RowKeys()
  const [iTime, iCoin, iType, iDesc, iBal] = ['Date & Time(UTC)', 'Coin', 'Type', 'Description', 'Account Balance'].map((c) => r.idx(c))
  return {
    row(f: string[], line: number) {
      const ts = parseTime(f[iTime]!)
      if (ts === null) return r.issue(line, 'Date & Time(UTC)', f[iTime], 'expected YYYY-MM-DD HH:MM:SS')
      const coin = f[iCoin]!
      if (!/^[A-Z0-9]{2,10}$/.test(coin)) return r.issue(line, 'Coin', coin, 'expected a coin code such as BTC')
      const qty = r.dec(f, 'QTY', line)
      const balance = r.amount(f, 'Account Balance', line)
      if (!qty || !balance) return
      const type = f[iType]!
      const desc = f[iDesc]!
      const kind = /transfer/i.test(type) ? 'transfer' : /deposit/i.test(type) || /deposit/i.test(desc) ? 'deposit' : /withdraw/i.test(type) ? 'withdrawal' : 'other'
      ctx.sink.cash({ venue: 'bybit', account, instrument: null, ts, kind, amount: qty, currency: coin, key: keys.key('bybit-funding', f), line, note: `${type}: ${desc}` })
      ctx.sink.balance({ venue: 'bybit', account, currency: coin, amount: new D(f[iBal]!).toFixed(), ts, source: 'log', line })
    },
    end() {},
  }
}

export const bybitFundingFormat: CsvFormat = {
  type: 'csv', id: 'bybit-funding-asset-changes', content: 'balances', venue: 'bybit', otherColumns: 'ignore', streaming: false,
  description: 'Bybit funding-account asset changes CSV (UID preamble): movements and each coin\'s latest balance',
  versions: [{ name: 'v1', columns: ['Uid', 'Date & Time(UTC)', 'Coin', 'QTY', 'Type', 'Account Balance', 'Description'] }],
  preamble: { maxLines: 1, pattern: /^UID:/i, describe: 'UID: <uid>,Company Name: ,Country: ' },
  open: bybitFunding,
}

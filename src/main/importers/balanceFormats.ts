/**
 * Balances (collateral) files.
 *
 *  - generic-balances: Riskdesk's own documented CSV (docs/importers.md), `venue,account,currency,amount[,as_of]`:
 *    one row per account and currency; `amount` a decimal in `currency` (negative allowed: a debt);
 *    `as_of` ISO-8601 with a zone or Unix ms/s (optional). One row per (venue, account, currency).
 *  - bybit-funding-asset-changes: Bybit's "Funding account" asset-change export (everytrade-io
 *    parser-files/bybiteu_fund_v001.csv): a preamble `UID: …,Company Name: ,Country: ` then
 *    `Uid,Date & Time(UTC),Coin,QTY,Type,Account Balance,Description`. Each row is a cash movement (`QTY`,
 *    signed) and `Account Balance` the coin's balance after it; the balance of each coin is that of its latest
 *    row. The account defaults to `funding` (Bybit's funding account is not its trading account).
 */
import { D } from '../domain/trades/decimal'
import { fieldReader, RowKeys } from './csvRows'
import { dateTimeParser, parseZonedInstant } from './dates'
import type { CsvFormat, CsvFormatContext } from './formatTypes'

export const GENERIC_BALANCES_COLUMNS = ['venue', 'account', 'currency', 'amount'] as const

/** Row handler of the generic balances CSV (module comment): one balance per row, reported per line. */
export function genericBalancesHandler(ctx: CsvFormatContext) {
  const r = fieldReader(ctx)
  const seen = new Map<string, number>()
  const hasAsOf = ctx.col('as_of') >= 0
  return {
    row(f: string[], line: number) {
      const [venue, account, currency] = ['venue', 'account', 'currency'].map((c) => f[r.idx(c)]!)
      if (!/^[a-z0-9-]+$/i.test(venue!)) return r.issue(line, 'venue', venue, 'expected a venue id such as deribit')
      if (account === '') return r.issue(line, 'account', account, 'expected an account name')
      if (!/^[A-Za-z0-9]{2,12}$/.test(currency!)) return r.issue(line, 'currency', currency, 'expected a currency code such as BTC or USDT')
      const amount = r.amount(f, 'amount', line)
      if (!amount) return
      let ts: number | null = null
      if (hasAsOf && f[r.idx('as_of')] !== '') {
        ts = parseZonedInstant(f[r.idx('as_of')]!)
        if (ts === null) return r.issue(line, 'as_of', f[r.idx('as_of')], 'expected ISO-8601 with a time zone (2024-05-01T00:00:00Z) or Unix ms')
      }
      const key = `${venue!.toLowerCase()}\u0000${account}\u0000${currency!.toUpperCase()}`
      const first = seen.get(key)
      if (first !== undefined) return r.issue(line, 'currency', currency, `same venue, account and currency as line ${first}`)
      seen.set(key, line)
      ctx.sink.balance({ venue: venue!.toLowerCase(), account: account!, currency: currency!.toUpperCase(), amount: new D(amount.value).toFixed(), ts, source: 'file', line })
    },
    end() {},
  }
}

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

export const genericBalancesFormat: CsvFormat = {
  type: 'csv', id: 'generic-balances', content: 'balances', venue: null, otherColumns: 'refuse', streaming: false,
  description: 'Riskdesk generic balances CSV: venue,account,currency,amount[,as_of]',
  versions: [{ name: 'v1', columns: GENERIC_BALANCES_COLUMNS, optional: ['as_of'] }],
  open: genericBalancesHandler,
}

export const bybitFundingFormat: CsvFormat = {
  type: 'csv', id: 'bybit-funding-asset-changes', content: 'balances', venue: 'bybit', otherColumns: 'ignore', streaming: false,
  description: 'Bybit funding-account asset changes CSV (UID preamble): movements and each coin\'s latest balance',
  versions: [{ name: 'v1', columns: ['Uid', 'Date & Time(UTC)', 'Coin', 'QTY', 'Type', 'Account Balance', 'Description'] }],
  preamble: { maxLines: 1, pattern: /^UID:/i, describe: 'UID: <uid>,Company Name: ,Country: ' },
  open: bybitFunding,
}

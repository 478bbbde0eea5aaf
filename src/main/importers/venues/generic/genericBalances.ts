/**
 * Balances (collateral) files.
 *
 *  - generic-balances: Riskdesk's own documented CSV (docs/importers.md), `venue,account,currency,amount[,as_of]`:
 *    one row per account and currency; `amount` a decimal in `currency` (negative allowed: a debt);
 *    `as_of` ISO-8601 with a zone or Unix ms/s (optional). One row per (venue, account, currency).
 */
import { D } from '../../../domain/trades/decimal'
import { fieldReader } from '../../core/csvRows'
import { parseZonedInstant } from '../../core/dates'
import type { CsvFormat, CsvFormatContext } from '../../core/formatTypes'

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

export const genericBalancesFormat: CsvFormat = {
  type: 'csv', id: 'generic-balances', content: 'balances', venue: null, otherColumns: 'refuse', streaming: false,
  description: 'Riskdesk generic balances CSV: venue,account,currency,amount[,as_of]',
  versions: [{ name: 'v1', columns: GENERIC_BALANCES_COLUMNS, optional: ['as_of'] }],
  open: genericBalancesHandler,
}

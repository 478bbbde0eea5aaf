/**
 * Balances (collateral and spot holdings) as valuation and margin read them: per account of a portfolio, the
 * balances of the latest import that gave balances for that account, in each currency; and, for accounts
 * with spot fills but no balance import, the holdings those fills add up to.
 */
import Decimal from 'decimal.js'
import type { Balance } from '../../shared/position'
import type { Db } from './database'

/** A stored balance of one account in one currency, with its row id and the import that gave it. */
export interface StoredBalance extends Balance {
  /** Row id in `balances`. */
  id: number
  importId: number
}

/**
 * The current balances of a portfolio: per account, every currency of the latest import that gave balances
 * for it (a balances file, or a log's balance column), sorted by venue, account, currency. Empty when none.
 */
export function currentBalances(db: Db, portfolioId: number): StoredBalance[] {
  return db
    .prepare<[number], Record<string, string | number | null>>(
      `WITH latest AS (
         SELECT b.account_id, MAX(b.import_id) AS import_id FROM balances b JOIN imports i ON i.id = b.import_id
         WHERE i.portfolio_id = ? GROUP BY b.account_id
       )
       SELECT b.id, a.venue, a.name AS account, b.currency, b.amount, b.ts, b.source, b.import_id
       FROM balances b JOIN latest l ON l.account_id = b.account_id AND l.import_id = b.import_id
       JOIN accounts a ON a.id = b.account_id
       ORDER BY a.venue, a.name, b.currency`,
    )
    .all(portfolioId)
    .map((r) => ({
      id: r.id as number,
      venue: r.venue as string,
      account: r.account as string,
      currency: r.currency as string,
      amount: r.amount as string,
      ts: r.ts as number | null,
      source: r.source as 'file' | 'log',
      importId: r.import_id as number,
    }))
}

/** Holdings of one account in one currency that its spot fills add up to. */
export interface SpotFillHolding {
  venue: string
  account: string
  currency: string
  /** Decimal string: bought − sold of the base coin; − paid + received of the quote; − fees. */
  amount: string
  /** Fills summed. */
  fills: number
  /** Time of the last fill, ms UTC. */
  lastTs: number
}

/**
 * For the accounts of a portfolio that have spot fills (spot trade histories) but no balance import: per
 * currency, what the fills add up to — each fill adds its quantity of the base coin, takes quantity × price of
 * the quote currency, and takes its fee in the fee currency — summed exactly (decimal.js). This is the account's
 * holding only if it started empty, which the caller must say. Currencies summing to zero are left out.
 */
export function spotFillHoldings(db: Db, portfolioId: number): SpotFillHolding[] {
  const rows = db
    .prepare<[number], { venue: string; account: string; underlying: string; price_currency: string; quantity: string; price: string; fee: string | null; fee_currency: string | null; ts: number }>(
      `SELECT a.venue, a.name AS account, ins.underlying, ins.price_currency, f.quantity, f.price, f.fee, f.fee_currency, f.ts
       FROM fills f JOIN accounts a ON a.id = f.account_id JOIN instruments ins ON ins.id = f.instrument_id
       WHERE a.portfolio_id = ? AND ins.kind = 'spot'
         AND NOT EXISTS (SELECT 1 FROM balances b WHERE b.account_id = f.account_id)
       ORDER BY a.venue, a.name, f.ts`,
    )
    .all(portfolioId)
  const sums = new Map<string, { venue: string; account: string; currency: string; amount: Decimal; fills: Set<number>; lastTs: number }>()
  let n = 0
  const add = (venue: string, account: string, currency: string, amount: Decimal, ts: number) => {
    const key = `${venue}\u0000${account}\u0000${currency}`
    const s = sums.get(key) ?? { venue, account, currency, amount: new Decimal(0), fills: new Set<number>(), lastTs: ts }
    s.amount = s.amount.plus(amount)
    s.fills.add(n)
    s.lastTs = Math.max(s.lastTs, ts)
    sums.set(key, s)
  }
  for (const r of rows) {
    n++
    const qty = new Decimal(r.quantity)
    add(r.venue, r.account, r.underlying, qty, r.ts)
    add(r.venue, r.account, r.price_currency, qty.times(r.price).negated(), r.ts)
    if (r.fee !== null && r.fee_currency !== null) add(r.venue, r.account, r.fee_currency, new Decimal(r.fee).negated(), r.ts)
  }
  return [...sums.values()]
    .filter((s) => !s.amount.isZero())
    .map((s) => ({ venue: s.venue, account: s.account, currency: s.currency, amount: s.amount.toFixed(), fills: s.fills.size, lastTs: s.lastTs }))
}

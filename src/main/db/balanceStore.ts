/**
 * Balances (collateral) as margin will read them: per account of a portfolio, the balances of the latest
 * import that gave balances for that account, in each currency.
 */
import type { ImportedBalance } from '../importers/importTypes'
import type { Db } from './database'

/** A stored balance: as imported (importTypes.ts `ImportedBalance`: amount a decimal string in `currency`,
 * `ts` ms UTC or null, `source` file | log), with the import that gave it. */
export interface StoredBalance extends Omit<ImportedBalance, 'line'> {
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
       SELECT a.venue, a.name AS account, b.currency, b.amount, b.ts, b.source, b.import_id
       FROM balances b JOIN latest l ON l.account_id = b.account_id AND l.import_id = b.import_id
       JOIN accounts a ON a.id = b.account_id
       ORDER BY a.venue, a.name, b.currency`,
    )
    .all(portfolioId)
    .map((r) => ({
      venue: r.venue as string,
      account: r.account as string,
      currency: r.currency as string,
      amount: r.amount as string,
      ts: r.ts as number | null,
      source: r.source as 'file' | 'log',
      importId: r.import_id as number,
    }))
}

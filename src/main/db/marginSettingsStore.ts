/**
 * Margin settings per margin account (venue account × margin currency) of a portfolio: a rule override,
 * leverage, isolated margins, fee rates, cross-collateral. Stored as JSON and validated with the shared zod
 * schema when read, so a hand-edited row fails loudly instead of margining with half-understood settings.
 */
import { marginAccountSettings, type MarginAccountSettings } from '../../shared/marginApi'
import type { Db } from './database'

export interface StoredMarginSettings {
  venue: string
  account: string
  marginCurrency: string
  settings: MarginAccountSettings
  /** ms since epoch UTC. */
  updatedAt: number
}

/** Thrown when a portfolio has no account of that venue and name. */
export class UnknownAccountError extends Error {
  constructor(venue: string, account: string, known: string[]) {
    super(`no account ${venue}/${account} in the portfolio; known: ${known.length > 0 ? known.join(', ') : 'none'}`)
    this.name = 'UnknownAccountError'
  }
}

/** Every stored margin setting of a portfolio's accounts. @throws ZodError for a stored row that no longer validates */
export function listMarginSettings(db: Db, portfolioId: number): StoredMarginSettings[] {
  return db
    .prepare<[number], { venue: string; name: string; margin_currency: string; settings: string; updated_at: number }>(
      `SELECT a.venue, a.name, m.margin_currency, m.settings, m.updated_at
       FROM margin_settings m JOIN accounts a ON a.id = m.account_id
       WHERE a.portfolio_id = ? ORDER BY a.venue, a.name, m.margin_currency`,
    )
    .all(portfolioId)
    .map((r) => ({
      venue: r.venue,
      account: r.name,
      marginCurrency: r.margin_currency,
      settings: marginAccountSettings.parse(JSON.parse(r.settings)),
      updatedAt: r.updated_at,
    }))
}

/**
 * Inserts or replaces the settings of one margin account.
 * @throws UnknownAccountError when the portfolio has no such account (accounts come from imports)
 */
export function writeMarginSettings(
  db: Db,
  portfolioId: number,
  ref: { venue: string; account: string; marginCurrency: string },
  settings: MarginAccountSettings,
  now: number,
): void {
  const row = db
    .prepare<[number, string, string], { id: number }>('SELECT id FROM accounts WHERE portfolio_id = ? AND venue = ? AND name = ?')
    .get(portfolioId, ref.venue, ref.account)
  if (!row) {
    const known = db
      .prepare<[number], { venue: string; name: string }>('SELECT venue, name FROM accounts WHERE portfolio_id = ? ORDER BY venue, name')
      .all(portfolioId)
      .map((a) => `${a.venue}/${a.name}`)
    throw new UnknownAccountError(ref.venue, ref.account, known)
  }
  db.prepare(
    `INSERT INTO margin_settings (account_id, margin_currency, settings, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(account_id, margin_currency) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
  ).run(row.id, ref.marginCurrency, JSON.stringify(settings), now)
}

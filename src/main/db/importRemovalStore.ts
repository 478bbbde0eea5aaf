/**
 * The record of what was taken out of the book (table import_removals, migration 8): removed imports, deleted
 * portfolios' imports and removed positions, with when and how many rows, so the import history stays honest.
 * Times are ms since epoch UTC.
 */
import type { Db } from './database'
import type { ImportHistoryEntry } from './importHistoryStore'

/** Rows removed per kind (the kinds of an import's `counts`). */
export interface RemovedRowCounts {
  positions: number
  balances: number
  fills: number
  ledgerEntries: number
  quotes: number
  closes: number
}

export type RemovalAction = 'import' | 'portfolio' | 'positions'

export interface StoredRemoval {
  removedAt: number
  action: RemovalAction
  importId: number
  portfolioId: number | null
  portfolioName: string | null
  what: string
  rows: RemovedRowCounts
}

export const NO_ROWS: RemovedRowCounts = { positions: 0, balances: 0, fills: 0, ledgerEntries: 0, quotes: 0, closes: 0 }

/** Records one removal; `entry` is the import's history record when the import itself is removed. */
export function recordRemoval(db: Db, r: StoredRemoval, entry: ImportHistoryEntry | null = null): void {
  db.prepare(
    `INSERT INTO import_removals (removed_at, action, import_id, portfolio_id, portfolio_name, what, rows, entry)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.removedAt, r.action, r.importId, r.portfolioId, r.portfolioName, r.what, JSON.stringify(r.rows), entry === null ? null : JSON.stringify(entry))
}

type Row = { removed_at: number; action: RemovalAction; import_id: number; portfolio_id: number | null; portfolio_name: string | null; what: string; rows: string; entry: string | null }

const toRemoval = (r: Row): StoredRemoval => ({
  removedAt: r.removed_at,
  action: r.action,
  importId: r.import_id,
  portfolioId: r.portfolio_id,
  portfolioName: r.portfolio_name,
  what: r.what,
  rows: JSON.parse(r.rows) as RemovedRowCounts,
})

/** Every removal touching one of these imports, oldest first, by import id. */
export function removalsOf(db: Db, importIds: readonly number[]): Map<number, StoredRemoval[]> {
  const out = new Map<number, StoredRemoval[]>()
  if (importIds.length === 0) return out
  const read = db.prepare<[number], Row>('SELECT * FROM import_removals WHERE import_id = ? ORDER BY removed_at, id')
  for (const id of importIds) {
    const rows = read.all(id)
    if (rows.length > 0) out.set(id, rows.map(toRemoval))
  }
  return out
}

/**
 * Imports that are no longer in the database, as their history record at removal time with the removal's
 * instant; of one portfolio when given (by the name it had, or by the id of the portfolio now holding that name).
 */
export function removedImports(db: Db, portfolio?: string): Array<{ entry: ImportHistoryEntry; removedAt: number }> {
  const rows = db
    .prepare<{ portfolio: string | null }, Row>(
      `SELECT * FROM import_removals
       WHERE entry IS NOT NULL
         AND (@portfolio IS NULL OR portfolio_name = @portfolio OR portfolio_id = (SELECT id FROM portfolios WHERE name = @portfolio))
       ORDER BY id`,
    )
    .all({ portfolio: portfolio ?? null })
  return rows.map((r) => ({ entry: JSON.parse(r.entry!) as ImportHistoryEntry, removedAt: r.removed_at }))
}

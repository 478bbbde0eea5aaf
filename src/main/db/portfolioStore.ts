/**
 * Portfolio management writes: rename, delete, remove an import, remove positions. Each function expects to
 * run inside the caller's transaction (services/portfolioService.ts opens one per change) and records what
 * it removed in import_removals (importRemovalStore.ts). Foreign keys cascade from an import to its positions,
 * balances, fills, ledger entries, trade totals, scopes and its own market snapshots; from a portfolio to its
 * accounts (and their margin settings), imports and stress runs. Instruments, market imports (chains, price
 * history, tier tables) and scenario sets are never deleted here.
 */
import type { Db } from './database'
import { listImports, type ImportHistoryEntry } from './importHistoryStore'
import { recordRemoval, type RemovedRowCounts } from './importRemovalStore'

/** Rows an import holds now, per kind. */
export function importRowCounts(e: ImportHistoryEntry): RemovedRowCounts {
  const c = e.counts
  return { positions: c.positions, balances: c.balances, fills: c.fills, ledgerEntries: c.ledgerEntries, quotes: c.quotes, closes: c.closes }
}

export const sumRows = (list: readonly RemovedRowCounts[]): RemovedRowCounts =>
  list.reduce(
    (a, r) => ({
      positions: a.positions + r.positions,
      balances: a.balances + r.balances,
      fills: a.fills + r.fills,
      ledgerEntries: a.ledgerEntries + r.ledgerEntries,
      quotes: a.quotes + r.quotes,
      closes: a.closes + r.closes,
    }),
    { positions: 0, balances: 0, fills: 0, ledgerEntries: 0, quotes: 0, closes: 0 },
  )

/** Renames a portfolio by id. The caller checks that the new name is free (UNIQUE would throw otherwise). */
export function renamePortfolioRow(db: Db, id: number, name: string): void {
  db.prepare('UPDATE portfolios SET name = ? WHERE id = ?').run(name, id)
}

/** Whether a portfolio of this name exists. */
export function portfolioNameTaken(db: Db, name: string): boolean {
  return db.prepare<[string], { id: number }>('SELECT id FROM portfolios WHERE name = ?').get(name) !== undefined
}

/**
 * Deletes a portfolio and everything of it, recording each of its imports as removed.
 * @returns the imports removed, their rows and the portfolio's saved stress runs removed with it
 */
export function deletePortfolioRows(db: Db, portfolio: { id: number; name: string }, now: number): { imports: number; removed: RemovedRowCounts; stressRuns: number } {
  const entries = listImports(db, { portfolio: portfolio.name, limit: Number.MAX_SAFE_INTEGER })
  for (const e of entries)
    recordRemoval(db, { removedAt: now, action: 'portfolio', importId: e.id, portfolioId: portfolio.id, portfolioName: portfolio.name, what: `portfolio "${portfolio.name}" deleted`, rows: importRowCounts(e) }, e)
  const stressRuns = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM stress_runs WHERE portfolio_id = ?').get(portfolio.id)!.n
  db.prepare('DELETE FROM portfolios WHERE id = ?').run(portfolio.id)
  return { imports: entries.length, removed: sumRows(entries.map(importRowCounts)), stressRuns }
}

/** Deletes one import (of a portfolio) and its rows, recording the removal with its history record. */
export function deleteImportRows(db: Db, entry: ImportHistoryEntry, portfolioId: number, now: number): RemovedRowCounts {
  const rows = importRowCounts(entry)
  recordRemoval(db, { removedAt: now, action: 'import', importId: entry.id, portfolioId, portfolioName: entry.portfolio, what: `import removed from portfolio "${entry.portfolio}"`, rows }, entry)
  db.prepare('DELETE FROM imports WHERE id = ?').run(entry.id)
  return rows
}

/** Deletes positions by row id, recording one removal per import they came from; `what` names them per import. */
export function deletePositionRows(
  db: Db,
  positions: ReadonlyArray<{ id: number; importId: number }>,
  portfolio: { id: number; name: string },
  what: (importId: number) => string,
  now: number,
): void {
  const del = db.prepare('DELETE FROM positions WHERE id = ?')
  const byImport = new Map<number, number>()
  for (const p of positions) {
    del.run(p.id)
    byImport.set(p.importId, (byImport.get(p.importId) ?? 0) + 1)
  }
  for (const [importId, n] of byImport)
    recordRemoval(db, { removedAt: now, action: 'positions', importId, portfolioId: portfolio.id, portfolioName: portfolio.name, what: what(importId), rows: { positions: n, balances: 0, fills: 0, ledgerEntries: 0, quotes: 0, closes: 0 } })
}

/** The import each position row belongs to. */
export function positionImports(db: Db, ids: readonly number[]): Map<number, number> {
  const read = db.prepare<[number], { import_id: number }>('SELECT import_id FROM positions WHERE id = ?')
  const out = new Map<number, number>()
  for (const id of ids) {
    const r = read.get(id)
    if (r) out.set(id, r.import_id)
  }
  return out
}

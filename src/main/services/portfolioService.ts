/**
 * Portfolio management (shared/portfolioApi.ts): rename, delete, remove positions, remove an import. Each call
 * is one SQLite transaction, so a failure leaves the database as it was; every removal is recorded in the
 * import history (db/importRemovalStore.ts). Market-wide data, scenario sets and other portfolios are untouched.
 */
import type { z } from 'zod'
import type { deletedPortfolio, removedImport, removedPositions, removePositionsRequest, renamedPortfolio } from '../../shared/portfolioApi'
import { currentBook, findPortfolio } from '../db/bookStore'
import type { Db } from '../db/database'
import { listImports } from '../db/importHistoryStore'
import { deleteImportRows, deletePortfolioRows, deletePositionRows, portfolioNameTaken, positionImports, renamePortfolioRow } from '../db/portfolioStore'

/**
 * Thrown for a change that cannot be made as asked (nothing was changed): a name in use, an unknown or
 * market-wide import, positions not in the book. A RangeError, as every input check of the services and the
 * domain, so the hosts answer it as the caller's input (the web host: 400), never as a fault of Riskdesk.
 */
export class PortfolioChangeError extends RangeError {
  constructor(message: string) {
    super(message)
    this.name = 'PortfolioChangeError'
  }
}

const positionCount = (db: Db, portfolioId: number) => currentBook(db, portfolioId).length

/**
 * Renames a portfolio; its imports, positions and settings follow it.
 * @throws PortfolioNotFoundError; PortfolioChangeError when the new name is taken
 */
export function renamePortfolio(db: Db, from: string, to: string): z.infer<typeof renamedPortfolio> {
  return db.transaction(() => {
    const p = findPortfolio(db, from)
    if (from === to) return { id: p.id, name: to, previousName: from }
    if (portfolioNameTaken(db, to)) throw new PortfolioChangeError(`a portfolio named "${to}" already exists; delete it or choose another name`)
    renamePortfolioRow(db, p.id, to)
    return { id: p.id, name: to, previousName: from }
  })()
}

/**
 * Deletes a portfolio: its accounts, imports (positions, balances, trade logs, its own market snapshots), margin
 * settings and saved stress runs. Each import is kept in the history as removed.
 * @throws PortfolioNotFoundError
 */
export function deletePortfolio(db: Db, name: string, now = Date.now()): z.infer<typeof deletedPortfolio> {
  return db.transaction(() => {
    const p = findPortfolio(db, name)
    return { name: p.name, ...deletePortfolioRows(db, p, now) }
  })()
}

/**
 * Removes one import of a portfolio. The portfolio's book then holds, per account, its latest remaining import.
 * @throws PortfolioChangeError for an unknown import, or one of market-wide data (no portfolio)
 */
export function removeImport(db: Db, importId: number, now = Date.now()): z.infer<typeof removedImport> {
  return db.transaction(() => {
    const entry = listImports(db, { id: importId, limit: 1 })[0]
    if (!entry) throw new PortfolioChangeError(`there is no import #${importId} (riskdesk imports lists them)`)
    if (entry.portfolio === null)
      throw new PortfolioChangeError(`import #${importId} (${entry.fileName}) is market-wide ${entry.content} data, not part of a portfolio's book; only a portfolio's imports can be removed`)
    const p = findPortfolio(db, entry.portfolio)
    const positionsBefore = positionCount(db, p.id)
    const removed = deleteImportRows(db, entry, p.id, now)
    return { importId, fileName: entry.fileName, portfolio: p.name, removed, positionsBefore, positionsAfter: positionCount(db, p.id) }
  })()
}

/**
 * Removes positions from a portfolio's current book, by row id or by instrument (and account, venue). All or
 * nothing: an id not in the current book, or an instrument with no position there, fails the call.
 * @throws PortfolioNotFoundError; PortfolioChangeError
 */
export function removePositions(db: Db, req: z.output<typeof removePositionsRequest>, now = Date.now()): z.infer<typeof removedPositions> {
  return db.transaction(() => {
    const p = findPortfolio(db, req.portfolio)
    const book = currentBook(db, p.id)
    let chosen: typeof book
    if (req.positionIds !== undefined) {
      const byId = new Map(book.map((b) => [b.id, b]))
      const missing = req.positionIds.filter((id) => !byId.has(id))
      if (missing.length > 0)
        throw new PortfolioChangeError(`position id${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the current book of "${p.name}" (riskdesk positions --json lists the ids)`)
      chosen = [...new Set(req.positionIds)].map((id) => byId.get(id)!)
    } else {
      chosen = book.filter(
        (b) => b.instrument.name === req.instrument && (req.account === undefined || b.account === req.account) && (req.venue === undefined || b.venue === req.venue),
      )
      if (chosen.length === 0) {
        const where = [req.venue && `venue ${req.venue}`, req.account && `account ${req.account}`].filter(Boolean).join(', ')
        throw new PortfolioChangeError(`no position in ${req.instrument}${where ? ` (${where})` : ''} in the current book of "${p.name}"`)
      }
    }
    const imports = positionImports(db, chosen.map((c) => c.id))
    const rows = chosen.map((c) => ({ id: c.id, venue: c.venue, account: c.account, instrument: c.instrument.name, quantity: c.quantity, importId: imports.get(c.id)! }))
    const what = (importId: number) =>
      rows
        .filter((r) => r.importId === importId)
        .map((r) => `${r.instrument} ${r.quantity} in ${r.venue}/${r.account}`)
        .join('; ')
    deletePositionRows(db, rows, p, what, now)
    return { portfolio: p.name, positions: rows, positionsLeft: positionCount(db, p.id) }
  })()
}

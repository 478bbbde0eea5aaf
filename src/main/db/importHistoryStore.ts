/**
 * The import history: who imported what, when, how it was read and what came of it. Failed imports are
 * not recorded (nothing of a failed file is written).
 */
import type { ImportContentKind } from '../../shared/importApi'
import type { Db } from './database'
import { removalsOf, removedImports, type StoredRemoval } from './importRemovalStore'

/**
 * One import as stored (times in ms); the services give it to the API and the CLI as shared/importApi.ts
 * `importHistoryEntry` (ISO times, without the source path and the elapsed time).
 */
export interface ImportHistoryEntry {
  id: number
  portfolio: string | null
  content: ImportContentKind
  format: string
  fileName: string
  sourcePath: string | null
  sha256: string
  encoding: string | null
  delimiter: string | null
  /** The options the user stated, as stored. */
  options: Record<string, unknown>
  importedBy: string | null
  host: string | null
  /** ms since epoch UTC. */
  importedAt: number
  /** Instant of the file's last row, ms; null when the file has no time. */
  asOf: number | null
  rowsRead: number
  rowsImported: number
  rowsSkipped: number
  duplicateRows: number
  skipped: Array<{ reason: string; count: number; lines: number[] }>
  notes: string[]
  elapsedMs: number | null
  /** What landed: positions, quotes, fills, ledger entries, balances, closes. */
  counts: { positions: number; quotes: number; fills: number; ledgerEntries: number; balances: number; closes: number }
  /** Accounts the import spoke for, `venue/name`. */
  accounts: string[]
  /** When the import was removed (ms UTC); null while it is in the database. */
  removedAt: number | null
  /** What was taken out of it after it landed (importRemovalStore.ts), oldest first. */
  removals: StoredRemoval[]
}

export interface HistoryFilter {
  portfolio?: string
  /** Only the import of the file with these bytes (hex sha256). */
  sha256?: string
  /** Only imports at or after this instant (ms). */
  since?: number
  format?: string
  /** Only this import. */
  id?: number
  limit?: number
  /** Also imports removed since (portfolio management), as they were when removed; never for `sha256`. */
  includeRemoved?: boolean
}

const json = <T>(s: string | null, fallback: T): T => (s === null || s === '' ? fallback : (JSON.parse(s) as T))

/** Newest first. */
export function listImports(db: Db, filter: HistoryFilter = {}): ImportHistoryEntry[] {
  const where: string[] = []
  const args: Array<string | number> = []
  if (filter.portfolio !== undefined) {
    where.push('p.name = ?')
    args.push(filter.portfolio)
  }
  if (filter.sha256 !== undefined) {
    where.push('i.sha256 = ?')
    args.push(filter.sha256)
  }
  if (filter.since !== undefined) {
    where.push('i.imported_at >= ?')
    args.push(filter.since)
  }
  if (filter.format !== undefined) {
    where.push('i.format = ?')
    args.push(filter.format)
  }
  if (filter.id !== undefined) {
    where.push('i.id = ?')
    args.push(filter.id)
  }
  const rows = db
    .prepare<Array<string | number>, Record<string, string | number | null>>(
      `SELECT i.*, p.name AS portfolio,
         (SELECT COUNT(*) FROM positions x WHERE x.import_id = i.id) AS n_positions,
         (SELECT COUNT(*) FROM market_quotes q JOIN market_snapshots s ON s.id = q.snapshot_id WHERE s.import_id = i.id) AS n_quotes,
         (SELECT COUNT(*) FROM ledger_entries l WHERE l.import_id = i.id) AS n_ledger,
         (SELECT COUNT(*) FROM balances b WHERE b.import_id = i.id) AS n_balances,
         (SELECT COALESCE(SUM(closes), 0) FROM price_series ps WHERE ps.import_id = i.id) AS n_closes,
         (SELECT GROUP_CONCAT(a.venue || '/' || a.name, char(31)) FROM import_accounts ia JOIN accounts a ON a.id = ia.account_id
            WHERE ia.import_id = i.id) AS account_list
       FROM imports i LEFT JOIN portfolios p ON p.id = i.portfolio_id
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY i.imported_at DESC, i.id DESC
       LIMIT ?`,
    )
    .all(...args, filter.limit ?? 100)
  const live = rows.map((r): ImportHistoryEntry => ({
    id: r.id as number,
    portfolio: r.portfolio as string | null,
    content: r.content as ImportContentKind,
    format: r.format as string,
    fileName: r.file_name as string,
    sourcePath: r.source_path as string | null,
    sha256: r.sha256 as string,
    encoding: r.encoding as string | null,
    delimiter: r.delimiter as string | null,
    options: json(r.options as string | null, {}),
    importedBy: r.imported_by as string | null,
    host: r.host as string | null,
    importedAt: r.imported_at as number,
    asOf: r.as_of as number | null,
    rowsRead: r.rows_read as number,
    rowsImported: r.rows_imported as number,
    rowsSkipped: r.rows_skipped as number,
    duplicateRows: r.duplicate_rows as number,
    skipped: json(r.skipped as string | null, []),
    notes: json(r.notes as string | null, []),
    elapsedMs: r.elapsed_ms as number | null,
    counts: {
      positions: r.n_positions as number,
      quotes: r.n_quotes as number,
      // Fills are counted at import time (the fills table has no import index: see migrations.ts).
      fills: (json<{ fills?: number }>(r.counts as string | null, {}).fills ?? 0) as number,
      ledgerEntries: r.n_ledger as number,
      balances: r.n_balances as number,
      closes: r.n_closes as number,
    },
    accounts: r.account_list === null ? [] : (r.account_list as string).split('\u001f'),
    removedAt: null,
    removals: [],
  }))
  const removed =
    filter.includeRemoved && filter.sha256 === undefined
      ? removedImports(db, filter.portfolio)
          .map(({ entry, removedAt }): ImportHistoryEntry => ({ ...entry, removedAt }))
          .filter((e) => (filter.since === undefined || e.importedAt >= filter.since) && (filter.format === undefined || e.format === filter.format) && (filter.id === undefined || e.id === filter.id))
      : []
  const all = removed.length === 0 ? live : [...live, ...removed].sort((a, b) => b.importedAt - a.importedAt || b.id - a.id).slice(0, filter.limit ?? 100)
  const removals = removalsOf(db, all.map((e) => e.id))
  return all.map((e) => ({ ...e, removals: removals.get(e.id) ?? [] }))
}

/** The import that holds a file with these bytes (hex sha256), if any. */
export function findImportBySha256(db: Db, sha256: string): ImportHistoryEntry | null {
  return listImports(db, { sha256, limit: 1 })[0] ?? null
}

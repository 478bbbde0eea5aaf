/**
 * Tier tables imported from the venues' own responses (migration 7, `margin_tier_entries`): written by an
 * import's writer (importStore.ts ImportWriter.addTierEntries), read by the margin service and laid over the
 * built-in tables (services/marginBook.ts). Market-wide: no portfolio. Values stay JSON here; the margin
 * domain validates them when they are read (params/index.ts parseMarginParamsOverride).
 */
import type { Db } from './database'

/** One entry as an import writes it. */
export interface TierEntryInput {
  venue: string
  /** e.g. `binance.usdm.brackets.BTCUSDT`. */
  tableId: string
  /** YYYY-MM-DD. */
  asOf: string
  dateBasis: 'recorded' | 'imported'
  sources: string[]
  note: string
  /** The table's values as JSON text. */
  valuesJson: string
  /** 1-based line of the table in its file. */
  line: number
}

/** One stored entry. */
export interface StoredTierEntry {
  importId: number
  venue: string
  tableId: string
  asOf: string
  dateBasis: 'recorded' | 'imported'
  sources: string[]
  note: string
  values: unknown
  fileName: string
  /** ms since epoch. */
  importedAt: number
}

/** Inserts an import's entries (inside the caller's transaction). */
export function insertTierEntries(db: Db, importId: number, rows: readonly TierEntryInput[]): void {
  const insert = db.prepare(
    `INSERT INTO margin_tier_entries (import_id, venue, table_id, as_of, date_basis, sources, note, tier_values, source_line)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  for (const r of rows) insert.run(importId, r.venue, r.tableId, r.asOf, r.dateBasis, JSON.stringify(r.sources), r.note, r.valuesJson, r.line)
}

/** Every stored entry, oldest import first (so a later import of the same table and day wins when merged). */
export function storedTierEntries(db: Db): StoredTierEntry[] {
  const rows = db
    .prepare<[], { import_id: number; venue: string; table_id: string; as_of: string; date_basis: 'recorded' | 'imported'; sources: string; note: string; tier_values: string; file_name: string; imported_at: number }>(
      `SELECT e.import_id, e.venue, e.table_id, e.as_of, e.date_basis, e.sources, e.note, e.tier_values, i.file_name, i.imported_at
         FROM margin_tier_entries e JOIN imports i ON i.id = e.import_id
        ORDER BY i.imported_at, e.import_id, e.id`,
    )
    .all()
  return rows.map((r) => ({
    importId: r.import_id,
    venue: r.venue,
    tableId: r.table_id,
    asOf: r.as_of,
    dateBasis: r.date_basis,
    sources: JSON.parse(r.sources) as string[],
    note: r.note,
    values: JSON.parse(r.tier_values) as unknown,
    fileName: r.file_name,
    importedAt: r.imported_at,
  }))
}

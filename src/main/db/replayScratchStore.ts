/**
 * A private temporary SQLite database for one import's replay (domain/trades/fillTape.ts, whose TapeSpill it
 * is): the fill tape's chunks spilled out of memory, and the sort of a log whose fills are not listed in time order (SQLite's
 * external sort, so memory stays bounded whatever the log's length). Anonymous (`new Database('')`): SQLite
 * keeps it in a small page cache, spills it to a temporary file and deletes it when closed. Nothing in it
 * outlives the import; the Riskdesk database is not touched.
 */
import BetterSqlite3 from 'better-sqlite3'

/** A fill as the sort stores it: ts, venue sequence, line, slot, quantity units (text), quantity scale,
 * quantity and price as float64, position-after units (text) and scale (the tape's SortedFillRow). */
export type SortedFillRow = [number, number | null, number, number, string, number, number, number, string | null, number | null]

export class ReplayScratch {
  private readonly db = new BetterSqlite3('')
  private readonly saveChunkStatement
  private readonly loadChunkStatement
  private sortInsert: BetterSqlite3.Statement<SortedFillRow> | null = null

  constructor() {
    this.db.pragma('journal_mode = OFF')
    this.db.pragma('synchronous = OFF')
    // Chunks are written once and read once: a small page cache (the default is 16 MB) keeps memory low.
    this.db.pragma('cache_size = -1024')
    this.db.exec('CREATE TABLE chunks (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)')
    this.saveChunkStatement = this.db.prepare<[number, Uint8Array]>('INSERT OR REPLACE INTO chunks (id, bytes) VALUES (?, ?)')
    this.loadChunkStatement = this.db.prepare<[number], Buffer>('SELECT bytes FROM chunks WHERE id = ?').pluck()
  }

  saveChunk(id: number, bytes: Uint8Array): void {
    this.saveChunkStatement.run(id, bytes)
  }

  /** Copies chunk `id` into `into` (which must be at least as large). */
  loadChunk(id: number, into: Uint8Array): void {
    const bytes = this.loadChunkStatement.get(id)
    if (!bytes) throw new Error(`replay scratch: no chunk ${id}`)
    into.set(bytes)
  }

  /** Adds a fill to the sort (call sortedFills once every fill is added). */
  addToSort(row: SortedFillRow): void {
    if (!this.sortInsert) {
      this.db.exec(`CREATE TABLE sort_fills (ts INTEGER NOT NULL, seq INTEGER, line INTEGER NOT NULL, slot INTEGER NOT NULL, q_units TEXT NOT NULL,
        q_scale INTEGER NOT NULL, q_number REAL NOT NULL, p_number REAL NOT NULL, after_units TEXT, after_scale INTEGER)`)
      this.db.exec('BEGIN')
      this.sortInsert = this.db.prepare<SortedFillRow>('INSERT INTO sort_fills VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    }
    this.sortInsert.run(...row)
  }

  /** The fills added, by time, then the venue's sequence (none first), then line × `direction`. */
  *sortedFills(direction: 1 | -1): Generator<SortedFillRow> {
    if (!this.sortInsert) return
    if (this.db.inTransaction) this.db.exec('COMMIT')
    yield* this.db.prepare<[number], SortedFillRow>('SELECT * FROM sort_fills ORDER BY ts, seq, line * ?').raw(true).iterate(direction) as Iterable<SortedFillRow>
  }

  close(): void {
    this.db.close()
  }
}

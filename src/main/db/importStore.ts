/**
 * Writes one imported file — its import record, portfolio, accounts, instruments, positions, market
 * snapshot, fills, ledger entries, totals, balances and price history — through one ImportWriter, which the
 * import service drives inside a single transaction: either all of a file lands or none of it does.
 * Statements are prepared once per writer (a trade log of a million rows inserts through the same
 * statement). Amounts are decimal strings; times ms since epoch UTC.
 */
import type BetterSqlite3 from 'better-sqlite3'
import type { Instrument } from '../../shared/instrument'
import type { Db } from './database'

export type ImportKind = 'positions' | 'market'
export type ImportContentKind = 'positions' | 'trades' | 'balances' | 'market' | 'prices'

export interface ImportRecord {
  id: number
  portfolio: string | null
  kind: ImportKind
  content: ImportContentKind
  format: string
  fileName: string
  sha256: string
  rowsRead: number
  rowsImported: number
  rowsSkipped: number
  duplicateRows: number
  /** ms since epoch UTC. */
  importedAt: number
  /** Instant of the file's last row (logs, price history, snapshots with a time), ms. */
  asOf: number | null
}

interface ImportRow {
  id: number
  portfolio: string | null
  kind: ImportKind
  content: ImportContentKind
  format: string
  file_name: string
  sha256: string
  rows_read: number
  rows_imported: number
  rows_skipped: number
  duplicate_rows: number
  imported_at: number
  as_of: number | null
}

const toRecord = (r: ImportRow): ImportRecord => ({
  id: r.id,
  portfolio: r.portfolio,
  kind: r.kind,
  content: r.content,
  format: r.format,
  fileName: r.file_name,
  sha256: r.sha256,
  rowsRead: r.rows_read,
  rowsImported: r.rows_imported,
  rowsSkipped: r.rows_skipped,
  duplicateRows: r.duplicate_rows,
  importedAt: r.imported_at,
  asOf: r.as_of,
})

/** The earlier import of a file with this content hash, if any. */
export function findImportBySha256(db: Db, sha256: string): ImportRecord | null {
  const row = db
    .prepare<[string], ImportRow>(
      `SELECT i.*, p.name AS portfolio FROM imports i LEFT JOIN portfolios p ON p.id = i.portfolio_id WHERE sha256 = ?`,
    )
    .get(sha256)
  return row ? toRecord(row) : null
}

/** What the import record says about the file and how it was read (the history's who/what/how). */
export interface ImportHeader {
  fileName: string
  sourcePath: string | null
  sha256: string
  format: string
  content: ImportContentKind
  /** Portfolio for positions, trades and balances; ignored for market data and price history. */
  portfolio: string
  encoding: string | null
  delimiter: string | null
  /** The options the user stated (account, UTC offset, mapping…), as JSON-able data. */
  options: Record<string, unknown>
  importedBy: string
  host: string
  /** ms since epoch UTC. */
  now: number
}

export interface FillRow {
  accountId: number
  instrumentId: number
  ts: number
  seq: number | null
  kind: 'trade' | 'delivery' | 'liquidation'
  quantity: string
  price: string
  fee: string | null
  feeCurrency: string | null
  venueRealizedPnl: string | null
  venueRealizedCurrency: string | null
  positionAfter: string | null
  key: string
  line: number
}

/**
 * A stored fill as the replay reads it (a raw row): account id, instrument id, ts, kind, quantity, price,
 * fee, fee currency, venue realized P&L, its currency, position after, source line.
 */
export type ReplayRow = [number, number, number, FillRow['kind'], string, string, string | null, string | null, string | null, string | null, string | null, number]

/** A fill whose key the account already had: from an earlier import, or an earlier row of this file. */
export interface FillConflict {
  fill: FillRow
  ownerImportId: number
  ownerLine: number
}

/** A ledger entry whose key the account already had. */
export interface LedgerConflict {
  entry: LedgerRow
  ownerImportId: number
  ownerLine: number
}

/** What the import pipeline needs from a writer: the local ImportWriter, or its worker-thread proxy. */
export interface ImportWriting {
  readonly importId: number
  readonly header: ImportHeader
  accountId(venue: string, name: string): number
  instrumentId(i: Instrument): number
  /**
   * Records that this import speaks for an account's positions (`positions` may be 0: a flat account) in the
   * given scopes: `*` (all of them) or settlement currencies (`BTC`, `USDT`…).
   */
  coverAccount(accountId: number, positions: number, scopes: readonly string[]): void
  addPosition(p: PositionRowInput): void
  addMarket(venue: string, asOf: number, quotes: QuoteRowInput[], indices: Array<{ underlying: string; price: string; ts: number }>): void
  addFill(f: FillRow): FillConflict[]
  flushFills(): FillConflict[]
  addLedger(e: LedgerRow): void
  ledgerConflicts(): LedgerConflict[]
  fillsInOrder(order: 'file' | 'reversed' | 'sorted', direction: 1 | -1, earlierKeys?: ReadonlyArray<{ accountId: number; key: string }>): Iterable<ReplayRow>
  addTotal(accountId: number, instrumentId: number | null, measure: string, currency: string, amount: string): void
  addBalance(accountId: number, currency: string, amount: string, ts: number | null, source: 'file' | 'log', line: number): void
  overlappingCloses(s: PriceSeriesInput): { same: number; different: number }
  addPriceSeries(s: PriceSeriesInput): void
  finish(f: FinishInput): ImportRecord
}

export interface FinishInput {
  rowsRead: number
  /** Rows of the file that were stored: read − skipped − already stored by an earlier import. */
  rowsImported: number
  skipped: Array<{ line: number; reason: string }>
  duplicateRows: number
  asOf: number | null
  notes: string[]
  elapsedMs: number
  counts: Record<string, number>
}

const FILL_COLUMNS = 14
const FILL_BATCH = 64

export interface LedgerRow {
  accountId: number
  instrumentId: number | null
  ts: number
  kind: string
  amount: string
  currency: string
  key: string
  line: number
  note: string | null
}

export interface PositionRowInput {
  accountId: number
  instrumentId: number
  quantity: string
  entryPrice: string
  entryTime: number | null
  note: string | null
  line: number
}

export interface QuoteRowInput {
  instrumentId: number
  ts: number
  markPrice: string | null
  markIv: string | null
  underlyingPrice: string | null
  indexPrice: string | null
  greeks: { delta?: number; gamma?: number; vega?: number; theta?: number; rho?: number } | null
  source: string
}

export interface PriceSeriesInput {
  underlying: string
  quoteCurrency: string
  interval: '1d' | '1h'
  source: string
  closes: Array<{ ts: number; close: string }>
  gaps: Array<{ from: number; missing: number }>
}

/** Writes one import; every method must run inside the caller's transaction. */
export class ImportWriter implements ImportWriting {
  readonly importId: number
  readonly portfolioId: number | null
  private readonly instrumentIds = new Map<string, number>()
  private readonly accountIds = new Map<string, number>()
  private readonly fillStatements = new Map<number, BetterSqlite3.Statement<unknown[]>>()
  private readonly fillBatch: FillRow[] = []
  /** Rowids above this are this import's fills (one transaction inserts them consecutively). */
  private readonly fillIdFloor: number
  private readonly fillParams: unknown[] = []
  private readonly insertLedger
  private readonly ledgerOwner
  private readonly ledgerConflictList: LedgerConflict[] = []

  constructor(
    private readonly db: Db,
    readonly header: ImportHeader,
  ) {
    const kind: ImportKind = header.content === 'market' || header.content === 'prices' ? 'market' : 'positions'
    this.portfolioId = kind === 'positions' ? this.portfolio(header.portfolio) : null
    this.importId = Number(
      db
        .prepare(
          `INSERT INTO imports (portfolio_id, kind, content, format, file_name, source_path, sha256, rows_read, rows_imported,
             rows_skipped, imported_at, encoding, delimiter, options, imported_by, host)
           VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?)`,
        )
        .run(this.portfolioId, kind, header.content, header.format, header.fileName, header.sourcePath, header.sha256, header.now,
          header.encoding, header.delimiter, JSON.stringify(header.options), header.importedBy, header.host).lastInsertRowid,
    )
    this.fillIdFloor = db.prepare<[], { m: number }>('SELECT COALESCE(MAX(id), 0) AS m FROM fills').get()!.m
    this.insertLedger = db.prepare(
      `INSERT INTO ledger_entries (import_id, account_id, instrument_id, ts, kind, amount, currency, entry_key,
         source_line, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, entry_key) DO NOTHING`,
    )
    this.ledgerOwner = db.prepare<[number, string], { import_id: number; source_line: number }>(
      'SELECT import_id, source_line FROM ledger_entries WHERE account_id = ? AND entry_key = ?',
    )
  }

  private portfolio(name: string): number {
    const found = this.db.prepare<[string], { id: number }>('SELECT id FROM portfolios WHERE name = ?').get(name)
    if (found) return found.id
    return Number(this.db.prepare('INSERT INTO portfolios (name, created_at) VALUES (?, ?)').run(name, this.header.now).lastInsertRowid)
  }

  /** Id of the account in this import's portfolio, inserting it on first sight. */
  accountId(venue: string, name: string): number {
    if (this.portfolioId === null) throw new Error('market imports have no accounts')
    const k = `${venue}\u0000${name}`
    let id = this.accountIds.get(k)
    if (id !== undefined) return id
    const found = this.db
      .prepare<[number, string, string], { id: number }>('SELECT id FROM accounts WHERE portfolio_id = ? AND venue = ? AND name = ?')
      .get(this.portfolioId, venue, name)
    id = found
      ? found.id
      : Number(this.db.prepare('INSERT INTO accounts (portfolio_id, venue, name) VALUES (?, ?, ?)').run(this.portfolioId, venue, name).lastInsertRowid)
    this.accountIds.set(k, id)
    return id
  }

  /** Id of the instrument, inserting it on first sight (and filling the canonical symbol of older rows). */
  instrumentId(i: Instrument): number {
    const k = `${i.venue}\u0000${i.name}`
    let id = this.instrumentIds.get(k)
    if (id !== undefined) return id
    const found = this.db
      .prepare<[string, string], { id: number; symbol: string }>('SELECT id, symbol FROM instruments WHERE venue = ? AND name = ?')
      .get(i.venue, i.name)
    if (found) {
      id = found.id
      if (found.symbol === '') this.db.prepare('UPDATE instruments SET symbol = ?, price_currency = ? WHERE id = ?').run(i.symbol, i.priceCurrency, id)
    } else
      id = Number(
        this.db
          .prepare(
            `INSERT INTO instruments (venue, name, symbol, kind, settlement, underlying, quote_currency, settlement_currency,
               contract_size, contract_size_unit, quantity_unit, price_unit, price_currency, expiry_ms, strike, option_type)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(i.venue, i.name, i.symbol, i.kind, i.settlement, i.underlying, i.quoteCurrency, i.settlementCurrency, i.contractSize,
            i.contractSizeUnit, i.quantityUnit, i.priceUnit, i.priceCurrency, i.expiryMs, i.strike === null ? null : String(i.strike),
            i.optionType).lastInsertRowid,
      )
    this.instrumentIds.set(k, id)
    return id
  }

  /** Records that this import speaks for an account's positions (`positions` may be 0: a flat account). */
  coverAccount(accountId: number, positions: number, scopes: readonly string[]): void {
    this.db.prepare('INSERT OR REPLACE INTO import_accounts (import_id, account_id, positions) VALUES (?, ?, ?)').run(this.importId, accountId, positions)
    const scope = this.db.prepare('INSERT OR IGNORE INTO import_scopes (import_id, account_id, scope) VALUES (?, ?, ?)')
    for (const sc of scopes) scope.run(this.importId, accountId, sc)
  }

  addPosition(p: PositionRowInput): void {
    this.db
      .prepare(
        `INSERT INTO positions (import_id, account_id, instrument_id, quantity, entry_price, entry_time, note, source_line)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.importId, p.accountId, p.instrumentId, p.quantity, p.entryPrice, p.entryTime, p.note, p.line)
  }

  addMarket(venue: string, asOf: number, quotes: QuoteRowInput[], indices: Array<{ underlying: string; price: string; ts: number }>): void {
    const snapshot = Number(
      this.db.prepare('INSERT INTO market_snapshots (import_id, venue, as_of) VALUES (?, ?, ?)').run(this.importId, venue, asOf).lastInsertRowid,
    )
    const insertQuote = this.db.prepare(
      `INSERT INTO market_quotes (snapshot_id, instrument_id, ts, mark_price, mark_iv, underlying_price, index_price,
         venue_delta, venue_gamma, venue_vega, venue_theta, venue_rho, source)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const q of quotes) {
      const g = q.greeks ?? {}
      insertQuote.run(snapshot, q.instrumentId, q.ts, q.markPrice, q.markIv, q.underlyingPrice, q.indexPrice, g.delta ?? null,
        g.gamma ?? null, g.vega ?? null, g.theta ?? null, g.rho ?? null, q.source)
    }
    const insertIndex = this.db.prepare('INSERT INTO index_prices (snapshot_id, underlying, ts, price) VALUES (?, ?, ?, ?)')
    for (const i of indices) insertIndex.run(snapshot, i.underlying, i.ts, i.price)
  }

  private fillStatement(n: number): BetterSqlite3.Statement<unknown[]> {
    let st = this.fillStatements.get(n)
    if (!st) {
      const one = `(${this.importId}, ${new Array(FILL_COLUMNS).fill('?').join(', ')})`
      st = this.db.prepare<unknown[]>(
        `INSERT INTO fills (import_id, account_id, instrument_id, ts, seq, kind, quantity, price, fee, fee_currency, venue_realized_pnl,
           venue_realized_ccy, position_after, fill_key, source_line) VALUES ${new Array(n).fill(one).join(', ')}
         ON CONFLICT (account_id, fill_key) DO NOTHING`,
      )
      this.fillStatements.set(n, st)
    }
    return st
  }

  /**
   * Queues a fill; fills are inserted 64 rows per execution of one prepared statement. Only the key
   * conflict is passed over (ON CONFLICT on the account and key): any other constraint failure throws.
   * Returns, when a batch was written, the fills of it whose key was already stored (see flushFills).
   */
  addFill(f: FillRow): FillConflict[] {
    this.fillBatch.push(f)
    this.fillParams.push(f.accountId, f.instrumentId, f.ts, f.seq, f.kind, f.quantity, f.price, f.fee, f.feeCurrency, f.venueRealizedPnl,
      f.venueRealizedCurrency, f.positionAfter, f.key, f.line)
    return this.fillBatch.length >= FILL_BATCH ? this.flushFills() : []
  }

  /** Writes the queued fills; returns those not written because their key was already stored, with the holder. */
  flushFills(): FillConflict[] {
    const n = this.fillBatch.length
    if (n === 0) return []
    const inserted = this.fillStatement(n).run(this.fillParams).changes
    const conflicts: FillConflict[] = []
    if (inserted < n) {
      const owner = this.db.prepare<[number, string], { import_id: number; source_line: number }>(
        'SELECT import_id, source_line FROM fills WHERE account_id = ? AND fill_key = ?',
      )
      for (const f of this.fillBatch) {
        const o = owner.get(f.accountId, f.key)!
        if (o.import_id !== this.importId || o.source_line !== f.line) conflicts.push({ fill: f, ownerImportId: o.import_id, ownerLine: o.source_line })
      }
    }
    this.fillBatch.length = 0
    this.fillParams.length = 0
    return conflicts
  }

  /**
   * Inserts a ledger entry; an entry whose key the account already has (this import or an earlier one) is
   * passed over and listed by ledgerConflicts.
   */
  addLedger(e: LedgerRow): void {
    if (this.insertLedger.run(this.importId, e.accountId, e.instrumentId, e.ts, e.kind, e.amount, e.currency, e.key, e.line, e.note).changes === 0) {
      const o = this.ledgerOwner.get(e.accountId, e.key)!
      this.ledgerConflictList.push({ entry: e, ownerImportId: o.import_id, ownerLine: o.source_line })
    }
  }

  /** Ledger entries not inserted because their key was stored before, with the holder. */
  ledgerConflicts(): LedgerConflict[] {
    return this.ledgerConflictList
  }

  /**
   * This import's fills in time order, streamed from SQLite as raw rows. `order` says how: `file` when the
   * file lists its fills oldest first (insertion order is time order), `reversed` when it lists them newest
   * first (reverse insertion order; rows of one instant keep the file's order reversed), `sorted` otherwise
   * (by ts, the venue's sequence, then file order × `direction`). Fills of `earlierKeys` (rows of this file an
   * earlier import had already stored) are merged in and force the sort.
   */
  *fillsInOrder(order: 'file' | 'reversed' | 'sorted', direction: 1 | -1, earlierKeys: ReadonlyArray<{ accountId: number; key: string }> = []): Generator<ReplayRow> {
    this.flushFills()
    const cols = 'account_id, instrument_id, ts, kind, quantity, price, fee, fee_currency, venue_realized_pnl, venue_realized_ccy, position_after, source_line'
    let sql: string
    let args: number[]
    if (earlierKeys.length === 0) {
      sql = `SELECT ${cols} FROM fills WHERE id > ? AND import_id = ? ORDER BY ${order === 'file' ? 'id' : order === 'reversed' ? 'id DESC' : `ts, seq, source_line * ${direction}`}`
      args = [this.fillIdFloor, this.importId]
    } else {
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS replay_earlier_keys (account_id INTEGER NOT NULL, fill_key TEXT NOT NULL)')
      this.db.exec('DELETE FROM temp.replay_earlier_keys')
      const add = this.db.prepare('INSERT INTO temp.replay_earlier_keys (account_id, fill_key) VALUES (?, ?)')
      for (const k of earlierKeys) add.run(k.accountId, k.key)
      // A compound SELECT may only ORDER BY its result columns: sort the union from outside.
      sql = `SELECT ${cols} FROM (
          SELECT ${cols}, seq FROM fills WHERE id > ${this.fillIdFloor} AND import_id = ?
          UNION ALL SELECT ${cols.split(', ').map((c) => `f.${c}`).join(', ')}, f.seq FROM fills f
          JOIN temp.replay_earlier_keys k ON k.account_id = f.account_id AND k.fill_key = f.fill_key WHERE f.import_id <> ?)
        ORDER BY ts, seq, source_line * ?`
      args = [this.importId, this.importId, direction]
    }
    // Raw rows (arrays): a million fills stream back without an object per row.
    yield* this.db.prepare<number[], ReplayRow>(sql).raw(true).iterate(...args) as Iterable<ReplayRow>
    if (earlierKeys.length > 0) this.db.exec('DELETE FROM temp.replay_earlier_keys')
  }

  addTotal(accountId: number, instrumentId: number | null, measure: string, currency: string, amount: string): void {
    this.db
      .prepare('INSERT INTO trade_totals (import_id, account_id, instrument_id, measure, currency, amount) VALUES (?, ?, ?, ?, ?, ?)')
      .run(this.importId, accountId, instrumentId, measure, currency, amount)
  }

  addBalance(accountId: number, currency: string, amount: string, ts: number | null, source: 'file' | 'log', line: number): void {
    this.db
      .prepare('INSERT INTO balances (import_id, account_id, currency, amount, ts, source, source_line) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.importId, accountId, currency, amount, ts, source, line)
  }

  /**
   * Closes already stored for the same underlying, quote, interval and source (by earlier imports): how many
   * of `closes` they hold, and how many of those differ.
   */
  overlappingCloses(s: PriceSeriesInput): { same: number; different: number } {
    const existing = this.db
      .prepare<[string, string, string, string], { ts: number; close: string }>(
        `SELECT c.ts, c.close FROM price_closes c JOIN price_series s ON s.id = c.series_id
         WHERE s.underlying = ? AND s.quote_currency = ? AND s.interval = ? AND s.source = ?`,
      )
      .all(s.underlying, s.quoteCurrency, s.interval, s.source)
    if (existing.length === 0) return { same: 0, different: 0 }
    const byTs = new Map(existing.map((e) => [e.ts, e.close]))
    let same = 0
    let different = 0
    for (const c of s.closes) {
      const old = byTs.get(c.ts)
      if (old === undefined) continue
      if (old === c.close) same++
      else different++
    }
    return { same, different }
  }

  addPriceSeries(s: PriceSeriesInput): void {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO price_series (import_id, underlying, quote_currency, interval, source, first_ts, last_ts, closes, gaps)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(this.importId, s.underlying, s.quoteCurrency, s.interval, s.source, s.closes[0]!.ts, s.closes.at(-1)!.ts, s.closes.length,
          JSON.stringify(s.gaps)).lastInsertRowid,
    )
    const insert = this.db.prepare('INSERT INTO price_closes (series_id, ts, close) VALUES (?, ?, ?)')
    for (const c of s.closes) insert.run(id, c.ts, c.close)
  }

  /** Completes the import record with its counts and notes and returns it. */
  finish(f: FinishInput): ImportRecord {
    const grouped = groupSkipped(f.skipped)
    this.db
      .prepare(
        `UPDATE imports SET rows_read = ?, rows_imported = ?, rows_skipped = ?, duplicate_rows = ?, as_of = ?, notes = ?, skipped = ?,
           elapsed_ms = ?, counts = ? WHERE id = ?`,
      )
      .run(f.rowsRead, f.rowsImported, f.skipped.length, f.duplicateRows, f.asOf, JSON.stringify(f.notes), JSON.stringify(grouped),
        Math.round(f.elapsedMs), JSON.stringify(f.counts), this.importId)
    return {
      id: this.importId,
      portfolio: this.portfolioId === null ? null : this.header.portfolio,
      kind: this.portfolioId === null ? 'market' : 'positions',
      content: this.header.content,
      format: this.header.format,
      fileName: this.header.fileName,
      sha256: this.header.sha256,
      rowsRead: f.rowsRead,
      rowsImported: f.rowsImported,
      rowsSkipped: f.skipped.length,
      duplicateRows: f.duplicateRows,
      importedAt: this.header.now,
      asOf: f.asOf,
    }
  }
}

/** Skipped rows grouped by reason, with the first 20 lines of each. */
export function groupSkipped(rows: Array<{ line: number; reason: string }>): Array<{ reason: string; count: number; lines: number[] }> {
  const groups = new Map<string, { reason: string; count: number; lines: number[] }>()
  for (const r of rows) {
    let g = groups.get(r.reason)
    if (!g) groups.set(r.reason, (g = { reason: r.reason, count: 0, lines: [] }))
    g.count++
    if (g.lines.length < 20) g.lines.push(r.line)
  }
  return [...groups.values()]
}

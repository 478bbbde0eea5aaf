/**
 * Writes one imported file — its import record, portfolio, accounts, instruments, positions, market
 * snapshot, fills, ledger entries, totals, balances and price history — through one ImportWriter, which the
 * import service drives inside a single transaction: either all of a file lands or none of it does.
 * Statements are prepared once per writer (a trade log of a million rows inserts through the same
 * statement). Amounts are decimal strings; times ms since epoch UTC.
 */
import { insertTierEntries, type TierEntryInput } from './marginTierStore'
import type BetterSqlite3 from 'better-sqlite3'
import type { ImportContentKind } from '../../shared/importApi'
import type { Instrument } from '../../shared/instrument'
import type { Db } from './database'

/** Which side of the store an import fills: a portfolio's (positions, trades, balances) or the market's. */
type ImportKind = 'positions' | 'market'

/**
 * The page cache of an import's transaction, KiB. A bulk append touches few pages again (the table's last
 * page, the key index's insertion points), so 4 MB does as well as SQLite's default 16 MB, in less memory;
 * the connection's own setting is restored when the transaction ends.
 */
const IMPORT_CACHE_KIB = 4096
const savedCacheSize = new WeakMap<Db, unknown>()

/**
 * Begins an import's write transaction (BEGIN IMMEDIATE) with the import's page cache. When the write gate
 * (writeGate.ts) has begun it already, the import takes that transaction over (and ends it).
 */
export function beginImport(db: Db): void {
  savedCacheSize.set(db, db.pragma('cache_size', { simple: true }))
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`)
  try {
    if (!db.inTransaction) db.exec('BEGIN IMMEDIATE')
  } catch (e) {
    restoreCacheSize(db)
    throw e
  }
}

/** Ends an import's transaction: COMMIT, or ROLLBACK (when one is open); restores the page cache. */
export function endImport(db: Db, how: 'commit' | 'rollback'): void {
  try {
    if (how === 'commit') db.exec('COMMIT')
    else if (db.inTransaction) db.exec('ROLLBACK')
  } finally {
    restoreCacheSize(db)
  }
}

function restoreCacheSize(db: Db): void {
  const saved = savedCacheSize.get(db)
  if (typeof saved === 'number') db.pragma(`cache_size = ${saved}`)
  savedCacheSize.delete(db)
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

/** Statement parameters per fill (fillParams). */
export const FILL_COLUMNS = 14
/** Fills per INSERT statement (multi-row VALUES). */
export const FILL_BATCH = 256

/** One fill as flat statement parameters (FILL_COLUMNS values, in this order), for packFills. */
export function fillParams(f: FillRow, out: unknown[]): void {
  out.push(f.accountId, f.instrumentId, f.ts, f.seq, f.kind, f.quantity, f.price, f.fee, f.feeCurrency, f.venueRealizedPnl, f.venueRealizedCurrency,
    f.positionAfter, f.key, f.line)
}

/**
 * The fills of one INSERT (at most FILL_BATCH). When every fill of the batch has the same account, venue
 * sequence, kind and position after (a trade log of one account without sequence or running position:
 * Binance, OKX…), those are bound once (`shared`) and each fill has only its other SHARED_ROW_COLUMNS
 * values; otherwise `shared` is null and each fill has its FILL_COLUMNS values. Binding fewer parameters
 * saves ~10% of a million-row insert.
 */
export interface FillBatch {
  shared: { account: number; seq: number | null; kind: string; positionAfter: string | null } | null
  values: unknown[]
}

/** fillParams positions of the columns a batch may share: account id, venue sequence, kind, position after. */
const SHAREABLE = [0, 3, 4, 11]
/** The others, each fill's own in a batch with shared columns: instrument id, ts, quantity, price, fee, fee
 * currency, venue realized P&L and its currency, key, line (the key and line last). */
const UNSHARED = [1, 2, 5, 6, 7, 8, 9, 10, 12, 13]
const SHARED_ROW_COLUMNS = UNSHARED.length

/** Packs fills given as flat fillParams into one INSERT's batch (see FillBatch). */
export function packFills(params: readonly unknown[]): FillBatch {
  if (params.length % FILL_COLUMNS !== 0 || params.length > FILL_BATCH * FILL_COLUMNS) throw new Error('packFills: not a batch of fill parameters')
  let same = params.length > 0
  for (let i = FILL_COLUMNS; same && i < params.length; i += FILL_COLUMNS)
    for (const c of SHAREABLE) if (params[i + c] !== params[c]) same = false
  if (!same) return { shared: null, values: params.slice() }
  const values: unknown[] = []
  for (let i = 0; i < params.length; i += FILL_COLUMNS) for (const c of UNSHARED) values.push(params[i + c])
  return { shared: { account: params[0] as number, seq: params[3] as number | null, kind: params[4] as string, positionAfter: params[11] as string | null }, values }
}

/**
 * Fills and ledger entries that were not stored because their account already had the key: rows an earlier
 * import stored (overlapping exports), and rows repeating the key of an earlier row of this same file.
 */
export interface KeyConflicts {
  /** Fills and ledger entries not stored. */
  fills: number
  ledgerEntries: number
  /** Of those, rows an earlier import holds, and the first such import. */
  earlierRows: number
  earlierImportId: number | null
  /** Of those, rows repeating a key of this file: how many, and the first MAX_SAME_FILE_KEPT (fills first). */
  sameFileRows: number
  sameFile: Array<{ line: number; key: string; firstLine: number }>
}

/** How many rows repeating a key of their own file KeyConflicts lists (the pipeline reports them as issues). */
export const MAX_SAME_FILE_KEPT = 1000

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
  /** Queues a fill (written in batches); a fill whose key the account already has is counted in `conflicts`. */
  addFill(f: FillRow): void
  /** Writes a batch of fills packed by packFills (after the fills queued by addFill). */
  addFillBatch(b: FillBatch): void
  /** Inserts a ledger entry; one whose key the account already has is counted in `conflicts`. */
  addLedger(e: LedgerRow): void
  /** Writes the queued fills and tells which rows were not stored because their key was there. */
  conflicts(): KeyConflicts
  addTotal(accountId: number, instrumentId: number | null, measure: string, currency: string, amount: string): void
  addBalance(accountId: number, currency: string, amount: string, ts: number | null, source: 'file' | 'log', line: number): void
  overlappingCloses(s: PriceSeriesInput): { same: number; different: number }
  addPriceSeries(s: PriceSeriesInput): void
  /** Venue tier tables (content `tiers`, marginTierStore.ts). */
  addTierEntries(rows: TierEntryInput[]): void
  /** Completes the import's record with its counts and notes (the history's row). */
  finish(f: FinishInput): void
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
  /** The venue's margin terms (shared/venueMargin.ts) as JSON, or null. */
  venueMargin: string | null
}

export interface QuoteRowInput {
  instrumentId: number
  ts: number
  markPrice: string | null
  markIv: string | null
  /** Vol points; null when none. */
  bidIv?: string | null
  askIv?: string | null
  /** Best bid and ask prices in the instrument's price unit; null when none. */
  bidPrice?: string | null
  askPrice?: string | null
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
  private readonly fillStatements = new Map<string, BetterSqlite3.Statement<unknown[]>>()
  /** Fills waiting for their INSERT, as flat statement parameters. */
  private queuedFills: unknown[] = []
  private readonly insertLedger
  private readonly ledgerOwner
  private readonly fillOwner
  private readonly keyConflicts: KeyConflicts = { fills: 0, ledgerEntries: 0, earlierRows: 0, earlierImportId: null, sameFileRows: 0, sameFile: [] }
  private readonly sameFileLedger: KeyConflicts['sameFile'] = []

  constructor(
    private readonly db: Db,
    readonly header: ImportHeader,
  ) {
    const kind: ImportKind = header.content === 'market' || header.content === 'prices' || header.content === 'tiers' ? 'market' : 'positions'
    this.portfolioId = kind === 'positions' ? this.portfolio(header.portfolio) : null
    this.importId = Number(
      db
        .prepare(
          // The id is above every removed import's too (import_removals): SQLite would otherwise reuse the id of a
          // removed latest import, and the history would mix the two.
          `INSERT INTO imports (id, portfolio_id, kind, content, format, file_name, source_path, sha256, rows_read, rows_imported,
             rows_skipped, imported_at, encoding, delimiter, options, imported_by, host)
           VALUES (1 + MAX((SELECT COALESCE(MAX(id), 0) FROM imports), (SELECT COALESCE(MAX(import_id), 0) FROM import_removals)),
             ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?)`,
        )
        .run(this.portfolioId, kind, header.content, header.format, header.fileName, header.sourcePath, header.sha256, header.now,
          header.encoding, header.delimiter, JSON.stringify(header.options), header.importedBy, header.host).lastInsertRowid,
    )
    this.insertLedger = db.prepare(
      `INSERT INTO ledger_entries (import_id, account_id, instrument_id, ts, kind, amount, currency, entry_key,
         source_line, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, entry_key) DO NOTHING`,
    )
    this.ledgerOwner = db.prepare<[number, string], { import_id: number; source_line: number }>(
      'SELECT import_id, source_line FROM ledger_entries WHERE account_id = ? AND entry_key = ?',
    )
    this.fillOwner = db.prepare<[number, string], { import_id: number; source_line: number }>(
      'SELECT import_id, source_line FROM fills WHERE account_id = ? AND fill_key = ?',
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
        `INSERT INTO positions (import_id, account_id, instrument_id, quantity, entry_price, entry_time, note, source_line, venue_margin)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.importId, p.accountId, p.instrumentId, p.quantity, p.entryPrice, p.entryTime, p.note, p.line, p.venueMargin)
  }

  addMarket(venue: string, asOf: number, quotes: QuoteRowInput[], indices: Array<{ underlying: string; price: string; ts: number }>): void {
    const snapshot = Number(
      this.db.prepare('INSERT INTO market_snapshots (import_id, venue, as_of) VALUES (?, ?, ?)').run(this.importId, venue, asOf).lastInsertRowid,
    )
    const insertQuote = this.db.prepare(
      `INSERT INTO market_quotes (snapshot_id, instrument_id, ts, mark_price, mark_iv, underlying_price, index_price,
         venue_delta, venue_gamma, venue_vega, venue_theta, venue_rho, source, bid_iv, ask_iv, bid_price, ask_price)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const q of quotes) {
      const g = q.greeks ?? {}
      insertQuote.run(snapshot, q.instrumentId, q.ts, q.markPrice, q.markIv, q.underlyingPrice, q.indexPrice, g.delta ?? null,
        g.gamma ?? null, g.vega ?? null, g.theta ?? null, g.rho ?? null, q.source, q.bidIv ?? null, q.askIv ?? null, q.bidPrice ?? null, q.askPrice ?? null)
    }
    const insertIndex = this.db.prepare('INSERT INTO index_prices (snapshot_id, underlying, ts, price) VALUES (?, ?, ?, ?)')
    for (const i of indices) insertIndex.run(snapshot, i.underlying, i.ts, i.price)
  }

  /** The INSERT of `n` fills, with the shared columns as named parameters or not. */
  private fillStatement(n: number, shared: boolean): BetterSqlite3.Statement<unknown[]> {
    const k = `${n}${shared ? 's' : ''}`
    let st = this.fillStatements.get(k)
    if (!st) {
      const one = shared
        ? `(${this.importId}, @account, ?, ?, @seq, @kind, ?, ?, ?, ?, ?, ?, @positionAfter, ?, ?)`
        : `(${this.importId}, ${new Array(FILL_COLUMNS).fill('?').join(', ')})`
      st = this.db.prepare<unknown[]>(
        `INSERT INTO fills (import_id, account_id, instrument_id, ts, seq, kind, quantity, price, fee, fee_currency, venue_realized_pnl,
           venue_realized_ccy, position_after, fill_key, source_line) VALUES ${new Array(n).fill(one).join(', ')}
         ON CONFLICT (account_id, fill_key) DO NOTHING`,
      )
      this.fillStatements.set(k, st)
    }
    return st
  }

  /**
   * Queues a fill; fills are inserted FILL_BATCH rows per execution of one prepared statement. Only the key
   * conflict is passed over (ON CONFLICT on the account and key): any other constraint failure throws.
   */
  addFill(f: FillRow): void {
    fillParams(f, this.queuedFills)
    if (this.queuedFills.length >= FILL_BATCH * FILL_COLUMNS) this.flushFills()
  }

  addFillBatch(b: FillBatch): void {
    this.flushFills()
    this.insertFills(b)
  }

  /** Writes the queued fills. */
  private flushFills(): void {
    if (this.queuedFills.length === 0) return
    const all = this.queuedFills
    this.queuedFills = []
    const size = FILL_BATCH * FILL_COLUMNS
    for (let i = 0; i < all.length; i += size) this.insertFills(packFills(all.length <= size ? all : all.slice(i, i + size)))
  }

  /** Inserts a batch; the fills not inserted because their key was stored are counted with the holder. */
  private insertFills(b: FillBatch): void {
    const width = b.shared ? SHARED_ROW_COLUMNS : FILL_COLUMNS
    const n = b.values.length / width
    const st = this.fillStatement(n, b.shared !== null)
    const inserted = (b.shared ? st.run(b.values, b.shared) : st.run(b.values)).changes
    if (inserted === n) return
    // Which were passed over: the key and line are the last two values of each fill, the account shared or first.
    for (let i = 0; i < b.values.length; i += width) {
      const key = b.values[i + width - 2] as string
      const line = b.values[i + width - 1] as number
      const owner = this.fillOwner.get(b.shared ? b.shared.account : (b.values[i] as number), key)!
      if (owner.import_id !== this.importId || owner.source_line !== line) this.conflict('fill', key, line, owner)
    }
  }

  private conflict(kind: 'fill' | 'ledger', key: string, line: number, owner: { import_id: number; source_line: number }): void {
    const c = this.keyConflicts
    if (kind === 'fill') c.fills++
    else c.ledgerEntries++
    if (owner.import_id !== this.importId) {
      c.earlierRows++
      c.earlierImportId ??= owner.import_id
      return
    }
    c.sameFileRows++
    const list = kind === 'fill' ? c.sameFile : this.sameFileLedger
    if (list.length < MAX_SAME_FILE_KEPT) list.push({ line, key, firstLine: owner.source_line })
  }

  /**
   * Inserts a ledger entry; an entry whose key the account already has (this import or an earlier one) is
   * passed over and counted in `conflicts`.
   */
  addLedger(e: LedgerRow): void {
    if (this.insertLedger.run(this.importId, e.accountId, e.instrumentId, e.ts, e.kind, e.amount, e.currency, e.key, e.line, e.note).changes === 0)
      this.conflict('ledger', e.key, e.line, this.ledgerOwner.get(e.accountId, e.key)!)
  }

  conflicts(): KeyConflicts {
    this.flushFills()
    const c = this.keyConflicts
    return { ...c, sameFile: [...c.sameFile, ...this.sameFileLedger].slice(0, MAX_SAME_FILE_KEPT) }
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

  addTierEntries(rows: TierEntryInput[]): void {
    insertTierEntries(this.db, this.importId, rows)
  }

  /** Completes the import record with its counts and notes. */
  finish(f: FinishInput): void {
    const grouped = groupSkipped(f.skipped)
    this.db
      .prepare(
        `UPDATE imports SET rows_read = ?, rows_imported = ?, rows_skipped = ?, duplicate_rows = ?, as_of = ?, notes = ?, skipped = ?,
           elapsed_ms = ?, counts = ? WHERE id = ?`,
      )
      .run(f.rowsRead, f.rowsImported, f.skipped.length, f.duplicateRows, f.asOf, JSON.stringify(f.notes), JSON.stringify(grouped),
        Math.round(f.elapsedMs), JSON.stringify(f.counts), this.importId)
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

/**
 * Where the rows of one file go while it is read: the ImportSink the import pipeline hands the readers. Fills
 * and ledger entries are written as they come (db/importStore.ts ImportWriting, in the pipeline's one
 * transaction) and given to the log's replay (domain/trades/tradeLogReplay.ts); the small things — positions
 * of snapshots, balances, market data, price series, tier tables — are gathered and written by `store()`
 * after the last row, with the replay's positions and totals.
 */
import type { Instrument } from '../../shared/instrument'
import type { ImportWriting, KeyConflicts } from '../db/importStore'
import { text, type D } from '../domain/trades/decimal'
import type { TapeSpill } from '../domain/trades/fillTape'
import { TradeLogReplay } from '../domain/trades/tradeLogReplay'
import type { ImportIssue, SkippedRow } from '../importers/core/importIssue'
import type {
  ImportedBalance, ImportedCash, ImportedFill, ImportedMarket, ImportedPosition, ImportedPriceSeries, ImportedTierTable, ImportSink,
} from '../importers/core/importTypes'

const MAX_SKIPPED_KEPT = 10_000
const txt = (x: D | string): string => (typeof x === 'string' ? x : text(x))

/** A position the file gave: read from a snapshot, or replayed from a log (with its realized P&L). */
export interface StoredPosition {
  venue: string
  account: string
  instrument: Instrument
  quantity: string
  entryPrice: string
  realizedPnl: string | null
  pnlCurrency: string | null
  /** 1-based line of a snapshot's row; 0 for a replayed position. */
  line: number
}

export class StoringSink implements ImportSink {
  readonly replay: TradeLogReplay
  private readonly positionsIn: ImportedPosition[] = []
  private readonly markets: ImportedMarket[] = []
  private readonly balancesIn: ImportedBalance[] = []
  private readonly series: ImportedPriceSeries[] = []
  readonly tierTables: ImportedTierTable[] = []
  private readonly coveredAccounts = new Map<string, { venue: string; account: string; scopes?: readonly string[] }>()
  readonly skipped: SkippedRow[] = []
  skippedCount = 0
  readonly notes = new Set<string>()
  fills = 0
  ledgerEntries = 0
  /** Rows of fills and cash read (stored or not). */
  private logRows = 0
  duplicateRows = 0
  duplicateOf: number | null = null
  quotes = 0
  closes = 0
  asOf: number | null = null
  readonly positions: StoredPosition[] = []
  readonly balances: ImportedBalance[] = []
  private readonly accountIds = new Map<string, number>()
  private lastAccount: { venue: string; account: string; id: number } | null = null
  private readonly instrumentIds = new Map<Instrument, number>()
  private priceDuplicate = false

  /**
   * @param issue where issues go (the pipeline counts them); `failed()` is true once there is one
   * @param coversWholeAccount the file is a whole snapshot of each account it names (generic positions CSV)
   */
  constructor(
    private readonly writer: ImportWriting,
    readonly issue: (i: ImportIssue) => void,
    private readonly failed: () => boolean,
    private readonly coversWholeAccount: boolean,
    spill: () => TapeSpill,
  ) {
    this.replay = new TradeLogReplay(spill)
  }

  private accountId(venue: string, account: string): number {
    const l = this.lastAccount
    if (l !== null && l.venue === venue && l.account === account) return l.id
    const k = `${venue}\u0000${account}`
    let id = this.accountIds.get(k)
    if (id === undefined) this.accountIds.set(k, (id = this.writer.accountId(venue, account)))
    this.lastAccount = { venue, account, id }
    return id
  }

  private instrumentId(i: Instrument): number {
    let id = this.instrumentIds.get(i)
    if (id === undefined) this.instrumentIds.set(i, (id = this.writer.instrumentId(i)))
    return id
  }

  position(p: ImportedPosition): void {
    this.positionsIn.push(p)
    const k = `${p.venue}\u0000${p.account}`
    this.coveredAccounts.set(k, { venue: p.venue, account: p.account, scopes: this.coveredAccounts.get(k)?.scopes })
  }
  market(m: ImportedMarket): void {
    this.markets.push(m)
  }
  balance(b: ImportedBalance): void {
    if (b.source === 'file') this.balancesIn.push(b)
    else this.replay.balance({ venue: b.venue, account: b.account, currency: b.currency, amount: b.amount, ts: b.ts ?? 0, line: b.line })
  }
  prices(s: ImportedPriceSeries): void {
    this.series.push(s)
  }
  tiers(t: ImportedTierTable): void {
    this.tierTables.push(t)
  }
  account(venue: string, name: string, scopes?: readonly string[]): void {
    const k = `${venue}\u0000${name}`
    this.coveredAccounts.set(k, { venue, account: name, scopes: [...(this.coveredAccounts.get(k)?.scopes ?? []), ...(scopes ?? [])] })
  }
  skip(s: SkippedRow): void {
    this.skippedCount++
    if (this.skipped.length < MAX_SKIPPED_KEPT) this.skipped.push(s)
  }
  note(message: string): void {
    this.notes.add(message)
  }

  fill(f: ImportedFill): void {
    this.logRows++
    if (this.failed()) return
    const quantity = txt(f.quantity)
    const price = txt(f.price)
    const fee = f.fee === null ? null : txt(f.fee)
    const venueRealizedPnl = f.venueRealizedPnl === null ? null : txt(f.venueRealizedPnl)
    const positionAfter = f.positionAfter === null ? null : txt(f.positionAfter)
    this.writer.addFill({
      accountId: this.accountId(f.venue, f.account), instrumentId: this.instrumentId(f.instrument), ts: f.ts, seq: f.seq, kind: f.kind, quantity, price, fee,
      feeCurrency: fee === null ? null : f.feeCurrency, venueRealizedPnl, venueRealizedCurrency: venueRealizedPnl === null ? null : f.venueRealizedCurrency,
      positionAfter, key: f.key, line: f.line,
    })
    this.fills++
    this.replay.fill({
      venue: f.venue, account: f.account, instrument: f.instrument, ts: f.ts, seq: f.seq, quantity, price, fee, feeCurrency: f.feeCurrency, venueRealizedPnl,
      venueRealizedCurrency: f.venueRealizedCurrency, positionAfter, positionAfterUnsigned: f.positionAfterUnsigned, line: f.line,
      ...(f.settledValue === undefined ? {} : { settledValue: txt(f.settledValue) }),
    })
  }

  cash(c: ImportedCash): void {
    this.logRows++
    if (this.failed()) return
    this.writer.addLedger({
      accountId: this.accountId(c.venue, c.account), instrumentId: c.instrument === null ? null : this.instrumentId(c.instrument), ts: c.ts, kind: c.kind,
      amount: text(c.amount), currency: c.currency, key: c.key, line: c.line, note: c.note,
    })
    this.ledgerEntries++
    this.replay.cash(c)
  }

  /**
   * After the last row: plays the log's fills back (its first problem counts only for a file whose rows are
   * all its own — a repeated trade id says why), then the rows the store passed over because their key was
   * there. Problems go to `issue`.
   */
  settle(): void {
    const file = this.writer.header.fileName
    const problem = this.replay.fills > 0 && !this.failed() ? this.replay.play() : null
    if (this.logRows > 0) this.keyConflicts(this.writer.conflicts())
    if (!this.failed() && problem) this.issue({ file, line: problem.line, column: null, message: problem.message })
  }

  /**
   * Rows whose key was already stored: by an earlier import (counted and reported; still part of this file's
   * replay), or by an earlier row of this same file — a venue writes each fill once, so a repeated trade id
   * in one export is an error (two exports joined?), never silently dropped or counted twice.
   */
  private keyConflicts(c: KeyConflicts): void {
    this.fills -= c.fills
    this.ledgerEntries -= c.ledgerEntries
    this.duplicateRows += c.earlierRows
    if (c.earlierImportId !== null) this.duplicateOf ??= c.earlierImportId
    const file = this.writer.header.fileName
    for (const r of c.sameFile)
      this.issue({
        file,
        line: r.line,
        column: null,
        value: r.key,
        message: `the same trade/row id as line ${r.firstLine} of this file: a venue writes each row once (two exports joined?); remove one of them`,
      })
    if (c.sameFileRows > c.sameFile.length)
      this.issue({ file, line: null, column: null, message: `${c.sameFileRows - c.sameFile.length} more rows repeat the trade/row id of an earlier row of this file` })
  }

  /** True when the file held rows and every one of them was stored by an earlier import (after store()). */
  everyRowDuplicate(): boolean {
    if (this.positionsIn.length > 0 || this.balancesIn.length > 0 || this.markets.length > 0 || this.tierTables.length > 0) return false
    if (this.series.length > 0) return this.logRows === 0 && this.priceDuplicate
    return this.logRows > 0 && this.duplicateRows > 0 && this.duplicateRows + this.skippedCount >= this.logRows && this.fills === 0 && this.ledgerEntries === 0
  }

  /** Writes what the file gave besides its fills and ledger: replayed positions and totals, snapshots, balances, market, prices, tiers. */
  store(): void {
    const w = this.writer
    const file = w.header.fileName
    this.asOf = this.replay.asOf
    const log = this.replay.replayed()
    for (const n of log.notes) this.note(n)
    for (const t of log.totals)
      w.addTotal(this.accountId(t.venue, t.account), t.instrument === null ? null : this.instrumentId(t.instrument), t.measure, t.currency, t.amount)
    for (const p of log.positions) {
      this.positions.push({ venue: p.venue, account: p.account, instrument: p.instrument, quantity: p.quantity, entryPrice: p.entryPrice, realizedPnl: p.realizedPnl, pnlCurrency: p.pnlCurrency, line: 0 })
      w.addPosition({
        accountId: this.accountId(p.venue, p.account), instrumentId: this.instrumentId(p.instrument), quantity: p.quantity, entryPrice: p.entryPrice,
        entryTime: p.entryTime, note: `replayed from ${p.fills} fills of ${file}`, line: 0, venueMargin: null,
      })
    }
    for (const c of log.coverage) w.coverAccount(this.accountId(c.venue, c.account), c.positions, c.scopes)
    // Positions of snapshots.
    for (const p of this.positionsIn) {
      w.addPosition({
        accountId: this.accountId(p.venue, p.account), instrumentId: this.instrumentId(p.instrument), quantity: p.quantity, entryPrice: p.entryPrice,
        entryTime: p.entryTime, note: p.note, line: p.line, venueMargin: p.venueMargin ? JSON.stringify(p.venueMargin) : null,
      })
      this.positions.push({ venue: p.venue, account: p.account, instrument: p.instrument, quantity: p.quantity, entryPrice: p.entryPrice, realizedPnl: null, pnlCurrency: null, line: p.line })
    }
    for (const { venue, account, scopes: named } of this.coveredAccounts.values()) {
      const mine = this.positionsIn.filter((p) => p.venue === venue && p.account === account)
      // A whole-account snapshot (generic CSV) replaces everything; a venue dump only its currencies (and those it names).
      const scopes = this.coversWholeAccount ? ['*'] : [...new Set([...mine.map((p) => p.instrument.settlementCurrency), ...(named ?? [])])]
      w.coverAccount(this.accountId(venue, account), mine.length, scopes)
    }
    // Balances: a balances file as given; a log's balance column as of its last row in time.
    for (const b of this.balancesIn) {
      w.addBalance(this.accountId(b.venue, b.account), b.currency, b.amount, b.ts, 'file', b.line)
      this.balances.push(b)
    }
    for (const b of log.balances) {
      w.addBalance(this.accountId(b.venue, b.account), b.currency, b.amount, b.ts, 'log', b.line)
      this.balances.push({ ...b, source: 'log' })
    }
    // Market snapshots.
    for (const m of this.markets) {
      w.addMarket(
        m.venue,
        m.asOf,
        m.quotes.map((q) => ({
          instrumentId: this.instrumentId(q.instrument), ts: q.ts, markPrice: q.markPrice, markIv: q.markIv, bidIv: q.bidIv, askIv: q.askIv, bidPrice: q.bidPrice, askPrice: q.askPrice, underlyingPrice: q.underlyingPrice,
          indexPrice: q.indexPrice, greeks: q.venueGreeks, source: q.source,
        })),
        m.indices,
      )
      this.quotes += m.quotes.length
      if (w.header.content === 'market' && (this.asOf === null || m.asOf > this.asOf)) this.asOf = m.asOf
    }
    // Price history.
    let sameCloses = 0
    for (const s of this.series) {
      const overlap = w.overlappingCloses(s)
      if (overlap.different > 0)
        this.note(`${overlap.different} closes of ${s.underlying}/${s.quoteCurrency} ${s.interval} (${s.source}) differ from an earlier import of the same source; both are kept`)
      sameCloses += overlap.same
      w.addPriceSeries(s)
      this.closes += s.closes.length
      const lastTs = s.closes.at(-1)!.ts
      if (this.asOf === null || lastTs > this.asOf) this.asOf = lastTs
    }
    if (sameCloses > 0) {
      this.duplicateRows += sameCloses
      if (sameCloses === this.closes) this.priceDuplicate = true
    }
    // Venue tier tables (market-wide).
    if (this.tierTables.length > 0)
      w.addTierEntries(
        this.tierTables.map((t) => ({
          venue: t.venue, tableId: t.tableId, asOf: t.asOf, dateBasis: t.dateBasis, sources: t.sources, note: t.note, valuesJson: JSON.stringify(t.values), line: t.line,
        })),
      )
  }

  /** Frees the replay's scratch space (once done, whatever the outcome). */
  close(): void {
    this.replay.close()
  }
}

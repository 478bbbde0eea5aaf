/**
 * The import pipeline: bytes → encoding → detected format → rows → one SQLite transaction.
 *
 * A file is read in chunks (never whole, unless it is JSON), decoded strictly, its format found from its
 * header or JSON shape, and its rows pushed through the format's reader into the sink below, which writes
 * as they come: fills and ledger entries through prepared statements, everything inside one transaction.
 * Any issue anywhere rolls the whole file back (all-or-nothing); a dry run (preview) rolls back on purpose.
 *
 * Fills are replayed in time order (domain/trades/positionReplay.ts) into positions: their cash flows, fees
 * and the venue's realized P&L are summed exactly as the rows stream (those sums do not depend on order),
 * and each fill is recorded on a compact tape (importFillTape.ts, bounded memory) that moves the positions
 * after the last row, forward for a file listed oldest first, backward for one listed newest first, sorted
 * otherwise (ties keep the file's own order). Rows already imported (same account and venue trade/row id)
 * are counted and reported, and still replayed (the position is that of the whole file); a row repeating an
 * earlier row's id in the same file is an error; a file whose every row was imported before is reported as
 * a duplicate and nothing is written. A file with the same bytes (sha256) is a duplicate before it is read.
 */
import { createHash } from 'node:crypto'
import { closeSync, openSync, readSync } from 'node:fs'
import type { Instrument } from '../../shared/instrument'
import type { Position } from '../../shared/position'
import type { Db } from '../db/database'
import { beginImport, endImport, findImportBySha256, ImportWriter, type ImportContentKind, type ImportHeader, type ImportRecord, type ImportWriting, type KeyConflicts } from '../db/importStore'
import { CurrencySums, LatestBalances } from '../domain/trades/accountTotals'
import { D, text } from '../domain/trades/decimal'
import { exact, type ExactSum } from '../domain/trades/exact'
import { addCashFlow, movePosition, newReplayState, replayResult, type ReplayResult, type ReplayState } from '../domain/trades/positionReplay'
import { detectCsvLayout, type CsvLayout } from '../importers/core/csvDetect'
import { readCsv } from '../importers/core/csvRead'
import { DELIMITER_NAMES, DELIMITERS, headLines, splitLine, type Delimiter } from '../importers/core/delimited'
import { CSV_FORMATS, formatById, JSON_FORMATS } from '../importers/formats'
import type { CsvFormat, FileFormat, ImportContent, JsonFormat, ReadOptions } from '../importers/core/formatTypes'
import { ImportFailedError, type ImportIssue, type SkippedRow } from '../importers/core/importIssue'
import type { ImportedBalance, ImportedCash, ImportedFill, ImportedMarket, ImportedPosition, ImportedPriceSeries, ImportedTierTable, ImportSink } from '../importers/core/importTypes'
import { jsonValue, readJsonDocument } from '../importers/core/jsonDocument'
import { decodeChunks, detectEncoding, type TextEncodingName } from '../importers/core/textDecoding'
import { FillTape } from './importFillTape'

/** Where the bytes come from: a path (streamed) or a buffer (uploads, tests). */
export type ByteSource = { path: string; fileName: string } | { bytes: Uint8Array; fileName: string }

const CHUNK = 64 * 1024
const HEAD_CHARS = 64 * 1024
const MAX_JSON_BYTES = 256 * 1024 * 1024
const MAX_ISSUES = 1000
const MAX_SKIPPED_KEPT = 10_000

function* byteChunks(src: ByteSource): Generator<Uint8Array> {
  if ('bytes' in src) {
    for (let i = 0; i < src.bytes.length; i += CHUNK) yield src.bytes.subarray(i, i + CHUNK)
    return
  }
  const fd = openSync(src.path, 'r')
  try {
    const buf = Buffer.allocUnsafe(CHUNK)
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null)
      if (n === 0) break
      yield buf.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}

/** sha256 of the whole source, streamed. */
export function sha256Of(src: ByteSource): string {
  const h = createHash('sha256')
  for (const c of byteChunks(src)) h.update(c)
  return h.digest('hex')
}

function firstBytes(src: ByteSource): Uint8Array {
  for (const c of byteChunks(src)) return new Uint8Array(c.subarray(0, 512))
  return new Uint8Array(0)
}

/** Text chunks with the head available before reading on (detection needs the first lines). */
function peekableText(file: string, encoding: TextEncodingName, src: ByteSource): { head: string; chunks: Iterable<string> } {
  const it = decodeChunks(file, encoding, byteChunks(src))[Symbol.iterator]()
  const first: string[] = []
  let size = 0
  while (size < HEAD_CHARS) {
    const n = it.next()
    if (n.done) break
    first.push(n.value)
    size += n.value.length
  }
  const head = first.join('')
  function* all() {
    if (head.length > 0) yield head
    for (let n = it.next(); !n.done; n = it.next()) yield n.value
  }
  return { head, chunks: all() }
}

export interface PipelineOptions {
  portfolio: string
  /** Format id (`--format`), or a format object (a column mapping). */
  format?: string | FileFormat
  readOptions: ReadOptions
  sourcePath: string | null
  /** The user's stated options, stored with the import. */
  statedOptions: Record<string, unknown>
  importedBy: string
  host: string
  now: number
  /** Roll back at the end (preview); the outcome then describes what would have been written. */
  dryRun: boolean
  /** Keep the first N data records' fields (preview). */
  sampleRows?: number
  /** The file's sha256 (hex), when the caller has computed it already. */
  sha256?: string
}

/** A position a file gives (src/shared/position.ts, without the note), with where it came from. */
export interface PipelinePosition extends Omit<Position, 'note'> {
  /** Replayed positions: realized P&L and its currency, fees per currency. */
  realizedPnl?: string
  pnlCurrency?: string
  line: number
}

export interface PipelineResult {
  ok: boolean
  status: 'imported' | 'duplicate' | 'failed' | 'preview'
  fileName: string
  sha256: string
  format: string | null
  formatDescription: string | null
  content: ImportContent | null
  encoding: TextEncodingName | null
  delimiter: string | null
  header: string[] | null
  /** 1-based line of `header` (after a preamble); for an unrecognised file, the line that looks most like a header. */
  headerLine: number | null
  /** The first lines of the text as found (previews and the mapping dialog show them). */
  rawLines: string[]
  sample: Array<{ line: number; fields: string[] }>
  rowsRead: number
  positions: PipelinePosition[]
  quotes: number
  fills: number
  ledgerEntries: number
  balances: ImportedBalance[]
  closes: number
  /** Venue tier tables the file gave (content `tiers`), once it was read. */
  tierTables?: number
  skipped: SkippedRow[]
  skippedCount: number
  duplicateRows: number
  /** Import id that already holds rows (or the same bytes) of this file. */
  duplicateOf: number | null
  notes: string[]
  issues: ImportIssue[]
  issueCount: number
  asOf: number | null
  record: ImportRecord | null
  replay: ReplayResult[]
}

class Rollback extends Error {}

interface AccountReplay {
  venue: string
  account: string
  accountId: number
  states: Map<number, ReplayState>
  /** Replay slot (index into PipelineSink.slots) per instrument id. */
  slots: Map<number, number>
}

/** One account × instrument of the replay: its state, its running fee and venue-P&L sums per currency. */
interface ReplaySlot {
  state: ReplayState
  /** The venue's running position is a size (compared in absolute value). */
  unsigned: boolean
  fees: Map<string, ExactSum>
  venueRealizedPnl: Map<string, ExactSum>
  sums: CurrencySums
  instrumentId: number
}

/**
 * Runs one file through the pipeline. Never throws for a bad file: the result lists the issues (`ok`
 * false); throws only for programming errors and I/O failures.
 */
export function runPipeline(db: Db, src: ByteSource, o: PipelineOptions): PipelineResult {
  return runPipelineOn(localStore(db), src, o)
}

/**
 * Where a pipeline writes: the earlier import of the same bytes, and one write transaction with its
 * writer (db/importStore.ts ImportWriting).
 */
export interface PipelineStore {
  findBySha256(sha256: string): ImportRecord | null
  begin(): void
  writer(header: ImportHeader): ImportWriting
  commit(): void
  rollback(): void
}

/** The store on a connection of this thread. */
export function localStore(db: Db): PipelineStore {
  return {
    findBySha256: (sha) => findImportBySha256(db, sha),
    begin: () => beginImport(db),
    writer: (header) => new ImportWriter(db, header),
    commit: () => endImport(db, 'commit'),
    rollback: () => endImport(db, 'rollback'),
  }
}

/** The pipeline on any store (see runPipeline). */
export function runPipelineOn(store: PipelineStore, src: ByteSource, o: PipelineOptions): PipelineResult {
  const started = performance.now()
  const file = src.fileName
  const result: PipelineResult = {
    ok: false, status: 'failed', fileName: file, sha256: '', format: null, formatDescription: null, content: null, encoding: null,
    delimiter: null, header: null, headerLine: null, rawLines: [], sample: [], rowsRead: 0, positions: [], quotes: 0, fills: 0, ledgerEntries: 0, balances: [],
    closes: 0, skipped: [], skippedCount: 0, duplicateRows: 0, duplicateOf: null, notes: [], issues: [], issueCount: 0, asOf: null,
    record: null, replay: [],
  }
  const fail = (issues: ImportIssue[]) => {
    result.issues = issues.slice(0, MAX_ISSUES)
    result.issueCount = Math.max(result.issueCount, issues.length)
    return result
  }
  try {
    result.sha256 = o.sha256 ?? sha256Of(src)
  } catch (e) {
    return fail([{ file, line: null, column: null, message: `cannot read: ${(e as Error).message}` }])
  }
  const earlier = store.findBySha256(result.sha256)
  if (earlier) {
    result.status = 'duplicate'
    result.ok = true
    result.duplicateOf = earlier.id
    result.format = earlier.format
    result.content = earlier.content
    result.rowsRead = earlier.rowsRead
    result.record = earlier
    return result
  }

  // Encoding, head, format.
  let text: { head: string; chunks: Iterable<string> }
  let format: FileFormat
  let layout: CsvLayout | null = null
  try {
    result.encoding = detectEncoding(file, firstBytes(src))
    text = peekableText(file, result.encoding, src)
    result.rawLines = headLines(text.head.replace(/^\uFEFF/, ''), 12).map((l) => l.slice(0, 400))
    const forced = typeof o.format === 'string' ? formatById(file, o.format) : o.format
    const looksJson = /^[\s\uFEFF]*[[{]/.test(text.head)
    if (forced?.type === 'csv' || (!forced && !looksJson)) {
      layout = detectCsvLayout(file, text.head, CSV_FORMATS, forced?.type === 'csv' ? forced : undefined)
      format = layout.format
      result.delimiter = DELIMITER_NAMES[layout.delimiter]
      result.header = layout.header
      result.headerLine = layout.headerLine + 1
    } else format = forced ?? (JSON_FORMATS[0] as JsonFormat)
  } catch (e) {
    if (e instanceof ImportFailedError) {
      guessHeader(result)
      return fail(e.issues)
    }
    throw e
  }

  const issues: ImportIssue[] = []
  let issueCount = 0
  const addIssue = (i: ImportIssue) => {
    issueCount++
    if (issues.length < MAX_ISSUES) issues.push(i)
  }

  let record: ImportRecord | null = null
  let sink: PipelineSink | null = null
  try {
    store.begin()
    ;(() => {
      // JSON: parse whole (API dumps are small) and pick the format by shape.
      let doc = null
      if (format.type === 'json') {
        const chunks: string[] = []
        let size = 0
        for (const c of text.chunks) {
          size += c.length
          if (size > MAX_JSON_BYTES) throw new ImportFailedError([{ file, line: null, column: null, message: 'JSON file larger than 256 MB' }])
          chunks.push(c)
        }
        doc = readJsonDocument(file, chunks.join(''))
        if (typeof o.format !== 'object' && typeof o.format !== 'string') {
          const value = jsonValue(doc.root)
          const found = JSON_FORMATS.find((f) => f.detect(value))
          if (!found)
            throw new ImportFailedError([
              {
                file,
                line: 1,
                column: null,
                message: `JSON of an unknown shape; known JSON formats: ${JSON_FORMATS.map((f) => f.id).join(', ')} (see riskdesk formats)`,
              },
            ])
          format = found
        }
      }
      result.format = format.id
      result.formatDescription = format.description
      result.content = format.content
      const content: ImportContentKind = format.content
      const writer = store.writer({
        fileName: file,
        sourcePath: o.sourcePath,
        sha256: result.sha256,
        format: format.id,
        content,
        portfolio: o.portfolio,
        encoding: result.encoding,
        delimiter: result.delimiter,
        options: o.statedOptions,
        importedBy: o.importedBy,
        host: o.host,
        now: o.now,
      })
      sink = new PipelineSink(writer, addIssue, () => issueCount > 0, format.type === 'csv' && format.coversWholeAccount === true)
      let rows: number
      if (format.type === 'json') rows = format.read(doc!, { file, options: o.readOptions, sink })
      else {
        const keep = o.sampleRows ?? 0
        const sampled: CsvLayout = keep === 0 ? layout! : { ...layout!, format: withSample(layout!.format, keep, (line, fields) => result.sample.push({ line, fields })) }
        rows = readCsv(sampled, text.chunks, { file, options: o.readOptions, sink })
      }
      result.rowsRead = rows
      if (issueCount > 0) throw new ImportFailedError(issues)
      sink.finish()
      if (issueCount > 0) throw new ImportFailedError(issues)

      result.positions = sink.positionsOut
      result.replay = sink.replayOut
      result.quotes = sink.quoteCount
      result.fills = sink.fillCount
      result.ledgerEntries = sink.ledgerCount
      result.balances = sink.balancesOut
      result.closes = sink.closeCount
      result.tierTables = sink.tiersIn.length
      result.skipped = sink.skipped
      result.skippedCount = sink.skippedCount
      result.duplicateRows = sink.duplicateRows
      result.duplicateOf = sink.duplicateOf
      result.notes = [...sink.notes]
      result.asOf = sink.asOf
      if (sink.everyRowDuplicate()) {
        result.status = 'duplicate'
        result.ok = true
        throw new Rollback()
      }
      record = writer.finish({
        rowsRead: rows,
        rowsImported: Math.max(0, rows - sink.skippedCount - sink.duplicateRows),
        skipped: sink.skipped,
        duplicateRows: sink.duplicateRows,
        asOf: sink.asOf,
        notes: [...sink.notes],
        elapsedMs: performance.now() - started,
        counts: {
          positions: sink.positionsOut.length, quotes: sink.quoteCount, fills: sink.fillCount, ledgerEntries: sink.ledgerCount,
          balances: sink.balancesOut.length, closes: sink.closeCount, tierTables: sink.tiersIn.length,
        },
      })
      result.record = record
      result.ok = true
      result.status = o.dryRun ? 'preview' : 'imported'
      if (o.dryRun) throw new Rollback()
    })()
    store.commit()
  } catch (e) {
    store.rollback()
    if (e instanceof Rollback) return result
    if (e instanceof ImportFailedError) {
      result.issueCount = Math.max(issueCount, e.issues.length)
      return fail(e.issues)
    }
    throw e
  } finally {
    ;(sink as PipelineSink | null)?.close()
  }
  return result
}

/**
 * For a file no format recognised: the first non-empty line split by the delimiter that gives the most
 * fields, so the mapping dialog can offer its columns.
 */
function guessHeader(result: PipelineResult): void {
  if (result.header !== null) return
  // The header of an unknown CSV, for the mapping dialog: among the first lines and the delimiters, the line
  // whose field count (2 or more) the next line repeats, with the most fields; else the first line split
  // the widest way. A guess only: the dialog lets the user pick the header line.
  const lines = result.rawLines.slice(0, 8)
  let best: { d: Delimiter; fields: string[]; line: number; confirmed: boolean } | null = null
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() === '') continue
    for (const d of DELIMITERS) {
      const fields = splitLine(lines[i]!, d)
      if (fields.length < 2) continue
      const confirmed = i + 1 < lines.length && splitLine(lines[i + 1]!, d).length === fields.length
      const better = !best || (confirmed && !best.confirmed) || (confirmed === best.confirmed && fields.length > best.fields.length)
      if (better) best = { d, fields, line: i + 1, confirmed }
    }
  }
  if (best) {
    result.header = best.fields
    result.headerLine = best.line
    result.delimiter = DELIMITER_NAMES[best.d]
  }
}

/** The same format, handing its first `n` records to `keep` (previews show them). */
function withSample(format: CsvFormat, n: number, keep: (line: number, fields: string[]) => void): CsvFormat {
  return {
    ...format,
    open(ctx) {
      const handler = format.open(ctx)
      let seen = 0
      return {
        row(fields, line) {
          if (seen++ < n) keep(line, fields)
          handler.row(fields, line)
        },
        end: () => handler.end(),
      }
    },
  }
}

const txt = (x: D | string): string => (typeof x === 'string' ? x : text(x))

/**
 * The service's sink: writes fills and ledger entries as rows arrive (fills in batches), sums the fills'
 * cash flows and fees and tapes them for the replay, gathers the small things (positions of snapshots,
 * balances, market data, price series), and at the end replays the tape in time order into positions and
 * totals.
 */
class PipelineSink implements ImportSink {
  positionsIn: ImportedPosition[] = []
  markets: ImportedMarket[] = []
  balancesIn: ImportedBalance[] = []
  series: ImportedPriceSeries[] = []
  tiersIn: ImportedTierTable[] = []
  coveredAccounts = new Map<string, { venue: string; account: string }>()
  skipped: SkippedRow[] = []
  skippedCount = 0
  notes = new Set<string>()
  fillCount = 0
  fillRows = 0
  ledgerCount = 0
  ledgerRows = 0
  duplicateRows = 0
  duplicateOf: number | null = null
  quoteCount = 0
  closeCount = 0
  asOf: number | null = null
  positionsOut: PipelinePosition[] = []
  balancesOut: ImportedBalance[] = []
  replayOut: ReplayResult[] = []
  private readonly accounts = new Map<string, AccountReplay>()
  private readonly accountById = new Map<number, AccountReplay>()
  private readonly totals = new Map<number, CurrencySums>()
  private readonly logBalances = new Map<number, { venue: string; account: string; latest: LatestBalances }>()
  private readonly instruments = new Map<number, Instrument>()
  private readonly instrumentIds = new Map<Instrument, number>()
  /** File order of row times: 1 oldest first so far, -1 newest first so far, 0 mixed, null before a step. */
  private direction: 1 | -1 | 0 | null = null
  private last: { ts: number; seq: number | null } | null = null
  private readonly slots: ReplaySlot[] = []
  private readonly tape = new FillTape()
  /** The account of the previous fill (logs are mostly one account). */
  private lastAccount: AccountReplay | null = null
  private priceDuplicate = false

  constructor(
    private readonly writer: ImportWriting,
    readonly issue: (i: ImportIssue) => void,
    private readonly failed: () => boolean,
    private readonly coversWholeAccount: boolean,
  ) {}

  private acct(venue: string, name: string): AccountReplay {
    const k = `${venue}\u0000${name}`
    let a = this.accounts.get(k)
    if (!a) {
      a = { venue, account: name, accountId: this.writer.accountId(venue, name), states: new Map(), slots: new Map() }
      this.accounts.set(k, a)
      this.accountById.set(a.accountId, a)
    }
    return a
  }

  private instrumentId(i: Instrument): number {
    let id = this.instrumentIds.get(i)
    if (id === undefined) {
      id = this.writer.instrumentId(i)
      this.instrumentIds.set(i, id)
      this.instruments.set(id, i)
    }
    return id
  }

  private sums(accountId: number): CurrencySums {
    let s = this.totals.get(accountId)
    if (!s) this.totals.set(accountId, (s = new CurrencySums()))
    return s
  }

  /** Tracks whether the file's rows (fills and cash) run oldest first, and the latest instant. */
  private observe(ts: number, seq: number | null): void {
    if (this.asOf === null || ts > this.asOf) this.asOf = ts
    if (this.last) {
      const cmp = ts - this.last.ts || (seq ?? 0) - (this.last.seq ?? 0)
      const step = cmp > 0 ? 1 : cmp < 0 ? -1 : 0
      if (step !== 0) {
        if (this.direction === null) this.direction = step as 1 | -1
        else if (this.direction !== step) this.direction = 0
      }
    }
    this.last = { ts, seq }
  }

  position(p: ImportedPosition): void {
    this.positionsIn.push(p)
    this.coveredAccounts.set(`${p.venue}\u0000${p.account}`, { venue: p.venue, account: p.account })
  }
  market(m: ImportedMarket): void {
    this.markets.push(m)
  }
  balance(b: ImportedBalance): void {
    if (b.source === 'file') {
      this.balancesIn.push(b)
      return
    }
    const a = this.acct(b.venue, b.account)
    let lb = this.logBalances.get(a.accountId)
    if (!lb) this.logBalances.set(a.accountId, (lb = { venue: b.venue, account: b.account, latest: new LatestBalances() }))
    lb.latest.observe({ currency: b.currency, amount: new D(b.amount), ts: b.ts ?? 0, line: b.line })
  }
  prices(s: ImportedPriceSeries): void {
    this.series.push(s)
  }
  tiers(t: ImportedTierTable): void {
    this.tiersIn.push(t)
  }
  account(venue: string, name: string): void {
    this.coveredAccounts.set(`${venue}\u0000${name}`, { venue, account: name })
  }
  skip(s: SkippedRow): void {
    this.skippedCount++
    if (this.skipped.length < MAX_SKIPPED_KEPT) this.skipped.push(s)
  }
  note(message: string): void {
    this.notes.add(message)
  }

  /** The replay slot of an account's instrument, created on first sight. */
  private slot(a: AccountReplay, instrument: Instrument): number {
    const instrumentId = this.instrumentId(instrument)
    let n = a.slots.get(instrumentId)
    if (n === undefined) {
      const state = newReplayState(instrument)
      a.states.set(instrumentId, state)
      a.slots.set(instrumentId, (n = this.slots.length))
      this.slots.push({ state, unsigned: false, fees: new Map(), venueRealizedPnl: new Map(), sums: this.sums(a.accountId), instrumentId })
    }
    return n
  }

  fill(f: ImportedFill): void {
    this.fillRows++
    this.observe(f.ts, f.seq)
    if (this.failed()) return
    const last = this.lastAccount
    const a = last !== null && last.venue === f.venue && last.account === f.account ? last : (this.lastAccount = this.acct(f.venue, f.account))
    const n = this.slot(a, f.instrument)
    const slot = this.slots[n]!
    if (f.positionAfterUnsigned) slot.unsigned = true
    const quantity = txt(f.quantity)
    const price = txt(f.price)
    const fee = f.fee === null ? null : txt(f.fee)
    const venuePnl = f.venueRealizedPnl === null ? null : txt(f.venueRealizedPnl)
    const positionAfter = f.positionAfter === null ? null : txt(f.positionAfter)
    this.writer.addFill({
      accountId: a.accountId,
      instrumentId: slot.instrumentId,
      ts: f.ts,
      seq: f.seq,
      kind: f.kind,
      quantity,
      price,
      fee,
      feeCurrency: fee === null ? null : f.feeCurrency,
      venueRealizedPnl: venuePnl,
      venueRealizedCurrency: venuePnl === null ? null : f.venueRealizedCurrency,
      positionAfter,
      key: f.key,
      line: f.line,
    })
    this.fillCount++
    // The replay: cash flow and fees summed now (order does not matter), the position moved from the tape.
    const q = exact(quantity)
    addCashFlow(slot.state, q, exact(price))
    if (fee !== null && f.feeCurrency !== null) this.addTo(slot, slot.fees, 'fees', f.feeCurrency, fee)
    if (venuePnl !== null && f.venueRealizedCurrency !== null) this.addTo(slot, slot.venueRealizedPnl, 'venue_realized_pnl', f.venueRealizedCurrency, venuePnl)
    this.tape.add(n, f.ts, f.seq, f.line, q, Number(quantity), Number(price), positionAfter === null ? null : exact(positionAfter))
    // Order of the fills in the file (decides how the replay plays the tape back).
    if (this.lastFill) {
      const cmp = f.ts - this.lastFill.ts || (f.seq ?? 0) - (this.lastFill.seq ?? 0)
      const step = cmp > 0 ? 1 : cmp < 0 ? -1 : 0
      if (step !== 0) this.fillOrder = this.fillOrder === null ? (step as 1 | -1) : this.fillOrder === step ? this.fillOrder : 0
    }
    this.lastFill = { ts: f.ts, seq: f.seq }
  }

  /** Adds a non-zero amount to a slot's running sum of `measure` in `currency` (the totals' `instrument:measure` key). */
  private addTo(slot: ReplaySlot, byCurrency: Map<string, ExactSum>, measure: string, currency: string, amount: string): void {
    const x = exact(amount)
    if (x.units === 0n) return
    let sum = byCurrency.get(currency)
    if (!sum) byCurrency.set(currency, (sum = slot.sums.sum(`${slot.instrumentId}:${measure}`, currency)))
    sum.add(x)
  }

  private fillOrder: 1 | -1 | 0 | null = null
  private lastFill: { ts: number; seq: number | null } | null = null

  /**
   * Rows whose key was already stored: by an earlier import (counted and reported; still part of this file's
   * replay), or by an earlier row of this same file — a venue writes each fill once, so a repeated trade id
   * in one export is an error (two exports joined?), never silently dropped or counted twice.
   */
  private keyConflicts(c: KeyConflicts): void {
    this.fillCount -= c.fills
    this.ledgerCount -= c.ledgerEntries
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

  cash(c: ImportedCash): void {
    this.ledgerRows++
    this.observe(c.ts, null)
    if (this.failed()) return
    const a = this.acct(c.venue, c.account)
    const instrumentId = c.instrument === null ? null : this.instrumentId(c.instrument)
    this.writer.addLedger({
      accountId: a.accountId, instrumentId, ts: c.ts, kind: c.kind, amount: text(c.amount), currency: c.currency, key: c.key, line: c.line,
      note: c.note,
    })
    this.ledgerCount++
    this.sums(a.accountId).add(`${instrumentId ?? ''}:${c.kind === 'fee' ? 'fees' : c.kind}`, c.currency, c.amount)
  }

  /** True when the file held rows and every one of them was stored by an earlier import. */
  everyRowDuplicate(): boolean {
    if (this.positionsIn.length > 0 || this.balancesIn.length > 0 || this.markets.length > 0 || this.tiersIn.length > 0) return false
    const rows = this.fillRows + this.ledgerRows
    if (this.series.length > 0) return rows === 0 && this.priceDuplicate
    return rows > 0 && this.duplicateRows > 0 && this.duplicateRows + this.skippedCount >= rows && this.fillCount === 0 && this.ledgerCount === 0
  }

  /**
   * Moves the positions with this file's fills in time order — by ts, then the venue's sequence, then the
   * file's own order (reversed for a newest-first file) — from the tape, including the fills of this file
   * that an earlier import had already stored. Stops at, and returns, the first fill after which the venue's
   * own position disagrees.
   */
  private replay(): ImportIssue | null {
    const direction: 1 | -1 = this.fillOrder === -1 || (this.fillOrder === null && this.direction === -1) ? -1 : 1
    const order = this.fillOrder === 0 ? 'sorted' : direction === 1 ? 'file' : 'reversed'
    const file = this.writer.header.fileName
    let problem: ImportIssue | null = null
    this.tape.play(order, direction, ({ slot: n, line, move }) => {
      const slot = this.slots[n]!
      move.positionAfterUnsigned = slot.unsigned
      const message = movePosition(slot.state, move)
      if (message) problem = { file, line, column: null, message }
      return message === null
    })
    return problem
  }

  /** Frees the replay's scratch space (the pipeline calls it once done, whatever the outcome). */
  close(): void {
    this.tape.close()
  }

  /** After the last row: replay, write positions, totals, balances, market, prices. */
  finish(): void {
    const w = this.writer
    const file = w.header.fileName
    // The replay runs first, while the writer may still be storing the last rows; its first problem (it
    // stops there) counts only for a file whose rows are all its own (a repeated trade id says why).
    const replayProblem = this.tape.size > 0 && !this.failed() ? this.replay() : null
    if (this.fillRows + this.ledgerRows > 0) this.keyConflicts(w.conflicts())
    if (this.failed()) return
    if (replayProblem) this.issue(replayProblem)
    if (this.failed()) return
    // Positions from the replay.
    for (const a of this.accounts.values()) {
      if (a.states.size === 0) continue
      let open = 0
      let derivatives = 0
      const sums = this.sums(a.accountId)
      for (const [instrumentId, s] of a.states) {
        const r = replayResult(s)
        this.replayOut.push(r)
        if (s.instrument.kind === 'spot') {
          // A spot holding is a balance: keep the net amount bought and the fees, no position.
          w.addTotal(a.accountId, instrumentId, 'net_quantity', s.instrument.underlying, r.quantity)
          for (const [ccy, amount] of Object.entries(sums.of(`${instrumentId}:fees`))) w.addTotal(a.accountId, instrumentId, 'fees', ccy, amount)
          continue
        }
        derivatives++
        w.addTotal(a.accountId, instrumentId, 'realized_pnl', r.pnlCurrency, r.realizedPnl)
        for (const measure of ['fees', 'funding', 'settlement', 'venue_realized_pnl'])
          for (const [ccy, amount] of Object.entries(sums.of(`${instrumentId}:${measure}`))) w.addTotal(a.accountId, instrumentId, measure, ccy, amount)
        const venueRealized = sums.of(`${instrumentId}:venue_realized_pnl`)[r.pnlCurrency]
        if (venueRealized !== undefined && !new D(venueRealized).minus(r.realizedPnl).abs().lte('0.00000001'))
          this.note(`${s.instrument.name}: realized P&L of the replay ${r.realizedPnl} ${r.pnlCurrency} differs from the venue's own column ${venueRealized} (hedge mode, or fills before this file?)`)
        if (r.quantity === '0') continue
        open++
        const p: PipelinePosition = {
          venue: a.venue, account: a.account, instrument: s.instrument, quantity: r.quantity, entryPrice: r.averageEntry!,
          entryTime: r.openedAt, realizedPnl: r.realizedPnl, pnlCurrency: r.pnlCurrency, line: 0,
        }
        this.positionsOut.push(p)
        w.addPosition({
          accountId: a.accountId, instrumentId, quantity: p.quantity, entryPrice: p.entryPrice, entryTime: p.entryTime,
          note: `replayed from ${s.fills} fills of ${file}`, line: 0, venueMargin: null,
        })
      }
      // A log speaks for the settlement currencies it traded in: a log ending flat empties just those.
      if (derivatives > 0)
        w.coverAccount(a.accountId, open, [...new Set([...a.states.values()].map((st) => st.instrument.settlementCurrency))])
    }
    // Cash of instruments without fills in this file (funding of a position opened before it) and of the account.
    for (const [accountId, sums] of this.totals) {
      const states = this.accountById.get(accountId)?.states
      for (const key of sums.keys()) {
        const cut = key.indexOf(':')
        const inst = key.slice(0, cut)
        const measure = key.slice(cut + 1)
        if (inst !== '' && states?.has(Number(inst))) continue
        for (const [ccy, amount] of Object.entries(sums.of(key))) w.addTotal(accountId, inst === '' ? null : Number(inst), measure, ccy, amount)
      }
    }
    // Positions of snapshots.
    for (const p of this.positionsIn) {
      const accountId = w.accountId(p.venue, p.account)
      w.addPosition({
        accountId, instrumentId: this.instrumentId(p.instrument), quantity: p.quantity, entryPrice: p.entryPrice, entryTime: p.entryTime, note: p.note,
        line: p.line, venueMargin: p.venueMargin ? JSON.stringify(p.venueMargin) : null,
      })
      this.positionsOut.push({ venue: p.venue, account: p.account, instrument: p.instrument, quantity: p.quantity, entryPrice: p.entryPrice, entryTime: p.entryTime, line: p.line })
    }
    for (const { venue, account } of this.coveredAccounts.values()) {
      const mine = this.positionsIn.filter((p) => p.venue === venue && p.account === account)
      // A whole-account snapshot (generic CSV) replaces everything; a venue dump only its currencies.
      const scopes = this.coversWholeAccount ? ['*'] : [...new Set(mine.map((p) => p.instrument.settlementCurrency))]
      w.coverAccount(w.accountId(venue, account), mine.length, scopes)
    }
    // Balances: a balances file as given; a log's balance column as of its last row in time.
    for (const b of this.balancesIn) {
      w.addBalance(w.accountId(b.venue, b.account), b.currency, b.amount, b.ts, 'file', b.line)
      this.balancesOut.push(b)
    }
    for (const [accountId, lb] of this.logBalances)
      for (const b of lb.latest.all(this.direction === -1)) {
        w.addBalance(accountId, b.currency, b.amount, b.ts, 'log', b.line)
        this.balancesOut.push({ venue: lb.venue, account: lb.account, currency: b.currency, amount: b.amount, ts: b.ts, source: 'log', line: b.line })
      }
    // Market snapshots.
    for (const m of this.markets) {
      w.addMarket(
        m.venue,
        m.asOf,
        m.quotes.map((q) => ({
          instrumentId: this.instrumentId(q.instrument), ts: q.ts, markPrice: q.markPrice, markIv: q.markIv, underlyingPrice: q.underlyingPrice,
          indexPrice: q.indexPrice, greeks: q.venueGreeks, source: q.source,
        })),
        m.indices,
      )
      this.quoteCount += m.quotes.length
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
      this.closeCount += s.closes.length
      const lastTs = s.closes.at(-1)!.ts
      if (this.asOf === null || lastTs > this.asOf) this.asOf = lastTs
    }
    if (sameCloses > 0) {
      this.duplicateRows += sameCloses
      if (sameCloses === this.closeCount) this.priceDuplicate = true
    }
    // Venue tier tables (market-wide).
    if (this.tiersIn.length > 0)
      w.addTierEntries(
        this.tiersIn.map((t) => ({
          venue: t.venue, tableId: t.tableId, asOf: t.asOf, dateBasis: t.dateBasis, sources: t.sources, note: t.note,
          valuesJson: JSON.stringify(t.values), line: t.line,
        })),
      )
  }
}

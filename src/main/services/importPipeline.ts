/**
 * The import pipeline: one file, one SQLite transaction, one result (src/shared/importApi.ts `importResult`).
 *
 *  1. The file's sha256 (streamed); an earlier import of the same bytes makes it a duplicate, nothing read.
 *  2. Reading is the importers' (importers/readFile.ts, pure): decoding, format detection, rows pushed into
 *     the sink (importStorage.ts), which writes fills and ledger entries as they come and gives them to the
 *     log's replay (domain/trades/tradeLogReplay.ts).
 *  3. After the last row: the replay, the rows the store passed over (key conflicts), and what the file gave
 *     besides (positions, totals, balances, market, prices, tiers) — then COMMIT, or ROLLBACK for a preview,
 *     a file with any issue (all-or-nothing) and a file whose every row an earlier import holds.
 *
 * A bad file is a result (`ok` false, its issues), never an exception; only programming errors and I/O
 * failures throw (the transaction is rolled back first). The store is the calling thread's connection
 * (localStore) or, for a file read on an import thread, that thread's proxy of it (importThread.ts).
 */
import { createHash } from 'node:crypto'
import { closeSync, readSync } from 'node:fs'
import type { ColumnMapping, ImportResult } from '../../shared/importApi'
import type { Db } from '../db/database'
import { findImportBySha256, type ImportHistoryEntry } from '../db/importHistoryStore'
import { beginImport, endImport, groupSkipped, ImportWriter, type ImportHeader, type ImportWriting } from '../db/importStore'
import { ReplayScratch } from '../db/replayScratchStore'
import type { FileFormat, ReadOptions } from '../importers/core/formatTypes'
import { ImportFailedError, type ImportIssue } from '../importers/core/importIssue'
import { openFile, readRows } from '../importers/readFile'
import { mappedFormat } from '../importers/venues/generic/mappedCsv'
import { StoringSink } from './importStorage'
import { MAX_IMPORT_BYTES, openRegularFile } from './localFiles'
import { duplicateResult, emptyResult, failed, iso, MAX_ISSUES } from './importResult'

/** Where the bytes come from: a path (streamed) or a buffer (uploads, tests). */
export type ByteSource = { path: string; fileName: string } | { bytes: Uint8Array; fileName: string }

const CHUNK = 64 * 1024

/** The source's bytes in chunks of 64 KB (a file is read as it is consumed, never whole). */
export function* byteChunks(src: ByteSource): Generator<Uint8Array> {
  if ('bytes' in src) {
    for (let i = 0; i < src.bytes.length; i += CHUNK) yield src.bytes.subarray(i, i + CHUNK)
    return
  }
  const { fd } = openRegularFile(src.path, MAX_IMPORT_BYTES)
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

/** sha256 of the whole source, streamed (hex). */
export function sha256Of(src: ByteSource): string {
  const h = createHash('sha256')
  for (const c of byteChunks(src)) h.update(c)
  return h.digest('hex')
}

export interface PipelineOptions {
  portfolio: string
  /** Format id (`--format`); default: detected. */
  format?: string
  /** Read the file through this column mapping (src/shared/importApi.ts) instead. */
  mapping?: { name: string; mapping: ColumnMapping }
  readOptions: ReadOptions
  sourcePath: string | null
  /** The user's stated options, stored with the import. */
  statedOptions: Record<string, unknown>
  importedBy: string
  host: string
  now: number
  /** Roll back at the end (preview); the result then describes what would have been written. */
  dryRun: boolean
  /** Keep the first N data records' fields (preview). */
  sampleRows?: number
  /** The file's sha256 (hex), when the caller has computed it already. */
  sha256?: string
}

/** Where a pipeline writes: the earlier import of the same bytes, and one write transaction with its writer. */
export interface PipelineStore {
  findBySha256(sha256: string): ImportHistoryEntry | null
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

/** Runs one file through the pipeline on `store` (see the module comment). */
export function runPipelineOn(store: PipelineStore, src: ByteSource, o: PipelineOptions): ImportResult {
  const started = performance.now()
  const file = src.fileName
  let r = emptyResult(file)
  let format: string | FileFormat | undefined = o.format
  if (o.mapping)
    try {
      format = mappedFormat(o.mapping.mapping, o.mapping.name, file)
    } catch (e) {
      if (e instanceof ImportFailedError) return failed(r, e.issues)
      throw e
    }
  let sha256: string
  try {
    sha256 = o.sha256 ?? sha256Of(src)
  } catch (e) {
    return failed(r, [{ file, line: null, column: null, message: `cannot read: ${(e as Error).message}` }])
  }
  r.sha256 = sha256
  const earlier = store.findBySha256(sha256)
  if (earlier) return duplicateResult(file, sha256, earlier)

  const opened = openFile(file, byteChunks(src), format)
  const head = opened.ok ? opened.opened : opened.head
  r = { ...r, encoding: head.encoding, delimiter: head.delimiter, header: head.header, headerLine: head.headerLine, rawLines: head.rawLines }
  if (!opened.ok) return failed(r, opened.issues)

  const issues: ImportIssue[] = []
  let issueCount = 0
  const addIssue = (i: ImportIssue) => {
    if (issueCount++ < MAX_ISSUES) issues.push(i)
  }
  let writer: ImportWriting | null = null
  let sink: StoringSink | null = null
  store.begin()
  try {
    const read = readRows(opened.opened, {
      options: o.readOptions,
      sampleRows: o.sampleRows,
      onSample: (line, fields) => r.sample.push({ line, fields }),
      sink: (format) => {
        r = { ...r, format: format.id, formatDescription: format.description, content: format.content }
        writer = store.writer({
          fileName: file, sourcePath: o.sourcePath, sha256, format: format.id, content: format.content, portfolio: o.portfolio, encoding: head.encoding,
          delimiter: head.delimiter, options: o.statedOptions, importedBy: o.importedBy, host: o.host, now: o.now,
        })
        sink = new StoringSink(writer, addIssue, () => issueCount > 0, format.type === 'csv' && format.coversWholeAccount === true, () => new ReplayScratch())
        return sink
      },
    })
    if (!read.ok) {
      store.rollback()
      return failed(r, read.issues, Math.max(issueCount, read.issues.length))
    }
    r.rows = read.rows
    const s = sink! as StoringSink
    if (issueCount === 0) s.settle()
    if (issueCount === 0) s.store()
    if (issueCount > 0) {
      store.rollback()
      return failed(r, issues, issueCount)
    }
    r = {
      ...r,
      positions: s.positions.map((p) => ({
        venue: p.venue, account: p.account, instrument: p.instrument.name, symbol: p.instrument.symbol, kind: p.instrument.kind, settlement: p.instrument.settlement,
        quantity: p.quantity, quantityUnit: p.instrument.quantityUnit, entryPrice: p.entryPrice, priceCurrency: p.instrument.priceCurrency,
        realizedPnl: p.realizedPnl, pnlCurrency: p.pnlCurrency, line: p.line,
      })),
      quotes: s.quotes,
      fills: s.fills,
      ledgerEntries: s.ledgerEntries,
      balances: s.balances.map((b) => ({ venue: b.venue, account: b.account, currency: b.currency, amount: b.amount, asOf: iso(b.ts) })),
      closes: s.closes,
      tierTables: s.tierTables.length,
      skipped: groupSkipped(s.skipped),
      skippedCount: s.skippedCount,
      duplicateRows: s.duplicateRows,
      duplicateOf: s.duplicateOf,
      notes: [...s.notes],
      asOf: iso(s.asOf),
    }
    if (s.everyRowDuplicate()) {
      store.rollback()
      return { ...r, status: 'duplicate', ok: true, importId: s.duplicateOf }
    }
    const w = writer! as ImportWriting
    w.finish({
      rowsRead: read.rows,
      rowsImported: Math.max(0, read.rows - s.skippedCount - s.duplicateRows),
      skipped: s.skipped,
      duplicateRows: s.duplicateRows,
      asOf: s.asOf,
      notes: [...s.notes],
      elapsedMs: performance.now() - started,
      counts: {
        positions: s.positions.length, quotes: s.quotes, fills: s.fills, ledgerEntries: s.ledgerEntries, balances: s.balances.length, closes: s.closes,
        tierTables: s.tierTables.length,
      },
    })
    const portfolio = r.content === 'market' || r.content === 'prices' || r.content === 'tiers' ? null : o.portfolio
    if (o.dryRun) {
      store.rollback()
      return { ...r, status: 'preview', ok: true, portfolio }
    }
    store.commit()
    return { ...r, status: 'imported', ok: true, importId: w.importId, portfolio }
  } catch (e) {
    // Not a bad file (those are results): a programming error or an I/O failure. Nothing is kept.
    store.rollback()
    throw e
  } finally {
    ;(sink as StoringSink | null)?.close()
  }
}

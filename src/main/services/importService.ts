/**
 * Import use cases: a file on disk (streamed) or bytes from an upload, imported or previewed (a dry run that
 * shows what a file would give), and the formats list. Each file is all-or-nothing; the same bytes (sha256)
 * or the same rows imported again are reported, not written twice. Every call returns the one record of
 * what an import produced (src/shared/importApi.ts `importResult`); a bad file is a result with its issues.
 *
 * Large files run on the import thread (importThread.ts, engine/importWorker.ts): from disk at 16 MB or
 * more; for the asynchronous calls the hosts use (`importSourceAsync`: the web host, Electron IPC, the CLI),
 * also any upload of 1 MB or more, so a host's event loop keeps serving others; those imports into one
 * database run one after the other. See importPipeline.ts for the pipeline and docs/importers.md for the formats.
 */
import { statSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { basename } from 'node:path'
import type { ColumnMapping, ImportContentKind, ImportHistoryItem, ImportResult } from '../../shared/importApi'
import type { Db } from '../db/database'
import { listImports } from '../db/importHistoryStore'
import { inWriteTransaction } from '../db/writeGate'
import { BUILT_IN_SPECS } from '../domain/instruments/builtInSpecs'
import type { ContractSpecTable } from '../domain/instruments/contractSpecs'
import { formatUtcOffset, parseUtcOffset } from '../importers/core/dates'
import type { ReadOptions } from '../importers/core/formatTypes'
import { ImportFailedError } from '../importers/core/importIssue'
import { FORMATS } from '../importers/formats'
import { runPipelineOn, localStore, type ByteSource } from './importPipeline'
import { failedResult, historyItem } from './importResult'
import { importFileProblem } from './localFiles'
import { importOnThread, importOnThreadAsync, importTaskFile, WORKER_IMPORT_BYTES, type ImportJob } from './importThread'

export { ImportFailedError }
export type { ByteSource }

/** Uploads at least this large import on the import thread when the caller is asynchronous (a host). */
export const ASYNC_THREAD_BYTES = 1024 * 1024

/** The formats the importer reads: id, what the file holds, and one line of description each. */
export function listFormats(): Array<{ id: string; content: ImportContentKind; venue: string | null; type: 'csv' | 'json'; description: string }> {
  return FORMATS.map((f) => ({ id: f.id, content: f.content, venue: f.venue, type: f.type, description: f.description }))
}

export interface ImportOptions {
  /** Portfolio the positions, trades and balances go to; default `default`. */
  portfolio?: string
  /** Format id; default: detected from the content. */
  format?: string
  /** Read the file through this column mapping (src/shared/importApi.ts) instead. */
  mapping?: { name: string; mapping: ColumnMapping }
  /** Account for formats that name none; default `main`. */
  account?: string
  /** UTC offset of times written without a zone (`+08:00`, `UTC-6`, `Z`). */
  utcOffset?: string
  /** Underlying of a price file without a symbol column. */
  underlying?: string
  /** Quote currency of such a file (default USD). */
  quoteCurrency?: string
  /** Venue of a ccxt positions dump. */
  venue?: string
  /** Currency of a Deribit transaction log whose file name does not say it. */
  currency?: string
  /** The instant (ISO-8601 with zone) a snapshot without its own time stands for. */
  snapshotTime?: string
  /** Day/month order of locale dates (Hyperliquid UI exports). */
  dateOrder?: 'day-first' | 'month-first'
  /** Contract specs (built-in merged with the user's); default the built-in table. */
  specs?: ContractSpecTable
  /** Which host asked: cli, web, desktop (history). */
  host?: string
  /** Clock, ms since epoch (tests). */
  now?: number
  /** Read and parse in a worker thread with a capped heap while this thread writes (importThread.ts):
   * default for files from disk of 16 MB or more; `true`/`false` forces it (tests compare both ways). */
  inWorker?: boolean
}

/** Runs on the import thread: forced by `inWorker`, else a file from disk of `minBytes` or more (or bytes, for hosts). */
function onThread(src: ByteSource, o: ImportOptions, minBytes: number, bytesToo: boolean): boolean {
  if (o.inWorker === false || importTaskFile() === null) return false
  if (o.inWorker === true) return true
  if ('bytes' in src) return bytesToo && src.bytes.length >= minBytes
  try {
    return statSync(src.path).size >= minBytes
  } catch {
    return false
  }
}

/**
 * What importFile and importBytes give: a compact view of the import's result for scripts (the demo, the
 * benchmarks, tests) — counts instead of lists, skipped rows one by one. Derived from the one record.
 */
export interface ImportOutcome extends Pick<ImportResult, 'content' | 'duplicateRows' | 'duplicateOf' | 'notes' | 'encoding' | 'delimiter' | 'asOf' | 'firstImportedAt'> {
  file: string
  format: string
  status: 'imported' | 'duplicate'
  importId: number
  portfolio: string | null
  rows: number
  positions: number
  quotes: number
  fills: number
  ledgerEntries: number
  balances: number
  closes: number
  skipped: Array<{ line: number; reason: string }>
}

/** The compact view of a successful result (see ImportOutcome). @throws ImportFailedError for a failed one */
export function outcomeOf(r: ImportResult): ImportOutcome {
  if (!r.ok) throw new ImportFailedError(r.errors.length > 0 ? r.errors : [{ file: r.fileName, line: null, column: null, message: 'import failed' }])
  const dup = r.status === 'duplicate'
  return {
    file: r.fileName,
    format: r.format ?? 'unknown',
    content: r.content,
    status: dup ? 'duplicate' : 'imported',
    importId: r.importId ?? r.duplicateOf ?? 0,
    portfolio: r.portfolio ?? null,
    rows: r.rows,
    positions: dup ? 0 : r.positions.length,
    quotes: dup ? 0 : r.quotes,
    fills: dup ? 0 : r.fills,
    ledgerEntries: dup ? 0 : r.ledgerEntries,
    balances: dup ? 0 : r.balances.length,
    closes: dup ? 0 : r.closes,
    skipped: dup ? [] : r.skipped.flatMap((g) => g.lines.map((line) => ({ line, reason: g.reason }))).sort((a, b) => a.line - b.line),
    duplicateRows: r.duplicateRows,
    duplicateOf: r.duplicateOf,
    notes: r.notes,
    encoding: r.encoding,
    delimiter: r.delimiter,
    asOf: r.asOf,
    ...(r.firstImportedAt !== undefined ? { firstImportedAt: r.firstImportedAt } : {}),
  }
}

function whoAmI(): string {
  try {
    return `${userInfo().username}@${hostname()}`
  } catch {
    return `unknown@${hostname()}`
  }
}

function readOptions(file: string, o: ImportOptions, now: number): { read: ReadOptions; stated: Record<string, unknown> } | { refused: ImportResult } {
  let utcOffsetMinutes: number | undefined
  if (o.utcOffset !== undefined) {
    const m = parseUtcOffset(o.utcOffset)
    if (m === null) return { refused: failedResult(file, [{ file, line: null, column: null, value: o.utcOffset, message: 'UTC offset: expected e.g. +08:00, UTC-6 or Z' }]) }
    utcOffsetMinutes = m
  }
  const stated: Record<string, unknown> = {}
  if (o.account !== undefined) stated.account = o.account
  if (utcOffsetMinutes !== undefined) stated.utcOffset = formatUtcOffset(utcOffsetMinutes)
  if (o.underlying !== undefined) stated.underlying = o.underlying
  if (o.quoteCurrency !== undefined) stated.quoteCurrency = o.quoteCurrency
  if (o.venue !== undefined) stated.venue = o.venue
  if (o.currency !== undefined) stated.currency = o.currency
  let snapshotTime: number | undefined
  if (o.snapshotTime !== undefined) {
    // ISO-8601 with an explicit zone only: an instant without one would be a guess.
    const ms = /(Z|[+-]\d{2}:?\d{2})$/i.test(o.snapshotTime) ? Date.parse(o.snapshotTime) : NaN
    if (!Number.isFinite(ms) || ms > now)
      return { refused: failedResult(file, [{ file, line: null, column: null, value: o.snapshotTime, message: 'snapshot time: expected an ISO-8601 instant with its zone, not in the future, e.g. 2023-03-27T12:00:00Z' }]) }
    snapshotTime = ms
    stated.snapshotTime = new Date(ms).toISOString()
  }
  if (o.dateOrder !== undefined) stated.dateOrder = o.dateOrder
  if (o.format !== undefined) stated.format = o.format
  if (o.mapping !== undefined) stated.mapping = o.mapping.name === 'inline' ? o.mapping.mapping : o.mapping.name
  const specs = o.specs ?? BUILT_IN_SPECS
  if (specs.origins.length > 1) stated.contractSpecs = specs.origins.slice(1)
  return {
    read: {
      account: o.account,
      receivedAt: now,
      utcOffsetMinutes,
      underlying: o.underlying?.toUpperCase(),
      quoteCurrency: o.quoteCurrency?.toUpperCase(),
      venue: o.venue?.toLowerCase(),
      currency: o.currency?.toUpperCase(),
      snapshotTime,
      dateOrder: o.dateOrder,
      specs,
      fileName: file,
    },
    stated,
  }
}

/** The pipeline's options and the import thread's job for one source; or the result refusing a stated option. */
function prepare(src: ByteSource, o: ImportOptions, dryRun: boolean, sampleRows: number): { job: ImportJob } | { refused: ImportResult } {
  const now = o.now ?? Date.now()
  // A FIFO, a device or a directory would block or never end: refused before a byte is read.
  const problem = 'path' in src ? importFileProblem(src.path) : null
  if (problem !== null) return { refused: failedResult(src.fileName, [{ file: src.fileName, line: null, column: null, message: problem }]) }
  const read = readOptions(src.fileName, o, now)
  if ('refused' in read) return read
  return {
    job: {
      src,
      options: {
        portfolio: o.portfolio ?? 'default', readOptions: read.read, sourcePath: 'path' in src ? src.path : null, statedOptions: read.stated,
        importedBy: whoAmI(), host: o.host ?? 'cli', now, dryRun, sampleRows, format: o.format, mapping: o.mapping,
      },
    },
  }
}

function inThisThread(db: Db, job: ImportJob): ImportResult {
  return runPipelineOn(localStore(db), job.src, job.options)
}

/**
 * Imports (or, with `dryRun`, previews) one file, blocking this thread until done (on the import thread for
 * a file from disk of 16 MB or more). Never throws for a bad file: the result lists its issues.
 * @param sampleRows keep the first N records' fields (previews)
 */
export function importSource(db: Db, src: ByteSource, options: ImportOptions = {}, dryRun = false, sampleRows = 0): ImportResult {
  const p = prepare(src, options, dryRun, sampleRows)
  if ('refused' in p) return p.refused
  return onThread(src, options, WORKER_IMPORT_BYTES, false) ? importOnThread(db, p.job) : inThisThread(db, p.job)
}

/**
 * The same for a host that serves others meanwhile: files from disk of 16 MB or more and uploads of 1 MB or
 * more are read on the import thread and written from this thread's event loop (importThread.ts), so the
 * loop is never held for long; smaller ones run here. Either way the import waits its turn at the write gate
 * (db/writeGate.ts): behind this process's other writers, and, from timers, behind another process's write
 * (telling the wait listener once), never in SQLite's sleeping busy handler. Never rejects for a bad file.
 * @throws DatabaseBusyError when another process held the database longer than the gate's limit (60 s)
 */
export async function importSourceAsync(db: Db, src: ByteSource, options: ImportOptions = {}, dryRun = false, sampleRows = 0): Promise<ImportResult> {
  const p = prepare(src, options, dryRun, sampleRows)
  if ('refused' in p) return p.refused
  const big = !db.memory && ('bytes' in src ? onThread(src, options, ASYNC_THREAD_BYTES, true) : onThread(src, options, WORKER_IMPORT_BYTES, false))
  return big ? importOnThreadAsync(db, p.job) : inWriteTransaction(db, () => inThisThread(db, p.job))
}

/** Imports one file from disk (a path). Never throws for a bad file. */
export function importPath(db: Db, path: string, options: ImportOptions = {}, dryRun = false): ImportResult {
  return importSource(db, { path, fileName: basename(path) }, options, dryRun)
}

/** Everything an import would do, without writing (the transaction is rolled back). Never throws for a bad file. */
export function previewImport(db: Db, src: ByteSource, options: ImportOptions = {}, sampleRows = 20): ImportResult {
  return importSource(db, src, options, true, sampleRows)
}

/**
 * Imports one file from disk, streaming it, and gives the compact view (ImportOutcome).
 * @throws ImportFailedError (nothing written) for unreadable, unrecognised or invalid content, listing
 *   every issue found (file, line, column, value, expected form).
 */
export function importFile(db: Db, path: string, options: ImportOptions = {}): ImportOutcome {
  return outcomeOf(importPath(db, path, options))
}

/** Imports bytes (an upload) and gives the compact view. @throws ImportFailedError as importFile. */
export function importBytes(db: Db, fileName: string, bytes: Uint8Array, options: ImportOptions = {}): ImportOutcome {
  return outcomeOf(importSource(db, { bytes, fileName }, options))
}

/**
 * The import history, newest first, as the API gives it (shared/importApi.ts `importHistoryEntry`), with the
 * imports removed since (portfolio management) marked by `removedAt`.
 */
export function importHistory(db: Db, filter: { portfolio?: string; limit?: number } = {}): ImportHistoryItem[] {
  return listImports(db, { ...filter, includeRemoved: true }).map(historyItem)
}

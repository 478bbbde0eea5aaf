/**
 * Import use cases: a file on disk (`importFile`, streamed) or bytes from an upload (`importBytes`), a dry
 * run that shows what a file would give (`previewImport`), and the formats list. Each file is all-or-nothing;
 * the same bytes (sha256) or the same rows imported again are reported, not written twice. See
 * importPipeline.ts for the pipeline and docs/importers.md for the formats.
 */
import { hostname, userInfo } from 'node:os'
import { basename } from 'node:path'
import type { Db } from '../db/database'
import type { ContractSpecTable } from '../domain/instruments/contractSpecs'
import { BUILT_IN_SPECS } from '../domain/instruments/builtInSpecs'
import { formatUtcOffset, parseUtcOffset } from '../importers/core/dates'
import { FORMATS } from '../importers/formats'
import type { ImportContent, ReadOptions } from '../importers/core/formatTypes'
import { ImportFailedError, type ImportIssue, type SkippedRow } from '../importers/core/importIssue'
import { statSync } from 'node:fs'
import type { ColumnMapping } from '../../shared/importApi'
import { mappedFormat } from '../importers/venues/generic/mappedCsv'
import { importWorkerFile, runPipelineInWorker, WORKER_IMPORT_BYTES } from './importInWorker'
import { runPipeline, type ByteSource, type PipelineResult } from './importPipeline'

export { ImportFailedError }

/** The formats the importer reads: id, what the file holds, and one line of description each. */
export function listFormats(): Array<{ id: string; content: ImportContent; venue: string | null; type: 'csv' | 'json'; description: string }> {
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
  /** Contract specs (built-in merged with the user's); default the built-in table. */
  specs?: ContractSpecTable
  /** Which host asked: cli, web, desktop (history). */
  host?: string
  /** Clock, ms since epoch (tests). */
  now?: number
  /** Read and parse in a worker thread with a capped heap while this thread writes (importInWorker.ts):
   * default for files from disk of 16 MB or more; `true`/`false` forces it (tests compare both ways). */
  inWorker?: boolean
}

function useWorker(src: ByteSource, o: ImportOptions): boolean {
  if (o.inWorker === false || !('path' in src) || importWorkerFile() === null) return false
  if (o.inWorker === true) return true
  try {
    return statSync(src.path).size >= WORKER_IMPORT_BYTES
  } catch {
    return false
  }
}

export interface ImportOutcome {
  file: string
  format: string
  content: ImportContent | null
  status: 'imported' | 'duplicate'
  importId: number
  portfolio: string | null
  /** Data rows read from the file (header and preamble excluded). */
  rows: number
  positions: number
  quotes: number
  fills: number
  ledgerEntries: number
  balances: number
  closes: number
  skipped: SkippedRow[]
  /** Rows of this file that an earlier import already stored (same trade/row id, same close). */
  duplicateRows: number
  /** The earlier import holding the same bytes or rows. */
  duplicateOf: number | null
  notes: string[]
  encoding: string | null
  delimiter: string | null
  /** The file's last row, ISO-8601 UTC. */
  asOf: string | null
  /** For a duplicate file: when the same content was imported before (ISO-8601). */
  firstImportedAt?: string
}

function whoAmI(): string {
  try {
    return `${userInfo().username}@${hostname()}`
  } catch {
    return `unknown@${hostname()}`
  }
}

function readOptions(file: string, o: ImportOptions, now: number): { read: ReadOptions; stated: Record<string, unknown> } {
  let utcOffsetMinutes: number | undefined
  if (o.utcOffset !== undefined) {
    const m = parseUtcOffset(o.utcOffset)
    if (m === null)
      throw new ImportFailedError([{ file, line: null, column: null, value: o.utcOffset, message: 'UTC offset: expected e.g. +08:00, UTC-6 or Z' }])
    utcOffsetMinutes = m
  }
  const stated: Record<string, unknown> = {}
  if (o.account !== undefined) stated.account = o.account
  if (utcOffsetMinutes !== undefined) stated.utcOffset = formatUtcOffset(utcOffsetMinutes)
  if (o.underlying !== undefined) stated.underlying = o.underlying
  if (o.quoteCurrency !== undefined) stated.quoteCurrency = o.quoteCurrency
  if (o.venue !== undefined) stated.venue = o.venue
  if (o.currency !== undefined) stated.currency = o.currency
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
      specs,
      fileName: file,
    },
    stated,
  }
}

function run(db: Db, src: ByteSource, o: ImportOptions, dryRun: boolean, sampleRows = 0): PipelineResult {
  const now = o.now ?? Date.now()
  const { read, stated } = readOptions(src.fileName, o, now)
  const options = {
    portfolio: o.portfolio ?? 'default',
    readOptions: read,
    sourcePath: 'path' in src ? src.path : null,
    statedOptions: stated,
    importedBy: whoAmI(),
    host: o.host ?? 'cli',
    now,
    dryRun,
    sampleRows,
  }
  if (useWorker(src, o)) return runPipelineInWorker(db, { src, options: { ...options, formatId: o.format, mapping: o.mapping } })
  const format = o.mapping ? mappedFormat(o.mapping.mapping, o.mapping.name, src.fileName) : o.format
  return runPipeline(db, src, { ...options, format })
}

function outcome(r: PipelineResult): ImportOutcome {
  return {
    file: r.fileName,
    format: r.format ?? 'unknown',
    content: r.content,
    status: r.status === 'duplicate' ? 'duplicate' : 'imported',
    importId: r.record?.id ?? r.duplicateOf ?? 0,
    portfolio: r.record?.portfolio ?? null,
    rows: r.rowsRead,
    positions: r.status === 'duplicate' ? 0 : r.positions.length,
    quotes: r.status === 'duplicate' ? 0 : r.quotes,
    fills: r.status === 'duplicate' ? 0 : r.fills,
    ledgerEntries: r.status === 'duplicate' ? 0 : r.ledgerEntries,
    balances: r.status === 'duplicate' ? 0 : r.balances.length,
    closes: r.status === 'duplicate' ? 0 : r.closes,
    skipped: r.status === 'duplicate' ? [] : r.skipped,
    duplicateRows: r.duplicateRows,
    duplicateOf: r.duplicateOf,
    notes: r.notes,
    encoding: r.encoding,
    delimiter: r.delimiter,
    asOf: r.asOf === null ? null : new Date(r.asOf).toISOString(),
    ...(r.status === 'duplicate' && r.record ? { firstImportedAt: new Date(r.record.importedAt).toISOString() } : {}),
  }
}

/**
 * Imports one file from disk, streaming it.
 * @throws ImportFailedError (nothing written) for unreadable, unrecognised or invalid content, listing
 *   every issue found (file, line, column, value, expected form).
 */
export function importFile(db: Db, path: string, options: ImportOptions = {}): ImportOutcome {
  const r = run(db, { path, fileName: basename(path) }, options, false)
  if (!r.ok) throw new ImportFailedError(r.issues.length > 0 ? r.issues : [{ file: basename(path), line: null, column: null, message: 'import failed' }])
  return outcome(r)
}

/** Imports bytes (an upload). @throws ImportFailedError as importFile. */
export function importBytes(db: Db, fileName: string, bytes: Uint8Array, options: ImportOptions = {}): ImportOutcome {
  const r = run(db, { bytes, fileName }, options, false)
  if (!r.ok) throw new ImportFailedError(r.issues.length > 0 ? r.issues : [{ file: fileName, line: null, column: null, message: 'import failed' }])
  return outcome(r)
}

/**
 * Imports (or, with `dryRun`, previews) one file from disk and returns the full result — never throws for a
 * bad file (its issues are in the result). The CLI uses this to report every file.
 */
export function importPath(db: Db, path: string, options: ImportOptions = {}, dryRun = false): PipelineResult {
  try {
    return run(db, { path, fileName: basename(path) }, options, dryRun)
  } catch (e) {
    if (!(e instanceof ImportFailedError)) throw e
    return { ...emptyResult(basename(path)), issues: e.issues, issueCount: e.issues.length }
  }
}

/** Imports bytes and returns the full result; never throws for a bad file (the Import view's upload). */
export function runPipelineOnBytes(db: Db, fileName: string, bytes: Uint8Array, options: ImportOptions = {}): PipelineResult {
  try {
    return run(db, { bytes, fileName }, options, false)
  } catch (e) {
    if (!(e instanceof ImportFailedError)) throw e
    return { ...emptyResult(fileName), issues: e.issues, issueCount: e.issues.length }
  }
}

/** Everything an import would do, without writing (the transaction is rolled back). Never throws for a bad file. */
export function previewImport(db: Db, src: ByteSource, options: ImportOptions = {}, sampleRows = 20): PipelineResult {
  try {
    return run(db, src, options, true, sampleRows)
  } catch (e) {
    if (!(e instanceof ImportFailedError)) throw e
    return { ...emptyResult(src.fileName), issues: e.issues, issueCount: e.issues.length }
  }
}

function emptyResult(fileName: string): PipelineResult {
  return {
    ok: false, status: 'failed', fileName, sha256: '', format: null, formatDescription: null, content: null, encoding: null, delimiter: null,
    header: null, headerLine: null, rawLines: [], sample: [], rowsRead: 0, positions: [], quotes: 0, fills: 0, ledgerEntries: 0, balances: [], closes: 0, skipped: [],
    skippedCount: 0, duplicateRows: 0, duplicateOf: null, notes: [], issues: [], issueCount: 0, asOf: null, record: null, replay: [],
  }
}

/** Issues grouped by message (the UI and the CLI show one line per message with its count and lines). */
export function groupIssues(issues: ImportIssue[]): Array<{ message: string; count: number; column: string | null; lines: number[]; values: string[] }> {
  const groups = new Map<string, { message: string; count: number; column: string | null; lines: number[]; values: string[] }>()
  for (const i of issues) {
    const k = `${i.column ?? ''}\u0000${i.message}`
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { message: i.message, count: 0, column: i.column, lines: [], values: [] }))
    g.count++
    if (i.line !== null && g.lines.length < 20) g.lines.push(i.line)
    if (i.value !== undefined && g.values.length < 5 && !g.values.includes(i.value)) g.values.push(i.value)
  }
  return [...groups.values()]
}

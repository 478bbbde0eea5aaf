/**
 * importFile: file on disk → detected format → validated domain objects → one SQLite transaction.
 * A file already imported (same sha256) is reported as a duplicate and not written again.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Db } from '../db/database'
import { findImportBySha256, writeImport } from '../db/importStore'
import { detectFormat, formatById, FORMATS } from '../importers/formats'
import { ImportFailedError, type SkippedRow } from '../importers/importIssue'

export { ImportFailedError }

/** The formats `importFile` reads: id and one line of description each. */
export function listFormats(): Array<{ id: string; description: string }> {
  return FORMATS.map((f) => ({ id: f.id, description: f.description }))
}

export interface ImportOptions {
  /** Portfolio the positions go to; default `default`. */
  portfolio?: string
  /** Format id; default: detected from the content. */
  format?: string
  /** Account for formats that name none; default `main`. */
  account?: string
  /** Clock, ms since epoch (tests). */
  now?: number
}

export interface ImportOutcome {
  file: string
  format: string
  status: 'imported' | 'duplicate'
  importId: number
  portfolio: string | null
  /** Data rows read from the file. */
  rows: number
  positions: number
  quotes: number
  skipped: SkippedRow[]
  /** For a duplicate: when the same content was imported before (ISO-8601). */
  firstImportedAt?: string
}

/** Decodes UTF-8 strictly (a BOM is allowed). @throws ImportFailedError for bytes that are not UTF-8. */
function decodeUtf8(file: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new ImportFailedError([{ file, line: null, column: null, message: 'the file is not UTF-8 text' }])
  }
}

/**
 * Imports one file.
 * @throws ImportFailedError (nothing written) for unreadable, unrecognised or invalid content.
 */
export function importFile(db: Db, path: string, options: ImportOptions = {}): ImportOutcome {
  const file = basename(path)
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (e) {
    throw new ImportFailedError([{ file: path, line: null, column: null, message: `cannot read: ${(e as Error).message}` }])
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const earlier = findImportBySha256(db, sha256)
  if (earlier)
    return {
      file,
      format: earlier.format,
      status: 'duplicate',
      importId: earlier.id,
      portfolio: earlier.portfolio,
      rows: earlier.rowsRead,
      positions: 0,
      quotes: 0,
      skipped: [],
      firstImportedAt: new Date(earlier.importedAt).toISOString(),
    }
  const text = decodeUtf8(file, bytes)
  const now = options.now ?? Date.now()
  const format = options.format ? formatById(file, options.format) : detectFormat(file, text)
  const imported = format.read(file, text, { account: options.account, receivedAt: now })
  const record = writeImport(db, { fileName: file, sha256, portfolio: options.portfolio ?? 'default', imported, now })
  return {
    file,
    format: format.id,
    status: 'imported',
    importId: record.id,
    portfolio: record.portfolio,
    rows: imported.rowsRead,
    positions: imported.positions.length,
    quotes: imported.market?.quotes.length ?? 0,
    skipped: imported.skipped,
  }
}

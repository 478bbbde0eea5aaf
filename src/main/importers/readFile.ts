/**
 * Reading a file, pure (no fs: the caller hands its bytes as chunks): bytes → strictly decoded text (UTF-8 or
 * UTF-16 with BOM, core/textDecoding.ts) → the format (a CSV by its header, core/csvDetect.ts, or JSON by its
 * shape; `--format` skips detection, a column mapping is a format of its own) → rows pushed through the
 * format's reader into a sink (core/importTypes.ts ImportSink). CSV streams chunk by chunk; JSON is parsed
 * whole (API dumps are small; at most 256 MB).
 *
 * Nothing here throws for a bad file: openFile and readRows return the issues found (file, line, column,
 * value, what was expected), and what could be read of the file (its first lines, a likely header) for the
 * Import view's mapping dialog.
 */
import { detectCsvLayout, type CsvLayout } from './core/csvDetect'
import { readCsv } from './core/csvRead'
import { DELIMITER_NAMES, DELIMITERS, headLines, splitLine, type Delimiter } from './core/delimited'
import type { CsvFormat, FileFormat, FormatContext, JsonFormat } from './core/formatTypes'
import { ImportFailedError, type ImportIssue } from './core/importIssue'
import type { ImportSink } from './core/importTypes'
import { jsonValue, readJsonDocument } from './core/jsonDocument'
import { decodeChunks, detectEncoding, type TextEncodingName } from './core/textDecoding'
import { CSV_FORMATS, formatById, JSON_FORMATS } from './formats'

/** Characters of text read before detection (the head the header is looked for in). */
const HEAD_CHARS = 64 * 1024
const MAX_JSON_CHARS = 256 * 1024 * 1024

/** What is known of a file once its head is read. */
export interface FileHead {
  encoding: TextEncodingName | null
  /** The first lines of the text (up to 12, each cut at 400 characters). */
  rawLines: string[]
  /** CSV: the delimiter's name (`comma`, `semicolon`, `tab`), the header and its 1-based line; for an
   * unrecognised CSV, the likeliest header (guessHeader). */
  delimiter: string | null
  header: string[] | null
  headerLine: number | null
}

/** A file whose format is known (JSON: known once its shape is read), ready for readRows. */
export interface OpenedFile extends FileHead {
  file: string
  /** The CSV format, or the JSON format stated (null: found by shape in readRows). */
  format: FileFormat | null
  layout: CsvLayout | null
  /** The whole text, in chunks (the head first, then the rest as it is decoded). */
  text: Iterable<string>
}

export type OpenResult = { ok: true; opened: OpenedFile } | { ok: false; head: FileHead; issues: ImportIssue[] }

/** Runs an importer step, turning an ImportFailedError (the readers' way to stop) into its issues. */
function attempt<T>(step: () => T): { value: T } | { issues: ImportIssue[] } {
  try {
    return { value: step() }
  } catch (e) {
    if (e instanceof ImportFailedError) return { issues: e.issues }
    throw e
  }
}

/**
 * Reads the head of a file and finds its format.
 * @param chunks the file's bytes, in order (read once)
 * @param forced a format id (`--format`) or a format object (a column mapping); default: detected
 */
export function openFile(file: string, chunks: Iterable<Uint8Array>, forced?: string | FileFormat): OpenResult {
  const head: FileHead = { encoding: null, rawLines: [], delimiter: null, header: null, headerLine: null }
  const bytes = chunks[Symbol.iterator]()
  const first = bytes.next()
  const firstChunk = first.done ? new Uint8Array(0) : first.value
  const found = attempt(() => {
    head.encoding = detectEncoding(file, firstChunk.subarray(0, 512))
    const text = peekable(decodeChunks(file, head.encoding, rest(firstChunk, bytes, first.done === true)))
    const start = text.head.replace(/^\uFEFF/, '')
    if (start.trim() === '' && text.head.length >= HEAD_CHARS) refuseLeadingBlankLines(file, text.chunks)
    head.rawLines = headLines(start, 12).map((l) => l.slice(0, 400))
    const stated = typeof forced === 'string' ? formatById(file, forced) : forced
    if (stated?.type === 'csv' || (!stated && !/^[\s\uFEFF]*[[{]/.test(text.head))) {
      const layout = detectCsvLayout(file, text.head, CSV_FORMATS, stated?.type === 'csv' ? stated : undefined)
      head.delimiter = DELIMITER_NAMES[layout.delimiter]
      head.header = layout.header
      head.headerLine = layout.headerLine + 1
      return { file, ...head, format: layout.format, layout, text: text.chunks }
    }
    return { file, ...head, format: stated ?? null, layout: null, text: text.chunks }
  })
  if ('issues' in found) {
    guessHeader(head)
    return { ok: false, head, issues: found.issues }
  }
  return { ok: true, opened: found.value }
}

export interface ReadRowsOptions {
  options: FormatContext['options']
  /** The sink of the rows, made once the format is known (a JSON file's is found by its shape here). */
  sink: (format: FileFormat) => ImportSink
  /** Keep the first N data records' fields (previews). */
  sampleRows?: number
  onSample?: (line: number, fields: string[]) => void
}

/**
 * Reads every row of an opened file into the sink `o.sink` makes (issues go to its `issue`).
 * @returns the number of data records read, and the format (for JSON, found by its shape); or the issues that
 *   stopped the file before its rows (malformed JSON, an unknown shape, a JSON file over 256 MB)
 */
export function readRows(f: OpenedFile, o: ReadRowsOptions): { ok: true; rows: number; format: FileFormat } | { ok: false; issues: ImportIssue[] } {
  const { file } = f
  if (f.layout) {
    const layout = f.layout
    const ctx: FormatContext = { file, options: o.options, sink: o.sink(layout.format) }
    const keep = o.sampleRows ?? 0
    const sampled: CsvLayout = keep === 0 || !o.onSample ? layout : { ...layout, format: withSample(layout.format, keep, o.onSample) }
    const r = attempt(() => readCsv(sampled, f.text, ctx))
    return 'issues' in r ? { ok: false, issues: r.issues } : { ok: true, rows: r.value, format: layout.format }
  }
  const read = attempt(() => {
    const parts: string[] = []
    let size = 0
    for (const c of f.text) {
      size += c.length
      if (size > MAX_JSON_CHARS) throw new ImportFailedError([{ file, line: null, column: null, message: 'JSON file larger than 256 MB' }])
      parts.push(c)
    }
    const doc = readJsonDocument(file, parts.join(''))
    let format = f.format as JsonFormat | null
    if (!format) {
      const value = jsonValue(doc.root)
      format = JSON_FORMATS.find((x) => x.detect(value)) ?? null
      if (!format)
        throw new ImportFailedError([
          { file, line: 1, column: null, message: `JSON of an unknown shape; known JSON formats: ${JSON_FORMATS.map((x) => x.id).join(', ')} (see riskdesk formats)` },
        ])
    }
    return { rows: format.read(doc, { file, options: o.options, sink: o.sink(format) }), format }
  })
  return 'issues' in read ? { ok: false, issues: read.issues } : { ok: true, ...read.value }
}

/**
 * A head of nothing but blank lines, in a file that goes on: finds the first line with text and refuses the
 * file there (detection reads the head only, and "the file is empty" would be wrong).
 * @throws ImportFailedError always: the line of the first text, or "only blank lines"
 */
function refuseLeadingBlankLines(file: string, chunks: Iterable<string>): never {
  let lines = 0
  for (const chunk of chunks) {
    const at = chunk.search(/\S/)
    const blank = at < 0 ? chunk : chunk.slice(0, at)
    for (let i = blank.indexOf('\n'); i !== -1; i = blank.indexOf('\n', i + 1)) lines++
    if (at >= 0)
      throw new ImportFailedError([
        {
          file,
          line: lines + 1,
          column: null,
          message: `the file starts with ${lines.toLocaleString('en-US')} blank lines before its first text on line ${(lines + 1).toLocaleString('en-US')}: remove the blank lines above the header`,
        },
      ])
  }
  throw new ImportFailedError([{ file, line: null, column: null, message: `the file holds only blank lines (${lines.toLocaleString('en-US')}), no header or data` }])
}

/** The first chunk again, then the rest of the iterator. */
function* rest(first: Uint8Array, more: Iterator<Uint8Array>, done: boolean): Generator<Uint8Array> {
  if (done) return
  yield first
  for (let n = more.next(); !n.done; n = more.next()) yield n.value
}

/** Text chunks with the head (at least HEAD_CHARS, or all) available before reading on. */
function peekable(chunks: Iterable<string>): { head: string; chunks: Iterable<string> } {
  const it = chunks[Symbol.iterator]()
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

/**
 * For a file no format recognised: the header of an unknown CSV, for the mapping dialog — among the first
 * lines and the delimiters, the line whose field count (2 or more) the next line repeats, with the most
 * fields; else the first line split the widest way. A guess only: the dialog lets the user pick the line.
 */
function guessHeader(head: FileHead): void {
  if (head.header !== null) return
  const lines = head.rawLines.slice(0, 8)
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
    head.header = best.fields
    head.headerLine = best.line
    head.delimiter = DELIMITER_NAMES[best.d]
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

/**
 * Delimited text (CSV, semicolon- or tab-separated) read with Papa Parse, streaming and synchronous:
 * text arrives in chunks, a BoundaryScanner finds the line breaks outside quotes (a line break is a record
 * boundary exactly when an even number of quote characters precede it — RFC 4180 doubles quotes inside
 * quoted fields) looking at each character once, and Papa Parse parses the complete records. Every record
 * keeps the 1-based line it starts on, so every later error can name its line. Reading is linear in the
 * text's length; memory is bounded by the chunk size and MAX_RECORD_CHARS (a longer record is refused with
 * its line), whatever the file size.
 *
 * Papa Parse rather than csv-parse here: on a 1,000,000-row trade log it parses about three times faster
 * (measured in bench/importBench.ts), which the import throughput target needs.
 */
import Papa from 'papaparse'
import { ImportFailedError, type ImportIssue } from './importIssue'

export type Delimiter = ',' | ';' | '\t'
export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t']
export const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' }

/**
 * A field as formats compare it: surrounding spaces removed, and any U+FEFF removed (OKEx's 2020 export
 * writes a BOM before every field; Excel leaves one at the start of the file).
 */
export function cleanField(s: string): string {
  const c0 = s.charCodeAt(0)
  if (s.length === 0 || (c0 > 32 && c0 !== 0xfeff && s.charCodeAt(s.length - 1) > 32)) return s
  return s.replaceAll('\uFEFF', '').trim()
}

/** One physical line split into cleaned fields (quotes honoured). */
export function splitLine(line: string, delimiter: Delimiter): string[] {
  const parsed = Papa.parse<string[]>(line, { delimiter, newline: '\n', quoteChar: '"' })
  return (parsed.data[0] ?? []).map(cleanField)
}

/** The line break of a text: `\r\n`, `\n` or (classic Mac) `\r`. */
export function detectNewline(head: string): '\r\n' | '\n' | '\r' {
  const n = head.indexOf('\n')
  if (n > 0 && head[n - 1] === '\r') return '\r\n'
  if (n >= 0) return '\n'
  return head.includes('\r') ? '\r' : '\n'
}

/** The first `max` physical lines of a text head (line breaks removed). */
export function headLines(head: string, max = 30): string[] {
  return head.split(/\r\n|\n|\r/, max)
}

export interface CsvReadOptions {
  file: string
  delimiter: Delimiter
  newline: '\r\n' | '\n' | '\r'
  /** Physical lines before the first data record (preamble + header). */
  skipLines: number
  /** The header's cleaned fields: records must have as many; a record equal to it is reported. */
  header: readonly string[]
  /** Records of the wrong width, malformed quotes and repeated headers are reported here. */
  issue(i: ImportIssue): void
}

const CHUNK_TARGET = 48 * 1024

/**
 * The longest record (one line, or one record whose quoted field spans lines) read, in characters: 1 MiB
 * (1,048,576). No export writes lines anywhere near it (the widest real rows are a few hundred characters);
 * a longer one is a binary file, a file of another kind or a corrupted one, refused with its line number
 * before it can hold the reader up (issue "Reliability and security", item 1).
 */
export const MAX_RECORD_CHARS = 1024 * 1024

function countBreaks(text: string, from: number, to: number, lb: string): number {
  let n = 0
  for (let i = text.indexOf(lb, from); i !== -1 && i < to; i = text.indexOf(lb, i + 1)) n++
  return n
}

/**
 * Finds record boundaries (a line break outside quotes: RFC 4180 doubles quotes inside quoted fields, so a
 * line break is a boundary exactly when an even number of quote characters precede it) in text that arrives
 * in pieces, resuming where the previous piece stopped: every character is looked at once, so the scan is
 * linear in the text's length whatever the length of a line (the earlier reader rescanned its whole pending
 * buffer on every chunk: a 17 MB line took 15.5 s). It also measures each record and stops at the first one
 * longer than MAX_RECORD_CHARS.
 */
class BoundaryScanner {
  /** Characters of the text scanned so far (offsets below are into the text since the last `drop`). */
  private scanned = 0
  private inQuotes = false
  /** Start of the record being scanned, and the end of the last complete record (0: none). */
  private recordStart = 0
  lastBoundary = 0

  constructor(private readonly lb: string) {}

  /**
   * Scans `text` from where the last call stopped (`text` is the previous text, with more appended).
   * @returns the start offset of a record longer than MAX_RECORD_CHARS, or -1
   */
  scan(text: string): number {
    const lb = this.lb
    const from = this.scanned
    this.scanned = text.length
    if (!this.inQuotes && text.indexOf('"', from) === -1) {
      // No quote ahead: every line break is a boundary (trade logs: the common case, done with two native scans).
      const last = text.lastIndexOf(lb)
      if (last >= from) {
        const first = text.indexOf(lb, from)
        if (first - this.recordStart > MAX_RECORD_CHARS) return this.recordStart
        if (last - first > MAX_RECORD_CHARS)
          for (let a = first, b = text.indexOf(lb, a + 1); b !== -1 && b <= last; a = b, b = text.indexOf(lb, b + 1))
            if (b - a > MAX_RECORD_CHARS) return a + 1
        this.recordStart = this.lastBoundary = last + 1
      }
    } else {
      let q = text.indexOf('"', from)
      let n = text.indexOf(lb, from)
      while (n !== -1) {
        if (q !== -1 && q < n) {
          this.inQuotes = !this.inQuotes
          q = text.indexOf('"', q + 1)
          continue
        }
        if (!this.inQuotes) {
          if (n - this.recordStart > MAX_RECORD_CHARS) return this.recordStart
          this.recordStart = this.lastBoundary = n + 1
        }
        n = text.indexOf(lb, n + 1)
      }
      // Quotes after the last line break still change the state for the next piece.
      for (; q !== -1; q = text.indexOf('"', q + 1)) this.inQuotes = !this.inQuotes
    }
    return text.length - this.recordStart > MAX_RECORD_CHARS ? this.recordStart : -1
  }

  /** The first `n` characters were handed on: offsets now count from there. */
  drop(n: number): void {
    this.scanned -= n
    this.recordStart -= n
    this.lastBoundary = Math.max(0, this.lastBoundary - n)
  }
}

/**
 * Calls `onRecord(fields, line)` for every data record after `skipLines` physical lines. Fields are
 * cleaned (see cleanField). Blank lines are passed over. Records whose width differs from the header's, a
 * record that repeats the header, and malformed quoting are reported through `issue` (and not passed on).
 * @returns the number of data records seen (passed on or reported)
 */
export function forEachCsvRecord(
  chunks: Iterable<string>,
  o: CsvReadOptions,
  onRecord: (fields: string[], line: number) => void,
): number {
  const lb = o.newline === '\r' ? '\r' : '\n'
  const width = o.header.length
  const header = o.header
  const headerText = header.join('\u0001')
  /** The record repeats the header (two exports joined): compared field by field, first field first. */
  const isHeader = (fields: readonly string[]) => {
    if (fields[0] !== header[0]) return false
    for (let i = 1; i < width; i++) if (fields[i] !== header[i]) return false
    return true
  }
  let skip = o.skipLines
  let pending = ''
  let line = 1 // line of pending[0]
  let records = 0

  const parse = (text: string) => {
    let prevCursor = 0
    let rowLine = line
    Papa.parse<string[]>(text, {
      delimiter: o.delimiter,
      newline: o.newline,
      quoteChar: '"',
      step: (result) => {
        const cursor = result.meta.cursor
        const startLine = rowLine
        rowLine += countBreaks(text, prevCursor, cursor, lb)
        prevCursor = cursor
        const raw = result.data
        if (result.errors.length > 0) {
          const e = result.errors[0]!
          records++
          o.issue({
            file: o.file,
            line: startLine,
            column: null,
            message: `malformed CSV: ${e.message.toLowerCase()} (${e.code}); a quote opened in this record is never closed or is misplaced`,
          })
          return
        }
        if (raw.length === 1 && raw[0]!.trim() === '') return
        records++
        for (let i = 0; i < raw.length; i++) raw[i] = cleanField(raw[i]!)
        const fields = raw
        if (fields.length !== width) {
          if (fields.join('\u0001') === headerText) return
          o.issue({
            file: o.file,
            line: startLine,
            column: null,
            value: fields.join(o.delimiter).slice(0, 120),
            message:
              `expected ${width} fields separated by ${DELIMITER_NAMES[o.delimiter]}s (as in the header), found ${fields.length}` +
              (fields.length < width ? ' (a truncated line, or another delimiter?)' : ' (an unquoted delimiter inside a value, or another delimiter?)'),
          })
          return
        }
        if (isHeader(fields)) {
          o.issue({ file: o.file, line: startLine, column: null, message: 'the header appears again (two exports joined into one file?)' })
          return
        }
        onRecord(fields, startLine)
      },
    })
  }

  const scanner = new BoundaryScanner(lb)
  /** Where the search for the end of a skipped line resumes (the preamble and header are skipped first). */
  let skipScanned = 0
  /** Refuses the record starting at `offset` of `pending` (longer than MAX_RECORD_CHARS); reading stops. */
  const tooLong = (offset: number): false => {
    const at = line + countBreaks(pending, 0, offset, lb)
    // The complete records before it are read as usual (their issues come first, in line order).
    if (skip === 0 && offset > 0) parse(pending.slice(0, offset))
    records++
    o.issue({
      file: o.file,
      line: at,
      column: null,
      message:
        `a line longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (1 MiB, the limit for one line or one quoted field): ` +
        'not a CSV export, or a damaged one; nothing after it was read',
    })
    return false
  }

  /** Takes the next piece of text; false once a record was refused (the rest is not read). */
  const feed = (text: string, final: boolean): boolean => {
    if (text.length > 0) pending = pending.length === 0 ? text : pending + text
    while (skip > 0) {
      const i = pending.indexOf(lb, skipScanned)
      if (i < 0) {
        skipScanned = pending.length
        if (pending.length > MAX_RECORD_CHARS) return tooLong(0)
        if (final) pending = ''
        return true
      }
      if (i > MAX_RECORD_CHARS) return tooLong(0)
      pending = pending.slice(i + 1)
      skipScanned = 0
      line++
      skip--
    }
    const long = scanner.scan(pending)
    if (long >= 0) return tooLong(long)
    if (!final && pending.length < CHUNK_TARGET) return true
    const cut = final ? pending.length : scanner.lastBoundary
    if (cut <= 0) return true
    const complete = pending.slice(0, cut)
    pending = pending.slice(cut)
    scanner.drop(cut)
    parse(complete)
    line += countBreaks(complete, 0, complete.length, lb)
    return true
  }
  for (const chunk of chunks) if (!feed(chunk, false)) return records
  feed('', true)
  return records
}

/** Convenience for small texts: every record at once. @throws ImportFailedError for any reported issue. */
export function readAllRecords(text: string, o: Omit<CsvReadOptions, 'issue'>): Array<{ fields: string[]; line: number }> {
  const issues: ImportIssue[] = []
  const out: Array<{ fields: string[]; line: number }> = []
  forEachCsvRecord([text], { ...o, issue: (i) => issues.push(i) }, (fields, line) => out.push({ fields, line }))
  if (issues.length > 0) throw new ImportFailedError(issues)
  return out
}

/**
 * Delimited text (CSV, semicolon- or tab-separated) read with Papa Parse, streaming and synchronous:
 * text arrives in chunks, each chunk is cut at the last line break outside quotes (a line break is a record
 * boundary exactly when an even number of quote characters precede it — RFC 4180 doubles quotes inside
 * quoted fields), and Papa Parse parses the complete records. Every record keeps the 1-based line it starts
 * on, so every later error can name its line. Memory is bounded by the chunk size, whatever the file size.
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

/** Index just after the last line break outside quotes in `text`, or -1. */
function lastRecordBoundary(text: string, nl: string): number {
  const lb = nl === '\r' ? '\r' : '\n'
  if (text.indexOf('"') === -1) {
    const i = text.lastIndexOf(lb)
    return i < 0 ? -1 : i + 1
  }
  let inQuotes = false
  let cut = -1
  for (let i = 0; i < text.length; ) {
    const q = text.indexOf('"', i)
    const n = text.indexOf(lb, i)
    if (n === -1 && q === -1) break
    if (q !== -1 && (n === -1 || q < n)) {
      inQuotes = !inQuotes
      i = q + 1
    } else {
      if (!inQuotes) cut = n + 1
      i = n + 1
    }
  }
  return cut
}

function countBreaks(text: string, from: number, to: number, lb: string): number {
  let n = 0
  for (let i = text.indexOf(lb, from); i !== -1 && i < to; i = text.indexOf(lb, i + 1)) n++
  return n
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

  const feed = (text: string, final: boolean) => {
    pending += text
    while (skip > 0) {
      const i = pending.indexOf(lb)
      if (i < 0) {
        if (final) pending = ''
        return
      }
      pending = pending.slice(i + 1)
      line++
      skip--
    }
    if (!final && pending.length < CHUNK_TARGET) return
    const cut = final ? pending.length : lastRecordBoundary(pending, o.newline)
    if (cut <= 0) return
    const complete = pending.slice(0, cut)
    pending = pending.slice(cut)
    parse(complete)
    line += countBreaks(complete, 0, complete.length, lb)
  }
  for (const chunk of chunks) feed(chunk, false)
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

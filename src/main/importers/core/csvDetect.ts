/**
 * Finds a CSV file's format, header line, delimiter and preamble from the head of its text: each format
 * names the columns of its header versions; the header may sit after a short preamble the format allows
 * (OKX's `UID:…`, Bybit's `UID: …`, CryptoDataDownload's URL). Comma, semicolon and tab are tried on each
 * candidate line. The most specific match (most columns) wins, so a newer header version is never read as an
 * older one. When nothing matches, the closest format is named with the columns it misses.
 */
import { DELIMITERS, DELIMITER_NAMES, detectNewline, headLines, splitLine, type Delimiter } from './delimited'
import type { CsvFormat } from './formatTypes'
import { ImportFailedError } from './importIssue'

export interface CsvLayout {
  format: CsvFormat
  version: string
  delimiter: Delimiter
  newline: '\r\n' | '\n' | '\r'
  /** 0-based physical line of the header. */
  headerLine: number
  header: string[]
  preamble: string[]
}

interface Candidate {
  format: CsvFormat
  version: string
  columns: readonly string[]
  delimiter: Delimiter
  headerLine: number
  header: string[]
}

const MAX_HEADER_LINE = 10

/**
 * The head detection reads, in characters (the importers read 64 KiB before detection): a header line must
 * end within it. A longer one would be seen cut — its columns partly read, the last one a fragment — so it
 * is refused with its line number instead of being matched (or reported) from a fragment.
 */
export const MAX_HEADER_CHARS = 64 * 1024

/** The 0-based index of the line of `head` that the head's end cuts (no line break after it), or -1. */
function cutLine(head: string): number {
  if (head.length < MAX_HEADER_CHARS || /[\r\n]$/.test(head)) return -1
  const lines = headLines(head, MAX_HEADER_LINE + 2)
  return lines.length <= MAX_HEADER_LINE + 1 ? lines.length - 1 : -1
}

function preambleOk(format: CsvFormat, lines: string[], headerLine: number): boolean {
  const before = lines.slice(0, headerLine).filter((l) => l.trim() !== '')
  if (before.length === 0) return true
  const p = format.preamble
  return !!p && before.length <= p.maxLines && before.every((l) => p.pattern.test(l.replace(/^\uFEFF/, '')))
}

/** Splits the first lines of `head` with every delimiter (cached: the same line is tried by every format). */
function splitter(lines: string[]): (i: number, d: Delimiter) => string[] {
  const cache = new Map<string, string[]>()
  return (i, d) => {
    const k = `${i}${d}`
    let v = cache.get(k)
    if (!v) cache.set(k, (v = splitLine(lines[i]!, d)))
    return v
  }
}

/**
 * @param forced a format id the user chose (`--format`): only that format is tried, so its own error says
 *   what is missing.
 * @throws ImportFailedError: empty file; duplicated column names; no format's header found (naming the closest
 *   format and its missing columns, or the first line as found).
 */
export function detectCsvLayout(file: string, head: string, formats: readonly CsvFormat[], forced?: CsvFormat): CsvLayout {
  if (head.trim() === '') throw new ImportFailedError([{ file, line: null, column: null, message: 'the file is empty' }])
  const lines = headLines(head, MAX_HEADER_LINE + 1)
  const cut = cutLine(head)
  const split = splitter(lines)
  const tried = forced ? [forced] : formats
  let best: Candidate | null = null
  let closest: { format: CsvFormat; version: string; missing: string[]; have: number; line: number } | null = null
  for (const format of tried) {
    for (const version of format.versions) {
      for (let i = 0; i < lines.length && i <= MAX_HEADER_LINE; i++) {
        if (lines[i]!.trim() === '' || i === cut) continue
        for (const d of format.delimiter ? [format.delimiter] : DELIMITERS) {
          const fields = split(i, d)
          if (fields.length < 2 && version.columns.length > 1) continue
          const have = version.columns.filter((c) => fields.includes(c)).length
          if (have === version.columns.length) {
            if (preambleOk(format, lines, i) && (!best || version.columns.length > best.columns.length))
              best = { format, version: version.name, columns: version.columns, delimiter: d, headerLine: i, header: fields }
          } else if (have >= Math.max(2, Math.ceil(version.columns.length * 0.6)) && (!closest || have / version.columns.length > closest.have)) {
            closest = { format, version: version.name, missing: version.columns.filter((c) => !fields.includes(c)), have: have / version.columns.length, line: i + 1 }
          }
        }
      }
    }
  }
  // No header among the whole lines, none nearly one, and a line cut by the head's end: that line is too long.
  if (!best && !closest && cut >= 0)
    throw new ImportFailedError([
      {
        file,
        line: cut + 1,
        column: null,
        value: lines[cut]!.slice(0, 80),
        message: `no header found, and this line is longer than ${MAX_HEADER_CHARS.toLocaleString('en-US')} characters (64 KiB, the limit for a header line), so its columns cannot all be read: not a CSV export, or a damaged one`,
      },
    ])
  if (!best) {
    if (closest)
      throw new ImportFailedError([
        {
          file,
          line: closest.line,
          column: closest.missing.join(', '),
          message: `missing required column${closest.missing.length > 1 ? 's' : ''}: the header looks like ${closest.format.id} (${closest.format.description}) but lacks ${closest.missing.join(', ')}`,
        },
      ])
    const first = lines.find((l) => l.trim() !== '') ?? ''
    throw new ImportFailedError([
      {
        file,
        line: lines.indexOf(first) + 1,
        column: null,
        value: first.slice(0, 160),
        message: forced
          ? `not a ${forced.id} file: its header (${forced.versions.map((v) => v.columns.join(',')).join(' | or | ')}) was not found in the first ${MAX_HEADER_LINE} lines`
          : `unrecognised header (delimiters tried: ${DELIMITERS.map((d) => DELIMITER_NAMES[d]).join(', ')}); see riskdesk formats for the formats read, or import with a column mapping (--map)`,
      },
    ])
  }
  const seen = new Map<string, number>()
  best.header.forEach((name, i) => {
    const first = seen.get(name)
    if (first !== undefined && name !== '')
      throw new ImportFailedError([
        { file, line: best!.headerLine + 1, column: `${name} (${first + 1} and ${i + 1})`, message: 'duplicated header: this column name appears twice' },
      ])
    seen.set(name, i)
  })
  return {
    format: best.format,
    version: best.version,
    delimiter: best.delimiter,
    newline: detectNewline(head),
    headerLine: best.headerLine,
    header: best.header,
    preamble: lines.slice(0, best.headerLine).map((l) => l.replace(/^\uFEFF/, '').trim()),
  }
}

/**
 * Runs a CSV format over a file's text: builds the format's context from the detected layout, checks the
 * columns outside the matched header version, streams every record into the format's row handler, and
 * reports a file without data rows.
 */
import { columnLabel } from './csvTable'
import type { CsvLayout } from './csvDetect'
import { forEachCsvRecord } from './delimited'
import type { CsvFormatContext, FormatContext } from './formatTypes'

/** @returns the number of data records read. Issues go to `base.sink.issue`. */
export function readCsv(layout: CsvLayout, textChunks: Iterable<string>, base: FormatContext): number {
  const { format, header } = layout
  const index = new Map<string, number>()
  header.forEach((h, i) => index.set(h, i))
  const ctx: CsvFormatContext = {
    ...base,
    header,
    version: layout.version,
    preamble: layout.preamble,
    col: (name) => index.get(name) ?? -1,
    label: (name) => columnLabel(header, name),
  }
  const version = format.versions.find((v) => v.name === layout.version)!
  const known = new Set([...version.columns, ...(version.optional ?? [])])
  const others = header.filter((h) => h !== '' && !known.has(h))
  if (others.length > 0) {
    if (format.otherColumns === 'refuse')
      for (const name of others)
        base.sink.issue({
          file: base.file,
          line: layout.headerLine + 1,
          column: columnLabel(header, name),
          message: `unknown column; allowed: ${[...known].join(', ')} (a misspelt column must not be dropped silently)`,
        })
    else base.sink.note(`columns not read (not needed for ${format.id}): ${others.join(', ')}`)
  }
  const handler = format.open(ctx)
  const rows = forEachCsvRecord(
    textChunks,
    { file: base.file, delimiter: layout.delimiter, newline: layout.newline, skipLines: layout.headerLine + 1, header, issue: base.sink.issue },
    (fields, line) => handler.row(fields, line),
  )
  if (rows === 0) base.sink.issue({ file: base.file, line: null, column: null, message: 'no data rows after the header' })
  handler.end()
  return rows
}

/**
 * Reads a CSV text into a header and records that keep their line numbers (csv-parse with `info`), so every
 * later error can name its line and column.
 */
import { CsvError, parse } from 'csv-parse/sync'
import type { z } from 'zod'
import { ImportFailedError, type ImportIssue } from './importIssue'

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number
  /** Field values by header name, trimmed. */
  values: Record<string, string>
}

export interface CsvTable {
  header: string[]
  records: CsvRecord[]
}

/**
 * Parses `text` (UTF-8, BOM allowed). The first non-empty line is the header.
 * @throws ImportFailedError for malformed CSV (unclosed quote, wrong field count…), an empty file or a
 *   duplicated header name, with the line csv-parse reports.
 */
export function readCsvTable(file: string, text: string): CsvTable {
  let rows: Array<{ record: string[]; info: { lines: number } }>
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof rows
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? null
      throw new ImportFailedError([{ file, line, column: null, message: `malformed CSV: ${e.message}` }])
    }
    throw e
  }
  if (rows.length === 0) throw new ImportFailedError([{ file, line: null, column: null, message: 'the file is empty' }])
  const header = rows[0]!.record
  const seen = new Set<string>()
  for (const name of header) {
    if (seen.has(name))
      throw new ImportFailedError([{ file, line: 1, column: name, message: 'column name appears twice in the header' }])
    seen.add(name)
  }
  const records = rows.slice(1).map(({ record, info }) => {
    const values: Record<string, string> = {}
    header.forEach((name, i) => (values[name] = record[i] ?? ''))
    // info.lines is the line the record ends on; quoted fields may hold newlines of their own.
    const span = record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0)
    return { line: info.lines - span, values }
  })
  return { header, records }
}

/** 1-based column label for messages: `quantity (4)`. */
export function columnLabel(header: readonly string[], name: string): string {
  const i = header.indexOf(name)
  return i >= 0 ? `${name} (${i + 1})` : name
}

/**
 * Validates one record with a zod schema over its named fields. On failure pushes one issue per bad field
 * (line, column label, value found, the schema's message) and returns null.
 */
export function validateRecord<T>(
  schema: z.ZodType<T>,
  file: string,
  header: readonly string[],
  record: CsvRecord,
  issues: ImportIssue[],
): T | null {
  const parsed = schema.safeParse(record.values)
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? '')
    issues.push({ file, line: record.line, column: columnLabel(header, name), value: record.values[name], message: issue.message })
  }
  return null
}

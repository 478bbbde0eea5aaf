/**
 * Record-level validation for small CSV formats (generic positions, option chains): a record as
 * `{column: value}` checked with a zod schema, each failure reported with its line and column.
 */
import type { z } from 'zod'
import type { ImportIssue } from './importIssue'

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number
  /** Field values by header name, cleaned. */
  values: Record<string, string>
}

/** A record from the header and one row of fields. */
export function recordOf(header: readonly string[], fields: readonly string[], line: number): CsvRecord {
  const values: Record<string, string> = {}
  header.forEach((name, i) => (values[name] = fields[i] ?? ''))
  return { line, values }
}

/** 1-based column label for messages: `quantity (4)`. */
export function columnLabel(header: readonly string[], name: string): string {
  const i = header.indexOf(name)
  return i >= 0 ? `${name} (${i + 1})` : name
}

/**
 * Validates one record with a zod schema over its named fields. On failure reports one issue per bad field
 * (line, column label, value found, the schema's message) and returns null.
 */
export function validateRecord<T>(
  schema: z.ZodType<T>,
  file: string,
  header: readonly string[],
  record: CsvRecord,
  issue: (i: ImportIssue) => void,
): T | null {
  const parsed = schema.safeParse(record.values)
  if (parsed.success) return parsed.data
  for (const i of parsed.error.issues) {
    const name = String(i.path[0] ?? '')
    issue({ file, line: record.line, column: columnLabel(header, name), value: record.values[name], message: i.message })
  }
  return null
}

/**
 * What an importer reports when a file is wrong: file, line, column, the value found and what was expected
 * (DESIGN.md §2; rotki's per-row messages grouped by message).
 */
import { shorten } from '../../../shared/ranges'

export interface ImportIssue {
  /** File name as given by the user. */
  file: string
  /** 1-based line in the file (JSON: the line of the offending element); null when the whole file is wrong. */
  line: number | null
  /** Column name (CSV header or JSON key) and 1-based position where known. */
  column: string | null
  /** The offending value as found in the file, when there is one. */
  value?: string
  /** What is wrong and what was expected. */
  message: string
}

/** One line per issue: `file:line [column] message (found "value")`, the value cut at 80 characters. */
export function formatIssue(i: ImportIssue): string {
  const where = [i.file, i.line !== null ? `line ${i.line}` : null, i.column !== null ? `column ${i.column}` : null]
    .filter((x) => x !== null)
    .join(', ')
  const found = i.value !== undefined ? ` (found "${shorten(i.value, 80)}")` : ''
  return `${where}: ${i.message}${found}`
}

/** Thrown when a file cannot be imported; nothing has been written. Holds every issue found. */
export class ImportFailedError extends Error {
  constructor(readonly issues: ImportIssue[]) {
    const shown = issues.slice(0, 20).map(formatIssue)
    const more = issues.length > 20 ? [`… and ${issues.length - 20} more`] : []
    super(['Import failed, nothing was written:', ...shown, ...more].join('\n'))
    this.name = 'ImportFailedError'
  }
}

/** A row left out on purpose (not an error), reported with the import. */
export interface SkippedRow {
  line: number
  reason: string
}

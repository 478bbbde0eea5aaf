/**
 * `--csv` output of the CLI's tables: csv-stringify (the csv project, csv-parse's sibling) writes the records;
 * every cell goes through shared/csvCell.ts (plain decimals, formula injection neutralised), the header row
 * carries the units.
 */
import { stringify } from 'csv-stringify/sync'
import { csvCell } from '../../../shared/csvCell'

export interface CsvColumn<T> {
  /** Header with its unit, e.g. `vega USD/pt`. */
  header: string
  value: (row: T) => unknown
}

/** The rows as CSV text (RFC 4180: comma, CRLF-free `\n` line ends, quotes where needed), header first. */
export function toCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): string {
  return stringify([columns.map((c) => csvCell(c.header)), ...rows.map((r) => columns.map((c) => csvCell(c.value(r))))])
}

/** Writes CSV to stdout. */
export function printCsv<T>(columns: ReadonlyArray<CsvColumn<T>>, rows: readonly T[]): void {
  process.stdout.write(toCsv(columns, rows))
}

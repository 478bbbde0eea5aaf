/**
 * The report of one file (CLI JSON, API), from a pipeline result: counts, positions with canonical
 * symbols, skipped rows and errors grouped by message, notes. Shapes: src/shared/importApi.ts `importReport`.
 */
import type { ImportReport } from '../../shared/importApi'
import { groupSkipped } from '../db/importStore'
import type { PipelineResult } from './importPipeline'
import { groupIssues } from './importService'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** The report of a pipeline result (src/shared/importApi.ts `importReport`): counts, positions with canonical symbols, errors and skipped rows grouped. */
export function toImportReport(r: PipelineResult): ImportReport {
  return {
    fileName: r.fileName,
    status: r.status,
    ok: r.ok,
    format: r.format,
    formatDescription: r.formatDescription,
    content: r.content,
    importId: r.status === 'imported' ? (r.record?.id ?? null) : r.status === 'duplicate' ? r.duplicateOf : null,
    encoding: r.encoding,
    delimiter: r.delimiter,
    header: r.header,
    headerLine: r.headerLine,
    rawLines: r.rawLines,
    sample: r.sample,
    rows: r.rowsRead,
    positions: r.positions.map((p) => ({
      venue: p.venue,
      account: p.account,
      instrument: p.instrument.name,
      symbol: p.instrument.symbol,
      kind: p.instrument.kind,
      settlement: p.instrument.settlement,
      quantity: p.quantity,
      quantityUnit: p.instrument.quantityUnit,
      entryPrice: p.entryPrice,
      priceCurrency: p.instrument.priceCurrency,
      realizedPnl: p.realizedPnl ?? null,
      pnlCurrency: p.pnlCurrency ?? null,
      line: p.line,
    })),
    quotes: r.quotes,
    fills: r.fills,
    ledgerEntries: r.ledgerEntries,
    balances: r.balances.map((b) => ({ venue: b.venue, account: b.account, currency: b.currency, amount: b.amount, asOf: iso(b.ts) })),
    closes: r.closes,
    ...(r.tierTables !== undefined ? { tierTables: r.tierTables } : {}),
    skipped: groupSkipped(r.skipped),
    skippedCount: r.skippedCount,
    duplicateRows: r.duplicateRows,
    duplicateOf: r.duplicateOf,
    notes: r.notes,
    errors: r.issues,
    errorGroups: groupIssues(r.issues),
    errorCount: r.issueCount,
    asOf: iso(r.asOf),
  }
}

/** The report of a file refused before it was read (e.g. an unknown column mapping). */
export function failedReport(fileName: string, message: string): ImportReport {
  return {
    fileName, status: 'failed', ok: false, format: null, formatDescription: null, content: null, importId: null, encoding: null, delimiter: null,
    header: null, headerLine: null, rawLines: [], sample: [], rows: 0, positions: [], quotes: 0, fills: 0, ledgerEntries: 0, balances: [], closes: 0, skipped: [], skippedCount: 0,
    duplicateRows: 0, duplicateOf: null, notes: [], errors: [{ file: fileName, line: null, column: null, message }],
    errorGroups: [{ message, column: null, count: 1, lines: [], values: [] }], errorCount: 1, asOf: null,
  }
}

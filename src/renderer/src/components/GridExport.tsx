/**
 * "Export CSV" and "Copy CSV" for a grid, through ag-grid Community's own CSV export (`exportDataAsCsv`,
 * `getDataAsCsv`): no home-made CSV writer. Every cell goes through shared/csvCell.ts (the CLI's `--csv` does the
 * same): the raw value, not the on-screen formatting, as a plain decimal; text that a spreadsheet would run as a
 * formula neutralised; times are the API's ISO-8601 UTC strings. Headers carry the units (a grid may give
 * export headers of its own, e.g. the stress grid's `P&L USD at vol +10 pts`).
 */
import type { CsvExportParams, ProcessCellForExportParams, ProcessHeaderForExportParams } from 'ag-grid-community'
import type { AgGridReact } from 'ag-grid-react'
import { useState, type RefObject } from 'react'
import { csvCell } from '../../../shared/csvCell'

export interface GridExportProps<T> {
  grid: RefObject<AgGridReact<T> | null>
  /** File name of the download, e.g. `positions.csv`. */
  fileName: string
  /** Export header of a column (default: its header name). */
  header?: (colId: string, headerName: string) => string
  /** Export value of a cell (default: the raw value). */
  value?: (p: ProcessCellForExportParams<T>) => unknown
  testId: string
}

/** ag-grid CSV export parameters with Riskdesk's cell and header rules. */
export function csvExportParams<T>(fileName: string, header?: GridExportProps<T>['header'], value?: GridExportProps<T>['value']): CsvExportParams {
  return {
    fileName,
    // All columns: hidden export-only ones (units) too.
    allColumns: true,
    processHeaderCallback: (p: ProcessHeaderForExportParams) => {
      const name = p.column.getColDef().headerName ?? p.column.getColId()
      return csvCell(header ? header(p.column.getColId(), name) : name)
    },
    processCellCallback: (p: ProcessCellForExportParams) => csvCell(value ? value(p as ProcessCellForExportParams<T>) : p.value),
  }
}

export function GridExport<T>({ grid, fileName, header, value, testId }: GridExportProps<T>) {
  const [copied, setCopied] = useState<string | null>(null)
  const params = () => csvExportParams(fileName, header, value)
  return (
    <span className="grid-export" data-testid={testId}>
      <button type="button" className="link" onClick={() => grid.current?.api.exportDataAsCsv(params())} data-testid={`${testId}-csv`}>
        Export CSV
      </button>
      <button
        type="button"
        className="link"
        onClick={() => {
          const csv = grid.current?.api.getDataAsCsv(params())
          if (csv === undefined) return
          navigator.clipboard.writeText(csv).then(
            () => setCopied('copied'),
            (e: unknown) => setCopied(`copy failed: ${(e as Error).message}`),
          )
        }}
        data-testid={`${testId}-copy`}
      >
        Copy CSV
      </button>
      {copied && <span className="muted">{copied}</span>}
    </span>
  )
}

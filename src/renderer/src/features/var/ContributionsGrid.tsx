/** Euler contributions to VaR and ES (they add up to the totals), sortable, exportable as CSV. */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import { fmt } from '../../../../shared/format'
import type { VarResult } from '../../../../shared/varApi'
import { gridTheme } from '../../components/grid'

type Row = VarResult['contributions'][number]

export function ContributionsGrid({ result }: { result: VarResult }) {
  const grid = useRef<AgGridReact<Row>>(null)
  const columns = useMemo<ColDef<Row>[]>(
    () => [
      { field: 'key', headerName: result.by[0]!.toUpperCase() + result.by.slice(1), flex: 2, minWidth: 240 },
      { field: 'var', headerName: 'VaR contribution USD', width: 170, type: 'rightAligned', sort: 'desc', valueFormatter: (p) => fmt(p.value as number) },
      { field: 'es', headerName: 'ES contribution USD', width: 165, type: 'rightAligned', valueFormatter: (p) => fmt(p.value as number) },
      { field: 'share', headerName: 'Share of VaR', width: 120, type: 'rightAligned', valueFormatter: (p) => `${fmt((p.value as number) * 100, 1)}%` },
    ],
    [result.by],
  )
  return (
    <div>
      <button type="button" className="link" onClick={() => grid.current?.api.exportDataAsCsv({ fileName: `var-contributions-${result.by}.csv` })} data-testid="var-export">
        Export CSV
      </button>
      <div className="grid" data-testid="var-contributions">
        <AgGridReact<Row> ref={grid} theme={gridTheme} rowData={result.contributions} columnDefs={columns} domLayout="autoHeight" />
      </div>
    </div>
  )
}

/** Per-position P&L of one scenario: full revaluation, Taylor estimate, close-out cost. */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import type { DrillDownResult } from '../../../../shared/stressApi'
import { fmt } from '../../../../shared/format'
import { gridTheme } from '../../components/grid'

type Row = DrillDownResult['positions'][number]
const usd = (p: { value: number }) => fmt(p.value)

const columns: ColDef<Row>[] = [
  { field: 'account', headerName: 'Account', width: 120 },
  { field: 'instrument', headerName: 'Instrument', flex: 1, minWidth: 180 },
  { field: 'pnlUsd', headerName: 'P&L USD', width: 120, type: 'rightAligned', valueFormatter: usd, sort: 'asc' },
  { field: 'taylorUsd', headerName: 'Taylor USD', width: 120, type: 'rightAligned', valueFormatter: usd },
  {
    headerName: 'Taylor error USD',
    width: 140,
    type: 'rightAligned',
    valueGetter: (p) => (p.data ? p.data.pnlUsd + p.data.liquidityUsd - p.data.taylorUsd : null),
    valueFormatter: usd,
  },
  { field: 'liquidityUsd', headerName: 'Close-out USD', width: 125, type: 'rightAligned', valueFormatter: usd },
]

export function DrillDown({ detail }: { detail: DrillDownResult }) {
  return (
    <div data-testid="drill-down">
      <h3>Per position: {detail.scenario}</h3>
      <div className="grid">
        <AgGridReact<Row> theme={gridTheme} rowData={detail.positions} columnDefs={columns} domLayout="autoHeight" />
      </div>
    </div>
  )
}

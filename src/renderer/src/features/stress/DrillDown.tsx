/** Per-position P&L of one scenario: full revaluation, Taylor estimate, close-out cost. */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import type { DrillDownResult } from '../../../../shared/stressApi'
import { fmt } from '../../../../shared/format'
import { useRef } from 'react'
import { gridTheme } from '../../components/grid'
import { GridExport } from '../../components/GridExport'

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
  const grid = useRef<AgGridReact<Row>>(null)
  return (
    <div data-testid="drill-down">
      <h3>Per position: {detail.scenario}</h3>
      <GridExport grid={grid} fileName="stress-scenario-positions.csv" testId="drill-down-export" />
      <div className="grid">
        <AgGridReact<Row> ref={grid} theme={gridTheme} rowData={detail.positions} columnDefs={columns} domLayout="autoHeight" />
      </div>
    </div>
  )
}

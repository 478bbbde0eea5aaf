/** The stress grid as a heatmap-coloured ag-grid: rows = spot shocks, columns = vol shocks, P&L in USD. */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo } from 'react'
import type { StressResult } from '../../../../shared/api'
import { fmt, pct, volPts } from '../../components/format'
import { gridTheme } from '../../components/grid'
import { pnlColor } from '../../components/pnlColor'

type Row = { spot: number } & Record<string, number>

export function StressGrid({ result }: { result: StressResult }) {
  const { rows, columns } = useMemo(() => {
    const maxAbs = Math.max(...result.pnlUsd.flat().map(Math.abs))
    const worst = result.worst
    const columns: ColDef<Row>[] = [
      { field: 'spot', headerName: 'Spot \\ Vol', width: 90, pinned: 'left', valueFormatter: (p) => pct(p.value as number) },
      ...result.volShocks.map<ColDef<Row>>((v, j) => ({
        field: `v${j}`,
        headerName: volPts(v),
        flex: 1,
        minWidth: 70,
        type: 'rightAligned',
        valueFormatter: (p) => fmt(p.value as number),
        cellStyle: (p) => ({
          backgroundColor: pnlColor(p.value as number, maxAbs),
          fontWeight: worst && p.data?.spot === worst.spotShock && v === worst.volShock ? 700 : 400,
        }),
      })),
    ]
    const rows = result.pnlUsd.map((r, i) => ({
      spot: result.spotShocks[i]!,
      ...Object.fromEntries(r.map((x, j) => [`v${j}`, x])),
    })) as Row[]
    return { rows, columns }
  }, [result])
  return (
    <div className="grid stress-grid" data-testid="stress-grid">
      <AgGridReact<Row> theme={gridTheme} rowData={rows} columnDefs={columns} domLayout="autoHeight" suppressMovableColumns />
    </div>
  )
}

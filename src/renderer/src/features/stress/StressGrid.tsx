/**
 * A spot × vol matrix as a heatmap-coloured ag-grid: rows = spot shocks, columns = vol shocks, values in USD.
 * Clicking a cell reports its scenario index (row × columns + column) for the drill-down.
 *
 * Readable at any step: row and column labels carry the decimals the step needs (shared/format.ts
 * `decimalsFor`: "-49.5%" beside "-50.0%"), and every column is at least as wide as its longest figure, so
 * no number is cut; a grid wider than the box scrolls sideways.
 */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import { decimalsFor, fmt, pct, volPts } from '../../../../shared/format'
import { STRESS_GRID_SPOT_HEADER, stressGridVolHeader } from '../../../../shared/csvCell'
import { columnWidthFor, gridTheme } from '../../components/grid'
import { GridExport } from '../../components/GridExport'
import { pnlColor } from '../../components/pnlColor'

type Row = { spot: number; label: string; row: number } & Record<string, number | string>

export interface MatrixProps {
  spotShocks: number[]
  volShocks: number[]
  /** values[row][column], USD. */
  values: number[][]
  /** Scenario index to highlight (the worst, or the selected one). */
  highlight?: number | null
  onCellClick?: (scenario: number) => void
  /** CSV file name of the export (default stress-grid.csv). */
  exportName?: string
}


export function StressGrid(props: MatrixProps & { spotDigits?: number; volDigits?: number }) {
  const { spotShocks, volShocks, values, highlight = null, onCellClick, exportName = 'stress-grid.csv' } = props
  const grid = useRef<AgGridReact<Row>>(null)
  const { rows, columns } = useMemo(() => {
    const spotDigits = props.spotDigits ?? decimalsFor(spotShocks.map((s) => s * 100), 2)
    const volDigits = props.volDigits ?? decimalsFor(volShocks, 2)
    const maxAbs = Math.max(...values.flat().map(Math.abs))
    const rowLabels = spotShocks.map((s) => pct(s, spotDigits))
    const columns: ColDef<Row>[] = [
      {
        // The label is row data read by the formatter: ag-grid re-renders rows on new data, while a changed
        // formatter alone would leave the rows it drew before with the old decimals. The value stays the
        // relative shock, which the CSV export writes.
        field: 'spot',
        valueFormatter: (p) => p.data?.label ?? '',
        headerName: 'Spot \\ Vol',
        width: columnWidthFor(rowLabels, 'Spot \\ Vol'),
        pinned: 'left',
      },
      ...volShocks.map<ColDef<Row>>((v, j) => {
        const header = volPts(v, volDigits)
        return {
          field: `v${j}`,
          headerName: header,
          flex: 1,
          minWidth: columnWidthFor(values.map((r) => fmt(r[j])), header),
          type: 'rightAligned',
          valueFormatter: (p) => fmt(p.value as number),
          cellStyle: (p) => ({
            backgroundColor: pnlColor(p.value as number, maxAbs),
            fontWeight: highlight !== null && p.data && p.data.row * volShocks.length + j === highlight ? 700 : 400,
            cursor: onCellClick ? 'pointer' : 'default',
          }),
          onCellClicked: onCellClick ? (p) => p.data && onCellClick(p.data.row * volShocks.length + j) : undefined,
        }
      }),
    ]
    const rows = values.map((r, i) => ({ spot: spotShocks[i]!, label: rowLabels[i]!, row: i, ...Object.fromEntries(r.map((x, j) => [`v${j}`, x])) })) as Row[]
    return { rows, columns }
  }, [spotShocks, volShocks, values, highlight, onCellClick, props.spotDigits, props.volDigits])
  // Up to 40 rows the grid shows whole; beyond, it scrolls inside a screen-high box.
  const tall = values.length > 40
  return (
    <div className="grid stress-grid" data-testid="stress-grid" style={tall ? { height: 900 } : undefined}>
      {/* Export as the CLI's stress --csv: spot shock relative, one column per vol shock, P&L in USD. */}
      <GridExport
        grid={grid}
        fileName={exportName}
        header={(id) => (id === 'spot' ? STRESS_GRID_SPOT_HEADER : stressGridVolHeader(volShocks[Number(id.slice(1))]!))}
        testId="stress-grid-export"
      />
      <AgGridReact<Row> ref={grid} theme={gridTheme} rowData={rows} columnDefs={columns} domLayout={tall ? 'normal' : 'autoHeight'} suppressMovableColumns />
    </div>
  )
}

/** The scenarios of a set with full-revaluation P&L, the Taylor estimate and its error, close-out costs. */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import type { StressResult } from '../../../../shared/stressApi'
import { fmt, pct } from '../../../../shared/format'
import { gridTheme } from '../../components/grid'
import { GridExport } from '../../components/GridExport'
import { pnlColor } from '../../components/pnlColor'

type Row = StressResult['scenarios'][number] & { index: number; taylorError: number; weighted: number }

export function ScenarioTable({ result, onSelect }: { result: StressResult; onSelect: (scenario: number) => void }) {
  const grid = useRef<AgGridReact<Row>>(null)
  const { rows, columns } = useMemo(() => {
    const underlyings = Object.keys(result.scenarios[0]?.spotShocks ?? {})
    const maxAbs = Math.max(...result.scenarios.map((s) => Math.abs(s.pnlUsd)))
    const usd = (digits = 0) => (p: { value: number }) => fmt(p.value, digits)
    const columns: ColDef<Row>[] = [
      { field: 'name', headerName: 'Scenario', flex: 2, minWidth: 220, tooltipField: 'source' },
      ...underlyings.map<ColDef<Row>>((u) => ({
        headerName: `${u} move`,
        colId: `move:${u}`,
        width: 95,
        type: 'rightAligned',
        valueGetter: (p) => p.data?.spotShocks[u],
        valueFormatter: (p) => pct(p.value as number),
      })),
      {
        field: 'pnlUsd',
        headerName: 'P&L USD',
        width: 120,
        type: 'rightAligned',
        valueFormatter: usd(),
        cellStyle: (p) => ({ backgroundColor: pnlColor(p.value as number, maxAbs), fontWeight: p.data?.index === result.worst?.index ? 700 : 400 }),
      },
      { field: 'taylorUsd', headerName: 'Taylor USD', width: 120, type: 'rightAligned', valueFormatter: usd() },
      { field: 'taylorError', headerName: 'Taylor error USD', width: 140, type: 'rightAligned', valueFormatter: usd() },
      ...(result.liquidity ? [{ field: 'liquidityUsd', headerName: 'Close-out USD', width: 125, type: 'rightAligned', valueFormatter: usd() } as ColDef<Row>] : []),
      { field: 'weight', headerName: 'Weight', width: 85, type: 'rightAligned', valueFormatter: (p) => fmt(p.value as number, 2) },
      { field: 'weighted', headerName: 'Weighted USD', width: 125, type: 'rightAligned', valueFormatter: usd() },
    ]
    const rows = result.scenarios.map((s, index) => ({
      ...s,
      index,
      // Taylor explains the P&L before close-out costs.
      taylorError: s.pnlUsd + s.liquidityUsd - s.taylorUsd,
      weighted: s.pnlUsd * s.weight,
    }))
    return { rows, columns }
  }, [result])
  return (
    <div className="grid" data-testid="scenario-table">
      <GridExport grid={grid} fileName={`stress-${result.set.name}.csv`} header={(id, name) => (id.startsWith('move:') ? `${name} (relative)` : name)} testId="scenario-export" />
      <AgGridReact<Row>
        ref={grid}
        theme={gridTheme}
        rowData={rows}
        columnDefs={columns}
        domLayout="autoHeight"
        onRowClicked={(e) => e.data && onSelect(e.data.index)}
        rowStyle={{ cursor: 'pointer' }}
      />
    </div>
  )
}

/**
 * Margin under a stress set: rows = scenarios (first the current market), columns = margin accounts; each
 * cell is the account's margin ratio after the shock, coloured from green to red (liquidated at 100 %),
 * with the shortfall beyond equity where the account ends bankrupt.
 */
import type { ColDef } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import type { MarginStressCell, MarginStressResult } from '../../../../shared/marginApi'
import { fmt, pct } from '../../../../shared/format'
import { columnWidthFor, gridTheme } from '../../components/grid'
import { GridExport } from '../../components/GridExport'
import { ratioColor, ratioText, ratioTextColor } from './ratioColor'

type Row = { name: string; volShock: string; days: number; notValued: string | null; spot: Record<string, number> } & Record<string, unknown>

function cellText(c: MarginStressCell | null, ccy: string): string {
  if (!c) return '—'
  const shortfall = Number(c.shortfall) > 0 ? ` · short ${fmt(Number(c.shortfall), /^USD/.test(ccy) ? 0 : 3)} ${ccy}` : ''
  return `${ratioText(c.marginRatio, c.liquidated)}${c.liquidated ? ' LIQ' : ''}${shortfall}`
}

export function MarginStressTable({ result }: { result: MarginStressResult }) {
  const grid = useRef<AgGridReact<Row>>(null)
  const { rows, columns } = useMemo(() => {
    const coins = Object.keys(result.scenarios[0]?.spotShocks ?? {})
    const columns: ColDef<Row>[] = [
      { field: 'name', headerName: 'Scenario', pinned: 'left', minWidth: 230, flex: 2, tooltipValueGetter: (p) => p.data?.notValued ?? undefined },
      ...coins.map<ColDef<Row>>((c) => ({
        headerName: `${c} move`,
        colId: `move:${c}`,
        width: 90,
        type: 'rightAligned',
        valueGetter: (p) => p.data?.spot[c],
        valueFormatter: (p) => (p.value === undefined ? '' : pct(p.value as number)),
      })),
      // Wide enough for the longest vol shock text and every account's cell (ratio, LIQ, shortfall): nothing clipped.
      { field: 'volShock', headerName: 'Vol', width: columnWidthFor(result.scenarios.map((s) => s.volShock), 'Vol') },
      ...result.accounts.map<ColDef<Row>>((a, j) => ({
        headerName: a.key,
        headerTooltip: a.note ?? a.rule ?? undefined,
        colId: `a${j}`,
        minWidth: columnWidthFor([cellText(null, a.marginCurrency), ...[result.current[j] ?? null, ...result.cells.map((r) => r[j] ?? null)].map((c) => cellText(c, a.marginCurrency))], a.key),
        flex: 1,
        type: 'rightAligned',
        valueGetter: (p) => p.data?.[`a${j}`] as MarginStressCell | null,
        valueFormatter: (p) => cellText(p.value as MarginStressCell | null, a.marginCurrency),
        cellStyle: (p) => {
          const c = p.value as MarginStressCell | null
          return c ? { backgroundColor: ratioColor(c.marginRatio, c.liquidated), color: ratioTextColor(c.marginRatio, c.liquidated), fontWeight: c.liquidated ? 700 : 400 } : null
        },
      })),
    ]
    const row = (name: string, spot: Record<string, number>, volShock: string, days: number, notValued: string | null, cells: Array<MarginStressCell | null>): Row =>
      ({ name, spot, volShock, days, notValued, ...Object.fromEntries(cells.map((c, j) => [`a${j}`, notValued ? null : c])) }) as Row
    const rows = [
      row('current market', {}, '', 0, null, result.current),
      ...result.scenarios.map((s, k) => row(s.name, s.spotShocks, s.volShock, s.days, s.notValued, result.cells[k]!)),
    ]
    return { rows, columns }
  }, [result])
  const tall = rows.length > 30
  return (
    <div className="grid" data-testid="margin-stress-table" style={tall ? { height: 720 } : undefined}>
      {/* Export: each account's margin ratio as a decimal (1 = 100 %: liquidated); empty when not valued. */}
      <GridExport
        grid={grid}
        fileName={`margin-stress-${result.set.name}.csv`}
        header={(id, name) => (id.startsWith('move:') ? `${name} (relative)` : /^a\d+$/.test(id) ? `${name} margin ratio (decimal)` : name)}
        value={(p) => (/^a\d+$/.test(p.column.getColId()) ? ((p.value as MarginStressCell | null)?.marginRatio ?? null) : p.value)}
        testId="margin-stress-export"
      />
      <AgGridReact<Row> ref={grid} theme={gridTheme} rowData={rows} columnDefs={columns} domLayout={tall ? 'normal' : 'autoHeight'} suppressMovableColumns />
    </div>
  )
}

/**
 * The book grid: one row per position and per balance (`BTC balance`), with marks, value and Greeks (units in
 * the headers), totals per underlying pinned (whole book: derivatives + balances).
 */
import type { ColDef, ValueFormatterParams } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useMemo, useRef } from 'react'
import type { PositionRow, PositionsReport } from '../../../../shared/api'
import { fmt, fmtDecimal } from '../../../../shared/format'
import { gridTheme } from '../../components/grid'
import { GridExport } from '../../components/GridExport'

type Row = Partial<PositionRow> & { instrument: string }

const num = (digits: number) => (p: ValueFormatterParams<Row, number | null>) => fmt(p.value, digits)
const unit = (row: Row | undefined, u: 'coin' | 'usd' | undefined) => (u === 'coin' ? (row?.underlying ?? '') : 'USD')

const columns: ColDef<Row>[] = [
  { field: 'venue', headerName: 'Venue', width: 90, pinned: 'left' },
  { field: 'account', headerName: 'Account', width: 110, pinned: 'left' },
  { field: 'instrument', headerName: 'Instrument', width: 190, pinned: 'left' },
  { field: 'symbol', headerName: 'Canonical', width: 210, headerTooltip: 'ccxt-style unified symbol BASE/QUOTE:SETTLE[-YYMMDD[-STRIKE-C|P]]' },
  {
    field: 'quantity',
    headerName: 'Quantity',
    width: 120,
    type: 'rightAligned',
    valueFormatter: (p) => (p.value ? `${fmtDecimal(p.value)} ${unit(p.data, p.data?.quantityUnit)}` : ''),
  },
  {
    field: 'entryPrice',
    headerName: 'Entry',
    width: 120,
    type: 'rightAligned',
    valueFormatter: (p) => (p.value ? `${fmtDecimal(p.value)} ${unit(p.data, p.data?.priceUnit)}` : p.data?.origin === 'balance' ? 'balance' : ''),
  },
  {
    field: 'markPrice',
    headerName: 'Mark',
    width: 130,
    type: 'rightAligned',
    valueFormatter: (p) => (p.value == null ? '' : `${fmt(p.value, p.data?.priceUnit === 'coin' ? 4 : 2)} ${unit(p.data, p.data?.priceUnit)}`),
    tooltipField: 'markSource',
  },
  { field: 'markIv', headerName: 'Mark IV %', width: 95, type: 'rightAligned', valueFormatter: num(2) },
  {
    field: 'valueUsd',
    headerName: 'Value USD',
    headerTooltip: "what the line adds to the book's equity: market value of options, spot and balances; a future's P&L since entry",
    width: 110,
    type: 'rightAligned',
    valueFormatter: num(0),
  },
  { field: 'unrealizedPnlUsd', headerName: 'uPnL USD', width: 110, type: 'rightAligned', valueFormatter: num(0) },
  { field: 'delta', headerName: 'Δ coin (USD delta)', headerTooltip: '∂ USD value / ∂ index, in coin', width: 110, type: 'rightAligned', valueFormatter: num(3) },
  {
    field: 'deltaPremiumAdjusted',
    headerName: 'Coin Δ',
    headerTooltip: "the venue's coin delta: premium-adjusted for inverse options, face ÷ mark for inverse futures",
    width: 95,
    type: 'rightAligned',
    valueFormatter: num(3),
  },
  { field: 'gamma', headerName: 'Γ coin/USD', width: 110, type: 'rightAligned', valueFormatter: num(5) },
  { field: 'vega', headerName: 'Vega USD/pt', width: 110, type: 'rightAligned', valueFormatter: num(1) },
  { field: 'theta', headerName: 'Θ USD/day', width: 105, type: 'rightAligned', valueFormatter: num(1) },
  { field: 'markSource', headerName: 'Mark source', width: 230 },
  // Export only (hidden): the units of quantity and prices, which vary by line.
  { colId: 'quantityUnitName', headerName: 'Quantity unit', hide: true, valueGetter: (p) => (p.data?.quantityUnit ? unit(p.data, p.data.quantityUnit) : null) },
  { colId: 'priceUnitName', headerName: 'Price unit', hide: true, valueGetter: (p) => (p.data?.priceUnit ? unit(p.data, p.data.priceUnit) : null) },
  { field: 'error', headerName: 'Not valued because', flex: 1, minWidth: 160 },
]

/** Export headers: the per-line units are in the Quantity unit / Price unit columns. */
const EXPORT_HEADERS: Record<string, string> = {
  quantity: 'Quantity (in quantity unit)',
  entryPrice: 'Entry (in price unit)',
  markPrice: 'Mark (in price unit)',
  markIv: 'Mark IV vol pts',
  expiry: 'Expiry (UTC)',
  strike: 'Strike USD',
}

export function PositionsGrid({ report }: { report: PositionsReport }) {
  const grid = useRef<AgGridReact<Row>>(null)
  const pinned = useMemo<Row[]>(
    () =>
      report.totals.map((t) => ({
        account: 'Total',
        instrument: `${t.underlying} (${t.positions - t.excluded} of ${t.positions} lines)`,
        underlying: t.underlying,
        delta: t.delta,
        deltaPremiumAdjusted: t.deltaPremiumAdjusted,
        gamma: t.gamma,
        vega: t.vegaUsd,
        theta: t.thetaUsd,
        valueUsd: t.valueUsd,
        unrealizedPnlUsd: report.positions.filter((p) => p.underlying === t.underlying).reduce((s, p) => s + (p.unrealizedPnlUsd ?? 0), 0),
      })),
    [report],
  )
  // Tall enough for every row plus the pinned totals and a horizontal scrollbar, up to a screenful.
  const height = Math.min(640, 32 + (report.positions.length + pinned.length) * 28 + 20)
  return (
    <>
    <GridExport grid={grid} fileName={`positions-${report.portfolio}.csv`} header={(id, name) => EXPORT_HEADERS[id] ?? name} testId="positions-export" />
    <div className="grid positions-grid" data-testid="positions-grid" style={{ height }}>
      <AgGridReact<Row>
        ref={grid}
        theme={gridTheme}
        rowData={report.positions}
        columnDefs={columns}
        pinnedBottomRowData={pinned}
        getRowId={(p) => (p.data.id === undefined ? `total:${p.data.instrument}` : `${p.data.origin}:${p.data.id}`)}
        defaultColDef={{ sortable: true, resizable: true }}
      />
    </div>
    </>
  )
}

/**
 * The what-if's legs (ag-grid, sortable, CSV): instrument, account, quantity with its unit — typed over to
 * resize the leg (sent ~300 ms after the last key through resizeWhatIfLeg) —, the entry price with where it
 * came from, the fee with its source, and a button that removes the leg.
 */
import type { ColDef, ICellRendererParams } from 'ag-grid-community'
import { AgGridReact } from 'ag-grid-react'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { WhatIfLeg } from '../../../../shared/whatifApi'
import { fmt, fmtDecimal } from '../../../../shared/format'
import { GridExport } from '../../components/GridExport'
import { gridTheme } from '../../components/grid'
import { riskdesk } from '../../platform/api'
import type { useWhatIfWrite } from './useWhatIfWrite'

const DECIMAL = /^-?\d+(\.\d+)?$/

type Write = ReturnType<typeof useWhatIfWrite>

/** The quantity as a field: a valid, changed, non-zero figure resizes the leg once typing pauses. */
function QuantityCell({ leg, whatIf, write, onPending }: { leg: WhatIfLeg; whatIf: string; write: Write; onPending: (id: number, pending: boolean) => void }) {
  const [text, setText] = useState(leg.quantity)
  // A new answer from the service (after the resize, or another change) replaces what was typed.
  useEffect(() => setText(leg.quantity), [leg.quantity])
  const t = text.trim()
  const valid = DECIMAL.test(t) && Number(t) !== 0
  const changed = valid && Number(t) !== Number(leg.quantity)
  useEffect(() => () => onPending(leg.id, false), [leg.id])
  useEffect(() => {
    onPending(leg.id, changed)
    if (!changed) return
    const timer = setTimeout(() => void write.run(() => riskdesk.resizeWhatIfLeg({ whatIf, legId: leg.id, quantity: t })), 300)
    return () => clearTimeout(timer)
  }, [t, changed, leg.id, whatIf])
  return (
    <input
      className="cell-input"
      value={text}
      onChange={(e) => setText(e.target.value)}
      aria-label={`quantity of leg ${leg.id}`}
      aria-invalid={!valid}
      title={valid ? `Signed, ${leg.quantityUnit}; type to resize` : 'a signed decimal other than 0 (remove the leg instead)'}
      data-testid={`leg-quantity-${leg.id}`}
    />
  )
}

export function LegsGrid({ legs, whatIf, write, onPending }: { legs: WhatIfLeg[]; whatIf: string; write: Write; onPending: (id: number, pending: boolean) => void }) {
  const grid = useRef<AgGridReact<WhatIfLeg>>(null)
  // The latest write and callback, read by the cells: the columns (and so the cells' fields, with what is being
  // typed) stay the same across renders.
  const ctx = useRef({ write, onPending })
  ctx.current = { write, onPending }
  const columns = useMemo<ColDef<WhatIfLeg>[]>(
    () => [
      { field: 'id', headerName: 'Leg', width: 70 },
      { field: 'instrument', headerName: 'Instrument', width: 190 },
      {
        field: 'kind',
        headerName: 'Kind',
        width: 200,
        // A custom option is no listed instrument: said so, with the surface vol it was priced at and where from.
        valueGetter: (p) => (p.data?.custom ? `${p.data.kind}, off the surface (σ ${fmt(p.data.custom.surfaceVol, 1)} %)` : p.data?.kind),
        tooltipValueGetter: (p) => p.data?.custom?.note ?? null,
      },
      { headerName: 'Account', colId: 'account', width: 140, valueGetter: (p) => (p.data ? `${p.data.venue}/${p.data.account}` : '') },
      {
        field: 'quantity',
        headerName: 'Quantity',
        width: 130,
        cellRenderer: (p: ICellRendererParams<WhatIfLeg>) => (p.data ? <QuantityCell leg={p.data} whatIf={whatIf} write={ctx.current.write} onPending={ctx.current.onPending} /> : null),
        // Keys typed into the field stay in it (no grid navigation).
        suppressKeyboardEvent: (p) => (p.event.target as HTMLElement).tagName === 'INPUT',
      },
      { field: 'quantityUnit', headerName: 'Unit', width: 70 },
      { field: 'entryPrice', headerName: 'Entry price', width: 120, type: 'rightAligned', valueFormatter: (p) => fmtDecimal(p.value as string) },
      { field: 'priceUnit', headerName: 'Price unit', width: 90 },
      { field: 'priceSource', headerName: 'Entry price from', flex: 2, minWidth: 260, tooltipField: 'priceSource' },
      {
        headerName: 'Premium / price',
        colId: 'cash',
        width: 150,
        type: 'rightAligned',
        // What leaves (−) or reaches (+) the account's balance at the trade; futures and perpetuals move none.
        valueGetter: (p) => (p.data?.cash ? `${fmtDecimal(p.data.cash.amount)} ${p.data.cash.currency}` : '—'),
        headerTooltip: "Cash the trade moves in the account's balance, fee aside: an option's premium, a spot trade's price (− paid, + received)",
      },
      { field: 'feeUsd', headerName: 'Fee USD', width: 100, type: 'rightAligned', valueFormatter: (p) => (p.value === null ? 'unknown' : fmt(Number(p.value), 2)) },
      { field: 'feeSource', headerName: 'Fee from', flex: 1, minWidth: 180, tooltipField: 'feeSource' },
      {
        headerName: '',
        colId: 'remove',
        width: 90,
        sortable: false,
        cellRenderer: (p: ICellRendererParams<WhatIfLeg>) =>
          p.data ? (
            <button type="button" className="link" onClick={() => void ctx.current.write.run(() => riskdesk.removeWhatIfLeg({ whatIf, legId: p.data!.id }))} data-testid={`leg-remove-${p.data.id}`}>
              Remove
            </button>
          ) : null,
      },
    ],
    [whatIf],
  )
  return (
    <div>
      <GridExport grid={grid} fileName={`whatif-${whatIf}-legs.csv`} testId="legs-export" />
      <div className="grid" data-testid="whatif-legs">
        <AgGridReact<WhatIfLeg>
          ref={grid}
          theme={gridTheme}
          rowData={legs}
          columnDefs={columns}
          getRowId={(p) => String(p.data.id)}
          domLayout="autoHeight"
          overlayNoRowsTemplate="No legs yet: type an instrument above, its quantity, Enter."
        />
      </div>
    </div>
  )
}

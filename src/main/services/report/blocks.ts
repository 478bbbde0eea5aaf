/**
 * Small constructors of report blocks (shared/reportApi.ts), so each section's builder reads as its content:
 * a column or a figure with its unit and the decimals it is shown with.
 */
import type { ReportBlock, ReportCell, ReportColumn, ReportFigure, ValuationMarket } from '../../../shared/api'

/** A text column. */
export const text = (key: string, label: string): ReportColumn => ({ key, label, unit: null, digits: null })
/** A number column with its unit and shown decimals. */
export const num = (key: string, label: string, unit: string | null, digits: number): ReportColumn => ({ key, label, unit, digits })
/** A relative number shown as percent. */
export const percent = (key: string, label: string, digits: number): ReportColumn => ({ key, label, unit: '%', digits, percent: true })

export function figure(label: string, value: ReportCell, unit: string | null, digits: number | null, note: string | null = null, isPercent = false): ReportFigure {
  return { label, value, unit, digits, note, ...(isPercent ? { percent: true } : {}) }
}

export function table(id: string, title: string, columns: ReportColumn[], rows: Array<Record<string, ReportCell>>, opts: { totalRows?: number[]; note?: string | null } = {}): ReportBlock {
  return { kind: 'table', id, title, columns, rows, totalRows: opts.totalRows ?? [], note: opts.note ?? null }
}

export function notes(id: string, title: string, items: string[]): ReportBlock {
  return { kind: 'notes', id, title, items }
}

/** The market snapshot of a valuation in one line: the files read and the index per underlying. */
export function marketLine(m: ValuationMarket): string {
  const files = m.snapshots.map((s) => `${s.venue} ${s.file} (${s.asOf})`)
  const indices = m.indices.map((i) => `${i.underlying} index ${i.price} USD${i.time ? ` at ${i.time}` : ''}`)
  return [...files, ...indices].join('; ') || 'no market data used'
}

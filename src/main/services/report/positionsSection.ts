/** Positions: every line of the book per account, with the account's totals (value, P&L, Greeks). */
import type { PositionRow, ReportCell, ReportSection } from '../../../shared/api'
import { REPORT_SECTION_TITLES } from '../../../shared/reportApi'
import { marketLine, num, table, text } from './blocks'
import type { ReportInputs } from './inputs'

const SUMMED = ['valueUsd', 'unrealizedPnlUsd', 'delta', 'gamma', 'vega', 'theta'] as const

export function positionsSection(inputs: ReportInputs): ReportSection {
  const { report } = inputs.book()
  const byAccount = new Map<string, PositionRow[]>()
  for (const p of report.positions) {
    const key = `${p.venue}/${p.account}`
    byAccount.set(key, [...(byAccount.get(key) ?? []), p])
  }
  const rows: Array<Record<string, ReportCell>> = []
  const totalRows: number[] = []
  for (const [account, lines] of byAccount) {
    for (const p of lines)
      rows.push({
        account,
        instrument: p.instrument,
        kind: `${p.kind}${p.optionType ? ` ${p.optionType}` : ''}`,
        quantity: `${p.quantity} ${p.quantityUnit === 'coin' ? p.underlying : 'USD'}`,
        entry: p.entryPrice === null ? null : `${p.entryPrice} ${p.priceUnit === 'coin' ? p.underlying : 'USD'}`,
        mark: p.markPrice,
        markUnit: p.priceUnit === 'coin' ? p.underlying : 'USD',
        markIv: p.markIv,
        valueUsd: p.valueUsd,
        unrealizedPnlUsd: p.unrealizedPnlUsd,
        delta: p.delta,
        gamma: p.gamma,
        vega: p.vega,
        theta: p.theta,
        error: p.error,
      })
    // Account totals over its valued lines (a line not valued is listed with its reason and not summed). Delta
    // is summed per account only when every line is on one underlying (coin deltas of two coins do not add).
    const valued = lines.filter((p) => p.error === null)
    const oneUnderlying = new Set(valued.map((p) => p.underlying)).size <= 1
    const total: Record<string, ReportCell> = { account, instrument: `Total ${account} (${valued.length} of ${lines.length} lines valued)`, kind: null, quantity: null, entry: null, mark: null, markUnit: null, markIv: null, error: null }
    for (const k of SUMMED) total[k] = (k === 'delta' || k === 'gamma') && !oneUnderlying ? null : valued.reduce((s, p) => s + (p[k] ?? 0), 0)
    totalRows.push(rows.length)
    rows.push(total)
  }
  return {
    id: 'positions',
    title: REPORT_SECTION_TITLES.positions,
    asOf: report.valuationTime,
    market: marketLine(report.market),
    blocks: [
      table(
        'positions-table',
        'Positions and balances per account',
        [
          text('account', 'Account'),
          text('instrument', 'Instrument'),
          text('kind', 'Kind'),
          text('quantity', 'Quantity'),
          text('entry', 'Entry'),
          num('mark', 'Mark', 'in price unit', 4),
          text('markUnit', 'Price unit'),
          num('markIv', 'Mark IV', 'vol pts', 2),
          num('valueUsd', 'Value', 'USD', 0),
          num('unrealizedPnlUsd', 'uPnL', 'USD', 0),
          num('delta', 'Delta', 'coin', 4),
          num('gamma', 'Gamma', 'coin/USD', 6),
          num('vega', 'Vega', 'USD/vol pt', 1),
          num('theta', 'Theta', 'USD/day', 1),
          text('error', 'Not valued because'),
        ],
        rows,
        { totalRows, note: 'Value: what the line adds to the book’s equity (options, spot, balances at market; futures their P&L since entry). Balances are spot lines of 1 coin of delta per coin.' },
      ),
    ],
  }
}

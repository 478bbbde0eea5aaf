/**
 * The run's P&L by the chosen aggregation ("By": account, underlying, expiry…): one row per group with its P&L
 * in the scenario on show (the selected cell or row, else the worst) and its own worst scenario, and a footer
 * row with the sum of the rows beside the book's P&L in that scenario (they are equal: every line of the book,
 * balances included, belongs to exactly one group). Clicking a row shows that group in the heatmap and surface.
 */
import type { StressResult } from '../../../../shared/stressApi'
import { fmt, plural } from '../../../../shared/format'
import { pnlColor } from '../../components/pnlColor'

export interface GroupTableProps {
  result: StressResult
  /** Scenario whose P&L the first column shows. */
  scenario: number
  /** Group drawn in the figures (null: the whole book). */
  focus: string | null
  onFocus: (key: string | null) => void
}

export function GroupTable({ result, scenario, focus, onFocus }: GroupTableProps) {
  const name = result.scenarios[scenario]?.name ?? '—'
  const rows = result.groups.map((g) => {
    let worst = 0
    for (let k = 1; k < g.pnlUsd.length; k++) if (g.pnlUsd[k]! < g.pnlUsd[worst]!) worst = k
    return { key: g.key, pnl: g.pnlUsd[scenario] ?? Number.NaN, worst: g.pnlUsd[worst] ?? Number.NaN, worstName: result.scenarios[worst]?.name ?? '—' }
  })
  const sum = rows.reduce((s, r) => s + r.pnl, 0)
  const book = result.scenarios[scenario]?.pnlUsd ?? Number.NaN
  const maxAbs = Math.max(...rows.map((r) => Math.abs(r.pnl)), 1)
  return (
    <div className="group-table" data-testid="group-table">
      <h3>
        P&amp;L by {result.by} <span className="muted">({plural(rows.length, 'group')}; click a row to draw it{focus ? '' : ' in the figures'})</span>
      </h3>
      <table className="plain">
        <thead>
          <tr>
            <th>{result.by}</th>
            <th>P&amp;L USD at {name}</th>
            <th>own worst USD</th>
            <th>own worst scenario</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.key}
              data-testid="group-row"
              aria-selected={focus === r.key}
              className={focus === r.key ? 'selected' : undefined}
              onClick={() => onFocus(focus === r.key ? null : r.key)}
            >
              <td>{r.key}</td>
              <td style={{ backgroundColor: pnlColor(r.pnl, maxAbs) }}>{fmt(r.pnl)}</td>
              <td>{fmt(r.worst)}</td>
              <td>{r.worstName}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="group-total">
            <th>Total (sum of the rows)</th>
            <th>{fmt(sum)}</th>
            <th colSpan={2} className="muted">
              whole book at {name}: {fmt(book)} USD{Math.abs(sum - book) > 0.5 ? ' — differs from the sum' : ' — the rows sum to it'}
            </th>
          </tr>
        </tfoot>
      </table>
      {focus && (
        <button type="button" className="link" onClick={() => onFocus(null)} data-testid="group-focus-clear">
          Draw the whole book again
        </button>
      )}
    </div>
  )
}

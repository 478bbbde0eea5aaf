/**
 * The venue's own margin figures from imported position snapshots (liquidation price, IM, MM, leverage)
 * beside Riskdesk's, one row per position that has them, so a user sees where the two disagree.
 */
import { liquidationPriceFor, type MarginAccountReport } from '../../../../shared/marginApi'
import { fmt } from '../../../../shared/format'

const amount = (x: string | null, ccy: string) => (x === null ? '—' : `${Number(x)} ${ccy}`)

export function VenueFigures({ accounts }: { accounts: MarginAccountReport[] }) {
  const rows = accounts.flatMap((a) => a.positions.filter((p) => p.venue !== null).map((p) => ({ a, p, v: p.venue! })))
  if (rows.length === 0) return null
  return (
    <>
      <h2>The venue's own figures</h2>
      <table className="plain" data-testid="venue-figures">
        <thead>
          <tr>
            <th>account</th>
            <th>position</th>
            <th>leverage (venue)</th>
            <th>liq. price venue USD</th>
            <th>liq. price Riskdesk USD</th>
            <th>IM venue</th>
            <th>IM Riskdesk</th>
            <th>MM venue</th>
            <th>MM Riskdesk</th>
            <th>from</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ a, p, v }) => (
            <tr key={`${a.key}/${p.id}`}>
              <td>{a.key}</td>
              <td>{p.id}</td>
              <td>{v.leverage === null ? '—' : `${v.leverage}×${v.mode ? ` ${v.mode}` : ''}`}</td>
              <td>{fmt(v.liquidationPrice, 2)}</td>
              <td>{fmt(liquidationPriceFor(a, p), 2)}</td>
              <td>{amount(v.initialMargin, v.currency)}</td>
              <td>{amount(p.initialMargin, a.marginCurrency)}</td>
              <td>{amount(v.maintenanceMargin, v.currency)}</td>
              <td>{amount(p.maintenanceMargin, a.marginCurrency)}</td>
              <td className="muted">{v.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

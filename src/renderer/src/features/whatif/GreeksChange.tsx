/**
 * Greeks per underlying, before (the book), after (book + legs) and the change, as getWhatIf gives them: delta
 * in coin and USD, gamma in coin per USD and USD per 1 % move, vega USD per vol point, theta USD per day, value USD.
 */
import type { WhatIfGreeks, WhatIfReport } from '../../../../shared/whatifApi'
import { fmt } from '../../../../shared/format'
import { BeforeAfterHead } from './BeforeAfterHead'

type Measure = Exclude<keyof WhatIfGreeks, 'underlying'>

export const GREEK_ROWS: ReadonlyArray<{ key: Measure; label: string; digits: number }> = [
  { key: 'delta', label: 'Delta (coin)', digits: 4 },
  { key: 'deltaUsd', label: 'Delta (USD)', digits: 0 },
  { key: 'gamma', label: 'Gamma (coin per USD)', digits: 6 },
  { key: 'gammaUsdPer1Pct', label: 'Gamma (USD per 1 %)', digits: 0 },
  { key: 'vegaUsd', label: 'Vega (USD per vol pt)', digits: 0 },
  { key: 'thetaUsd', label: 'Theta (USD per day)', digits: 0 },
  { key: 'valueUsd', label: 'Value (USD)', digits: 0 },
]

const signed = (x: number, digits: number) => (Number(x.toFixed(digits)) > 0 ? `+${fmt(x, digits)}` : fmt(x, digits))

export function GreeksChange({ report }: { report: WhatIfReport }) {
  const underlyings = [...new Set([...report.before.greeks, ...report.after.greeks].map((g) => g.underlying))].sort()
  const of = (list: WhatIfGreeks[], u: string) => list.find((g) => g.underlying === u)
  return (
    <div className="whatif-greeks" data-testid="whatif-greeks">
      {underlyings.map((u) => {
        const b = of(report.before.greeks, u)
        const a = of(report.after.greeks, u)
        const c = of(report.change.greeks, u)
        return (
          <table className="plain" key={u} data-underlying={u}>
            <BeforeAfterHead label={u} />
            <tbody>
              {GREEK_ROWS.map((r) => (
                <tr key={r.key} data-testid={`greek-${u}-${r.key}`}>
                  <td>{r.label}</td>
                  <td>{fmt(b?.[r.key] ?? 0, r.digits)}</td>
                  <td>{fmt(a?.[r.key] ?? 0, r.digits)}</td>
                  <td className={c && Number(c[r.key].toFixed(r.digits)) !== 0 ? 'changed' : undefined} data-testid="change">
                    {signed(c?.[r.key] ?? 0, r.digits)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      })}
    </div>
  )
}

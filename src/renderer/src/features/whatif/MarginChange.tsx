/**
 * One card per margin account, before → after the legs, with the change: equity, initial and maintenance
 * margin, available balance (margin currency), margin ratio (MM ÷ equity), and the cross liquidation prices of
 * each underlying (index, USD). Unknown figures read `—` with their reasons listed under the card.
 */
import type { WhatIfMargin, WhatIfReport } from '../../../../shared/whatifApi'
import type { LiquidationLevels } from '../../../../shared/marginApi'
import { fmt } from '../../../../shared/format'
import { ratioColor, ratioText } from '../margin/ratioColor'
import { BeforeAfterHead } from './BeforeAfterHead'

const digits = (ccy: string) => (/^(USD|USDT|USDC|BUSD|FDUSD|DAI|USDE)$/i.test(ccy) ? 2 : 4)
const num = (s: string | null) => (s === null ? null : Number(s))
const signed = (x: number | null, d: number) => (x === null ? '—' : Number(x.toFixed(d)) > 0 ? `+${fmt(x, d)}` : fmt(x, d))

/** The cross liquidation levels of an account, by underlying. */
export const crossLevels = (m: WhatIfMargin | undefined): LiquidationLevels[] => (m?.liquidation ?? []).filter((l) => l.scope === 'cross')

function Row({ label, before, after, change, d, testId }: { label: string; before: number | null; after: number | null; change: number | null; d: number; testId?: string }) {
  return (
    <tr data-testid={testId}>
      <td>{label}</td>
      <td>{fmt(before, d)}</td>
      <td>{fmt(after, d)}</td>
      <td className={change !== null && Number(change.toFixed(d)) !== 0 ? 'changed' : undefined}>{signed(change, d)}</td>
    </tr>
  )
}

function liqText(l: LiquidationLevels | undefined, side: 'below' | 'above'): number | null {
  return l?.[side]?.indexPrice ?? null
}

export function MarginChange({ report }: { report: WhatIfReport }) {
  const keys = [...new Set([...report.before.margin, ...report.after.margin].map((m) => m.key))]
  return (
    <div className="summary" data-testid="whatif-margin">
      {keys.map((key) => {
        const b = report.before.margin.find((m) => m.key === key)
        const a = report.after.margin.find((m) => m.key === key)
        const c = report.change.margin.find((m) => m.key === key)
        const ccy = (a ?? b)!.marginCurrency
        const d = digits(ccy)
        const underlyings = [...new Set([...crossLevels(b), ...crossLevels(a)].map((l) => l.underlying))]
        const unknown = [...new Set([...(b?.unknown ?? []), ...(a?.unknown ?? [])])]
        const ratioB = b?.marginRatio ?? null
        const ratioA = a?.marginRatio ?? null
        return (
          <div className="card whatif-margin-card" key={key} data-testid={`whatif-margin-${key}`}>
            <h3>
              {key} <span className="muted">{ccy}-margined</span>
            </h3>
            <table className="plain">
              <BeforeAfterHead label={ccy} />
              <tbody>
                <Row label="Equity" before={num(b?.equity ?? null)} after={num(a?.equity ?? null)} change={num(c?.equity ?? null)} d={d} />
                <Row label="Initial margin" before={num(b?.initialMargin ?? null)} after={num(a?.initialMargin ?? null)} change={num(c?.initialMargin ?? null)} d={d} testId="margin-im" />
                <Row label="Maintenance margin" before={num(b?.maintenanceMargin ?? null)} after={num(a?.maintenanceMargin ?? null)} change={num(c?.maintenanceMargin ?? null)} d={d} testId="margin-mm" />
                <Row label="Available" before={num(b?.availableBalance ?? null)} after={num(a?.availableBalance ?? null)} change={num(c?.availableBalance ?? null)} d={d} />
                <tr>
                  <td>Margin ratio (MM ÷ equity)</td>
                  <td>
                    <span className="dot" style={{ background: ratioColor(ratioB, false) }} /> {ratioText(ratioB, false)}
                  </td>
                  <td>
                    <span className="dot" style={{ background: ratioColor(ratioA, false) }} /> {ratioText(ratioA, false)}
                  </td>
                  <td>{c?.marginRatio === null || c?.marginRatio === undefined ? '—' : `${signed(c.marginRatio * 100, 1)} pts`}</td>
                </tr>
                {underlyings.flatMap((u) => {
                  const lb = crossLevels(b).find((l) => l.underlying === u)
                  const la = crossLevels(a).find((l) => l.underlying === u)
                  return (['below', 'above'] as const).map((side) => {
                    const x = liqText(lb, side)
                    const y = liqText(la, side)
                    return <Row key={`${u}${side}`} label={`${u} liquidation ${side} (index USD)`} before={x} after={y} change={x !== null && y !== null ? y - x : null} d={0} />
                  })
                })}
              </tbody>
            </table>
            {(a?.status ?? b?.status) !== 'ok' && <p className="warning">status: {(a ?? b)!.status}</p>}
            {unknown.length > 0 && (
              <ul className="warning unknown">
                {unknown.map((u) => (
                  <li key={u}>Unknown: {u}</li>
                ))}
              </ul>
            )}
          </div>
        )
      })}
    </div>
  )
}

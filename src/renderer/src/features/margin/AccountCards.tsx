/**
 * One card per margin account: equity (margin currency and USD), IM, MM, available balance, a margin-ratio
 * gauge, the rule with its tables' as-of dates, and every unknown figure with its reason.
 */
import type { MarginAccountReport } from '../../../../shared/marginApi'
import { fmt } from '../../../../shared/format'
import { ratioColor, ratioText } from './ratioColor'

const digits = (ccy: string) => (/^(USD|USDT|USDC|BUSD|FDUSD|DAI|USDE)$/i.test(ccy) ? 2 : 4)
const money = (s: string | null, ccy: string) => (s === null ? '—' : `${fmt(Number(s), digits(ccy))} ${ccy}`)

/** A half-circle gauge of the margin ratio from 0 to 150 %, liquidation at 100 %. */
export function RatioGauge({ ratio, liquidated }: { ratio: number | null; liquidated: boolean | null }) {
  const max = 1.5
  const r = 46
  const cx = 60
  const cy = 56
  const at = (x: number) => {
    const a = Math.PI * (1 - Math.min(Math.max(x, 0), max) / max)
    return [cx + r * Math.cos(a), cy - r * Math.sin(a)] as const
  }
  const arc = (from: number, to: number) => {
    const [x0, y0] = at(from)
    const [x1, y1] = at(to)
    return `M ${x0} ${y0} A ${r} ${r} 0 0 1 ${x1} ${y1}`
  }
  const shown = ratio === null ? (liquidated ? max : null) : ratio
  const needle = shown === null ? null : at(shown)
  return (
    <svg className="gauge" viewBox="0 0 120 70" width="120" height="70" role="img" aria-label={`margin ratio ${ratioText(ratio, liquidated)}`}>
      <path d={arc(0, 0.5)} stroke={ratioColor(0.25, false)} strokeWidth="9" fill="none" />
      <path d={arc(0.5, 0.8)} stroke={ratioColor(0.65, false)} strokeWidth="9" fill="none" />
      <path d={arc(0.8, 1)} stroke={ratioColor(0.92, false)} strokeWidth="9" fill="none" />
      <path d={arc(1, max)} stroke={ratioColor(1, true)} strokeWidth="9" fill="none" />
      {needle && <line x1={cx} y1={cy} x2={needle[0]} y2={needle[1]} stroke="currentColor" strokeWidth="2.5" />}
      <circle cx={cx} cy={cy} r="3.5" fill="currentColor" />
      <text x={cx} y={cy + 13} textAnchor="middle" fontSize="11" fontWeight="600" fill="currentColor">
        {ratioText(ratio, liquidated)}
      </text>
    </svg>
  )
}

export function AccountCards({ accounts }: { accounts: MarginAccountReport[] }) {
  return (
    <div className="summary" data-testid="margin-cards">
      {accounts.map((a) => (
        <div className="card margin-card" key={a.key} data-testid={`margin-card-${a.key}`}>
          <h3>
            {a.venue}/{a.account} <span className="muted">{a.marginCurrency}-margined · {a.rule ? `${a.rule.label}${a.rule.source === 'settings' ? ' (set)' : ''}` : 'no rule'}</span>
          </h3>
          {a.status === 'error' ? (
            <p className="error">{a.error}</p>
          ) : (
            <div className="margin-card-body">
              <dl>
                <dt>Equity</dt>
                <dd data-testid="margin-equity">
                  {money(a.equity, a.marginCurrency)} {a.equityUsd !== null && !/^USD/.test(a.marginCurrency) && <span className="muted">({fmt(Number(a.equityUsd))} USD)</span>}
                </dd>
                <dt>Initial margin</dt>
                <dd>{money(a.initialMargin, a.marginCurrency)}</dd>
                <dt>Maintenance margin</dt>
                <dd>{money(a.maintenanceMargin, a.marginCurrency)}</dd>
                <dt>Available</dt>
                <dd className={a.availableBalance !== null && Number(a.availableBalance) < 0 ? 'warning' : undefined}>{money(a.availableBalance, a.marginCurrency)}</dd>
                <dt title="Largest weighted equity loss over the 16 SPAN scenarios (±15 % price scan, ±20 vol points, extremes ±30 % at 35 %): an exchange-neutral figure">SPAN scan risk</dt>
                <dd>{money(a.spanScanRisk, a.marginCurrency)}</dd>
                {a.collateral
                  .filter((c) => c.counted)
                  .map((c) => (
                    <div key={c.currency} className="dl-row">
                      <dt>Collateral {c.currency}</dt>
                      <dd>
                        {fmt(Number(c.amount), digits(c.currency))} {c.currency}
                        {c.usdPrice !== null && c.usdPrice !== 1 && <span className="muted"> ({fmt(Number(c.amount) * c.usdPrice)} USD)</span>}
                      </dd>
                    </div>
                  ))}
              </dl>
              <div className="gauge-box" data-testid="margin-ratio">
                <RatioGauge ratio={a.marginRatio} liquidated={a.liquidated} />
                <span className="muted">margin ratio</span>
              </div>
            </div>
          )}
          {a.tables.length > 0 && (
            <p className="muted tables">
              Tables:{' '}
              {a.tables.map((t) => (
                <span key={t.id} title={t.sources.join('\n')} className={t.beforeFirstEntry ? 'warning' : undefined}>
                  {t.id} {t.asOf}
                  {t.beforeFirstEntry ? ' (younger than the as-of date)' : ''}{' '}
                </span>
              ))}
            </p>
          )}
          {a.unknown.length > 0 && (
            <ul className="warning unknown">
              {a.unknown.map((u) => (
                <li key={u}>Unknown: {u}</li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </div>
  )
}

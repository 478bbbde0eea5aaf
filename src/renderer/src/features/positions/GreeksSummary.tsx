/** Totals per underlying as cards: delta in coin and USD, gamma, vega, theta. */
import type { UnderlyingTotals } from '../../../../shared/api'
import { fmt } from '../../components/format'

export function GreeksSummary({ totals }: { totals: UnderlyingTotals[] }) {
  return (
    <div className="summary" data-testid="greeks-summary">
      {totals.map((t) => (
        <div className="card" key={t.underlying}>
          <h3>
            {t.underlying} <span className="muted">index {fmt(t.indexPrice, 2)} USD</span>
          </h3>
          <dl>
            <dt>Delta</dt>
            <dd>
              {fmt(t.delta, 3)} {t.underlying} <span className="muted">({fmt(t.deltaUsd)} USD)</span>
            </dd>
            <dt>Delta premium-adj.</dt>
            <dd>
              {fmt(t.deltaPremiumAdjusted, 3)} {t.underlying}
            </dd>
            <dt>Gamma</dt>
            <dd>
              {fmt(t.gamma, 5)} {t.underlying}/USD <span className="muted">({fmt(t.gammaUsdPer1Pct)} USD per 1%)</span>
            </dd>
            <dt>Vega</dt>
            <dd>{fmt(t.vegaUsd)} USD per vol pt</dd>
            <dt>Theta</dt>
            <dd>{fmt(t.thetaUsd)} USD per day</dd>
          </dl>
          {t.excluded > 0 && <p className="warning">{t.excluded} position(s) not valued: see the grid</p>}
        </div>
      ))}
    </div>
  )
}

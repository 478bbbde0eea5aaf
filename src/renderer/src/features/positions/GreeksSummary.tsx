/**
 * Totals per underlying as cards: delta of the whole book and of the derivatives only (coin and USD), the
 * balances held, the venue-style coin delta, gamma, vega, theta; and the book's value.
 */
import type { PositionsReport, UnderlyingTotals } from '../../../../shared/api'
import { fmt, plural } from '../../../../shared/format'

export function GreeksSummary({ totals, book }: { totals: UnderlyingTotals[]; book?: PositionsReport['book'] }) {
  return (
    <>
      {book && (
        <p className="muted" data-testid="book-value">
          Book value <b>{fmt(book.valueUsd)} USD</b> = {fmt(book.derivativesValueUsd)} USD derivatives + {fmt(book.balancesValueUsd)} USD balances
        </p>
      )}
      <div className="summary" data-testid="greeks-summary">
        {totals.map((t) => (
          <div className="card" key={t.underlying}>
            <h3>
              {t.underlying} <span className="muted">index {fmt(t.indexPrice, 2)} USD</span>
            </h3>
            <dl>
              <dt title="USD delta of the whole book: derivatives + balances">Delta, total</dt>
              <dd data-testid={`delta-total-${t.underlying}`}>
                {fmt(t.delta, 3)} {t.underlying} <span className="muted">({fmt(t.deltaUsd)} USD)</span>
              </dd>
              <dt>Balances</dt>
              <dd>
                {fmt(t.balance, 3)} {t.underlying}
              </dd>
              <dt title="USD delta of the derivatives only">Delta, derivatives</dt>
              <dd className="derivs" data-testid={`delta-derivatives-${t.underlying}`}>
                {fmt(t.derivativesDelta, 3)} {t.underlying} <span className="muted">({fmt(t.derivativesDeltaUsd)} USD)</span>
              </dd>
              <dt title="What Deribit sums into an account's delta: premium-adjusted for inverse options, face ÷ mark for inverse futures">Coin delta, derivs</dt>
              <dd className="derivs">
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
            {t.excluded > 0 && <p className="warning">{plural(t.excluded, 'line')} not valued: see the grid</p>}
          </div>
        ))}
      </div>
    </>
  )
}

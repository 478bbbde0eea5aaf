/**
 * Overview: what the book is valued against, Greeks per underlying (whole book and derivatives only), the
 * book grid (positions and balances), and the default stress grid with its surface, switchable between the
 * whole book and the derivatives only.
 */
import { useState } from 'react'
import { fmt, plural } from '../../../../shared/format'
import { MarketLine } from '../../components/MarketLine'
import { ScopeToggle, type Scope } from '../../components/ScopeToggle'
import { useApiQuery } from '../../data/useApi'
import type { ViewProps } from '../../views'
import { GreeksSummary } from '../positions/GreeksSummary'
import { PositionsGrid } from '../positions/PositionsGrid'
import { StressGrid } from '../stress/StressGrid'
import { StressSurface } from '../stress/StressSurface'

export function OverviewView({ portfolio, asOf }: ViewProps) {
  const [scope, setScope] = useState<Scope>('total')
  const input = portfolio ? { portfolio, asOf } : undefined
  const positions = useApiQuery('getPositions', input, { keepPrevious: true })
  // The default stress grid once the positions are in: the book grid comes first, the stress run after it.
  const stressQuery = useApiQuery('runStress', input, { keepPrevious: true, enabled: positions.data !== undefined })
  const report = positions.data ?? null
  const stress = stressQuery.data ?? null
  const busy = positions.isFetching || stressQuery.isFetching
  const error = positions.error?.message ?? stressQuery.error?.message ?? null

  const values = stress ? (scope === 'total' ? stress.pnlUsd : stress.derivativesPnlUsd) : null
  const worst = stress ? (scope === 'total' ? stress.worst : stress.worstDerivatives) : null
  return (
    <div>
      {busy && <p className="busy">computing…</p>}
      {error && <p className="error">{error}</p>}
      {report && (
        <section>
          <MarketLine valuationTime={report.valuationTime} market={report.market} />
          <h2>Greeks</h2>
          <GreeksSummary totals={report.totals} book={report.book} />
          <h2>Positions and balances</h2>
          <PositionsGrid report={report} />
        </section>
      )}
      {stress && (
        <section>
          <h2>
            Stress: P&amp;L in USD over spot shock × vol shock{' '}
            <span className="muted" data-testid="overview-stress-summary">
              full revaluation, {plural(stress.positions, 'line')} × {plural(stress.scenarioCount, 'scenario')} on {plural(stress.workers, 'worker')}; worst of the whole book{' '}
              {stress.worst ? `${fmt(stress.worst.pnlUsd)} USD at ${stress.worst.name}` : '—'}; of the derivatives only{' '}
              {stress.worstDerivatives ? `${fmt(stress.worstDerivatives.pnlUsd)} USD at ${stress.worstDerivatives.name}` : '—'}
            </span>
          </h2>
          <ScopeToggle value={scope} onChange={setScope} balances={stress.balances} />
          {values && stress.spotShocks && stress.volShocks && (
            <div className="stress">
              <StressGrid spotShocks={stress.spotShocks} volShocks={stress.volShocks} values={values} highlight={worst?.index ?? null} />
              <StressSurface spotShocks={stress.spotShocks} volShocks={stress.volShocks} values={values} />
            </div>
          )}
        </section>
      )}
    </div>
  )
}

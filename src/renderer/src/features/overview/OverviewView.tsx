/**
 * Overview: what the book is valued against, Greeks per underlying (whole book and derivatives only), the
 * book grid (positions and balances), and the default stress grid with its surface, switchable between the
 * whole book and the derivatives only.
 */
import { useEffect, useState } from 'react'
import type { PositionsReport, StressResult } from '../../../../shared/api'
import { fmt } from '../../../../shared/format'
import { MarketLine } from '../../components/MarketLine'
import { ScopeToggle, type Scope } from '../../components/ScopeToggle'
import { riskdesk } from '../../platform/api'
import type { ViewProps } from '../../views'
import { GreeksSummary } from '../positions/GreeksSummary'
import { PositionsGrid } from '../positions/PositionsGrid'
import { StressGrid } from '../stress/StressGrid'
import { StressSurface } from '../stress/StressSurface'

export function OverviewView({ portfolio, asOf }: ViewProps) {
  const [report, setReport] = useState<PositionsReport | null>(null)
  const [stress, setStress] = useState<StressResult | null>(null)
  const [scope, setScope] = useState<Scope>('total')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!portfolio) return
    let live = true
    setBusy(true)
    setError(null)
    ;(async () => {
      const positions = await riskdesk.getPositions({ portfolio, asOf })
      if (live) setReport(positions)
      const result = await riskdesk.runStress({ portfolio, asOf })
      if (live) setStress(result)
    })()
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setBusy(false))
    return () => {
      live = false
    }
  }, [portfolio, asOf])

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
              full revaluation, {stress.positions} lines × {stress.scenarioCount} scenarios on {stress.workers} workers; worst of the whole book{' '}
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
